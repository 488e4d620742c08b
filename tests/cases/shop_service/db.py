"""Database helpers of the service: the views call these."""

import sqlite3

DATABASE = "shop.db"


def connect():
    return sqlite3.connect(DATABASE)


def run_query(statement, params=()):
    with connect() as conn:
        return conn.execute(statement, params).fetchall()  # expect: SQL104


def run_logged(label, statement):
    print(label)
    return run_query(statement)  # expect: SQL104


def count(table):
    return run_query("SELECT COUNT(*) FROM " + table)  # expect: SQL101
