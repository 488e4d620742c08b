"""The per-file scan that marks which functions are worth interpreting.

The scan reads source text, not the tree, so each shortcut it takes is checked against
the plain definition: SQL-looking text is found wherever the expression can match, a
``template=`` keyword argument is told from a ``template = ...`` statement, and clause
methods called with keywords only (Django's ``filter(field=value)``) do not mark a
function, which may never lose a finding."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flake8_sqlsec.config import Config
from flake8_sqlsec.engine import driver, prefilter
from flake8_sqlsec.engine.driver import FileAnalysis
from flake8_sqlsec.engine.prefilter import keyword_positions
from flake8_sqlsec.checks.raw_sql import sql_text_positions
from flake8_sqlsec.knowledge.statements import SQL_TEXT_HINT
from flake8_sqlsec.checks.orm import ORMFragmentHook
from flake8_sqlsec.rules import RULES
from helpers import ROOT, analyse

FILES = sorted(
    [
        *(ROOT / "tests" / "cases").glob("*.py"),
        *(ROOT / "bench" / "labelled").rglob("*.py"),
        *(ROOT / "examples").rglob("*.py"),
    ]
)

_WORDS = [
    "SELECT",
    "select",
    "Select",
    "FROM",
    "from",
    "insert",
    "INSERT",
    "into",
    "update",
    "UPDATE",
    "users",
    "{t}",
    "set",
    "delete",
    "create",
    "drop",
    "alter",
    "truncate",
    "TRUNCATE",
    "table",
    "tables",
    "REPLACE INTO",
    "REPLACE",
    "DROPS",
    "x_",
    "(",
    "'",
]
_SEPARATORS = [" ", " ", "  ", "\n", "\t", "", "_", "."]


@st.composite
def _texts(draw) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), max_size=20))
    return "".join(word + draw(st.sampled_from(_SEPARATORS)) for word in words)


@settings(max_examples=1000, deadline=None)
@given(_texts())
@example("q = 'create  table t (id int)'")
@example("DROP\ttable x; alter table y; x_truncate table z")
@example("update users set a = 1 where b in (select c from d)")
@example("delete from t; insert into t values (1); x.update(a); MERGE INTO; PRAGMA x; VACUUM; REPLACE INTO t")
@example("GRANT, REVOKE, SAVEPOINT, EXPLAIN, UPSERT, INSERT, UPDATE, DELETE, CREATE, ALTER, TRUNCATE, SELECT")
def test_sql_text_is_found_wherever_the_expression_matches(text: str) -> None:
    everywhere = {index for index in range(len(text)) if SQL_TEXT_HINT.match(text, index)}
    assert set(sql_text_positions(text)) == everywhere


@pytest.mark.parametrize(
    "source, marked",
    [
        ("Func(template=x)\n", True),
        ("Func(a,\n     template = f'{x}(%(expressions)s)')\n", True),
        ("Func(a, template=self.template)\n", True),
        ('template = "%(function)s(%(expressions)s)"\n', False),
        ("def as_sql(self, compiler, template=None):\n    pass\n", False),
        ("Func(template=None)\n", False),
        ("if template == other:\n    pass\n", False),
    ],
)
def test_template_keyword_is_an_argument_not_a_statement(source: str, marked: bool) -> None:
    assert bool(keyword_positions(source, "template")) is marked


# The shortcuts, each turned off: the analysis then marks every function those would skip.
WITHOUT_CALL_SHORTCUTS = [
    (ORMFragmentHook, "positional_names", frozenset()),
    (ORMFragmentHook, "method_names", frozenset()),
    (prefilter, "_NO_ARGUMENTS", re.compile(r"(?!)")),
]
WITHOUT_TEXT_SHORTCUTS = [
    (prefilter, "in_comment", lambda source, position: False),
    (driver, "outside_docstrings", lambda spans, functions, module, lines: lines),
]


def _index_with_module_candidate(self) -> None:
    ORIGINAL_INDEX(self)
    self.candidates.add(-1)  # a candidate no function has: the module body runs, marked or not


ORIGINAL_INDEX = FileAnalysis._index
WITH_MODULE_BODY = [(FileAnalysis, "_index", _index_with_module_candidate)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize(
    "without",
    [WITHOUT_CALL_SHORTCUTS, WITH_MODULE_BODY, WITHOUT_TEXT_SHORTCUTS],
    ids=["argument-shortcuts", "module-body-shortcut", "comment-and-docstring-shortcuts"],
)
def test_no_shortcut_loses_a_finding_of_the_case_files(path: Path, without: list) -> None:
    source = path.read_text(encoding="utf-8")
    assert analyse(source).findings == analyse(source, without).findings


SKIPPED_FUNCTIONS = [
    pytest.param(
        "from django.db import connection\n"
        "def open_cursor():\n"
        "    return connection.cursor()\n"
        "def count(table):\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT COUNT(*) FROM ' + table)\n"
        "        return cursor.fetchone()\n",
        WITHOUT_CALL_SHORTCUTS,
        [(6, "SQL101")],
        (1, 2),  # open_cursor() is not interpreted
        id="a call without arguments",
    ),
    pytest.param(
        "from shop.models import Order\n"
        "def recent(customer, since):\n"
        "    return Order.objects.filter(customer=customer, created__gte=since).order_by()\n"
        "def by_column(column):\n"
        "    return Order.objects.order_by(column)\n"
        "def by_text(session, clause):\n"
        "    return session.query(Order).filter(clause)\n",
        WITHOUT_CALL_SHORTCUTS,
        [(5, "SQL203")],
        (2, 3),  # recent() is not interpreted
        id="clause calls with keywords only",
    ),
    pytest.param(
        "from shop.models import Order\n"
        "def active(rows):\n"
        "    return list(filter(None, rows))\n"
        "def where(rows, test):\n"
        "    return [row for row in rows if test(row)]\n"
        "def by_column(column):\n"
        "    return Order.objects.order_by(column)\n"
        "def by_chain(column):\n"
        "    return (Order.objects.all()\n"
        "            .order_by(column))\n",
        WITHOUT_CALL_SHORTCUTS,
        [(7, "SQL203"), (10, "SQL203")],
        (2, 4),  # the builtin filter() and a function called where() are no clause methods
        id="clause names called as plain functions",
    ),
    pytest.param(
        '"""Reports: SELECT the rows from the audit table."""\n'
        "def documented(rows):\n"
        '    """Select the newest from rows, then DELETE the rest."""\n'
        "    return rows[:10]\n"
        "def commented(rows):\n"
        "    # select one from each group; DROP TABLE is never needed here\n"
        "    return rows[0]  # UPDATE: keep the first\n"
        "def query(name):\n"
        "    sql = f\"SELECT id FROM users WHERE name = '{name}'\"  # a comment after the code\n"
        "    return sql\n"
        "def hashed(row_id):\n"
        "    return {'#': 'DELETE FROM users WHERE id = %s' % row_id}\n",
        WITHOUT_TEXT_SHORTCUTS,
        [(9, "SQL102"), (12, "SQL102")],
        (2, 4),  # documented() and commented() are not interpreted
        id="SQL in comments and docstrings",
    ),
]


@pytest.mark.parametrize("source, without, findings, runs", SKIPPED_FUNCTIONS)
def test_functions_that_cannot_give_a_finding_are_not_interpreted(
    source: str, without: list, findings: list, runs: tuple
) -> None:
    shortcut, marked = analyse(source), analyse(source, without)
    assert shortcut.findings == marked.findings
    assert [(line, code) for line, _, code, _ in shortcut.findings] == findings
    assert (shortcut.functions_run, marked.functions_run) == runs


_RECEIVERS = ["session.query(User)", "User.objects", "select(User)", "qs", "table.select()"]
_METHODS = ["filter", "where", "having", "order_by", "group_by", "distinct", "select_from", "exclude", "get"]
_ARGUMENTS = [
    "",
    " ",
    "name=name",
    "id=1, name=name",
    "clause",
    "text(clause)",
    "f\"name = '{name}'\"",
    '"name = :n"',
    "*columns",
    '**{f"{field}__icontains": name}',
    "**lookups",
    '"-" + field',
    "field",
    "\n        name=name",
    "  # comment\n        name=name",
    "Q(name=name), active=True",
    "User.name == name",
    "sort == 'name'",
]


@st.composite
def _programs(draw) -> str:
    receiver = draw(st.sampled_from(_RECEIVERS))
    calls = draw(st.lists(st.tuples(st.sampled_from(_METHODS), st.sampled_from(_ARGUMENTS)), min_size=1, max_size=3))
    chain = receiver + "".join(f".{method}({arguments})" for method, arguments in calls)
    built = draw(st.sampled_from(["clause = f\"name = '{name}'\"", 'clause = "active = 1"', "clause = name"]))
    return "\n".join(
        [
            "from sqlalchemy import select, text",
            "from shop.models import User",
            "def query(session, qs, table, name, field, columns, lookups, sort):",
            f"    {built}",
            f"    return {chain}",
            "",
        ]
    )


@settings(max_examples=300, deadline=None)
@given(_programs())
def test_keyword_only_clause_calls_lose_no_finding_of_generated_programs(source: str) -> None:
    assert analyse(source).findings == analyse(source, WITHOUT_CALL_SHORTCUTS).findings


# --- the module body is skipped when nothing at module level is marked and no function runs


def test_a_module_without_marks_is_not_interpreted() -> None:
    source = "import os\nTABLE = os.environ['TABLE']\n\n\ndef size(items):\n    return len(items)\n"
    result = analyse(source)
    assert (result.findings, result.module_run) == ([], False)


_MODULE_STATEMENTS = [
    "cursor.execute(f'SELECT * FROM t WHERE a = {NAME}')",
    "QUERY = 'SELECT * FROM t WHERE a = %s' % NAME",
    "logging.getLogger(__name__).info('password %s', os.environ['DB_PASSWORD'])",
    "engine = create_engine(URL, echo=True)",
    "LOGGING = {'loggers': {'django.db.backends': {'level': 'DEBUG'}}}",
    "logging.getLogger('sqlalchemy.engine').setLevel(logging.INFO)",
    "class Report:\n    sql = f'DELETE FROM t WHERE id = {NAME}'",
    "class Plain:\n    size = len(NAME)",
    "@register(cursor.execute('SELECT 1'))\ndef handler():\n    return 1",
    "def helper(value):\n    return value.strip()",
    "items = [line.strip() for line in NAME.splitlines()]",
    "session.query(User).filter(f'name = {NAME}')",
    "if NAME:\n    cursor.execute('DROP TABLE ' + NAME)",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_MODULE_STATEMENTS), min_size=1, max_size=4))
def test_skipping_unmarked_module_bodies_loses_no_finding_of_generated_modules(statements: List[str]) -> None:
    source = "\n".join(
        [
            "import logging, os, sqlite3",
            "from sqlalchemy import create_engine",
            "NAME = os.environ['NAME']",
            "URL = os.environ['URL']",
            "cursor = sqlite3.connect('a').cursor()",
            *statements,
            "",
        ]
    )
    assert analyse(source).findings == analyse(source, WITH_MODULE_BODY).findings, source


AUDIT_ONLY_NAMES = (
    "from django.db.models.functions import Trunc\n"
    "from shop.models import Order\n"
    "def by_field(field, value):\n"
    "    return Order.objects.filter(**{field: value})\n"
    "def per_period(period):\n"
    "    return Order.objects.annotate(day=Trunc('created', period))\n"
)


def _functions_run(source: str, selected: frozenset) -> Tuple[int, List[str]]:
    import ast

    from flake8_sqlsec import config, plugin  # noqa: F401 - registers every family
    from flake8_sqlsec.world import LibraryWorld

    settings = config.Config(selected=selected)
    ran: List[int] = []
    original = FileAnalysis._run_function

    def counting(self, function, class_info):  # type: ignore[no-untyped-def]
        ran.append(id(function))
        return original(self, function, class_info)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(FileAnalysis, "_run_function", counting)
        analysis = FileAnalysis(ast.parse(source), "m.py", source.splitlines(True), settings, LibraryWorld(settings))
        analysis.run()
    return len(ran), [f.code for family in ("SQL1", "SQL2") for f in analysis.findings(family)]


def test_names_that_lead_only_to_an_unselected_audit_rule_mark_no_function() -> None:
    """``filter(**{field: value})`` and ``Trunc(..., kind)`` can give SQL203 only (off by
    default): with the default codes neither function is interpreted; selected, both are."""
    assert _functions_run(AUDIT_ONLY_NAMES, Config().selected) == (0, [])
    assert _functions_run(AUDIT_ONLY_NAMES, frozenset(RULES)) == (2, ["SQL203", "SQL203"])
