"""Names of sensitive values (SQL301/SQL302): unit tests and properties.

The properties build small modules and run the SQL3 checker in-process:

- a sensitive name, however it is spelled (snake, camel, SCREAMING, with prefixes and
  suffixes), is reported wherever it stands in a log call;
- the names that are only about a secret (counts, ids, kinds, hashes, flags) never are;
- a sensitive value that went through a masking function never is.
"""

from __future__ import annotations

import ast
import re
import textwrap
from typing import List, Sequence, Set, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_sqlsec import config, plugin
from flake8_sqlsec.config import ConfigError, OPTIONS
from flake8_sqlsec.rules import RULES
from flake8_sqlsec.checks import sensitive_names as sensitive_module
from flake8_sqlsec.knowledge import secret_words
from flake8_sqlsec.checks.sensitive_names import CONNECTION, SECRET, NameMatcher, classify, words

PRELUDE = """\
import hashlib
import logging

import structlog
from oslo_utils import strutils

LOG = logging.getLogger(__name__)
slog = structlog.get_logger()


def mask(value):
    return "***"


"""


def sql3_findings(source: str, **options) -> Set[Tuple[int, str]]:
    """(line, code) of the SQL3 findings for ``source``, with every rule selected."""
    config.CURRENT = config.Config(selected=frozenset(RULES), **options)
    try:
        tree = ast.parse(source)
        lines = source.splitlines(True)
        results = list(plugin.SensitiveLogChecker(tree, "t.py", lines).run())
    finally:
        config.CURRENT = config.Config()
    return {(line, message.split(" ", 1)[0]) for line, _col, message, _type in results}


def codes(source: str, **options) -> List[str]:
    return sorted(code for _, code in sql3_findings(source, **options))


def in_function(params: Sequence[str], body: str) -> str:
    return PRELUDE + f"def handler(value, obj, data, {', '.join(params)}):\n" + textwrap.indent(body, "    ")


# --- words and classification -------------------------------------------------------------


@pytest.mark.parametrize(
    "identifier, expected",
    [
        ("db_password", ("db", "password")),
        ("dbPassword", ("db", "password")),
        ("DB_PASSWORD", ("db", "password")),
        ("dbpassword", ("db", "password")),
        ("APIKey", ("api", "key")),
        ("X-Auth-Token", ("x", "auth", "token")),
        ("nextPageToken", ("next", "page", "token")),
        ("csrftoken", ("csrf", "token")),
        ("tokenizer", ("tokenizer",)),
        ("bypass", ("bypass",)),
    ],
)
def test_words(identifier: str, expected: Tuple[str, ...]) -> None:
    assert words(identifier) == expected


SECRETS = [
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "new_password",
    "DB_PASSWORD",
    "dbPassword",
    "password2",
    "secret",
    "SECRET_KEY",
    "client_secret",
    "token",
    "access_token",
    "refreshToken",
    "id_token",
    "auth_token",
    "bearer_token",
    "jwt",
    "csrf_token",
    "session_token",
    "api_key",
    "apiKey",
    "X_API_KEY",
    "apikey",
    "private_key",
    "signing_key",
    "credentials",
    "creds",
    "authorization",
    "auth_header",
    "Authorization",
    "cookie",
    "session_cookie",
    "Set-Cookie",
    "card_number",
    "cardNumber",
    "credit_card",
    "cvv",
    "ssn",
    "social_security_number",
    "smtp_pass",
    "user_pw",
    "basic_auth",
    "aws_secret_access_key",
    "SecretString",
]
CONNECTIONS = [
    "dsn",
    "pg_dsn",
    "db_url",
    "database_url",
    "DATABASE_URL",
    "database_uri",
    "SQLALCHEMY_DATABASE_URI",
    "connection_string",
    "conn_str",
    "connstr",
    "DATABASES",
    "redis_url",
    "transport_url",
    "broker_url",
    "CELERY_BROKER_URL",
    "amqp_url",
]
NOT_SECRETS = [
    "set_cookie",
    "set_password",
    "service_url",
    "token_count",
    "num_tokens",
    "tokenizer",
    "token_type",
    "page_token",
    "next_token",
    "nextPageToken",
    "secret_name",
    "secret_arn",
    "secret_id",
    "password_reset_url",
    "password_policy",
    "api_key_id",
    "access_key_id",
    "token_id",
    "password_hash",
    "hashed_password",
    "passwordHash",
    "has_password",
    "is_token_valid",
    "isTokenValid",
    "password_length",
    "max_tokens",
    "input_tokens",
    "tokens",
    "card_last4",
    "cookie_name",
    "credentials_file",
    "private_key_path",
    "public_key",
    "cache_key",
    "primary_key",
    "key",
    "token_expires_in",
    "first_pass",
    "bypass",
    "session_id",
    "username",
    "auth",
    "url",
    "connection",
    "base_url",
    "db_url_env",
    "sql_string",
    "secrets_manager",
    "acquire_token",
]


@pytest.mark.parametrize("identifier", SECRETS)
def test_secret_names(identifier: str) -> None:
    assert classify(identifier) == SECRET


@pytest.mark.parametrize("identifier", CONNECTIONS)
def test_connection_names(identifier: str) -> None:
    assert classify(identifier) == CONNECTION


@pytest.mark.parametrize("identifier", NOT_SECRETS)
def test_names_about_secrets_are_not_secrets(identifier: str) -> None:
    assert classify(identifier) is None


def test_user_patterns() -> None:
    matcher = NameMatcher(
        sensitive=[re.compile("^pin$", re.I), re.compile("session_?id", re.I)],
        safe=[re.compile("_count$", re.I), re.compile("^token$", re.I)],
    )
    assert matcher.classify("pin") == SECRET
    assert matcher.classify("session_id") == SECRET  # user names win over the built-in exclusions
    assert matcher.classify("token") is None  # safe names win over everything
    assert matcher.classify("password_count") is None
    assert matcher.classify("pinned") is None


# --- generated spellings ---------------------------------------------------------------------

SECRET_WORDS = [
    ("password",),
    ("passwd",),
    ("passphrase",),
    ("pwd",),
    ("secret",),
    ("api", "key"),
    ("access", "token"),
    ("refresh", "token"),
    ("auth", "token"),
    ("bearer", "token"),
    ("session", "token"),
    ("csrf", "token"),
    ("jwt",),
    ("client", "secret"),
    ("private", "key"),
    ("secret", "key"),
    ("credentials",),
    ("creds",),
    ("authorization",),
    ("card", "number"),
    ("cvv",),
    ("ssn",),
    ("token",),
]
PREFIXES = [
    (),
    ("user",),
    ("db",),
    ("new",),
    ("old",),
    ("current",),
    ("admin",),
    ("my",),
    ("raw",),
    ("plain",),
    ("smtp",),
    ("github",),
    ("stripe",),
    ("service",),
]
SUFFIXES = [(), ("value",), ("raw",), ("plain",), ("text",), ("b64",), ("input",), ("given",)]
EXCLUDED_WORDS = [
    ("token", "count"),
    ("num", "tokens"),
    ("tokenizer",),
    ("token", "type"),
    ("page", "token"),
    ("next", "token"),
    ("next", "page", "token"),
    ("secret", "name"),
    ("secret", "arn"),
    ("secret", "id"),
    ("password", "reset", "url"),
    ("password", "policy"),
    ("api", "key", "id"),
    ("password", "hash"),
    ("hashed", "password"),
    ("has", "password"),
    ("is", "token", "valid"),
    ("password", "length"),
    ("max", "tokens"),
    ("input", "tokens"),
    ("card", "last4"),
    ("cookie", "name"),
    ("credentials", "file"),
    ("private", "key", "path"),
    ("token", "expiry"),
    ("secret", "version"),
    ("password", "changed", "at"),
    ("token", "usage"),
    ("masked", "password"),
    ("password", "validator"),
    ("credential", "id"),
    ("token", "endpoint"),
]


def spell(parts: Sequence[str], style: str) -> str:
    if style == "snake":
        return "_".join(parts)
    if style == "screaming":
        return "_".join(parts).upper()
    if style == "camel":
        return parts[0] + "".join(p.capitalize() for p in parts[1:])
    if style == "pascal":
        return "".join(p.capitalize() for p in parts)
    return "_" + "_".join(parts)  # private


STYLES = st.sampled_from(["snake", "screaming", "camel", "pascal", "private"])


@st.composite
def secret_names(draw) -> str:
    parts = draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(SECRET_WORDS)) + draw(st.sampled_from(SUFFIXES))
    return spell(parts, draw(STYLES))


@st.composite
def excluded_names(draw) -> str:
    return spell(draw(st.sampled_from(EXCLUDED_WORDS)), draw(STYLES))


# Words of every kind the rules know, and others: names built from them exercise the
# quick test that lets most names skip being split into words.
_VOCABULARY = sorted(
    {w for parts in (PREFIXES + SUFFIXES) for w in parts}
    | {w for parts in EXCLUDED_WORDS for w in parts}
    | {"db", "database", "databases", "conn", "connection", "url", "uri", "dsn", "string", "str", "card", "number"}
    | {"cc", "ccn", "social", "security", "code", "header", "auth", "pass", "pw", "key", "api", "private", "x"}
    | {"access", "author", "compass", "keystone", "discard", "during", "host", "instance", "name", "2", "value"}
    | set(secret_words.SECRET_WORDS)
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=4), STYLES)
def test_the_quick_test_never_changes_a_classification(parts: List[str], style: str) -> None:
    identifier = spell(parts, style)
    assert sensitive_module.classify_builtin(identifier) == sensitive_module._classify_words(identifier)


# Every place a value can take in a log call; {name} is the sensitive identifier, which is
# also a parameter of the function.
POSITIONS = {
    "argument": 'LOG.info("value %s", {name})',
    "second argument": 'LOG.warning("%s %s", value, {name})',
    "message": "LOG.info({name})",
    "f-string": 'LOG.info(f"value {{{name}}}")',
    "f-string repr": 'LOG.info(f"value {{{name}!r}}")',
    "percent": 'LOG.info("value %s" % {name})',
    "percent tuple": 'LOG.info("%s value %s" % (value, {name}))',
    "format": 'LOG.info("value {{}}".format({name}))',
    "format keyword": 'LOG.info("value {{v}}".format(v={name}))',
    "concatenation": 'LOG.info("value " + {name})',
    "str()": 'LOG.info("value %s", str({name}))',
    "log level": 'LOG.log(logging.INFO, "value %s", {name})',
    "exception": 'LOG.exception("value %s", {name})',
    "module function": 'logging.error("value %s", {name})',
    "structlog field": 'slog.info("event", field={name})',
    "structlog key": 'slog.info("event", {name}=value)',
    "structlog bind": "slog.bind({name}=value)",
    "extra value": 'LOG.info("event", extra={{"field": {name}}})',
    "extra key": 'LOG.info("event", extra={{"{name}": value}})',
    "named mapping": 'LOG.info("value %({name})s", {{"{name}": value}})',
    "attribute": 'LOG.info("value %s", obj.{name})',
    "item": 'LOG.info("value %s", data["{name}"])',
    "get": 'LOG.info("value %s", data.get("{name}"))',
    "built earlier": 'message = "value %s" % {name}\nLOG.info(message)',
    "copied": 'copy = {name}\nLOG.info("value %s", copy)',
    "dict": 'LOG.info("value %s", {{"user": value, "field": {name}}})',
    "list": 'LOG.info("values %s", [value, {name}])',
}
MASKED = {
    "mask_password": "strutils.mask_password({name})",
    "local mask": "mask({name})",
    "sha256": "hashlib.sha256({name}.encode()).hexdigest()",
    "len": "len({name})",
    "bool": "bool({name})",
    "is None": "{name} is None",
    "stars": "'*' * len({name})",
    "prefix": "{name}[:4]",
}
MASKED_POSITIONS = [
    'LOG.info("value %s", {masked})',
    'LOG.info(f"value {{{masked}}}")',
    'LOG.info("value %s" % ({masked},))',
    'LOG.info("value {{}}".format({masked}))',
    'slog.info("event", field={masked})',
    'LOG.info("event", extra={{"field": {masked}}})',
    'LOG.info("event", extra={{"{name}": {masked}}})',
    'slog.info("event", {name}={masked})',
    'masked = {masked}\nLOG.info("value %s", masked)',
]
POSITION_NAMES = sorted(POSITIONS)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def source_for(name: str, position: str) -> str:
    return in_function([name], POSITIONS[position].format(name=name) + "\n")


@SETTINGS
@given(secret_names(), st.sampled_from(POSITION_NAMES))
def test_sensitive_names_flag_in_every_position(name: str, position: str) -> None:
    assert classify(name) == SECRET, name
    source = source_for(name, position)
    assert "SQL301" in codes(source), source


@SETTINGS
@given(excluded_names(), st.sampled_from(POSITION_NAMES))
def test_excluded_names_never_flag(name: str, position: str) -> None:
    source = source_for(name, position)
    assert codes(source) == [], source


@SETTINGS
@given(secret_names(), st.sampled_from(sorted(MASKED)), st.sampled_from(MASKED_POSITIONS))
def test_masked_values_never_flag(name: str, masking: str, position: str) -> None:
    masked = MASKED[masking].format(name=name)
    source = in_function([name], position.format(masked=masked, name=name) + "\n")
    assert codes(source) == [], source


@SETTINGS
@given(secret_names(), st.sampled_from(POSITION_NAMES))
def test_reassigned_masked_value_never_flags(name: str, position: str) -> None:
    body = f"{name} = strutils.mask_password({name})\n" + POSITIONS[position].format(name=name) + "\n"
    if position in ("structlog key", "structlog bind", "extra key", "named mapping", "attribute", "item", "get"):
        return  # the name is a key there, not the masked variable
    assert codes(in_function([name], body)) == [], body


@SETTINGS
@given(st.sampled_from(CONNECTIONS), st.sampled_from(["argument", "f-string", "percent", "structlog field"]))
def test_connection_names_flag(name: str, position: str) -> None:
    assert "SQL302" in codes(source_for(name, position))


# --- the message literal never counts ----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'LOG.info("Invalid password")',
        'LOG.info("password reset requested for %s", value)',
        'LOG.info(f"token for {value} revoked")',
        'LOG.info("secret api_key token credentials")',
        'LOG.info("%s", "password")',
        'slog.info("password changed", user=value)',
    ],
)
def test_words_in_the_message_are_not_secrets(line: str) -> None:
    assert codes(in_function(["user"], line + "\n")) == []


# --- what is a logger -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ('LOG.info("%s", password)', ["SQL301"]),
        ('cache.info("%s", password)', []),
        ('parser.error("bad %s" % password)', []),
        ("print(password)", []),
        ('logger.debug("%s", password)', ["SQL301"]),
        ('audit_log.info("%s", password)', ["SQL301"]),
        ('self_logger.info("%s", password)', ["SQL301"]),
        ('messages.error(value, "%s" % password)', []),
    ],
)
def test_logger_resolution(body: str, expected: List[str]) -> None:
    assert (
        codes(
            in_function(["password", "cache", "parser", "logger", "audit_log", "self_logger", "messages"], body + "\n")
        )
        == expected
    )


def test_self_logger_resolves_through_init() -> None:
    source = PRELUDE + textwrap.dedent("""\
        class Service:
            def __init__(self, store):
                self.log = logging.getLogger("svc")
                self.store = store

            def run(self, password):
                self.log.info("%s", password)
                self.store.info("%s", password)
        """)
    line = source.splitlines().index('        self.log.info("%s", password)') + 1
    assert sql3_findings(source) == {(line, "SQL301")}


STORAGE_DRIVER = PRELUDE + textwrap.dedent("""\
    def find_storage_center(client, ssn):
        result = client.get("StorageCenter/StorageCenter")
        if result.get("scSerialNumber") != ssn:
            LOG.error("Failed to find storage center %(ssn)s", {"ssn": ssn})
    """)


def test_ssn_is_a_serial_number_in_a_module_that_speaks_of_serial_numbers() -> None:
    assert sql3_findings(STORAGE_DRIVER) == set()


def test_ssn_is_a_secret_elsewhere() -> None:
    source = STORAGE_DRIVER.replace("scSerialNumber", "customerId")
    line = source.splitlines().index('        LOG.error("Failed to find storage center %(ssn)s", {"ssn": ssn})') + 1
    assert sql3_findings(source) == {(line, "SQL301")}


OPENFLOW_AGENT = PRELUDE + textwrap.dedent("""\
    def packet_in_handler(ev):
        msg = ev.msg
        if msg.reason != ofproto.OFPR_ACTION:
            return
        LOG.warning("Unknown cookie=%s in packet", msg.cookie)
    """)


def test_cookie_is_a_flow_tag_in_a_module_that_speaks_openflow() -> None:
    assert sql3_findings(OPENFLOW_AGENT) == set()


def test_cookie_is_a_secret_elsewhere() -> None:
    source = OPENFLOW_AGENT.replace("ofproto.OFPR_ACTION", "ACTION")
    line = source.splitlines().index('    LOG.warning("Unknown cookie=%s in packet", msg.cookie)') + 1
    assert sql3_findings(source) == {(line, "SQL301")}


POLICY_DRIVER = PRELUDE + textwrap.dedent("""\
    def check(credentials, action, target):
        LOG.debug("enforce %(action)s: %(credentials)s", {"action": action, "credentials": credentials})
        policy.enforce(credentials, action, target)
    """)


def test_credentials_are_a_policy_checks_subject_where_one_is_made() -> None:
    assert sql3_findings(POLICY_DRIVER) == set()


def test_credentials_are_a_secret_elsewhere() -> None:
    source = POLICY_DRIVER.replace("policy.enforce(credentials, action, target)", "store.save(credentials)")
    line = source.splitlines().index(
        '    LOG.debug("enforce %(action)s: %(credentials)s", {"action": action, "credentials": credentials})'
    ) + 1
    assert sql3_findings(source) == {(line, "SQL301")}


def test_options() -> None:
    body = 'audit.info("%s", password)\n' 'LOG.info("%s", pin)\n' "token = scramble(token)\n" 'LOG.info("%s", token)\n'
    source = in_function(["audit", "password", "pin", "token", "scramble"], body)
    assert codes(source) == ["SQL301"]  # only the token: scramble() is not known to mask
    found = codes(source, logger_names=frozenset({"audit"}), sensitive_names=(re.compile("^pin$", re.I),))
    assert found == ["SQL301", "SQL301", "SQL301"]
    found = codes(
        source,
        logger_names=frozenset({"audit"}),
        masking_functions=frozenset({"scramble"}),
        safe_names=(re.compile("^password$", re.I),),
    )
    assert found == []


@pytest.mark.parametrize("flag", ["--sqlsec-sensitive-names", "--sqlsec-safe-names"])
def test_invalid_regex_names_the_option(flag: str) -> None:
    spec = next(s for s in OPTIONS if s.flag == flag)
    with pytest.raises(ConfigError) as raised:
        spec.parse(flag, ["(unclosed"])
    message = str(raised.value.code)
    assert message.startswith(f"flake8-sqlsec: invalid value for {flag}: '(unclosed'")
    assert "\n" not in message
