"""The sink catalogue, as data: which calls execute SQL text, and which objects they hang off.

Objects are tracked by *kind* ("dbapi.cursor", "sqlalchemy.session"...). A kind comes from
a factory (``sqlite3.connect(...)``), from a method of another kind (``conn.cursor()``),
from a type annotation (``cur: sqlite3.Cursor``), or, when nothing else can be resolved,
from the receiver's name (``cursor``, ``self.conn``, ``db.session``).

Qualified names are canonical: ``world.names.canonical()`` folds the many public spellings of one API
(``sqlalchemy.sql.expression.text`` → ``sqlalchemy.text``) before lookup.
"""

from __future__ import annotations


from dataclasses import dataclass
from typing import Dict, Optional, Tuple, Union

from . import airflow

SQL_KEYWORDS = ("sql", "query", "statement", "operation", "stmt", "sql_query", "querystring", "sqltext", "raw_sql")


@dataclass(frozen=True)
class Sink:
    """A call whose argument ``position`` (or one of ``keywords``) is SQL text.

    role: "execute" — an execution API (SQL101/103/104);
          "text" — wraps SQL text for later execution (SQLAlchemy text(): SQL101, or SQL201
                   when written straight into a query clause);
          "fragment" — query-construction text (literal_column, column, table, peewee SQL: SQL201/203);
          "django_raw" — Django RawSQL (SQL202).
    """

    position: int = 0
    keywords: Tuple[str, ...] = SQL_KEYWORDS
    role: str = "execute"
    returns: Optional[str] = None  # the object kind of the call's result


EXECUTE = Sink()
EXECUTE_INDEX1 = Sink(position=1)  # psycopg2.extras.execute_values(cur, sql, rows)
TEXT = Sink(keywords=("text",), role="text", returns="sqlalchemy.textclause")
FRAGMENT = Sink(keywords=("text", "name", "sql"), role="fragment", returns="sqlalchemy.clause")
DJANGO_RAW = Sink(keywords=("sql",), role="django_raw", returns="django.expression")
COMPOSABLE = Sink(role="composable", returns="psycopg.composable")


def _same(kind: str, *methods: str) -> Dict[str, str]:
    return {m: kind for m in methods}


def _sinks(*methods: str, sink: Sink = EXECUTE) -> Dict[str, Sink]:
    return {m: sink for m in methods}


_DBAPI_CURSOR_SINKS = (
    "execute",
    "executemany",
    "executescript",
    "mogrify",
    "callproc",
    "execute_values",
    "copy_expert",
)
_ASYNCPG_SINKS = ("execute", "executemany", "fetch", "fetchrow", "fetchval", "prepare", "cursor", "copy_from_query")

# Callables (and module attributes) whose result is an object of a kind.
FACTORIES: Dict[str, str] = {
    **{
        name: "dbapi.connection"
        for name in (
            "sqlite3.connect",
            "sqlite3.Connection",
            "psycopg2.connect",
            "psycopg.connect",
            "psycopg.Connection.connect",
            "psycopg.Connection",
            "psycopg.AsyncConnection.connect",
            "pymysql.connect",
            "pymysql.Connect",
            "pymysql.connections.Connection",
            "pymysql.Connection",
            "MySQLdb.connect",
            "MySQLdb.Connect",
            "MySQLdb.Connection",
            "mysql.connector.connect",
            "mysql.connector.MySQLConnection",
            "pymssql.connect",
            "pyodbc.connect",
            "cx_Oracle.connect",
            "cx_Oracle.Connection",
            "oracledb.connect",
            "oracledb.Connection",
            "oracledb.connect_async",
            "aiopg.connect",
            "aiomysql.connect",
            "pg8000.dbapi.connect",
            "ibm_db_dbi.connect",
            "snowflake.connector.connect",
            "trino.dbapi.connect",
            "psycopg2.extensions.connection",
            "jaydebeapi.connect",
            "teradatasql.connect",
            "sqlalchemy.engine.Engine.raw_connection",
        )
    },
    **{
        name: "dbapi.pool"
        for name in (
            "psycopg2.pool.SimpleConnectionPool",
            "psycopg2.pool.ThreadedConnectionPool",
            "psycopg_pool.ConnectionPool",
            "psycopg_pool.AsyncConnectionPool",
            "mysql.connector.pooling.MySQLConnectionPool",
            "aiopg.create_pool",
            "aiomysql.create_pool",
        )
    },
    "duckdb.connect": "duckdb.connection",
    "duckdb.DuckDBPyConnection": "duckdb.connection",
    # pg8000's native interface: run(sql, **params) instead of a cursor's execute();
    # its legacy connection (pg8000.connect) has run() beside the DB-API cursor
    "pg8000.native.Connection": "pg8000.native",
    "pg8000.connect": "pg8000.legacy",
    "pg8000.legacy.Connection": "pg8000.legacy",
    "asyncpg.connect": "asyncpg.connection",
    "asyncpg.create_pool": "asyncpg.pool",
    "asyncpg.Connection": "asyncpg.connection",
    "asyncpg.Pool": "asyncpg.pool",
    "asyncpg.pool.Pool": "asyncpg.pool",
    "asyncpg.connection.Connection": "asyncpg.connection",
    "aiosqlite.connect": "aiosqlite.connection",
    "aiosqlite.Connection": "aiosqlite.connection",
    "sqlalchemy.create_engine": "sqlalchemy.engine",
    "sqlalchemy.MetaData": "sqlalchemy.metadata",
    "sqlalchemy.schema.MetaData": "sqlalchemy.metadata",
    "sqlalchemy.engine_from_config": "sqlalchemy.engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy.engine",
    "sqlalchemy.engine.Engine": "sqlalchemy.engine",
    "sqlalchemy.ext.asyncio.AsyncEngine": "sqlalchemy.engine",
    "sqlalchemy.engine.Connection": "sqlalchemy.connection",
    "sqlalchemy.ext.asyncio.AsyncConnection": "sqlalchemy.connection",
    "sqlalchemy.orm.Session": "sqlalchemy.session",
    "sqlalchemy.orm.session.Session": "sqlalchemy.session",
    "sqlalchemy.ext.asyncio.AsyncSession": "sqlalchemy.session",
    "sqlalchemy.orm.scoped_session": "sqlalchemy.session",
    "sqlalchemy.ext.asyncio.async_scoped_session": "sqlalchemy.session",
    "sqlalchemy.orm.sessionmaker": "sqlalchemy.sessionmaker",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "sqlalchemy.sessionmaker",
    "sqlalchemy.orm.Query": "sqlalchemy.query",
    "flask_sqlalchemy.SQLAlchemy": "flask_sqlalchemy.db",
    "peewee.SqliteDatabase": "peewee.database",
    "peewee.PostgresqlDatabase": "peewee.database",
    "peewee.MySQLDatabase": "peewee.database",
    "peewee.Database": "peewee.database",
    "peewee.DatabaseProxy": "peewee.database",
    "playhouse.pool.PooledPostgresqlDatabase": "peewee.database",
    "playhouse.pool.PooledMySQLDatabase": "peewee.database",
    "playhouse.pool.PooledSqliteDatabase": "peewee.database",
    "playhouse.postgres_ext.PostgresqlExtDatabase": "peewee.database",
    "playhouse.sqlite_ext.SqliteExtDatabase": "peewee.database",
    "playhouse.db_url.connect": "peewee.database",
    "tortoise.Tortoise.get_connection": "tortoise.connection",
    "tortoise.connections.get": "tortoise.connection",
    "tortoise.transactions.in_transaction": "tortoise.connection",
    "records.Database": "records.db",
    "dataset.connect": "records.db",
    "dataset.Database": "records.db",
    "databases.Database": "databases.db",
    "cassandra.cluster.Cluster": "cassandra.cluster",
    "pyspark.sql.SparkSession": "spark.class",
    "pyspark.sql.SQLContext": "spark.session",
    "pyspark.sql.HiveContext": "spark.session",
    "clickhouse_driver.Client": "clickhouse.client",
    "clickhouse_driver.client.Client": "clickhouse.client",
    "clickhouse_connect.get_client": "clickhouse.client",
    "clickhouse_connect.get_async_client": "clickhouse.client",
    "psycopg2.sql.Identifier": "psycopg.composable",
    "psycopg2.sql.Literal": "psycopg.composable",
    "psycopg2.sql.Placeholder": "psycopg.composable",
    "psycopg2.sql.Composed": "psycopg.composable",
    "psycopg.sql.Identifier": "psycopg.composable",
    "psycopg.sql.Literal": "psycopg.composable",
    "psycopg.sql.Placeholder": "psycopg.composable",
    "psycopg.sql.Composed": "psycopg.composable",
    **{
        f"sqlalchemy.{name}": "sqlalchemy.clause"
        for name in (
            "select",
            "insert",
            "update",
            "delete",
            "union",
            "union_all",
            "and_",
            "or_",
            "not_",
            "func",
            "bindparam",
            "exists",
            "case",
            "cast",
            "null",
            "true",
            "false",
            "tuple_",
            "values",
            "lateral",
            "outerjoin",
            "join",
            "alias",
            "literal",
            "desc",
            "asc",
            "Table",
            "schema.Table",
            "dialects.postgresql.insert",
            "dialects.mysql.insert",
            "dialects.sqlite.insert",
        )
    },
}

# Module attributes that are objects of a kind themselves (not factories to call).
MODULE_OBJECTS: Dict[str, str] = {
    "django.db.connection": "django.connection",
    "django.db.connections": "django.connections",
    "alembic.op": "alembic.op",
}

# Subscripting an object of a kind (``connections["default"]``).
SUBSCRIPTS: Dict[str, str] = {"django.connections": "django.connection"}

# Calling an object of a kind (``Session()`` where ``Session = sessionmaker(...)``).
CALL_RESULTS: Dict[str, str] = {
    "sqlalchemy.sessionmaker": "sqlalchemy.session",
    "spark.class": "spark.class",
}

# A Django model's ``_meta`` and the fields it gives (the names they declare are
# knowledge.functions.MODEL_NAME_ATTRIBUTES and FIELD_NAME_ATTRIBUTES).
MODEL_META = "django.model_meta"
MODEL_FIELD = "django.model_field"
# The constraints and indexes a model declares (``_meta.constraints``): their
# ``constraint_sql()``, ``create_sql()`` and ``remove_sql()`` are DDL Django writes.
MODEL_CONSTRAINT = "django.model_constraint"
MODEL_CONSTRAINT_LISTS = frozenset(("constraints", "indexes", "total_unique_constraints"))
# A Django connection's ``features`` (the backend's constants: ``bare_select_suffix``) and
# ``ops`` (whose ``*_sql()`` methods write the backend's SQL fragments, as a compiler does).
BACKEND_FEATURES = "django.backend_features"
BACKEND_OPERATIONS = "django.backend_operations"
BACKEND_SQL_METHOD_SUFFIX = "_sql"
# ... in fact every method of ``ops`` writes the backend's text (``explain_query_prefix()``,
# ``force_group_by()``), but these, which hand back the values a query was given.
BACKEND_VALUE_METHODS = frozenset(("last_executed_query", "prep_for_like_query", "compose_sql"))
BACKEND_VALUE_PREFIX = "adapt_"
_BACKEND_PARTS = {"features": BACKEND_FEATURES, "ops": BACKEND_OPERATIONS}

# A SQLAlchemy ``MetaData``: the names of its ``tables`` are declared by the project or
# reflected from the database's catalog.
METADATA = "sqlalchemy.metadata"
METADATA_TABLE_ATTRIBUTES = frozenset(("tables", "sorted_tables"))
METADATA_NAMES = frozenset(("metadata", "meta", "MetaData"))

# Attributes of an object of a kind that are objects of another kind.
ATTRIBUTES: Dict[str, Dict[str, str]] = {
    MODEL_META: {"pk": MODEL_FIELD, "auto_field": MODEL_FIELD},
    "flask_sqlalchemy.db": {"session": "sqlalchemy.session", "engine": "sqlalchemy.engine"},
    "spark.class": {"builder": "spark.builder"},
    "dbapi.cursor": {"connection": "dbapi.connection"},
    "django.connection": dict(_BACKEND_PARTS),
    "db.unknown": dict(_BACKEND_PARTS),
    "django.manager": {},
}

# Methods of objects of a kind: either a sink, or the kind of the object returned.
METHODS: Dict[str, Dict[str, Union[Sink, str]]] = {
    MODEL_META: {"get_field": MODEL_FIELD},
    "dbapi.connection": {
        **_sinks("execute", "executemany", "executescript"),
        **_same("dbapi.cursor", "cursor"),
        **_same("dbapi.connection", "__enter__"),
    },
    "dbapi.cursor": {**_sinks(*_DBAPI_CURSOR_SINKS), **_same("dbapi.cursor", "__enter__")},
    # A connection-like receiver known only by its name (conn, db, pool, get_db()): the verbs
    # every driver family uses for SQL text.
    "db.unknown": {
        **_sinks(
            "execute",
            "executemany",
            "executescript",
            "fetch",
            "fetchrow",
            "fetchval",
            "exec_driver_sql",
            "execute_sql",
            "mogrify",
            "fetch_all",
            "fetch_one",
            "fetch_val",
        ),
        **_same("dbapi.cursor", "cursor"),
        **_same("db.unknown", "acquire", "getconn", "get_connection", "__enter__", "connect", "begin"),
    },
    "dbapi.pool": {**_same("dbapi.connection", "getconn", "get_connection", "acquire", "connection")},
    "duckdb.connection": {
        **_sinks("execute", "executemany", "sql", "query"),
        **_same("duckdb.connection", "cursor", "__enter__"),
    },
    "pg8000.native": {**_sinks("run", "prepare"), **_same("pg8000.native", "__enter__")},
    "pg8000.legacy": {
        **_sinks("run", "prepare"),
        **_same("dbapi.cursor", "cursor"),
        **_same("pg8000.legacy", "__enter__"),
    },
    "asyncpg.connection": {**_sinks(*_ASYNCPG_SINKS), **_same("asyncpg.connection", "transaction")},
    "asyncpg.pool": {**_sinks(*_ASYNCPG_SINKS), **_same("asyncpg.connection", "acquire")},
    "aiosqlite.connection": {
        **_sinks("execute", "executemany", "executescript", "execute_fetchall", "execute_insert"),
        **_same("dbapi.cursor", "cursor"),
    },
    "sqlalchemy.engine": {
        **_sinks("execute", "scalar", "exec_driver_sql"),
        **_same("sqlalchemy.connection", "connect", "begin"),
        **_same("dbapi.connection", "raw_connection"),
    },
    "sqlalchemy.connection": {
        **_sinks("execute", "exec_driver_sql", "scalar", "scalars", "stream", "stream_scalars"),
        **_same("sqlalchemy.connection", "begin", "execution_options", "__enter__"),
    },
    "sqlalchemy.session": {
        **_sinks("execute", "scalar", "scalars", "exec", "stream", "stream_scalars"),
        **_same("sqlalchemy.query", "query"),
        **_same("sqlalchemy.connection", "connection"),
        **_same("sqlalchemy.engine", "get_bind"),
        **_same("sqlalchemy.session", "begin", "begin_nested", "__enter__"),
    },
    "sqlalchemy.query": {
        "from_statement": Sink(keywords=("statement",), role="fragment", returns="sqlalchemy.query"),
    },
    "flask_sqlalchemy.db": {"text": TEXT},
    "django.connection": {**_same("dbapi.cursor", "cursor", "chunked_cursor")},
    "django.connections": {},
    "django.manager": {
        "raw": Sink(keywords=("raw_query",), role="execute"),
        **_same(
            "django.manager",
            "filter",
            "exclude",
            "all",
            "order_by",
            "using",
            "annotate",
            "select_related",
            "prefetch_related",
            "distinct",
            "only",
            "defer",
            "none",
            "get_queryset",
            "alias",
            "reverse",
        ),
    },
    "peewee.database": {
        **_sinks("execute_sql"),
        **_same("dbapi.cursor", "cursor"),
        **_same("peewee.database", "atomic", "connection_context", "transaction"),
    },
    "alembic.op": {
        **_sinks("execute", sink=Sink(keywords=("sqltext",))),
        **_same("sqlalchemy.connection", "get_bind"),
    },
    "tortoise.connection": {
        **_sinks("execute_query", "execute_script", "execute_query_dict", "execute_insert", "execute_many"),
    },
    "records.db": {**_sinks("query", "query_file"), **_same("records.db", "get_connection")},
    "databases.db": {
        **_sinks("execute", "execute_many", "fetch_all", "fetch_one", "fetch_val", "iterate"),
        **_same("databases.db", "connection", "transaction"),
    },
    "cassandra.cluster": {**_same("cassandra.session", "connect")},
    "cassandra.session": {**_sinks("execute", "execute_async", "prepare")},
    "spark.builder": {
        **_same("spark.builder", "appName", "master", "config", "enableHiveSupport"),
        **_same("spark.session", "getOrCreate"),
    },
    "spark.session": {**_sinks("sql")},
    "clickhouse.client": {
        **_sinks(
            "execute",
            "execute_iter",
            "execute_with_progress",
            "query_dataframe",
            "query",
            "command",
            "query_df",
            "query_arrow",
            "query_np",
            "raw_query",
        ),
    },
    "psycopg.composable": {**_same("psycopg.composable", "format", "join")},
    "sqlalchemy.textclause": {
        **_same("sqlalchemy.textclause", "bindparams", "columns", "params", "execution_options", "alias", "subquery")
    },
}

# --- Loggers (the logging checks, and the log calls SQL102 leaves alone) -----------------
FACTORIES.update(
    {
        **{
            name: "logger"
            for name in (
                "logging.getLogger",
                "logging.Logger",
                "logging.LoggerAdapter",
                "oslo_log.log.getLogger",
                "oslo_log.log.KeywordArgumentAdapter",
                "structlog.get_logger",
                "structlog.getLogger",
                "structlog.stdlib.get_logger",
                "structlog.wrap_logger",
                "structlog.stdlib.BoundLogger",
                "loguru.logger.bind",
                "loguru.logger.opt",
                "loguru.logger.patch",
                "celery.utils.log.get_task_logger",
                "celery.utils.log.get_logger",
            )
        },
        "flask.Flask": "flask.app",
        "quart.Quart": "flask.app",
    }
)
MODULE_OBJECTS.update(
    {
        "loguru.logger": "logger",
        "logging.root": "logger",
        "flask.current_app.logger": "logger",
        "quart.current_app.logger": "logger",
    }
)
ATTRIBUTES["flask.app"] = {"logger": "logger"}
METHODS["logger"] = {**_same("logger", "bind", "new", "opt", "patch", "getChild", "unbind", "try_unbind")}

# Plain functions that take SQL text.
FUNCTION_SINKS: Dict[str, Sink] = {
    "pandas.read_sql": EXECUTE,
    "pandas.read_sql_query": EXECUTE,
    "pandas.io.sql.read_sql": EXECUTE,
    "pandas.io.sql.read_sql_query": EXECUTE,
    "pandas.io.sql.execute": EXECUTE,
    "geopandas.read_postgis": EXECUTE,
    "polars.read_database": EXECUTE,
    "alembic.op.execute": Sink(keywords=("sqltext",)),
    "duckdb.sql": EXECUTE,
    "duckdb.query": EXECUTE,
    "duckdb.execute": EXECUTE,
    "psycopg2.extras.execute_values": EXECUTE_INDEX1,
    "psycopg2.extras.execute_batch": EXECUTE_INDEX1,
    "psycopg2.sql.SQL": COMPOSABLE,
    "psycopg.sql.SQL": COMPOSABLE,
    "cassandra.query.SimpleStatement": Sink(keywords=("query_string",)),
    "sqlalchemy.text": TEXT,
    "sqlalchemy.TextClause": TEXT,
    "sqlalchemy.literal_column": FRAGMENT,
    "sqlalchemy.column": FRAGMENT,
    "sqlalchemy.table": FRAGMENT,
    "sqlalchemy.orm.Query.from_statement": Sink(keywords=("statement",), role="fragment"),
    "peewee.SQL": Sink(keywords=("sql",), role="fragment", returns="peewee.sql"),
    "django.db.models.RawSQL": DJANGO_RAW,
}

# Type annotations that name a kind (``def f(cur: sqlite3.Cursor)``).
# A value that shows only stars when printed (pydantic's ``SecretStr``).
SECRET_WRAPPER = "pydantic.secret"

ANNOTATIONS: Dict[str, str] = {
    # pydantic's secret types print as stars; get_secret_value() gives the secret
    "pydantic.SecretStr": SECRET_WRAPPER,
    "pydantic.SecretBytes": SECRET_WRAPPER,
    "pydantic.types.SecretStr": SECRET_WRAPPER,
    "pydantic.types.SecretBytes": SECRET_WRAPPER,
    "pydantic.v1.SecretStr": SECRET_WRAPPER,
    "sqlite3.Cursor": "dbapi.cursor",
    "sqlite3.Connection": "dbapi.connection",
    "psycopg2.extensions.cursor": "dbapi.cursor",
    "psycopg2.extensions.connection": "dbapi.connection",
    "psycopg.Cursor": "dbapi.cursor",
    "psycopg.AsyncCursor": "dbapi.cursor",
    "psycopg.Connection": "dbapi.connection",
    "psycopg.AsyncConnection": "dbapi.connection",
    "pymysql.cursors.Cursor": "dbapi.cursor",
    "pymysql.cursors.DictCursor": "dbapi.cursor",
    "pymysql.connections.Connection": "dbapi.connection",
    "MySQLdb.cursors.Cursor": "dbapi.cursor",
    "asyncpg.Connection": "asyncpg.connection",
    "asyncpg.connection.Connection": "asyncpg.connection",
    "asyncpg.Pool": "asyncpg.pool",
    "asyncpg.pool.Pool": "asyncpg.pool",
    "aiosqlite.Connection": "aiosqlite.connection",
    "aiosqlite.Cursor": "dbapi.cursor",
    "duckdb.DuckDBPyConnection": "duckdb.connection",
    "sqlalchemy.engine.Engine": "sqlalchemy.engine",
    "sqlalchemy.Engine": "sqlalchemy.engine",
    "sqlalchemy.engine.Connection": "sqlalchemy.connection",
    "sqlalchemy.Connection": "sqlalchemy.connection",
    "sqlalchemy.ext.asyncio.AsyncEngine": "sqlalchemy.engine",
    "sqlalchemy.ext.asyncio.AsyncConnection": "sqlalchemy.connection",
    "sqlalchemy.orm.Session": "sqlalchemy.session",
    "sqlalchemy.orm.session.Session": "sqlalchemy.session",
    "sqlalchemy.ext.asyncio.AsyncSession": "sqlalchemy.session",
    "sqlalchemy.orm.scoped_session": "sqlalchemy.session",
    "peewee.Database": "peewee.database",
    "pyspark.sql.SparkSession": "spark.session",
    "cassandra.cluster.Session": "cassandra.session",
    "clickhouse_driver.Client": "clickhouse.client",
    "databases.Database": "databases.db",
}

# Module-level objects that hold what a user sent (their attributes and items are input).
USER_INPUT = frozenset(
    (
        "flask.request",
        "quart.request",
        "bottle.request",
        "sys.argv",
        "input",
        "falcon.Request",
        "tornado.web.RequestHandler.get_argument",
    )
)

# Query builders whose methods return another query builder (``select(User).where(...)``).
FLUENT_KINDS = frozenset(
    (
        "sqlalchemy.clause",
        "sqlalchemy.query",
        "sqlalchemy.textclause",
        "psycopg.composable",
        "django.manager",
        "peewee.sql",
    )
)

# Kinds that are query-construction objects (SQL2 context) rather than strings.
NON_STRING_KINDS = frozenset(
    (
        "sqlalchemy.clause",
        "sqlalchemy.textclause",
        "sqlalchemy.query",
        "psycopg.composable",
        "django.expression",
        "peewee.sql",
        "number",
    )
)


# Model base classes whose ``raw()`` executes SQL text (as do subclasses of any ``*.Model``).
RAW_MODEL_BASES = frozenset(("peewee.Model", "tortoise.models.Model", "tortoise.Model", "django.db.models.Model"))

# Kinds that compose SQL text themselves (psycopg's sql.Composable): ``+`` and their
# methods give another composable, and what they hold is checked where they execute.
COMPOSING_KINDS = frozenset(("psycopg.composable",))

# --- Apache Airflow (``knowledge.airflow``) ------------------------------------------------
AIRFLOW_SQL_HOOK = "airflow.sql_hook"
METHODS[AIRFLOW_SQL_HOOK] = {
    **_sinks(*airflow.SQL_HOOK_METHODS),
    **_same("dbapi.connection", "get_conn"),
    **_same("dbapi.cursor", "get_cursor"),
    **_same("sqlalchemy.engine", "get_sqlalchemy_engine"),
}
# Operators take their arguments by keyword: no position is the SQL text.
FUNCTION_SINKS.update({operator: Sink(position=1_000, keywords=("sql",)) for operator in airflow.SQL_OPERATORS})


# Reading the answer to the statement a cursor (or a result) ran last: what one row, all
# rows and one value of it are. After a statement that only asks the server about itself
# (``SELECT pg_backend_pid()``) the answer is the server's own, not data a client stored.
FETCH_ROW_METHODS = frozenset(("fetchone", "first", "one", "one_or_none", "fetchrow"))
FETCH_ROWS_METHODS = frozenset(("fetchall", "fetchmany", "all", "fetch"))
FETCH_VALUE_METHODS = frozenset(("scalar", "scalar_one", "scalar_one_or_none", "fetchval"))
# Methods that run a statement on their receiver, whose answer the fetch methods read.
RUNNING_METHODS = frozenset(("execute", "exec_driver_sql"))

# Objects that work only inside a schema migration, which the deployer runs from the
# migration scripts: a function that uses one is handed the scripts' own arguments.
MIGRATION_ONLY = frozenset(("alembic.op",))
