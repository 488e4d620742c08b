"""Names of sensitive values: which identifiers name a secret or database connection details.

Identifiers are split into words (``db_password``, ``dbPassword``, ``DB_PASSWORD`` and
``dbpassword`` are all ``db password``) and judged on the words, never on substrings, so
``tokenizer`` and ``bypass`` are not secrets. Words that say the value is only about a
secret are excluded: its count or length (``token_count``, ``num_tokens``), its kind
(``token_type``), a pagination cursor (``page_token``, ``next_token``), its name, id or
location (``secret_name``, ``secret_arn``, ``api_key_id``, ``password_reset_url``), a rule
about it (``password_policy``), a flag (``has_password``, ``is_token_valid``) or a hashed
or masked form (``password_hash``, ``hashed_password``, ``masked_token``).

``classify()`` answers ``SECRET`` (SQL301), ``CONNECTION`` (SQL302) or None.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, Optional, Pattern, Sequence, Tuple

SECRET = "secret"
CONNECTION = "connection"

_CHUNKS = re.compile(r"[A-Za-z0-9]+")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")

# Words that are a secret on their own.
_SECRET_WORDS = frozenset(
    (
        "password",
        "passwords",
        "passwd",
        "passphrase",
        "pwd",
        "secret",
        "secrets",
        "token",
        "credential",
        "credentials",
        "creds",
        "cred",
        "authorization",
        "bearer",
        "jwt",
        "cookie",
        "cookies",
        "apikey",
        "apikeys",
        "privkey",
        "privatekey",
        "secretkey",
        "cvv",
        "cvc",
        "cvv2",
        "cvc2",
        "ssn",
        "passcode",
        "creditcard",
        "cardnumber",
        "ccnumber",
    )
)
# Words written together with a qualifier in one lower-case word: ``dbpassword``, ``nexttoken``.
_COMPOUND_STEMS = (
    "password",
    "passwd",
    "passphrase",
    "token",
    "secret",
    "apikey",
    "credentials",
    "dsn",
    "url",
    "uri",
    "string",
    "str",
    "key",
)
# Qualifiers of ``key`` that make it a secret key (``cache_key``, ``primary_key`` are not).
_KEY_QUALIFIERS = frozenset(
    (
        "api",
        "secret",
        "private",
        "signing",
        "sign",
        "encryption",
        "decryption",
        "master",
        "auth",
        "ssh",
        "rsa",
        "hmac",
        "jwt",
        "client",
        "session",
        "crypto",
        "aes",
        "fernet",
        "shared",
        "preshared",
        "webhook",
        "license",
        "consumer",
    )
)
# Qualifiers of ``pass`` that make it a password (``first_pass``, ``boarding_pass`` are not).
_PASS_QUALIFIERS = frozenset(
    (
        "db",
        "user",
        "admin",
        "root",
        "smtp",
        "mysql",
        "pg",
        "postgres",
        "redis",
        "ftp",
        "sftp",
        "ssh",
        "sql",
        "login",
        "email",
        "mail",
        "api",
        "auth",
        "rabbit",
        "rabbitmq",
        "amqp",
        "ldap",
        "proxy",
        "basic",
        "http",
        "app",
        "account",
        "master",
        "sudo",
        "wifi",
        "vault",
        "database",
        "imap",
        "pop",
    )
)
# Qualifiers of ``tokens`` (plural: mostly counts and lexer tokens otherwise).
_TOKENS_QUALIFIERS = frozenset(
    (
        "access",
        "refresh",
        "auth",
        "api",
        "bearer",
        "jwt",
        "session",
        "oauth",
        "csrf",
        "id",
        "reset",
        "secret",
        "personal",
        "bot",
        "github",
        "slack",
    )
)
# Qualifiers of ``auth`` that make it a credential pair (``basic_auth = (user, password)``).
_AUTH_QUALIFIERS = frozenset(("basic", "http", "proxy", "digest"))
# A word that says the value is about a secret, not the secret itself (the last word).
_META_LAST = frozenset(
    (
        "id",
        "ids",
        "uuid",
        "guid",
        "name",
        "names",
        "label",
        "labels",
        "field",
        "fields",
        "column",
        "columns",
        "col",
        "type",
        "types",
        "kind",
        "kinds",
        "length",
        "len",
        "size",
        "count",
        "counts",
        "policy",
        "policies",
        "rule",
        "rules",
        "regex",
        "re",
        "pattern",
        "patterns",
        "validator",
        "validators",
        "hint",
        "hints",
        "prompt",
        "url",
        "urls",
        "uri",
        "endpoint",
        "path",
        "paths",
        "file",
        "files",
        "filename",
        "dir",
        "directory",
        "env",
        "var",
        "variable",
        "setting",
        "option",
        "options",
        "arn",
        "ref",
        "version",
        "versions",
        "expiry",
        "expires",
        "expiration",
        "expire",
        "exp",
        "ttl",
        "timeout",
        "lifetime",
        "age",
        "at",
        "on",
        "date",
        "time",
        "timestamp",
        "ts",
        "since",
        "until",
        "index",
        "idx",
        "offset",
        "position",
        "pos",
        "format",
        "fmt",
        "scheme",
        "prefix",
        "suffix",
        "last4",
        "last",
        "four",
        "mask",
        "masked",
        "redacted",
        "hash",
        "manager",
        "store",
        "service",
        "provider",
        "providers",
        "class",
        "cls",
        "factory",
        "generator",
        "backend",
        "backends",
        "loader",
        "handler",
        "checker",
        "serializer",
        "callback",
        "func",
        "fn",
        "method",
        "methods",
        "mode",
        "algorithm",
        "algorithms",
        "alg",
        "algo",
        "usage",
        "used",
        "stats",
        "metric",
        "metrics",
        "limit",
        "limits",
        "budget",
        "max",
        "min",
        "description",
        "desc",
        "doc",
        "docs",
        "help",
        "message",
        "messages",
        "msg",
        "error",
        "errors",
        "err",
        "status",
        "flag",
        "flags",
        "enabled",
        "disabled",
        "required",
        "changed",
        "updated",
        "reset",
        "set",
        "strength",
        "score",
        "complexity",
        "attempts",
        "retries",
        "tries",
        "form",
        "widget",
        "view",
        "template",
        "page",
        "link",
        "button",
        "param",
        "params",
        "chars",
        "charset",
        "alphabet",
        "rotation",
        "rotated",
        "locked",
        "valid",
        "invalid",
        "ok",
        "exists",
        "present",
        "missing",
        "match",
        "matches",
        "mismatch",
        "host",
        "hostname",
        "port",
        "driver",
        "dialect",
        "domain",
        "secure",
        "httponly",
        "samesite",
        "brand",
        "network",
        "issuer",
        "audience",
        "scope",
        "scopes",
        "cache",
        "schema",
        "spec",
        "source",
        "location",
        "bucket",
        "parameter",
        "attr",
        "attribute",
        "property",
        "placeholder",
        "title",
        "kwarg",
        "arg",
        "args",
        "keyword",
        "rotate",
        "refreshed",
        "created",
        "revoked",
        "issued",
        "verified",
        "confirmed",
        "seconds",
        "minutes",
        "hours",
        "days",
        "ms",
        "delay",
        "interval",
        "period",
        "window",
        "queue",
    )
)
# Words that say a flag, a count or a check, when they come first.
_META_FIRST = frozenset(
    (
        "is",
        "has",
        "have",
        "had",
        "should",
        "can",
        "could",
        "must",
        "needs",
        "need",
        "requires",
        "require",
        "use",
        "uses",
        "using",
        "allow",
        "allows",
        "allowed",
        "enable",
        "enabled",
        "disable",
        "disabled",
        "no",
        "with",
        "without",
        "check",
        "checks",
        "validate",
        "validates",
        "verify",
        "valid",
        "invalid",
        "missing",
        "num",
        "n",
        "count",
        "max",
        "min",
        "total",
        "len",
        "length",
        "show",
        "hide",
        "mask",
        "masked",
        "redact",
        "redacted",
        "hashed",
        "hash",
        "encrypted",
        "obfuscated",
        "sanitized",
        "safe",
        "set",
        "clear",
        "change",
        "changed",
        "update",
        "store",
        "save",
        "send",
        "rotate",
        "revoke",
    )
)
# Words that say the value is about a secret wherever they stand (``token_expires_in``).
_META_ANY = frozenset(
    (
        "expires",
        "expiry",
        "expiration",
        "ttl",
        "lifetime",
        "length",
        "count",
        "policy",
        "policies",
        "strength",
        "complexity",
        "regex",
        "validator",
        "hint",
        "placeholder",
        "widget",
    )
)
# Words anywhere that say the value is a hashed or masked form.
_HASHED = frozenset(
    (
        "hash",
        "hashed",
        "hashes",
        "hasher",
        "hashers",
        "hashing",
        "digest",
        "encrypted",
        "bcrypt",
        "sha",
        "md5",
        "pbkdf2",
        "argon2",
        "scrypt",
        "salt",
        "salted",
        "masked",
        "redacted",
        "obfuscated",
        "fingerprint",
        "sanitized",
    )
)
# ``token`` in these company is a pagination cursor, a count or a lexer/NLP token.
_TOKEN_META = frozenset(
    (
        "page",
        "next",
        "prev",
        "previous",
        "continuation",
        "pagination",
        "sync",
        "marker",
        "resume",
        "cursor",
        "input",
        "output",
        "prompt",
        "completion",
        "completions",
        "total",
        "cached",
        "reasoning",
        "max",
        "num",
        "count",
        "counts",
        "used",
        "usage",
        "limit",
        "budget",
        "per",
        "rate",
        "bucket",
        "lexer",
        "parse",
        "parser",
        "syntax",
        "ast",
        "word",
        "words",
        "nlp",
        "bpe",
        "vocab",
        "special",
        "pad",
        "eos",
        "bos",
        "unk",
        "sep",
        "cls",
        "start",
        "end",
        "stop",
        "embedding",
        "embeddings",
        "cancel",
        "cancellation",
        "sequence",
        "tokenizer",
        "tok",
        "starting",
        "acquire",
        "release",
        "semaphore",
        "lock",
        "idempotency",
    )
)
# Cookie settings, not cookie values.
_COOKIE_META = frozenset(("domain", "secure", "httponly", "samesite", "age", "salt", "jar_path"))
# Database words that make a URL, URI or string connection details.
_DB_WORDS = frozenset(
    (
        "database",
        "databases",
        "db",
        "sqlalchemy",
        "sql",
        "pg",
        "postgres",
        "postgresql",
        "psql",
        "mysql",
        "mariadb",
        "sqlite",
        "mongo",
        "mongodb",
        "redis",
        "oracle",
        "mssql",
        "jdbc",
        "odbc",
        "conn",
        "connection",
        "replica",
    )
)
_CARD_NUMBER = frozenset(("number", "num", "no", "nr", "numbers"))


_TOKEN_PARTS = re.compile(r"[.-]+")


def words(identifier: str) -> Tuple[str, ...]:
    """``DB_PASSWORD`` -> (db, password); ``apiKey`` -> (api, key); ``X-Auth-Token`` -> (x, auth, token)."""
    result = []
    for chunk in _CHUNKS.findall(identifier):
        for word in _WORDS.findall(chunk):
            result.append(word.lower())
    return tuple(_split_compounds(result))


def _split_compounds(parts: Sequence[str]) -> Iterable[str]:
    for part in parts:
        if len(part) >= 5 and part not in _SECRET_WORDS:
            for stem in _COMPOUND_STEMS:
                if part.endswith(stem) and len(part) - len(stem) >= 2:
                    prefix = part[: -len(stem)]
                    if stem in ("dsn", "url", "uri", "string", "str") and prefix not in _DB_WORDS:
                        continue
                    if stem == "key" and prefix not in _KEY_QUALIFIERS:
                        continue
                    yield prefix
                    yield stem
                    break
            else:
                yield part
        else:
            yield part


def _secret(w: Tuple[str, ...]) -> bool:
    for index, word in enumerate(w):
        if word in ("token", "tokens"):
            if any(other in _TOKEN_META for other in w[:index]):
                continue  # page_token, input_tokens, end_token (after it, the last word decides)
            if word == "tokens" and not any(other in _TOKENS_QUALIFIERS for other in w[:index]):
                continue
            return True
        if word in ("cookie", "cookies"):
            if any(other in _COOKIE_META for other in w):
                continue
            return True
        if word in _SECRET_WORDS:
            return True
        if word in ("key", "keys") and index > 0 and w[index - 1] in _KEY_QUALIFIERS:
            return True
        if word in ("pw", "pword") and index == len(w) - 1:
            return True
        if word == "pass" and index == len(w) - 1 and index > 0 and w[index - 1] in _PASS_QUALIFIERS:
            return True
        if word == "auth" and index == len(w) - 1 and index > 0 and w[index - 1] in _AUTH_QUALIFIERS:
            return True
        if word in ("header", "headers") and index > 0 and w[index - 1] in ("auth", "authorization", "cookie"):
            return True
        following = w[index + 1] if index + 1 < len(w) else ""
        if word in ("card", "credit") and (following in _CARD_NUMBER or "credit" in w and "card" in w):
            return True
        if word in ("cc", "ccn") and (following in _CARD_NUMBER or w == ("ccn",)):
            return True
        if word == "security" and index + 1 < len(w) and w[index + 1] == "code":
            return True
        if word == "social" and index + 1 < len(w) and w[index + 1] == "security":
            return True
    return False


def _connection(identifier: str, w: Tuple[str, ...]) -> bool:
    if identifier == "DATABASES":  # Django's settings.DATABASES, passwords included
        return True
    has_db = any(word in _DB_WORDS for word in w)
    for word in w:
        if word in ("dsn", "dsns"):
            return True
        if word in ("url", "uri", "urls", "uris") and has_db:
            return True
        if word in ("string", "str") and ("conn" in w or "connection" in w):
            return True
    return False


class NameMatcher:
    """Classifies identifiers, with the user's patterns; answers are cached."""

    def __init__(self, sensitive: Sequence[Pattern[str]] = (), safe: Sequence[Pattern[str]] = ()) -> None:
        self.sensitive = tuple(sensitive)
        self.safe = tuple(safe)
        self._cache: Dict[str, Optional[str]] = {}
        self._mentions: Dict[str, bool] = {}

    def classify(self, identifier: str) -> Optional[str]:
        try:
            return self._cache[identifier]
        except KeyError:
            pass
        result = self._classify(identifier)
        if len(self._cache) < 20000:
            self._cache[identifier] = result
        return result

    def mentions(self, token: str) -> bool:
        """Whether a run of name characters from source text (``self.db_password``,
        ``X-Auth-Token``) or one of its dotted or hyphenated parts is sensitive."""
        known = self._mentions.get(token)
        if known is None:
            known = self.classify(token) is not None or any(
                self.classify(part) is not None for part in _TOKEN_PARTS.split(token) if part and part != token
            )
            if len(self._mentions) < 50000:
                self._mentions[token] = known
        return known

    def _classify(self, identifier: str) -> Optional[str]:
        if not identifier or len(identifier) > 80:
            return None
        if any(p.search(identifier) for p in self.safe):
            return None
        if any(p.search(identifier) for p in self.sensitive):
            return SECRET
        return classify_builtin(identifier)


# Every name the rules below call sensitive contains one of these (case aside): the words
# that make ``_secret`` or ``_connection`` true, or a longer word holding one. Most names
# hold none, and are answered without being split into words.
_TRIGGERS = re.compile(
    "key|auth|bearer|card|cc|cookie|cred|cvc|cvv|jwt|pass|pw|secret|ssn|token|security|dsn|url|uri|conn|databases",
    re.IGNORECASE,
)


def classify_builtin(identifier: str) -> Optional[str]:
    if not _TRIGGERS.search(identifier):
        return None
    return _classify_words(identifier)


def _classify_words(identifier: str) -> Optional[str]:
    w = words(identifier)
    while len(w) > 1 and w[-1].isdigit():
        w = w[:-1]  # password2, cvv2, card_last4
    if not w:
        return None
    if len(w) > 1 and w[0] in _META_FIRST:
        return None
    if w[-1] in ("url", "uri", "urls", "uris") and _connection(identifier, w):
        return CONNECTION  # database_url (while password_reset_url is only about a password)
    if len(w) > 1 and w[-1] in _META_LAST:
        return None
    if any(word in _HASHED or word in _META_ANY for word in w):
        return None
    if not _names_the_value(w):
        return None
    if _secret(w):
        return SECRET
    if _connection(identifier, w):
        return CONNECTION
    return None


# Words that may follow the secret word in a name of the secret itself (``password_value``,
# ``token_b64``, ``api_key_header``); any other word names something else, whose subject the
# secret only is (``tpm_secret_security_constraint``, ``token_refresher``).
_VALUE_TAIL = frozenset(
    (
        "value",
        "values",
        "val",
        "str",
        "string",
        "text",
        "txt",
        "data",
        "bytes",
        "b64",
        "base64",
        "hex",
        "raw",
        "plain",
        "plaintext",
        "clear",
        "cleartext",
        "encoded",
        "decoded",
        "new",
        "old",
        "orig",
        "original",
        "current",
        "cur",
        "input",
        "confirmation",
        "confirm",
        "again",
        "repeat",
        "list",
        "dict",
        "map",
        "pair",
        "pairs",
        "tuple",
        "key",
        "keys",
        "header",
        "headers",
        "number",
        "num",
        "no",
        "nr",
        "numbers",
        "code",
        "phrase",
        "word",
        "secret",
        "token",
        "tokens",
        "pass",
        "auth",
        "info",
        "details",
        "obj",
        "object",
        "payload",
        "body",
        "content",
        "contents",
        "entry",
        "entries",
        "item",
        "items",
        "response",
        "resp",
        "result",
        "results",
        "blob",
        "pem",
        "der",
        "jwk",
        "cred",
        "creds",
        "credential",
        "credentials",
        "cookie",
        "cookies",
        "dsn",
        "url",
        "uri",
        "urls",
        "uris",
        "security",
        "card",
        "cvv",
        "cvc",
        "ssn",
        "in",
        "out",
        "arg",
        "kw",
        "kwargs",
        "b",
        "enc",
        "bin",
        "utf",
        "ascii",
        "given",
        "provided",
        "supplied",
        "received",
        "entered",
        "submitted",
        "typed",
        "candidate",
        "attempt",
        "guess",
    )
)
_PREPOSITIONS = frozenset(("for", "of", "to", "from", "by", "in", "on", "with"))


def _names_the_value(w: Tuple[str, ...]) -> bool:
    last = max((i for i, word in enumerate(w) if word in _MENTIONS), default=-1)
    if last < 0:
        return True
    tail = w[last + 1 :]
    if tail and tail[0] in _PREPOSITIONS:
        return True  # token_for_user, password_of_admin
    return all(word in _VALUE_TAIL or word.isdigit() for word in tail)


_MENTIONS = _SECRET_WORDS | frozenset(("tokens", "key", "keys", "pass", "pw", "card", "credit", "dsn", "url", "uri"))


def mentions_secret(identifier: str) -> bool:
    """Does the name speak of a secret at all (``token_count`` does, ``new_value`` does not)?"""
    return any(word in _MENTIONS for word in words(identifier))


def classify(identifier: str) -> Optional[str]:
    """The built-in answer, without user patterns."""
    return classify_builtin(identifier)
