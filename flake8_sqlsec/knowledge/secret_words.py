"""The words of secrets and of connection details (SQL301, SQL302): the words that name a
secret, the stems that hold one inside a longer word, the qualifiers that make a "key",
"pass" or "token" a secret, the words of database connections and card numbers.

The matcher that splits identifiers into words and reads these lists is
``flake8_sqlsec.checks.sensitive_names``; the words that say a name is only about a secret are in
``knowledge.about_secret_words``.
"""

from __future__ import annotations

import re

# Words that are a secret on their own.
SECRET_WORDS = frozenset(
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
COMPOUND_STEMS = (
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
KEY_QUALIFIERS = frozenset(
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
PASS_QUALIFIERS = frozenset(
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
TOKENS_QUALIFIERS = frozenset(
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
AUTH_QUALIFIERS = frozenset(("basic", "http", "proxy", "digest"))


# Database words that make a URL, URI or string connection details.
DB_WORDS = frozenset(
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

# Message-broker words that make a URL connection details too: oslo.messaging's
# ``transport_url`` and Celery's ``broker_url`` carry the broker's user and password.
BROKER_WORDS = frozenset(("transport", "broker", "amqp", "rabbit", "rabbitmq", "kombu", "celery", "messaging"))

CARD_NUMBER = frozenset(("number", "num", "no", "nr", "numbers"))

# The word each rule of ``sensitive._secret`` and ``sensitive._connection`` needs in a
# name, besides the secret words: ``token``, ``api_key``, ``db_pw``, ``card_number``,
# ``database_url``, ``conn_string``, Django's ``DATABASES``... (the matcher's quick test
# is built from these and SECRET_WORDS).
RULE_WORDS = frozenset(
    (
        "token",
        "cookie",
        "key",
        "pw",
        "pass",
        "auth",
        "card",
        "credit",
        "cc",
        "security",
        "dsn",
        "url",
        "uri",
        "conn",
        "databases",
    )
)

# Words that name a secret in one field and something else in another, and the text that
# shows the other sense in a module: ``ssn`` is a social security number, except in a
# storage driver that speaks of its arrays' serial numbers (Dell SC's ``dell_sc_ssn``).
# A ``cookie`` is an OpenFlow flow's 64-bit tag in a module that speaks OpenFlow (Neutron's
# OVS agents: ``msg.cookie``, ``reserved_cookies``), not a browser's cookie.
_OPENFLOW = re.compile(r"\bofproto|\bopenflow|\bOFP[A-Z]|\bcookie_mask\b|\bofctl\b", re.IGNORECASE)
# ``credentials`` are a policy check's subject (user and project ids, roles) in a module
# that hands them to one (oslo.policy's ``enforce(credentials, action, target)``).
_POLICY_CHECK = re.compile(r"\b(?:enforce|authorize)\(\s*(?:self\.)?(?:credentials|creds)\b")
OTHER_SENSES = {
    "ssn": re.compile(r"serial[ _-]?(?:number|num|no)", re.IGNORECASE),
    "credentials": _POLICY_CHECK,
    "creds": _POLICY_CHECK,
    "cookie": _OPENFLOW,
    "cookies": _OPENFLOW,
}
