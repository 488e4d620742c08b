"""The products repository: a subclass of the base repository of another module, and the
statement builders of a third."""

from . import queries
from .queries import by_ids, ordered_by, placeholders
from .repository import Repository


class ProductRepository(Repository):
    table = "products"

    def by_name(self, name):
        return self._fetch(f"SELECT * FROM products WHERE name = '{name}'")  # expect: SQL101

    def by_name_bound(self, name):
        return self._fetch("SELECT * FROM products WHERE name = ?", (name,))  # expect: SQL103

    def first_named(self, name):
        return self._fetch_one("SELECT * FROM products WHERE name = '%s'" % name)  # expect: SQL101

    def sorted(self, column):
        return self.conn.execute(ordered_by(column)).fetchall()  # expect: SQL101

    def sorted_by_name(self):
        return self.conn.execute(ordered_by("name")).fetchall()  # expect: SQL103

    def many(self, ids):
        return self.conn.execute(by_ids(len(ids)), ids).fetchall()  # expect: SQL103

    def many_inline(self, ids):
        statement = f"SELECT * FROM products WHERE id IN ({placeholders(len(ids))})"
        return self._fetch(statement, ids)  # expect: SQL103

    def search(self, term):
        return self._fetch(queries.SEARCH_TEMPLATE.format(term))  # expect: SQL101

    def active(self, flag):
        return self.conn.execute(queries.status_filter(flag)).fetchall()  # expect: SQL103

    def one(self, item_id):
        return self._fetch(queries.BY_ID, (item_id,))  # expect: SQL103


class ReadOnlyProducts(ProductRepository):
    def _fetch(self, statement, params=()):
        # an override that runs nothing: the base's execute() is not what this calls
        return []

    def by_name(self, name):
        return self._fetch(f"SELECT * FROM products WHERE name = '{name}'")  # expect: SQL102
