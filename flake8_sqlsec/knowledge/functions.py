"""What library functions and methods do to a value put into SQL text.

Numbers are safe in SQL; quoting and escaping functions of the drivers make a name or
literal safe (``quote_name`` only wraps: safe for names the program chose); some calls
give the same text back; some never return, so a guard that ends in one stops.
"""

from __future__ import annotations

NUMBER_FUNCTIONS = frozenset(
    (
        "int",
        "float",
        "len",
        "bool",
        "abs",
        "round",
        "sum",
        "ord",
        "hash",
        "id",
        "complex",
        "math.floor",
        "math.ceil",
        "math.trunc",
        "time.time",
        "time.monotonic",
        "decimal.Decimal",
        "uuid.uuid4",
        "uuid.uuid1",
        "uuid.UUID",
        "datetime.datetime.now",
        "datetime.date.today",
    )
)

# Calls that never return (they raise or exit), by name.
NO_RETURN = frozenset(
    (
        "abort",
        "exit",
        "_exit",
        "quit",
        "fail",
        "error_exit",
        "raise_error",
        "die",
        "abort_with",
        "throw",
        "PermissionDenied",
        "HttpResponseBadRequest",
    )
)

# Bare names that quote an identifier or a literal for SQL (local aliases of such methods).
QUOTING_NAMES = frozenset(
    (
        "quote_name",
        "quote_ident",
        "quote_identifier",
        "escape_identifier",
        "quote_value",
        "escape_string",
        "quote_literal",
        "escape_literal",
    )
)

# Quoting that wraps an identifier in quotes without escaping the quotes inside it (Django's
# connection.ops.quote_name): fine for names the program chose, not for names a user sent.
WRAPPING_QUOTERS = frozenset(("quote_name",))

SAFE_METHODS = frozenset(("isoformat", "hex", "hexdigest", "isdigit", "isnumeric", "count", "bit_length"))

PASS_THROUGH_FUNCTIONS = frozenset(("str", "repr", "textwrap.dedent", "inspect.cleandoc", "bytes", "ascii"))

QUOTING_FUNCTIONS = frozenset(
    (
        "psycopg2.extensions.quote_ident",
        "psycopg2.extensions.adapt",
        "psycopg.sql.quote",
        "pymysql.converters.escape_string",
        "MySQLdb.escape_string",
        "pymysql.escape_string",
        "sqlalchemy.sql.quoted_name",
        "sqlalchemy.quoted_name",
    )
)

# Quoting and escaping made for another language (HTML, URLs, shells, regular
# expressions, JSON): the text stays whatever the value was for SQL, whatever the name.
OTHER_LANGUAGE_QUOTING = frozenset(
    (
        "html.escape",
        "cgi.escape",
        "xml.sax.saxutils.escape",
        "xml.sax.saxutils.quoteattr",
        "markupsafe.escape",
        "markupsafe.Markup.escape",
        "jinja2.escape",
        "flask.escape",
        "werkzeug.utils.escape",
        "django.utils.html.escape",
        "django.utils.html.conditional_escape",
        "django.utils.html.escapejs",
        "bleach.clean",
        "urllib.parse.quote",
        "urllib.parse.quote_plus",
        "urllib.parse.quote_from_bytes",
        "urllib.parse.urlencode",
        "urllib.quote",
        "urllib.quote_plus",
        "requests.utils.quote",
        "shlex.quote",
        "pipes.quote",
        "re.escape",
        "json.dumps",
        "email.utils.quote",
        "base64.b64encode",
    )
)

QUOTING_METHODS = frozenset(
    (
        "quote_ident",
        "quote_identifier",
        "quote_name",
        "escape_identifier",
        "literal",
        "escape_string",
        "quote",
        "escape",
        "quote_table",
        "quote_schema",
        "quote_column",
        # a Django schema editor's literal for a column default (``quote_value()`` of it)
        "prepare_default",
    )
)

# Method names that quote an identifier whatever comes around the words: Django's
# ``quote_name_unless_alias()``, a backend's ``_quote_name()``.
QUOTING_NAME_PART = "quote_name"


# Calls that only assemble text or containers: a value passed to them has not left yet.
ASSEMBLING_CALLS = frozenset(
    (
        "format",
        "format_map",
        "join",
        "replace",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "encode",
        "decode",
        "substitute",
        "safe_substitute",
        "append",
        "extend",
        "insert",
        "add",
        "appendleft",
        "str",
        "repr",
        "list",
        "tuple",
        "set",
        "sorted",
        "len",
        "isinstance",
        "dedent",
        "cleandoc",
        "Template",
        "bindparams",
        "columns",
        "params",
        "execution_options",
        "splitlines",
        "split",
        "startswith",
        "endswith",
        "count",
        "find",
        "index",
        "search",
        "match",
        "fullmatch",
        "sub",
        "compile",
        "hash",
        "md5",
        "sha1",
        "sha256",
        "assertEqual",
        "assertIn",
        "assert_called_with",
        "assertNotIn",
        "assert_called_once_with",
        "assertRegex",
        "setdefault",
        "get",
    )
)

# ``sql, params = compiler.compile(node)``: a call's result unpacked into text (named for
# SQL, or returned by a compiler's method) and a list named for its parameters is a
# compiler's output (Django's ``as_sql()``,
# ``compile()``, ``db_default_sql()``...): the values are bound separately, the text is
# the statement the compiler wrote. (A builder of the file that returns built text is
# still followed into: its return value is known, so the names are not asked.)
COMPILED_TEXT_SUFFIX = "sql"
COMPILED_PARAMS_WORDS = ("param", "args")
# The compilers' own method names (``where, params = self.compile(node)``); so are the
# names ending in ``_sql`` (``db_default_sql()``, ``date_trunc_sql()``).
COMPILER_METHODS = frozenset(("compile", "as_sql", "sql_with_params", "process_lhs", "process_rhs"))

# Methods of Django's model fields that give the column's type as the backend defines it
# (``CharField.db_type(connection)`` is ``varchar(255)``): DDL text, no value of a user.
COLUMN_TYPE_METHODS = frozenset(("db_type", "rel_db_type", "cast_db_type", "db_type_suffix"))
# ... and the dict of them (``field.db_parameters(connection)["type"]``).
COLUMN_PARAMETER_METHODS = frozenset(("db_parameters",))

# Names a Django model declares (``model._meta.db_table``, ``field.column``): written by the
# project's developers in its models, not by a user; what a schema editor puts into DDL.
MODEL_META_ATTRIBUTE = "_meta"
MODEL_NAME_ATTRIBUTES = frozenset(
    ("db_table", "db_tablespace", "model_name", "app_label", "label_lower", "object_name")
)
# ... read on a model field (a value named like one: ``field``, ``new_field``, ``f``).
FIELD_NAME_ATTRIBUTES = frozenset(("column", "db_column", "attname", "db_tablespace"))
FIELD_NAME_METHODS = frozenset(
    ("m2m_column_name", "m2m_reverse_name", "m2m_db_table", "m2m_target_field_name", "m2m_reverse_target_field_name")
)

# The database's own catalog, read through an introspection API (Django's
# ``connection.introspection``, SQLAlchemy's ``inspect(engine)``): table, column, sequence
# and constraint names the server answers with.
CATALOG_METHODS = frozenset(
    (
        "table_names",
        "django_table_names",
        "get_table_list",
        "get_table_description",
        "get_relations",
        "get_primary_key_column",
        "get_primary_key_columns",
        "get_sequences",
        "sequence_list",
        "get_constraints",
        "get_table_names",
        "get_view_names",
        "get_schema_names",
        "get_sequence_names",
        "get_columns",
        "get_pk_constraint",
        "get_foreign_keys",
        "get_indexes",
        "get_unique_constraints",
        "get_check_constraints",
    )
)
CATALOG_RECEIVER_WORDS = ("introspection", "inspector", "insp")

# Quote characters that SQL escapes by doubling: ``name.replace('"', '""')`` inside
# double quotes is a quoted identifier (MySQL's backquote too), ``'`` a string literal.
DOUBLED_QUOTES = frozenset(('"', "`", "'"))

# Classes of libraries whose instances are text (``isinstance(x, Markup)`` says nothing
# about what the text holds): safe for HTML or translated, never for SQL.
TEXT_CLASSES = frozenset(
    (
        "Markup",
        "SafeString",
        "SafeText",
        "SafeData",
        "SafeBytes",
        "Promise",
        "LiteralString",
        "UserString",
        "AnyStr",
        "Text",
        "string_types",  # six
        "text_type",
        "binary_type",
    )
)
