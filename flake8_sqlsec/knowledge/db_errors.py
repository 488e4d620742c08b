"""The database error hierarchies: which exception classes of which libraries carry the
statement and its parameters in their text (SQL303), and which attributes of them do.
"""

from __future__ import annotations

import re
import sys


# --- database exceptions ---------------------------------------------------------------
# Parameter names that hold a caught exception handed to a helper (``log_failure(exc)``):
# a function logging such a parameter is followed into its callers.
EXCEPTION_PARAMETERS = frozenset(("exc", "e", "ex", "err", "error", "exception", "exc_value", "db_error", "failure"))

# Attributes of a database exception that carry its text, statement or parameters.
EXC_TEXT = frozenset(
    (
        "args",
        "statement",
        "params",
        "orig",
        "message",
        "msg",
        "pgerror",
        "diag",
        "detail",
        "inner_exception",
        "value",
        "__cause__",
        "__context__",
        "errmsg",
        "sql",
        "query",
        "parameters",
    )
)

# Attributes that are codes and names only.
EXC_SAFE = frozenset(
    (
        "code",
        "pgcode",
        "sqlstate",
        "errno",
        "sqlite_errorcode",
        "sqlite_errorname",
        "connection_invalidated",
        "__class__",
        "__name__",
        "__qualname__",
        "__module__",
        "columns",
        "constraint_name",
        "table_name",
        "column_name",
        "schema_name",
        "severity",
        "hide_parameters",
        "ismulti",
        "cursor",
        "connection",
        "sqlstate_code",
        "error_code",
        "errcode",
    )
)

# SQLAlchemy errors whose text carries no statement or parameters.
SQLALCHEMY_NO_STATEMENT = frozenset(
    (
        "NoResultFound",
        "MultipleResultsFound",
        "ArgumentError",
        "NoSuchTableError",
        "NoSuchColumnError",
        "NoReferencedTableError",
        "NoReferencedColumnError",
        "NoReferenceError",
        "NoSuchModuleError",
        "CircularDependencyError",
        "UnboundExecutionError",
        "TimeoutError",
        "ResourceClosedError",
        "ObjectNotExecutableError",
        "NoInspectionAvailable",
        "UnsupportedCompilationError",
        "InvalidatePoolError",
        "AwaitRequired",
        "MissingGreenlet",
        "NoForeignKeysError",
        "AmbiguousForeignKeysError",
        "DuplicateColumnError",
        "CompileError",
        "IdentifierError",
    )
)

DBAPI_NAMES = frozenset(
    (
        "Error",
        "Warning",
        "InterfaceError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    )
)

DRIVER_ROOTS = frozenset(
    (
        "psycopg2",
        "psycopg",
        "pymysql",
        "MySQLdb",
        "sqlite3",
        "asyncpg",
        "pyodbc",
        "cx_Oracle",
        "oracledb",
        "pymssql",
        "aiosqlite",
        "aiomysql",
        "aiopg",
        "pg8000",
        "duckdb",
        "clickhouse_driver",
        "mysql",
        "snowflake",
        "ibm_db_dbi",
        "teradatasql",
        "jaydebeapi",
        "trino",
        "databases",
        "tortoise",
    )
)

# Libraries whose exceptions are not database errors; their modules are not read.
NOT_DB_ROOTS = frozenset(
    (
        "requests",
        "urllib3",
        "httpx",
        "aiohttp",
        "boto3",
        "botocore",
        "celery",
        "kombu",
        "flask",
        "werkzeug",
        "django",
        "pydantic",
        "jwt",
        "jose",
        "redis",
        "grpc",
        "google",
        "yaml",
        "click",
        "marshmallow",
        "rest_framework",
        "starlette",
        "fastapi",
        "jinja2",
        "oslo_config",
        "oslo_messaging",
        "keystoneauth1",
        "novaclient",
        "paramiko",
        "ldap",
        "ldap3",
        "stripe",
        "openai",
        "tenacity",
        "structlog",
        "loguru",
        "oslo_log",
        "oslo_utils",
        "sqlalchemy",
        "oslo_db",
        "peewee",
        "alembic",
        "pymongo",
        "elasticsearch",
        "msgpack",
        "simplejson",
        "ujson",
        "orjson",
        "cryptography",
        "bcrypt",
        "passlib",
        "itsdangerous",
    )
)

STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset(("builtins", "os", "json", "socket"))

DB_NAME_HINT = re.compile(r"db|database|sql|query|integrity|repository|storage|persist|orm|model", re.I)
