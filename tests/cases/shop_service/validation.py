"""Allow-list helpers of the service: each returns its argument only when it is one of
the known names (or a default), and the views put what they return into SQL."""

SORTABLE = frozenset({"name", "price", "created"})
DIRECTIONS = ("asc", "desc")


def sort_column(requested):
    if requested not in SORTABLE:
        raise ValueError(f"cannot sort by {requested!r}")
    return requested


def sort_direction(requested):
    direction = requested.lower()
    if direction not in DIRECTIONS:
        direction = "asc"
    return direction


def column_or_default(requested):
    return requested if requested in SORTABLE else "name"


def selected_columns(requested):
    if not all(column in SORTABLE for column in requested):
        raise ValueError("unknown column")
    return requested


def unchecked(requested):
    return requested.strip()
