"""Property tests for SQL101/SQL102/SQL201: generated programs, checked in-process.

Each example is one small module: a function that builds SQL text in one of the ways
Python allows, and hands it to one of the execution APIs the plugin knows, directly or
through a local variable, a walrus or a nested function, under a few levels of
unrelated blocks. Interpolated text must be reported exactly once, at the sink; the
parameterised equivalents and prose never are.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from flake8_sqlsec import config
from flake8_sqlsec.knowledge.statements import _PROSE_WORDS as PROSE_WORDS
from flake8_sqlsec.knowledge.statements import names_sql_text
from flake8_sqlsec.plugin import ORMFragmentChecker, RawSQLChecker
from flake8_sqlsec.rules import RULES

EXAMPLES = 100
# No "explain" phase: it re-runs a failing example many times to annotate it, which costs
# far more than the search itself here.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
SINK_MARK = "# <sink>"
BUILD_MARK = "# <built>"


@pytest.fixture(scope="module", autouse=True)
def _keep_settings():
    saved = config.CURRENT
    yield
    config.CURRENT = saved


def findings(source: str) -> List[Tuple[int, str]]:
    """(line, code) of every SQL1 and SQL2 finding, with every rule selected."""
    tree = ast.parse(source)
    config.CURRENT = config.Config(selected=frozenset(RULES))
    lines = source.splitlines(True)
    result = []
    for checker in (RawSQLChecker, ORMFragmentChecker):
        for line, _col, message, _type in checker(tree, "t.py", lines).run():
            result.append((line, message.split()[0]))
    return sorted(result)


def line_of(source: str, mark: str) -> int:
    (number,) = [i for i, text in enumerate(source.splitlines(), start=1) if text.rstrip().endswith(mark)]
    return number


# --- the module every example lives in ----------------------------------------------------

HEADER = """\
import html
import logging
import shlex
import sqlite3
from string import Template
from urllib.parse import quote

import asyncpg
import duckdb
import pandas as pd
import peewee
import psycopg2
from alembic import op
from django.db import connection, models
from psycopg2 import sql
from pyspark.sql import SparkSession
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from myapp.models import User
from myapp.notify import notify

logger = logging.getLogger(__name__)

TABLE = "users"
engine = create_engine("postgresql://app@localhost/app")
pw_db = peewee.SqliteDatabase("app.db")


class Article(models.Model):
    title = models.CharField(max_length=200)

"""

# Names the generated code uses itself; generated identifiers avoid them.
RESERVED = frozenset("""
logging sqlite3 asyncpg duckdb pd peewee psycopg2 op connection models sql text select create_engine
engine pw_db logger notify conn cur cursor session con dsn spark flag self inner run outer fh obj
item items i val value ph marks parts stmt
""".split()) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))

IDENT = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(
    lambda s: s not in RESERVED and not s.startswith("__")
)

# SQL identifiers used inside statement text.
SQL_WORDS = frozenset("""
select from where into values set update delete insert table create drop alter view index on as by
order group limit offset join and or not null is in like using with all distinct
returning cascade if exists truncate merge when then matched case end union having to primary key
""".split())
# Table names drawn here stand at the end of a statement as often as not; a table named
# with an English pronoun or determiner there ("SELECT x FROM us") reads as prose and is
# judged by what follows it, which the statements of test_analysis_units cover.
SQL_IDENT = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(
    lambda s: s not in SQL_WORDS and s not in PROSE_WORDS
)


# --- where the SQL goes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sink:
    """One execution API and the code that gets an object to call it on."""

    name: str
    call: str  # with {sql}
    bound: str  # the same call with the value bound: {sql} and {v}
    ph: str  # how a bound value is written in the SQL text
    params: Tuple[str, ...] = ()  # parameters the function needs besides the value
    prelude: Tuple[str, ...] = ()  # statements before the SQL is built ({v}: the value's name)
    block: Optional[str] = None  # a ``with`` header the call sits in
    code: str = "SQL101"
    is_async: bool = False
    method: bool = False  # lives in a class whose __init__ opens the connection
    clause: bool = False  # the SQL is a condition inside a query clause
    takes_bytes: bool = False  # psycopg2: bytes statements and sql.SQL composition


SINKS = [
    Sink(
        "sqlite3",
        "cur.execute({sql})",
        "cur.execute({sql}, ({v},))",
        "?",
        prelude=('conn = sqlite3.connect("app.db")', "cur = conn.cursor()"),
    ),
    Sink(
        "psycopg2-with",
        "cur.execute({sql})",
        "cur.execute({sql}, ({v},))",
        "%s",
        params=("dsn",),
        prelude=("conn = psycopg2.connect(dsn)",),
        block="with conn.cursor() as cur:",
        takes_bytes=True,
    ),
    Sink("annotated-cursor", "cur.execute({sql})", "cur.execute({sql}, ({v},))", "?", params=("cur: sqlite3.Cursor",)),
    Sink(
        "self-cursor",
        "self.cursor.execute({sql})",
        "self.cursor.execute({sql}, ({v},))",
        "%s",
        method=True,
        takes_bytes=True,
    ),
    Sink(
        "asyncpg",
        "await conn.fetch({sql})",
        "await conn.fetch({sql}, {v})",
        "$1",
        params=("dsn",),
        prelude=("conn = await asyncpg.connect(dsn)",),
        is_async=True,
    ),
    Sink(
        "sqlalchemy-text",
        "session.execute(text({sql}))",
        'session.execute(text({sql}), {{"val": {v}}})',
        ":val",
        params=("session: Session",),
    ),
    Sink("sqlalchemy-engine", "engine.execute({sql})", "engine.execute({sql}, ({v},))", "%s"),
    Sink("django-raw", "Article.objects.raw({sql})", "Article.objects.raw({sql}, [{v}])", "%s"),
    Sink(
        "django-cursor",
        "cursor.execute({sql})",
        "cursor.execute({sql}, [{v}])",
        "%s",
        block="with connection.cursor() as cursor:",
    ),
    Sink("pandas", "pd.read_sql({sql}, con)", "pd.read_sql({sql}, con, params=({v},))", "%s", params=("con",)),
    Sink(
        "alembic",
        "op.execute({sql})",
        "op.execute(text({sql}).bindparams(val={v}))",
        ":val",
        # a migration helper's parameters are its scripts' own: the value comes from elsewhere
        prelude=("{v} = read_value()",),
    ),
    Sink("peewee", "pw_db.execute_sql({sql})", "pw_db.execute_sql({sql}, ({v},))", "?"),
    Sink("duckdb", "duckdb.sql({sql})", "duckdb.sql({sql}, params=[{v}])", "?"),
    Sink(
        "pyspark",
        "spark.sql({sql})",
        'spark.sql({sql}, args={{"val": {v}}})',
        ":val",
        prelude=('spark = SparkSession.builder.appName("report").getOrCreate()',),
    ),
    Sink(
        "sqlalchemy-filter",
        "session.query(User).filter(text({sql})).all()",
        "session.query(User).filter(text({sql}).bindparams(val={v})).all()",
        ":val",
        params=("session: Session",),
        code="SQL201",
        clause=True,
    ),
    Sink(
        "sqlalchemy-where",
        "session.execute(select(User).where(text({sql})))",
        "session.execute(select(User).where(text({sql}).bindparams(val={v})))",
        ":val",
        params=("session: Session",),
        code="SQL201",
        clause=True,
    ),
]

# Statements (and conditions, for clauses) split around the place the value goes.
STATEMENTS = [
    "SELECT id, name FROM {t} WHERE {c} = '@'",
    "SELECT * FROM @ WHERE {c} = 1",
    "SELECT @ FROM {t}",
    "SELECT {c}, count(*) FROM {t} GROUP BY {c} ORDER BY @",
    "SELECT *\\n  FROM {t}\\n WHERE {c} = '@'",
    "INSERT INTO @ ({c}) VALUES (1)",
    "INSERT INTO {t} ({c}) VALUES ('@')",
    "UPDATE {t} SET {c} = '@' WHERE id = 1",
    "UPDATE @ SET {c} = 0",
    "DELETE FROM {t} WHERE {c} = @",
    "DELETE FROM @",
    "CREATE TABLE IF NOT EXISTS @ ({c} INTEGER PRIMARY KEY)",
    "ALTER TABLE @ ADD COLUMN {c} boolean",
    "DROP TABLE IF EXISTS @",
    "TRUNCATE TABLE @",
    "WITH recent AS (SELECT * FROM {t} WHERE {c} = '@') SELECT * FROM recent",
    "MERGE INTO {t} USING @ src ON {t}.id = src.id WHEN MATCHED THEN DELETE",
    "EXPLAIN SELECT * FROM @",
]
CONDITIONS = [
    "{c} = '@'",
    "{c} > @",
    "@ = 1",
    "{t}.{c} IS NOT NULL AND {c} = '@'",
]


@dataclass
class Built:
    """SQL text built from the value ``v``: statements to run first, and the expression."""

    lines: List[str] = field(default_factory=list)
    expr: str = ""
    statement_form: bool = False  # lines assign ``n``; the expression is just ``n``


def _lit(text: str) -> str:
    return '"' + text + '"'


def _concat(pre: str, middle: str, post: str, prefix: str = "") -> str:
    pieces = ([prefix + _lit(pre)] if pre else []) + [middle] + ([prefix + _lit(post)] if post else [])
    if not pre:  # the value leads: keep a literal first so it is not read as SQL text
        pieces = [prefix + _lit("")] + pieces
    return " + ".join(pieces)


# form name -> (bytes form?, builder(pre, post, v, n) -> Built)
FORMS: dict = {
    "f-string": (False, lambda pre, post, v, n: Built(expr=f'f"{pre}{{{v}}}{post}"')),
    "f-string !r": (False, lambda pre, post, v, n: Built(expr=f'f"{pre}{{{v}!r}}{post}"')),
    "f-string with a call": (False, lambda pre, post, v, n: Built(expr=f'f"{pre}{{{v}.strip()}}{post}"')),
    "f-string encoded": (True, lambda pre, post, v, n: Built(expr=f'f"{pre}{{{v}}}{post}".encode()')),
    "% tuple": (False, lambda pre, post, v, n: Built(expr=f'"{pre}%s{post}" % ({v},)')),
    "% dict": (False, lambda pre, post, v, n: Built(expr=f'"{pre}%(val)s{post}" % {{"val": {v}}}')),
    "% single value": (False, lambda pre, post, v, n: Built(expr=f'"{pre}%s{post}" % {v}')),
    "format positional": (False, lambda pre, post, v, n: Built(expr=f'"{pre}{{}}{post}".format({v})')),
    "format indexed": (False, lambda pre, post, v, n: Built(expr=f'"{pre}{{0}}{post}".format({v})')),
    "format keyword": (False, lambda pre, post, v, n: Built(expr=f'"{pre}{{val}}{post}".format(val={v})')),
    "format_map": (False, lambda pre, post, v, n: Built(expr=f'"{pre}{{val}}{post}".format_map({{"val": {v}}})')),
    "concatenation": (False, lambda pre, post, v, n: Built(expr=_concat(pre, v, post))),
    "concatenation of str()": (False, lambda pre, post, v, n: Built(expr=_concat(pre, f"str({v})", post))),
    "concatenation of a conditional": (
        False,
        lambda pre, post, v, n: Built(expr=_concat(pre, f'({v} if flag else "x")', post)),
    ),
    "str.join of a list": (False, lambda pre, post, v, n: Built(expr=f'" ".join(["{pre}", {v}, "{post}"])')),
    "Template.substitute": (
        False,
        lambda pre, post, v, n: Built(expr=f'Template("{pre}$val{post}").substitute(val={v})'),
    ),
    "Template.substitute dict": (
        False,
        lambda pre, post, v, n: Built(expr=f'Template("{pre}${{val}}{post}").substitute({{"val": {v}}})'),
    ),
    "Template.safe_substitute": (
        False,
        lambda pre, post, v, n: Built(expr=f'Template("{pre}$val{post}").safe_substitute(val={v})'),
    ),
    # escaping made for another language leaves the value what it was for SQL
    "f-string of html.escape()": (False, lambda pre, post, v, n: Built(expr=f'f"{pre}{{html.escape({v})}}{post}"')),
    "% of shlex.quote()": (False, lambda pre, post, v, n: Built(expr=f'"{pre}%s{post}" % shlex.quote({v})')),
    "concatenation of quote()": (False, lambda pre, post, v, n: Built(expr=_concat(pre, f"quote({v})", post))),
    "str.replace": (False, lambda pre, post, v, n: Built(expr=f'"{pre}__VALUE__{post}".replace("__VALUE__", {v})')),
    "+= in a branch": (
        False,
        lambda pre, post, v, n: Built(
            lines=[
                f"{n} = {_lit(pre)}",
                "if flag:",
                f"    {n} += {v}  {BUILD_MARK}",
                "else:",
                f'    {n} += "default"',
                f"{n} += {_lit(post)}",
            ],
            expr=n,
            statement_form=True,
        ),
    ),
    "appended parts joined": (
        False,
        lambda pre, post, v, n: Built(
            lines=[
                f"{n}_parts = [{_lit(pre)}]",
                f"{n}_parts.append({v})",
                f"{n}_parts.append({_lit(post)})",
                f'{n} = "".join({n}_parts)  {BUILD_MARK}',
            ],
            expr=n,
            statement_form=True,
        ),
    ),
    "bytes concatenation": (True, lambda pre, post, v, n: Built(expr=_concat(pre, v, post, prefix="b"))),
    "bytes % tuple": (True, lambda pre, post, v, n: Built(expr=f'b"{pre}%s{post}" % ({v},)')),
}


def _indent(lines: Sequence[str], depth: int = 1) -> List[str]:
    return [("    " * depth + line) if line else line for line in lines]


WRAPPERS = {
    "if": (["if True:"], []),
    "for": (["for _ in range(1):"], []),
    "try": (["try:"], ["except Exception:", "    pass"]),
}


def _wrap(body: List[str], wrappers: Sequence[str]) -> List[str]:
    for name in reversed(wrappers):
        head, tail = WRAPPERS[name]
        body = head + _indent(body) + tail
    return body


def _sink_lines(sink: Sink, call: str) -> List[str]:
    line = f"{call}  {SINK_MARK}"
    return [sink.block, "    " + line] if sink.block else [line]


def program(
    sink: Sink,
    v: str,
    built: Built,
    call: str,
    via: str,
    nested: bool,
    wrappers: Sequence[str],
    n: str,
    extra_params: Sequence[str] = (),
) -> str:
    """The module: the header, then the function that builds and executes the SQL."""
    if via == "variable" or built.statement_form:
        steps = list(built.lines)
        if not built.statement_form:
            steps.append(f"{n} = {built.expr}  {BUILD_MARK}")
        argument = n
    elif via == "walrus":
        steps = []
        argument = f"{n} := {built.expr}"
    else:
        steps = []
        argument = built.expr
    sink_call = call.replace("{sql}", argument)
    prelude = [line.replace("{v}", v) for line in sink.prelude]
    if nested:
        inner = "async def inner():" if sink.is_async else "def inner():"
        body = prelude + steps + [inner] + _indent(_sink_lines(sink, sink_call)) + ["return inner"]
    else:
        body = prelude + steps + _sink_lines(sink, sink_call)
    body = _wrap(body, wrappers)
    params = ", ".join([*sink.params, v, "flag", *extra_params])
    if sink.method:
        function = [
            "class Repository:",
            '    table = "users"',
            "",
            "    def __init__(self, dsn):",
            "        self.conn = psycopg2.connect(dsn)",
            "        self.cursor = self.conn.cursor()",
            "",
            f"    def run(self, {params}):",
            *_indent(body, 2),
        ]
    else:
        function = [f"{'async ' if sink.is_async else ''}def run({params}):", *_indent(body)]
    return HEADER + "\n" + "\n".join(function) + "\n"


@st.composite
def names(draw) -> Tuple[str, str]:
    # A value whose name says it is SQL text (``sql``, ``query``, ``where``...) and that leads
    # the text is read as the statement itself (``f"{sql} LIMIT 1"``), by design: the value
    # here is a value put into SQL, so its name must not say otherwise.
    v = draw(IDENT.filter(lambda s: s != "_" and not names_sql_text(s)))
    n = draw(IDENT.filter(lambda s: s not in (v, "_") and v not in (s + "_parts",)))
    return v, n


WRAPPING = st.lists(st.sampled_from(sorted(WRAPPERS)), max_size=3)
VIA = st.sampled_from(["direct", "variable", "walrus"])


@st.composite
def statement_text(draw, sink: Sink) -> Tuple[str, str]:
    shape = draw(st.sampled_from(CONDITIONS if sink.clause else STATEMENTS))
    text = shape.format(t=draw(SQL_IDENT), c=draw(SQL_IDENT))
    pre, _, post = text.partition("@")
    return pre, post


@st.composite
def built_cases(draw):
    sink = draw(st.sampled_from(SINKS))
    form_names = sorted(name for name, (is_bytes, _) in FORMS.items() if sink.takes_bytes or not is_bytes)
    form = draw(st.sampled_from(form_names))
    pre, post = draw(statement_text(sink))
    v, n = draw(names())
    built = FORMS[form][1](pre, post, v, n)
    via = draw(VIA)
    source = program(sink, v, built, sink.call, via, draw(st.booleans()), draw(WRAPPING), n)
    return sink, form, source


@settings(max_examples=EXAMPLES * 5, deadline=None, phases=PHASES)
@given(built_cases())
def test_interpolated_sql_is_reported_once_at_the_sink(case) -> None:
    sink, form, source = case
    expected = [(line_of(source, SINK_MARK), sink.code)]
    assert findings(source) == expected, f"{sink.name} / {form}:\n{source}"


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("sink", SINKS, ids=[s.name for s in SINKS])
def test_every_form_reaches_every_sink(sink: Sink, form: str) -> None:
    """The whole cross product once, plainly, so a gap shows up by name."""
    is_bytes, build = FORMS[form]
    if is_bytes and not sink.takes_bytes:
        return
    text = CONDITIONS[0] if sink.clause else STATEMENTS[0]
    pre, _, post = text.format(t="users", c="name").partition("@")
    source = program(sink, "name", build(pre, post, "name", "query"), sink.call, "variable", False, [], "query")
    assert findings(source) == [(line_of(source, SINK_MARK), sink.code)], source


# --- the parameterised equivalents --------------------------------------------------------------


@dataclass(frozen=True)
class Safe:
    bound: bool  # the value goes in as a bind parameter
    build: Callable[[Sink, str, str], Built]
    only: Optional[Callable[[Sink], bool]] = None
    named: bool = False  # bound by name: %(val)s with a mapping

    def call(self, sink: Sink, v: str) -> str:
        if not self.bound:
            return sink.call
        bound = sink.bound
        if self.named:
            bound = bound.replace("({v},)", '{{"val": {v}}}').replace("[{v}]", '{{"val": {v}}}')
        return bound.replace("{v}", v).replace("{{", "{").replace("}}", "}")


def _marks(sink: Sink) -> str:
    return "?" if sink.ph == "?" else "%s"


SAFE_FORMS = {
    "placeholder": Safe(True, lambda s, v, n: Built(expr=_lit(f"SELECT id, name FROM users WHERE name = {s.ph}"))),
    "named placeholder": Safe(
        True,
        lambda s, v, n: Built(expr=_lit("SELECT id, name FROM users WHERE name = %(val)s")),
        only=lambda s: s.ph == "%s",
        named=True,
    ),
    "constant f-string": Safe(True, lambda s, v, n: Built(expr=f'f"SELECT * FROM users WHERE name = {s.ph}"')),
    "module constant in an f-string": Safe(
        True, lambda s, v, n: Built(expr=f'f"SELECT * FROM {{TABLE}} WHERE name = {s.ph}"')
    ),
    "module constant concatenated": Safe(
        True, lambda s, v, n: Built(expr=f'"SELECT * FROM " + TABLE + " WHERE name = {s.ph}"')
    ),
    "module constant by %": Safe(
        True, lambda s, v, n: Built(expr=f'"SELECT * FROM %s WHERE name = {s.ph.replace("%", "%%")}" % TABLE')
    ),
    "module constant by format": Safe(
        True, lambda s, v, n: Built(expr=f'"SELECT * FROM {{}} WHERE name = {s.ph}".format(TABLE)')
    ),
    "local constant": Safe(
        True,
        lambda s, v, n: Built(
            lines=[f'{n}_table = "users"'], expr=f'f"SELECT * FROM {{{n}_table}} WHERE name = {s.ph}"'
        ),
    ),
    "constant parts concatenated": Safe(
        False, lambda s, v, n: Built(expr='"SELECT id FROM users" + " WHERE active = 1" + " ORDER BY id"')
    ),
    "constant alternatives": Safe(
        False, lambda s, v, n: Built(expr="f\"SELECT * FROM users ORDER BY id {'ASC' if flag else 'DESC'}\"")
    ),
    "%d": Safe(False, lambda s, v, n: Built(expr=f'"SELECT * FROM users ORDER BY id LIMIT %d" % {v}')),
    "%(n)d": Safe(False, lambda s, v, n: Built(expr=f'"SELECT * FROM users LIMIT %(n)d" % {{"n": {v}}}')),
    "int() in an f-string": Safe(False, lambda s, v, n: Built(expr=f'f"SELECT * FROM users LIMIT {{int({v})}}"')),
    ":d in an f-string": Safe(False, lambda s, v, n: Built(expr=f'f"SELECT * FROM users WHERE batch = {{{v}:d}}"')),
    "int() by format": Safe(False, lambda s, v, n: Built(expr=f'"SELECT * FROM users LIMIT {{}}".format(int({v}))')),
    "len() concatenated": Safe(False, lambda s, v, n: Built(expr=f'"SELECT * FROM users LIMIT " + str(len({v}))')),
    "placeholders from a generator": Safe(
        True,
        lambda s, v, n: Built(
            lines=[f'{n}_marks = ",".join("{_marks(s)}" for _ in {v})'],
            expr=f'f"SELECT * FROM users WHERE id IN ({{{n}_marks}})"',
        ),
    ),
    "placeholders from a list product": Safe(
        True,
        lambda s, v, n: Built(
            lines=[f'{n}_marks = ", ".join(["{_marks(s)}"] * len({v}))'],
            expr=f'"SELECT * FROM users WHERE id IN (" + {n}_marks + ")"',
        ),
    ),
    "placeholders from a string product": Safe(
        True, lambda s, v, n: Built(expr=f'"SELECT * FROM users WHERE id IN (%s)" % ",".join("?" * len({v}))')
    ),
    "sql.SQL composition": Safe(
        True,
        lambda s, v, n: Built(expr=f'sql.SQL("SELECT * FROM {{}} WHERE id = %s").format(sql.Identifier({v}))'),
        only=lambda s: s.takes_bytes,
    ),
    "class constant": Safe(
        True,
        lambda s, v, n: Built(expr=f'f"SELECT * FROM {{self.table}} WHERE name = {s.ph}"'),
        only=lambda s: s.method,
    ),
}


@st.composite
def safe_cases(draw):
    sink = draw(st.sampled_from(SINKS))
    choices = sorted(name for name, safe in SAFE_FORMS.items() if safe.only is None or safe.only(sink))
    form = draw(st.sampled_from(choices))
    safe = SAFE_FORMS[form]
    v, n = draw(names())
    built = safe.build(sink, v, n)
    call = safe.call(sink, v)
    via = draw(VIA)
    if built.lines:
        built = Built(lines=built.lines + [f"{n} = {built.expr}"], expr=n, statement_form=True)
    source = program(sink, v, built, call, via, draw(st.booleans()), draw(WRAPPING), n)
    return sink, form, source


NEVER = {"SQL101", "SQL102", "SQL201", "SQL202"}


@settings(max_examples=EXAMPLES * 3, deadline=None, phases=PHASES)
@given(safe_cases())
def test_parameterised_sql_is_never_reported_as_built(case) -> None:
    sink, form, source = case
    found = findings(source)
    assert not [f for f in found if f[1] in NEVER], f"{sink.name} / {form}:\n{source}\n{found}"


@pytest.mark.parametrize("form", sorted(SAFE_FORMS))
@pytest.mark.parametrize("sink", SINKS, ids=[s.name for s in SINKS])
def test_every_safe_form_at_every_sink(sink: Sink, form: str) -> None:
    safe = SAFE_FORMS[form]
    if safe.only is not None and not safe.only(sink):
        return
    built = safe.build(sink, "name", "query")
    if built.lines:
        built = Built(lines=built.lines + [f"query = {built.expr}"], expr="query", statement_form=True)
    call = safe.call(sink, "name")
    source = program(sink, "name", built, call, "variable", False, [], "query")
    found = findings(source)
    assert not [f for f in found if f[1] in NEVER], f"{source}\n{found}"


# --- SQL text that leaves the function: SQL102 -------------------------------------------------

ESCAPES = {
    "returned": lambda expr: [f"return {expr}"],
    "stored": lambda expr: [f"obj.statement = {expr}"],
    "passed on": lambda expr: [f"notify({expr})"],
}


@st.composite
def escaping_cases(draw):
    form = draw(st.sampled_from(sorted(name for name, (is_bytes, _) in FORMS.items() if not is_bytes)))
    shape = draw(st.sampled_from(STATEMENTS))
    pre, _, post = shape.format(t=draw(SQL_IDENT), c=draw(SQL_IDENT)).partition("@")
    v, n = draw(names())
    built = FORMS[form][1](pre, post, v, n)
    how = draw(st.sampled_from(sorted(ESCAPES)))
    if built.statement_form:
        steps = built.lines + ESCAPES[how](built.expr)
    else:
        steps = ESCAPES[how](built.expr)
        steps[-1] += f"  {BUILD_MARK}"
    body = _wrap(steps, draw(WRAPPING))
    source = HEADER + "\n" + "\n".join([f"def build({v}, flag, obj):", *_indent(body)]) + "\n"
    return form, how, source


@settings(max_examples=EXAMPLES * 2, deadline=None, phases=PHASES)
@given(escaping_cases())
def test_built_sql_that_leaves_unexecuted_is_reported_where_it_is_built(case) -> None:
    form, how, source = case
    expected = [(line_of(source, BUILD_MARK), "SQL102")]
    assert findings(source) == expected, f"{form} / {how}:\n{source}"


# --- prose and display-only text: never SQL102 ------------------------------------------------

PROSE = [
    "Please select from the menu, @",
    "Update your profile, @",
    "Deleted from the cart: @ items",
    "select returned @ rows",
    "Select one item from the list: @",
    "Insert into the database failed for @",
    "drop me a line at @",
    "Could not update @",
    "Could not delete from @: row is locked",
    "Select a file from your computer, @",
    "Hello @, your order from the shop has shipped",
    "Update the settings from the panel for @",
]

DISPLAYS = {
    "print": lambda expr: [f"print({expr})"],
    "logger.info": lambda expr: [f"logger.info({expr})"],
    "logging.warning": lambda expr: [f"logging.warning({expr})"],
    "raise ValueError": lambda expr: [f"raise ValueError({expr})"],
    "assert message": lambda expr: [f"assert flag, {expr}"],
}
PROSE_FORMS = sorted(name for name, (is_bytes, _) in FORMS.items() if not is_bytes)


def _text_program(v: str, n: str, form: str, text: str, destination: List[str], wrappers) -> str:
    pre, _, post = text.partition("@")
    built = FORMS[form][1](pre, post, v, n)
    steps = (built.lines if built.statement_form else []) + destination
    body = _wrap(steps, wrappers)
    return HEADER + "\n" + "\n".join([f"def show({v}, flag, obj):", *_indent(body)]) + "\n"


@settings(max_examples=EXAMPLES * 2, deadline=None, phases=PHASES)
@given(names(), st.sampled_from(PROSE_FORMS), st.sampled_from(PROSE), st.sampled_from(sorted(DISPLAYS)), WRAPPING)
def test_prose_shown_to_people_is_never_sql(pair, form, text, display, wrappers) -> None:
    v, n = pair
    built = FORMS[form][1](*text.partition("@")[::2], v, n)
    source = _text_program(v, n, form, text, DISPLAYS[display](built.expr), wrappers)
    assert not [f for f in findings(source) if f[1] == "SQL102"], source


@settings(max_examples=EXAMPLES, deadline=None, phases=PHASES)
@given(names(), st.sampled_from(PROSE_FORMS), st.sampled_from(STATEMENTS), st.sampled_from(sorted(DISPLAYS)), WRAPPING)
def test_sql_shown_to_people_is_not_sql102(pair, form, shape, display, wrappers) -> None:
    v, n = pair
    text = shape.format(t="users", c="name")
    built = FORMS[form][1](*text.partition("@")[::2], v, n)
    source = _text_program(v, n, form, text, DISPLAYS[display](built.expr), wrappers)
    assert not [f for f in findings(source) if f[1] == "SQL102"], source


@settings(max_examples=EXAMPLES * 2, deadline=None, phases=PHASES)
@given(names(), st.sampled_from(PROSE_FORMS), st.sampled_from(PROSE), st.sampled_from(sorted(ESCAPES)), WRAPPING)
def test_prose_that_leaves_the_function_is_never_sql(pair, form, text, how, wrappers) -> None:
    v, n = pair
    built = FORMS[form][1](*text.partition("@")[::2], v, n)
    source = _text_program(v, n, form, text, ESCAPES[how](built.expr), wrappers)
    assert findings(source) == [], source


# --- nesting does not change the answer ------------------------------------------------------------


@st.composite
def any_case(draw):
    """A built case or a safe case, with its body not wrapped yet."""
    sink = draw(st.sampled_from(SINKS))
    v, n = draw(names())
    via = draw(VIA)
    nested = draw(st.booleans())
    if draw(st.booleans()):
        form = draw(st.sampled_from(sorted(name for name, (b, _) in FORMS.items() if sink.takes_bytes or not b)))
        pre, post = draw(statement_text(sink))
        built, call = FORMS[form][1](pre, post, v, n), sink.call
    else:
        choices = sorted(name for name, safe in SAFE_FORMS.items() if safe.only is None or safe.only(sink))
        safe = SAFE_FORMS[draw(st.sampled_from(choices))]
        built = safe.build(sink, v, n)
        if built.lines:
            built = Built(lines=built.lines + [f"{n} = {built.expr}"], expr=n, statement_form=True)
        call = safe.call(sink, v)
    return lambda wrappers: program(sink, v, built, call, via, nested, wrappers, n)


def _relative(source: str) -> List[Tuple[int, str]]:
    """Findings with lines counted from the sink, so wrappers that add lines compare equal."""
    sink = line_of(source, SINK_MARK)
    return [(line - sink, code) for line, code in findings(source)]


@settings(max_examples=EXAMPLES * 3 // 2, deadline=None, phases=PHASES)
@given(any_case(), WRAPPING.filter(bool))
def test_findings_do_not_depend_on_the_blocks_around_the_code(make, wrappers) -> None:
    plain = make([])
    wrapped = make(wrappers)
    assert _relative(wrapped) == _relative(plain), wrapped


# --- text added after the interpolation keeps the statement's shape ---------------------------
#
# The text of built SQL decides SQL102 and whether an unknown receiver's ``execute`` is a
# database call; appending to a built statement must not lose what was built before.

SHAPE_CASES = {
    "+= after concatenation, returned": (
        ['q = "SELECT * FROM " + table  # <built>', 'q += " WHERE id = 1"', "return q"],
        "SQL102",
    ),
    "+ after an f-string, returned": (
        ['q = f"SELECT * FROM {table}"  # <built>', 'q = q + " WHERE id = 1"', "return q"],
        "SQL102",
    ),
    "f-string around a built statement, returned": (
        ['q = f"SELECT * FROM {table}"  # <built>', 'return f"{q} WHERE id = 1"'],
        "SQL102",
    ),
    "+= after an f-string, unknown runner": (
        ['q = f"SELECT * FROM {table}"', 'q += " WHERE id = 1"', "runner.execute(q)  # <sink>"],
        "SQL101",
    ),
    "f-string around a built statement, unknown runner": (
        ['q = f"SELECT * FROM {table}"', 'runner.execute(f"{q} WHERE id = 1")  # <sink>'],
        "SQL101",
    ),
    "join of a list literal, returned": (
        ['return " ".join(["SELECT * FROM", table, "WHERE id = 1"])  # <built>'],
        "SQL102",
    ),
    "join of appended parts, returned": (
        [
            'parts = ["SELECT * FROM"]',
            "parts.append(table)",
            'parts.append("WHERE id = 1")',
            'return " ".join(parts)  # <built>',
        ],
        "SQL102",
    ),
}


@pytest.mark.parametrize("name", sorted(SHAPE_CASES))
def test_text_added_after_interpolation_keeps_the_statement_shape(name: str) -> None:
    body, code = SHAPE_CASES[name]
    source = "def build(table, runner):\n" + "".join(f"    {line}\n" for line in body)
    mark = SINK_MARK if code == "SQL101" else BUILD_MARK
    assert findings(source) == [(line_of(source, mark), code)], source


# --- membership checks: an allow-list only when the collection is one -------------------------

GUARD_HEAD = "import sqlite3\nfrom flask import abort, request\n\nALLOWED = ('id', 'name', 'created_at')\n\n\n"
GUARD_SINK = 'cur.execute(f"SELECT * FROM users ORDER BY {column}")  # <sink>'


def _guarded(collection: str, negative: bool, exit_: str = "abort(400)") -> str:
    if negative:
        body = [f"if column not in {collection}:", f"    {exit_}", GUARD_SINK]
    else:
        body = [f"if column in {collection}:", f"    {GUARD_SINK}"]
    return GUARD_HEAD + "def view(cur: sqlite3.Cursor, column):\n" + "".join(f"    {line}\n" for line in body)


@pytest.mark.parametrize("negative", [False, True], ids=["in", "not-in-then-exit"])
@pytest.mark.parametrize("collection", ["ALLOWED", "{'id', 'name'}", "['id', 'name']", "{'id': 1, 'name': 2}"])
def test_membership_in_a_constant_collection_makes_the_value_safe(collection: str, negative: bool) -> None:
    source = _guarded(collection, negative)
    assert findings(source) == [(line_of(source, SINK_MARK), "SQL103")], source


@pytest.mark.parametrize("exit_", ["abort(400)", "raise ValueError(column)"])
@pytest.mark.parametrize("collection", ["request.args", "request.form", "request.get_json()"])
def test_membership_in_user_input_is_not_an_allow_list(collection: str, exit_: str) -> None:
    """``if column not in request.args: abort(400)`` lets through every name the caller sent;
    it must not make ``column`` safe, just as ``if column in request.args:`` does not."""
    positive = _guarded(collection, negative=False)
    assert findings(positive) == [(line_of(positive, SINK_MARK), "SQL101")], positive
    negative = _guarded(collection, negative=True, exit_=exit_)
    assert findings(negative) == [(line_of(negative, SINK_MARK), "SQL101")], negative
