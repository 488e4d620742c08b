"""Views of the service: values from the request reach the db helpers."""

from . import db
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
