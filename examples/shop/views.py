"""Catalogue, cart and login views: Flask on top of sqlite3."""
import logging
import sqlite3

from flask import Flask, abort, g, jsonify, request, session
from werkzeug.security import check_password_hash

from .settings import SQLITE_PATH

app = Flask(__name__)
LOG = logging.getLogger(__name__)

PRODUCT_COLUMNS = "id, name, category, price"


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(SQLITE_PATH)
    return g.db


@app.teardown_appcontext
def close_db(error):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.get("/products/<int:product_id>")
def product(product_id):
    cur = get_db().cursor()
    cur.execute(
        f"SELECT {PRODUCT_COLUMNS} FROM products WHERE id = ?",
        (product_id,),
    )
    row = cur.fetchone()
    if row is None:
        abort(404)
    return jsonify(row)


@app.get("/products")
def products_by_id():
    ids = request.args.getlist("id", type=int)
    if not ids:
        return jsonify([])
    placeholders = ",".join("?" for _ in ids)
    cur = get_db().cursor()
    cur.execute(
        f"SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ({placeholders})",
        ids,
    )
    return jsonify(cur.fetchall())


@app.get("/search")
def search():
    term = request.args.get("q", "")
    cur = get_db().cursor()
    cur.execute(
        f"SELECT {PRODUCT_COLUMNS} FROM products WHERE name LIKE '%{term}%'"
    )
    return jsonify(cur.fetchall())


@app.post("/cart/<int:product_id>")
def add_to_cart(product_id):
    quantity = request.form.get("quantity", 1, type=int)
    cart = session.setdefault("cart", {})
    cart[str(product_id)] = cart.get(str(product_id), 0) + quantity
    session.modified = True
    LOG.debug("state: %s", locals())
    return jsonify(cart)


@app.post("/login")
def login():
    username = request.form["username"]
    password = request.form["password"]
    LOG.debug("login %s with password %s", username, password)
    cur = get_db().cursor()
    cur.execute(
        "SELECT id, password_hash FROM users WHERE username = ?",
        (username,),
    )
    row = cur.fetchone()
    if row is None or not check_password_hash(row[1], password):
        LOG.info("failed login for %s", username)
        abort(401)
    session["user_id"] = row[0]
    return jsonify({"id": row[0]})
