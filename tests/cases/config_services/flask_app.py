"""A Flask app configured from the environment."""

import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["CELERY_BROKER_URL"] = os.environ.get("BROKER_URL", "")
db = SQLAlchemy(app)


@app.before_first_request
def announce():
    app.logger.info("database %s", app.config["SQLALCHEMY_DATABASE_URI"])  # expect: SQL302
    app.logger.info("broker %s", app.config["CELERY_BROKER_URL"])  # expect: SQL302
    app.logger.debug("secret %s", app.config["SECRET_KEY"])  # expect: SQL301
    app.logger.info("cwd %s", os.getcwd())  # ok


@app.post("/orders")
def create_order():
    app.logger.debug("order %s", request.get_json())  # expect: SQL304
    app.logger.debug("auth %s", request.headers.get("Authorization"))  # expect: SQL301
    app.logger.debug("agent %s", request.headers.get("User-Agent"))  # ok
    result = db.session.execute(text("SELECT * FROM customers WHERE id = :id"), {"id": 1})  # expect: SQL103
    customer = result.first()
    app.logger.debug("customer %s", dict(customer._mapping))  # expect: SQL304
    app.logger.debug("customer %s", customer.id)  # ok
    return {"ok": True}
