"""The rule catalogue: the one registry that drives messages, defaults, docs and SARIF.

Codes, symbolic names and defaults are the public contract; change them only with a
deprecation note in the CHANGELOG.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Tuple

# Every rule's page (What it does / Why is this bad? / Example / Use instead / Options /
# References) ships inside the package: `python -m flake8_sqlsec SQL101` prints it, and
# the SARIF log carries it as the rule's help.
DOCS_DIR = Path(__file__).resolve().parent / "docs"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str  # one line, used as SARIF shortDescription and in the README table
    description: str  # a paragraph, used as SARIF fullDescription
    hint: str  # how to fix, appended to every message
    default_enabled: bool = True
    cwe: Tuple[str, ...] = ("CWE-89",)
    security_severity: float = 8.0

    @property
    def family(self) -> str:
        return self.code[:4]

    @property
    def doc_path(self) -> Path:
        return DOCS_DIR / f"{self.code}.md"

    def doc(self) -> str:
        """The rule's page, as Markdown."""
        return self.doc_path.read_text(encoding="utf-8")

    def message(self, detail: str, hint: str = "") -> str:
        """``SQL101 sql-built-in-execute: <detail>; <hint>`` as flake8 prints it: one line,
        with the fix in the API's own terms when the check knows it."""
        return f"{self.code} {self.name}: {detail}; {hint or self.hint}"


_RULES = (
    # --- SQL1: raw SQL text handed to execution APIs -------------------------------------
    Rule(
        "SQL101",
        "sql-built-in-execute",
        "SQL text built by string interpolation reaches an execution API",
        "A SQL statement assembled with an f-string, %-formatting, str.format(), "
        "concatenation, str.join() or string.Template from values that are not constants "
        "is passed to a function that executes it. Any of those values that an attacker "
        "controls can change the statement.",
        "pass values as bind parameters",
        security_severity=9.0,
    ),
    Rule(
        "SQL102",
        "sql-built-by-interpolation",
        "SQL-looking text built by interpolation whose use is not seen reaching an execution API",
        "A string that has the shape of a SQL statement is built by interpolating values "
        "that are not constants, and is then returned, stored or passed on, so the place "
        "that executes it is out of sight.",
        "build the statement with placeholders and pass the values separately",
        security_severity=7.0,
    ),
    Rule(
        "SQL103",
        "raw-sql-constant",
        "Constant raw SQL text handed to an execution API (audit)",
        "A raw SQL statement that is a constant is executed. It is not injectable, but raw "
        "SQL bypasses the ORM; audits that inventory raw SQL enable this rule.",
        "prefer the ORM or a reviewed query module",
        default_enabled=False,
        security_severity=2.0,
    ),
    Rule(
        "SQL104",
        "sql-of-unknown-origin",
        "SQL argument of unknown origin handed to an execution API (audit)",
        "The statement passed to an execution API is a parameter, an attribute or the "
        "result of a call whose text cannot be seen here, so it may have been built "
        "unsafely elsewhere.",
        "make sure the caller builds it from constants and bind parameters",
        default_enabled=False,
        security_severity=4.0,
    ),
    Rule(
        "SQL105",
        "sql-from-request",
        "Request data used whole as the SQL text of an execution API",
        "A value read from the web request or the command line (a query parameter, a "
        "form field, a JSON body, sys.argv) is passed, as it is, as the statement to a "
        "function that executes it. Whoever sends the request writes the statement.",
        "never execute text a client sent; pick the statement from an allow-list and "
        "pass the client's values as bind parameters",
        security_severity=9.5,
    ),
    # --- SQL2: string-built filters and fragments in ORMs -----------------------------
    Rule(
        "SQL201",
        "orm-fragment-built",
        "String-built SQL given to SQLAlchemy or peewee query construction",
        "text(), literal_column(), column(), table(), peewee SQL() or a bare string built "
        "by interpolation is used inside a query's filter, where, having, order_by, "
        "group_by, join, select_from or a similar clause, where it is copied into the "
        "statement as SQL.",
        "use column expressions and bindparam() / bound values instead of SQL text",
        security_severity=8.5,
    ),
    Rule(
        "SQL202",
        "django-raw-fragment-built",
        "String-built SQL in a Django escape hatch (extra(), RawSQL, template=)",
        "QuerySet.extra(), RawSQL() and the template of Func/Expression subclasses put their "
        "text into the statement verbatim; text built by interpolation there is injectable.",
        "use ORM expressions, or placeholders with params=[...]",
        security_severity=8.5,
    ),
    Rule(
        "SQL203",
        "orm-identifier-from-string",
        "ORM identifier or lookup taken from a non-constant string (audit)",
        "A column name, ordering, lookup or Trunc/Extract kind is taken from a variable. "
        "Unless it is checked against an allow-list, a caller chooses which column is "
        "read or how the SQL is written (CVE-2021-35042, CVE-2022-34265).",
        "check the value against an allow-list of known names first",
        default_enabled=False,
        security_severity=5.0,
    ),
    Rule(
        "SQL204",
        "orm-fragment-from-request",
        "Request data used whole as a raw SQL fragment of an ORM query",
        "A value read from the web request (a query parameter, a form field, a JSON body) "
        "is given, as it is, to a slot of an ORM query that takes raw SQL: Django's "
        "extra() and RawSQL(), SQLAlchemy's text() and literal_column() inside a query. "
        "Whoever sends the request writes that part of the statement.",
        "take the fragment from an allow-list mapping, or pass the value as a bound parameter",
        security_severity=9.0,
    ),
    # --- SQL3: sensitive data in log calls ---------------------------------------------
    Rule(
        "SQL301",
        "secret-in-log",
        "A secret is passed to a logger call",
        "Passwords, tokens, API keys, private keys, credentials, authorization headers, "
        "card numbers and similar values end up in log files, which are read by many more "
        "people and systems than the secret was meant for.",
        "log a masked value or drop it",
        cwe=("CWE-532",),
        security_severity=7.5,
    ),
    Rule(
        "SQL302",
        "connection-details-in-log",
        "Database connection details are logged",
        "A DSN, connection string or database URL usually carries the database password; "
        "logging it puts the credentials in the log.",
        "log the URL with the password hidden (url.render_as_string(hide_password=True))",
        cwe=("CWE-532",),
        security_severity=7.5,
    ),
    Rule(
        "SQL303",
        "db-exception-in-log",
        "Database exception text is logged",
        "The text of a database driver or ORM exception carries the SQL statement and its "
        "bound parameters, which may be passwords or personal data.",
        "log the exception class or a fixed message",
        cwe=("CWE-532", "CWE-209"),
        security_severity=6.0,
    ),
    Rule(
        "SQL304",
        "bulk-dump-in-log",
        "A bulk dump (locals(), os.environ, request data) is logged",
        "Dumping all local variables, the environment or a whole request logs every secret "
        "that happens to be in it.",
        "log the few named fields you need",
        cwe=("CWE-532",),
        security_severity=6.5,
    ),
    Rule(
        "SQL305",
        "db-exception-in-response",
        "Database exception text is sent to the client",
        "The text of a database driver or ORM exception carries the SQL statement and its "
        "bound parameters; put into an HTTP response, an HTTP exception's detail or what "
        "a route returns, it shows the client the schema, the query and other users' data.",
        "answer with a fixed message and an error id, and log the details under that id",
        cwe=("CWE-209",),
        security_severity=6.5,
    ),
    Rule(
        "SQL306",
        "db-traceback-in-log",
        "A database error's traceback is logged (audit)",
        "LOG.exception() or exc_info=True inside an except for a database error writes the "
        "exception's text with the traceback: the SQL statement and, unless the engine hides "
        "them, its bound parameters. Files that create their engines with "
        "hide_parameters=True are not reported.",
        "create the engine with hide_parameters=True, or log the exception class without the traceback",
        default_enabled=False,
        cwe=("CWE-532",),
        security_severity=4.0,
    ),
    # --- SQL4: engine settings that log SQL parameters ---------------------------------
    Rule(
        "SQL401",
        "engine-echo-parameters",
        "SQLAlchemy engine echoes statements with their parameters",
        "echo=True or echo='debug' logs every statement with its bound parameters unless "
        "hide_parameters=True is also given.",
        "pass hide_parameters=True or turn echo off outside development",
        cwe=("CWE-532",),
        security_severity=5.0,
    ),
    Rule(
        "SQL402",
        "sql-logger-verbose",
        "SQL loggers set to INFO/DEBUG (audit)",
        "The sqlalchemy.engine logger at INFO/DEBUG, or django.db.backends at DEBUG, "
        "logs every statement and its parameters.",
        "keep SQL loggers at WARNING in production",
        default_enabled=False,
        cwe=("CWE-532",),
        security_severity=4.0,
    ),
    # --- SQL9: the plugin's own health -------------------------------------------------
    Rule(
        "SQL999",
        "internal-error",
        "flake8-sqlsec failed on this file",
        "The plugin hit an internal error on this file and reported it instead of stopping "
        "flake8. Other files and other plugins are not affected.",
        "please report it with the file that triggers it",
        cwe=(),
        security_severity=0.0,
    ),
)

RULES: Dict[str, Rule] = {rule.code: rule for rule in _RULES}
DEFAULT_OFF = tuple(code for code, rule in RULES.items() if not rule.default_enabled)


def rules_of(family: str) -> Tuple[Rule, ...]:
    return tuple(rule for rule in _RULES if rule.code.startswith(family))


def codes_of(family: str) -> Tuple[str, ...]:
    """The codes of a family (``SQL1`` -> SQL101, SQL102...), as the registry lists them."""
    return tuple(rule.code for rule in rules_of(family))
