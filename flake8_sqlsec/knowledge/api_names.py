"""How the names of database APIs are read: the canonical spelling of a qualified name
(``sqlalchemy.sql.expression.text`` is ``sqlalchemy.text``), and, for a receiver nothing
resolved, what its name says it is (``cursor``, ``self.read_conn``, ``db.session``) and
which method names execute SQL text on such a receiver. Data only."""

from __future__ import annotations

from typing import Dict

# Canonical spellings: the first matching prefix is rewritten (world.names.canonical).
CANONICAL_PREFIXES = (
    ("sqlalchemy.sql.expression.", "sqlalchemy."),
    ("sqlalchemy.sql.elements.", "sqlalchemy."),
    ("sqlalchemy.sql.selectable.", "sqlalchemy."),
    ("sqlalchemy.sql.functions.", "sqlalchemy."),
    ("sqlalchemy.sql.", "sqlalchemy."),
    ("sqlalchemy.future.", "sqlalchemy."),
    ("sqlalchemy.engine.create.", "sqlalchemy."),
    ("sqlalchemy.engine.create_engine", "sqlalchemy.create_engine"),
    ("sqlalchemy.engine.base.", "sqlalchemy.engine."),
    ("sqlalchemy.orm.session.sessionmaker", "sqlalchemy.orm.sessionmaker"),
    ("sqlalchemy.orm.scoping.", "sqlalchemy.orm."),
    ("sqlalchemy.orm.query.", "sqlalchemy.orm."),
    ("sqlmodel.sql.expression.", "sqlalchemy."),
    ("sqlmodel.Session", "sqlalchemy.orm.Session"),
    ("sqlmodel.", "sqlalchemy."),
    ("flask_sqlalchemy.extension.", "flask_sqlalchemy."),
    ("django.db.models.expressions.", "django.db.models."),
    ("django.db.models.functions.datetime.", "django.db.models.functions."),
    ("django.db.models.query.", "django.db.models."),
    ("psycopg2.extras.", "psycopg2.extras."),
    ("pandas.io.sql.read_sql", "pandas.read_sql"),
    ("mysql.connector.connection.", "mysql.connector."),
    ("mysql.connector.connection_cext.CMySQLConnection", "mysql.connector.MySQLConnection"),
    ("pyspark.sql.session.", "pyspark.sql."),
    ("pyspark.sql.context.", "pyspark.sql."),
    ("clickhouse_connect.driver.", "clickhouse_connect."),
)


SQLALCHEMY_SUBMODULES = frozenset(("sql", "expression", "elements", "selectable", "functions", "future"))


# --- Receivers we cannot resolve: judged by their name -----------------------------------

# The last word of a receiver's name (``self.read_conn``, ``db.session``, ``dbCursor``),
# read by world.names.kind_from_receiver_name.
RECEIVER_WORDS: Dict[str, str] = {
    **{w: "dbapi.cursor" for w in ("cursor", "cur", "curs", "csr", "crsr")},
    **{
        w: "db.unknown"
        for w in (
            "conn",
            "connection",
            "con",
            "cnx",
            "cnxn",
            "dbconn",
            "db",
            "database",
            "sqlite",
            "pg",
            "psql",
            "mysql",
            "tx",
            "txn",
            "transaction",
            "pool",
        )
    },
    **{w: "sqlalchemy.session" for w in ("session", "sess", "dbsession")},
    "engine": "sqlalchemy.engine",
    "spark": "spark.session",
    "objects": "django.manager",
    "op": "alembic.op",
}
# Methods that, on a receiver we know nothing about, execute SQL when given SQL text: such a
# call is a sink only when the text it gets looks like SQL.
WEAK_METHODS = frozenset(
    (
        "execute",
        "executemany",
        "executescript",
        "mogrify",
        "exec_driver_sql",
        "execute_sql",
        "raw",
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "fetch_val",
        "query",
        "sql",
        "read_sql",
        "read_sql_query",
        "execute_query",
        "execute_script",
        "run_query",
        "run_sql",
        "exec_sql",
        "raw_query",
        "executequery",
        "execute_raw",
        "callproc",
        "scalar",
        "scalars",
        "execute_fetchall",
        "execute_insert",
        "execute_async",
        "execute_iter",
        "execute_values",
        "execute_batch",
        "select",
        "copy_from_query",
        "prepare",
    )
)
