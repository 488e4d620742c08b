"""Views of the service: values from the request reach the db helpers."""

import sqlite3

from . import db, logutil, validation
from .db import run_logged, run_query


def search(request):
    term = request.args.get("q", "")
    return run_query(f"SELECT * FROM products WHERE name LIKE '%{term}%'")  # expect: SQL101


def search_safe(request):
    term = request.args.get("q", "")
    return run_query("SELECT * FROM products WHERE name LIKE ?", (f"%{term}%",))  # expect: SQL103


def by_category(request):
    category = request.args["category"]
    return db.run_query("SELECT * FROM products WHERE category = '%s'" % category)  # expect: SQL101


def audit(request):
    user = request.args["user"]
    return run_logged("audit", "SELECT * FROM audit WHERE user = '" + user + "'")  # expect: SQL101


def totals():
    return db.count("orders")  # ok


def sorted_products(request, conn):
    column = validation.sort_column(request.args.get("sort", "name"))
    direction = validation.sort_direction(request.args.get("dir", "asc"))
    return conn.execute(f"SELECT * FROM products ORDER BY {column} {direction}").fetchall()  # expect: SQL103


def listed_products(request, conn):
    columns = ", ".join(validation.selected_columns(request.args.getlist("c")))
    order = validation.column_or_default(request.args.get("sort"))
    return conn.execute(f"SELECT {columns} FROM products ORDER BY {order}").fetchall()  # expect: SQL103


def trimmed_products(request, conn):
    column = validation.unchecked(request.args.get("sort", "name"))
    return conn.execute(f"SELECT * FROM products ORDER BY {column}").fetchall()  # expect: SQL101


def add_product(request, conn):
    try:
        conn.execute("INSERT INTO products (name) VALUES (?)", (request.form["name"],))  # expect: SQL103
    except sqlite3.IntegrityError as exc:
        logutil.log_failure("could not add the product", exc)  # expect: SQL303
        logutil.log_failure_class("could not add the product", exc)  # ok
        return None
