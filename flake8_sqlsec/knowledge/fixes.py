"""How to fix a finding, in the words of the API at hand: data, and the lookup that picks it.

A message ends with a fix the user can paste: the placeholder style of the driver that
executes the statement (``?`` for sqlite3, ``%s`` for psycopg, ``$1`` for asyncpg,
``:name`` with ``text()`` for SQLAlchemy...), or, when the interpolated part is a table
or column name, the identifier composition of the driver or an allow-list mapping.

The API is known from the object kind of the receiver (``asyncpg.connection``) or the
function's qualified name; a DB-API cursor does not say which driver made it, so the
driver modules the file imports decide, when they agree on one style.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, Optional, Tuple

from .statements import holes_are_names


@dataclass(frozen=True)
class Fix:
    values: str  # how to pass values
    identifiers: str  # how to put a table or column name in

    def pick(self, text: str) -> str:
        """The identifier fix when only names are unknown in ``text``, else the values fix."""
        return self.identifiers if holes_are_names(text) else self.values


ALLOW_LIST = 'take the name from an allow-list mapping (TABLES[name], which raises KeyError for any other)'

QMARK = Fix(
    "use ? placeholders and pass the values: execute(\"... WHERE name = ?\", (name,))",
    ALLOW_LIST,
)
FORMAT = Fix(
    "use %s placeholders and pass the values: execute(\"... WHERE name = %s\", (name,))",
    ALLOW_LIST,
)
PSYCOPG = Fix(
    FORMAT.values,
    "compose the name with sql.SQL(\"... FROM {}\").format(sql.Identifier(name)), or " + ALLOW_LIST,
)
PYFORMAT = Fix(
    "use %(name)s placeholders and pass a dict: execute(\"... WHERE name = %(name)s\", {\"name\": name})",
    ALLOW_LIST,
)
NAMED = Fix(
    "use :name placeholders and pass a dict: execute(\"... WHERE name = :name\", {\"name\": name})",
    ALLOW_LIST,
)
NUMERIC_DOLLAR = Fix(
    "use $1, $2 placeholders and pass the values: fetch(\"... WHERE name = $1\", name)",
    ALLOW_LIST,
)
SQLALCHEMY = Fix(
    "use text(\"... WHERE name = :name\") and pass the values: execute(stmt, {\"name\": name}) or "
    ".bindparams(name=name)",
    "use the Table's columns (users.c[name] after checking name) or " + ALLOW_LIST,
)
DJANGO_CURSOR = Fix(
    "use %s placeholders and pass the values: cursor.execute(\"... WHERE name = %s\", [name])",
    "quote the name with connection.ops.quote_name() only after checking it, or " + ALLOW_LIST,
)
DJANGO_RAW = Fix(
    "use %s placeholders with params=[...]: raw(\"... WHERE name = %s\", params=[name])",
    DJANGO_CURSOR.identifiers,
)
DJANGO_EXTRA = Fix(
    "use %s placeholders with params=[...]: extra(where=[\"name = %s\"], params=[name]), "
    "RawSQL(\"... = %s\", (name,)), or ORM expressions",
    DJANGO_CURSOR.identifiers,
)
DJANGO_TEMPLATE = Fix(
    "pass the parts as the expression's arguments (Func(F(name), ...)) instead of formatting the template",
    "pass the column as an argument (F(name) after checking name) instead of formatting the template",
)
PEEWEE = Fix(
    "pass the values as params with the database's placeholder (? for SQLite, %s for PostgreSQL and "
    "MySQL): SQL(\"name = ?\", [name]), execute_sql(sql, [name])",
    "use the model's fields (getattr(Model, name) after checking name) or " + ALLOW_LIST,
)
SPARK = Fix(
    "use :name markers and pass args: spark.sql(\"... WHERE name = :name\", args={\"name\": name})",
    ALLOW_LIST,
)
CLICKHOUSE = Fix(
    "use %(name)s placeholders and pass parameters: execute(\"... WHERE name = %(name)s\", {\"name\": name})",
    ALLOW_LIST,
)
ALEMBIC = Fix(
    "use sa.text(\"... WHERE name = :name\").bindparams(name=name) in op.execute()",
    ALLOW_LIST,
)
GENERIC = Fix(
    "pass values as bind parameters with the driver's placeholders (? or %s) instead of formatting them in",
    ALLOW_LIST,
)
PSYCOPG_COMPOSABLE = Fix(
    "compose the values with sql.Literal() or sql.Placeholder() and pass them to execute(), not into sql.SQL()",
    "compose the name with sql.SQL(\"... FROM {}\").format(sql.Identifier(name))",
)
SQLALCHEMY_FRAGMENT = Fix(
    "use column expressions (where(users.c.name == name)) or text(\"name = :name\").bindparams(name=name)",
    "map the name to a column through an allow-list: order_by(SORTABLE[name])",
)
# Where only a name can go (ORDER BY, literal_column(), column(), table()).
SQLALCHEMY_NAMES = Fix(SQLALCHEMY_FRAGMENT.identifiers, SQLALCHEMY_FRAGMENT.identifiers)

# A DB-API driver's module (or a parent package of it) → its paramstyle.
DRIVER_MODULES: Dict[str, Fix] = {
    "sqlite3": QMARK,
    "aiosqlite": QMARK,
    "pyodbc": QMARK,
    "duckdb": QMARK,
    "trino": QMARK,
    "jaydebeapi": QMARK,
    "teradatasql": QMARK,
    "ibm_db_dbi": QMARK,
    "psycopg2": PSYCOPG,
    "psycopg": PSYCOPG,
    "aiopg": PSYCOPG,
    "pymysql": FORMAT,
    "MySQLdb": FORMAT,
    "mysql.connector": FORMAT,
    "aiomysql": FORMAT,
    "pymssql": FORMAT,
    "pg8000": FORMAT,
    "snowflake.connector": FORMAT,
    "cx_Oracle": NAMED,
    "oracledb": NAMED,
    "django.db": DJANGO_CURSOR,
}

# Object kinds of the sink catalogue → the fix; "dbapi." kinds ask the file's drivers.
KIND_FIXES: Dict[str, Fix] = {
    "asyncpg.connection": NUMERIC_DOLLAR,
    "asyncpg.pool": NUMERIC_DOLLAR,
    "pg8000.native": NAMED,
    "pg8000.legacy": NAMED,
    "aiosqlite.connection": QMARK,
    "duckdb.connection": QMARK,
    "sqlalchemy.engine": SQLALCHEMY,
    "sqlalchemy.connection": SQLALCHEMY,
    "sqlalchemy.session": SQLALCHEMY,
    "sqlalchemy.query": SQLALCHEMY,
    "sqlalchemy.textclause": SQLALCHEMY,
    "flask_sqlalchemy.db": SQLALCHEMY,
    "records.db": NAMED,
    "databases.db": NAMED,
    "django.manager": DJANGO_RAW,
    "django.connection": DJANGO_CURSOR,
    "peewee.database": PEEWEE,
    "alembic.op": ALEMBIC,
    "spark.session": SPARK,
    "cassandra.session": FORMAT,
    "clickhouse.client": CLICKHOUSE,
}

# Qualified names of function sinks, by prefix → the fix.
FUNCTION_FIXES: Tuple[Tuple[str, Fix], ...] = (
    ("sqlalchemy.", SQLALCHEMY),
    ("alembic.", ALEMBIC),
    ("psycopg2.sql.", PSYCOPG_COMPOSABLE),
    ("psycopg.sql.", PSYCOPG_COMPOSABLE),
    ("psycopg2.", PSYCOPG),
    ("psycopg.", PSYCOPG),
    ("duckdb.", QMARK),
    ("cassandra.", FORMAT),
    ("django.db.models.RawSQL", DJANGO_EXTRA),
    ("peewee.", PEEWEE),
)


def driver_fix(imported: Iterable[str]) -> Optional[Fix]:
    """The one driver style the file's imports agree on, or None."""
    styles = set()
    for module in imported:
        parts = module.split(".")
        for end in range(len(parts), 0, -1):
            fix = DRIVER_MODULES.get(".".join(parts[:end]))
            if fix is not None:
                styles.add(fix)
                break
    if len(styles) == 1:
        return styles.pop()
    if styles == {PSYCOPG, FORMAT}:
        return FORMAT
    return None


def fix_for(kind: Optional[str], qualname: Optional[str], imported: Iterable[str]) -> Fix:
    """The fix for text executed through an object of ``kind`` or the function ``qualname``."""
    if kind is not None:
        fix = KIND_FIXES.get(kind)
        if fix is not None:
            return fix
        if kind.startswith("dbapi.") or kind == "db.unknown":
            return driver_fix(imported) or GENERIC
    if qualname is not None:
        for prefix, fix in FUNCTION_FIXES:
            if qualname.startswith(prefix):
                return fix
        if qualname.startswith(("pandas.", "geopandas.", "polars.")):
            driver = driver_fix(imported)
            if "sqlalchemy" in {m.split(".", 1)[0] for m in imported} and driver is None:
                return SQLALCHEMY
            return driver or GENERIC
    return driver_fix(imported) or GENERIC
