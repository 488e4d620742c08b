"""Statement builders of the service, kept apart from the code that runs them."""

SEARCH_TEMPLATE = "SELECT id, name FROM products WHERE name LIKE '%{}%'"
BY_ID = "SELECT id, name FROM products WHERE id = ?"


def placeholders(count):
    # one "?" per value: the text holds no value at all
    return ", ".join("?" * count)


def ordered_by(column):
    return f"SELECT id, name FROM products ORDER BY {column}"  # expect: SQL102


def by_ids(count):
    return f"SELECT id, name FROM products WHERE id IN ({placeholders(count)})"


def status_filter(active):
    return "SELECT id FROM products WHERE active = 1" if active else "SELECT id FROM products"
