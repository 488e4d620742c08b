"""What calls do to a value on its way into a log call (SQL3): data in another shape,
only its keys or size, a number or flag, a masked or hashed form; and the names that
say a value is read by key, produced by a getter, or masked.
"""

from __future__ import annotations

import re

# Keyword arguments of the logging API that are not log fields.
NOT_FIELDS = frozenset(("exc_info", "stack_info", "stacklevel", "stack_level"))

# Methods that give the same data back in another shape (the checks add the ``str``
# methods that reshape the text, engine.text_building.SAME_TEXT_METHODS).
SAME_DATA_METHODS = frozenset(
    (
        "copy",
        "items",
        "values",
        "to_dict",
        "dict",
        "model_dump",
        "model_dump_json",
        "json",
        "as_dict",
        "_asdict",
        "to_json",
    )
)

SAME_DATA_FUNCTIONS = frozenset(
    (
        "str",
        "repr",
        "ascii",
        "bytes",
        "format",
        "dict",
        "dumps",
        "pformat",
        "b64encode",
        "urlsafe_b64encode",
        "standard_b64encode",
        "b32encode",
        "b16encode",
        "hexlify",
        "quote",
        "quote_plus",
        "escape",
        "shorten",
        "asdict",
        "vars_of",
        "safe_repr",
        "saferepr",
        "OrderedDict",
    )
)

# Calls that give only the keys or the size of a collection.
KEYS_ONLY_FUNCTIONS = frozenset(("list", "sorted", "set", "tuple", "frozenset", "keys"))

NUMBER_OR_FLAG_FUNCTIONS = frozenset(
    (
        "len",
        "int",
        "float",
        "bool",
        "hash",
        "id",
        "abs",
        "round",
        "sum",
        "any",
        "all",
        "isinstance",
        "issubclass",
        "callable",
        "hasattr",
        "type",
        "max",
        "min",
    )
)

# Methods whose result holds no secret whatever it is called: oslo.context's policy
# values (user, project and domain ids, roles, scope; the token is left out), which
# services log as ``credentials`` when a policy check fails.
NO_SECRET_METHODS = frozenset(("to_policy_values",))
# ... and functions that answer about the process or the machine, whatever the result is
# then called (``password = os.getcwd()`` holds a directory).
NO_SECRET_FUNCTIONS = frozenset(
    (
        "os.getcwd",
        "os.getcwdb",
        "os.getpid",
        "os.getppid",
        "os.getuid",
        "os.getgid",
        "os.cpu_count",
        "os.getlogin",
        "getpass.getuser",
        "socket.gethostname",
        "socket.getfqdn",
        "platform.node",
        "platform.platform",
        "platform.python_version",
        "sys.getdefaultencoding",
        "threading.get_ident",
        "time.time",
        "time.monotonic",
        "pathlib.Path.cwd",
    )
)

# Keyed reads: ``d.get("password")``, ``os.getenv("DB_PASSWORD")``, ``getattr(o, "token")``.
KEYED_READS = frozenset(("get", "pop", "getlist", "getenv", "get_secret", "setdefault", "getattr", "getitem"))

# Functions whose result is the value their name says: ``get_password()``, ``build_dsn()``.
GETTER_VERBS = frozenset(
    (
        "get",
        "fetch",
        "load",
        "read",
        "generate",
        "gen",
        "create",
        "new",
        "issue",
        "retrieve",
        "obtain",
        "refresh",
        "build",
        "render",
        "decrypt",
        "lookup",
        "find",
        "current",
    )
)

# Masking, hashing and encrypting functions (prefixes of the function's name).
MASK_PREFIXES = (
    "mask",
    "redact",
    "hash",
    "encrypt",
    "obfuscat",
    "scrub",
    "censor",
    "anonymi",
    "anonymy",
    "pseudonymi",
    "md5",
    "blake2",
    "crypt",
    "digest",
    "hexdigest",
    "fingerprint",
    "sanitiz",
    "sanitis",
    "strip_secret",
    "strip_password",
    "hide_",
)

MASK_NAMES = frozenset(("make_password", "generate_password_hash", "pbkdf2_hmac", "hashpw", "bcrypt", "hmac"))

MASK_LAST_WORDS = frozenset(
    (
        "hash",
        "hashed",
        "digest",
        "hexdigest",
        "mask",
        "masked",
        "redact",
        "redacted",
        "fingerprint",
        "encrypt",
        "encrypted",
        "obfuscate",
        "obfuscated",
    )
)

SHA_NAME = re.compile(r"^_*sha(?:\d|_|$)", re.I)

# Imported modules named like secrets: the module object is not a secret.
MODULE_NAMES = frozenset(("secrets", "jwt", "pwd", "token", "credentials", "cookies"))

# The SQLAlchemy URL attributes and methods that give out its password.
URL_WORDS = frozenset(("url", "uri", "dsn", "urls"))

# Functions (by the end of their qualified name) that encode the data they are given.
ENCODING_SUFFIXES = (".dumps", ".pformat", ".b64encode", ".urlsafe_b64encode", ".asdict")

# Options of a ``database`` configuration group that hold a connection URL (oslo.config's
# ``CONF.database.connection``).
DATABASE_OPTION_CONNECTIONS = frozenset(("connection", "slave_connection", "connection_string", "connection_url"))

# Attributes of a form field that hold what was typed into it (WTForms ``form.password.data``).
FIELD_VALUE_ATTRIBUTES = frozenset(("data", "value", "raw_data", "plaintext"))

# Calls that make or parse a URL: its ``.password`` is a connection detail.
URL_FUNCTIONS = frozenset(("make_url", "URL", "create", "urlparse", "urlsplit"))

# Calls whose result is a secret whatever it is then called (``value = getpass()``):
# what the user typed as a password, fresh tokens and keys, stored credentials.
SECRET_SOURCES = frozenset(
    (
        "getpass.getpass",
        "secrets.token_hex",
        "secrets.token_urlsafe",
        "secrets.token_bytes",
        "keyring.get_password",
        "keyring.get_credential",
        "cryptography.fernet.Fernet.generate_key",
        "pyotp.random_base32",
    )
)

# The database's state read back: rows a statement answered with (a user's row carries
# its password hash, tokens, personal data) and model instances as dicts. Logged whole,
# they are dumps (SQL304): ``cursor.fetchall()``, ``result.first()``, ``dict(row)``,
# ``row._mapping``, ``model_to_dict(user)``, ``serializer.data``.
ROW_FETCH_METHODS = frozenset(("fetchall", "fetchone", "fetchmany", "mappings"))
# ... also on a receiver named as a result (SQLAlchemy's ``result.all()``), not on a
# query (``User.objects.all()`` gives model instances, which print as their ``__str__``).
RESULT_ROW_METHODS = frozenset(("all", "first", "one", "one_or_none"))
RESULT_NAMES = frozenset(("result", "results", "res", "rs", "resultset", "result_proxy", "rows"))
ROW_ATTRIBUTES = frozenset(("_mapping",))
MODEL_DUMP_FUNCTIONS = frozenset(("model_to_dict",))
# A serializer's validated or rendered ``data`` (Django REST framework, marshmallow).
SERIALIZED_DATA_ATTRIBUTES = frozenset(("data", "validated_data"))
SERIALIZER_SUFFIX = "serializer"
# Every method that reads a statement's answer (a row, rows or one value).
FETCH_METHODS = ROW_FETCH_METHODS | RESULT_ROW_METHODS | frozenset(("scalar", "scalar_one", "fetchval", "fetchrow"))
