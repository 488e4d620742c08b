"""ORM clause tables (SQL2): the methods and functions whose arguments become clauses of
a statement, where a bare string is taken as SQL text, ordering clauses, Django's lookup
methods, the escape hatches that take SQL text (``extra()``, expression templates) and
the Django functions whose keyword picks SQL text."""

from __future__ import annotations

from typing import Dict, Tuple

# Methods (SQLAlchemy, peewee, Spark) whose arguments become clauses of the statement.
CLAUSE_METHODS = frozenset(
    (
        "filter",
        "where",
        "having",
        "order_by",
        "group_by",
        "join",
        "outerjoin",
        "select_from",
        "from_statement",
        "distinct",
        "prefix_with",
        "suffix_with",
        "with_hint",
        "on",
        "correlate",
        "with_only_columns",
        "add_columns",
        "columns",
        "like",
        "ilike",
        "notlike",
        "notilike",
        "contains",
        "startswith",
        "endswith",
        "in_",
        "not_in",
        "op",
        "label",
        "returning",
        "values",
        "select",
        "union",
        "except_",
        "intersect",
        "case",
        "and_",
        "or_",
        "not_",
        "exists",
    )
)
CLAUSE_FUNCTIONS = frozenset(
    (
        "sqlalchemy.select",
        "sqlalchemy.and_",
        "sqlalchemy.or_",
        "sqlalchemy.not_",
        "sqlalchemy.exists",
        "sqlalchemy.case",
        "sqlalchemy.join",
        "sqlalchemy.outerjoin",
        "sqlalchemy.union",
        "sqlalchemy.desc",
        "sqlalchemy.asc",
        "sqlalchemy.func",
        "sqlalchemy.nullsfirst",
        "sqlalchemy.nullslast",
    )
)
# Where a bare string is taken as SQL text (SQLAlchemy 1.x coerced it; Spark parses it).
BARE_SQL_METHODS = frozenset(
    ("filter", "where", "having", "select_from", "from_statement", "prefix_with", "suffix_with", "with_hint")
)
ORDERING_METHODS = frozenset(("order_by", "group_by", "distinct"))
DJANGO_LOOKUP_METHODS = frozenset(
    (
        "filter",
        "exclude",
        "annotate",
        "aggregate",
        "alias",
        "values",
        "values_list",
        "get",
        "get_or_create",
        "update_or_create",
        "order_by",
    )
)
DJANGO_EXTRA_KEYWORDS = ("select", "where", "tables", "order_by")
# Django functions whose keyword picks SQL text: (keyword, position).
DJANGO_KIND_ARGUMENTS: Dict[str, Tuple[str, int]] = {
    "django.db.models.functions.Trunc": ("kind", 1),
    "django.db.models.functions.Extract": ("lookup_name", 1),
}

# Django queryset methods that put SQL text into the query.
DJANGO_RAW_METHODS = frozenset(("extra",))
# The keyword argument that sets an expression's SQL template (Django's Func, Aggregate...).
TEMPLATE_KEYWORD = "template"
