"""The base repository of the service: every table's repository runs its SQL through it."""

import sqlite3


class Repository:
    table = "items"

    def __init__(self, path="shop.db"):
        self.conn = sqlite3.connect(path)

    def _fetch(self, statement, params=()):
        return self.conn.execute(statement, params).fetchall()  # expect: SQL104

    def _fetch_one(self, statement, params=()):
        rows = self._fetch(statement, params)  # expect: SQL104
        return rows[0] if rows else None

    def get(self, item_id):
        return self._fetch_one(f"SELECT * FROM {self.table} WHERE id = ?", (item_id,))  # expect: SQL103
