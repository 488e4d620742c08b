"""Robustness: generated programs and extreme hand-written ones never break the analysis.

Every checker family runs in-process on each program; a crash would surface as an
exception here or as SQL999. The long run (10,000 generated programs) is
``python tests/fuzz_long.py 10000``.
"""

from __future__ import annotations

import ast
import sys
import io
import textwrap
import time
import warnings
from pathlib import Path
from typing import List, Sequence, Tuple

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings

from flake8_sqlsec import config, plugin
from flake8_sqlsec.rules import RULES

from helpers import parse_findings, run_flake8

FUZZ_EXAMPLES = 500

CHECKERS = tuple(
    checker
    for checker in (
        plugin.RawSQLChecker,
        plugin.ORMFragmentChecker,
        getattr(plugin, "SensitiveLogChecker", None),
        getattr(plugin, "EngineLoggingChecker", None),
        plugin.InternalErrorReporter,
    )
    if checker is not None
)


@pytest.fixture(scope="module", autouse=True)
def _keep_settings():
    saved = config.CURRENT
    yield
    config.CURRENT = saved


def run_checkers(tree: ast.AST, source: str) -> List[Tuple[int, int, str]]:
    """(line, column, code) from every family, with every rule selected."""
    config.CURRENT = config.Config(selected=frozenset(RULES))
    lines = physical_lines(source)
    results = []
    for checker in CHECKERS:
        for line, col, message, kind in checker(tree, "t.py", lines).run():
            assert kind is checker
            code = message.split()[0]
            assert code in RULES, message
            assert isinstance(line, int) and isinstance(col, int) and col >= 0, (line, col, message)
            assert 1 <= line <= max(len(lines), 1), (line, message)
            results.append((line, col, code))
    return results


def physical_lines(source: str) -> List[str]:
    """Lines as flake8 and the tokenizer see them: "\x85" or "\u2028" do not end a line."""
    return io.StringIO(source, newline=None).readlines()


def codes(source: str) -> List[Tuple[int, str]]:
    return sorted((line, code) for line, _col, code in run_checkers(ast.parse(source), source))


def compiles(source: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, "<generated>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
            return False
    return True


# --- generated programs ----------------------------------------------------------------------

# Appended to a generated program: whatever the program does at module level, this
# function's finding must survive it.
PROBE = """

def _sqlsec_probe(name):
    import sqlite3
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
"""


def parse(source: str) -> ast.AST:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes and the like in generated code
        return ast.parse(source)


def check_generated(source: str) -> None:
    assume(compiles(source))
    results = run_checkers(parse(source), source)
    assert not [r for r in results if r[2] == "SQL999"], source
    probed = source if source.endswith("\n") else source + "\n"
    probed += PROBE
    if not compiles(probed):  # e.g. a program ending in a line continuation
        return
    results = run_checkers(parse(probed), probed)
    assert not [r for r in results if r[2] == "SQL999"], probed
    sink_line = len(physical_lines(probed))
    assert (sink_line, "SQL101") in [(line, code) for line, _, code in results], probed


def fuzz(max_examples: int):
    # No example database: hypothesmith steers towards ever larger programs and Hypothesis
    # keeps the largest ones to replay, which makes every later run slower than the last.
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(hypothesmith.from_grammar())
    def test_generated_programs_never_break_the_analysis(source: str) -> None:
        check_generated(source)

    return test_generated_programs_never_break_the_analysis


# hypothesmith compiles what it generates, which warns about code like ``1()``.
test_generated_programs_never_break_the_analysis = pytest.mark.filterwarnings("ignore::SyntaxWarning")(
    fuzz(FUZZ_EXAMPLES)
)

# The long run: the same property over 10,000 programs (about half an hour on two cores).
# Marked "long", which the default options deselect; run it with
# ``pytest -m long tests/test_fuzz_programs.py`` (tests/fuzz_long.py adds other generators).
LONG_FUZZ_EXAMPLES = 10_000
test_ten_thousand_generated_programs = pytest.mark.long(
    pytest.mark.filterwarnings("ignore::SyntaxWarning")(fuzz(LONG_FUZZ_EXAMPLES))
)


# --- hand-written extremes ---------------------------------------------------------------------

HEAD = "import sqlite3\n\n\ndef helper(value):\n    return value\n\n\n"


def _line_of(source: str, needle: str) -> int:
    (number,) = [i for i, line in enumerate(source.splitlines(), start=1) if needle in line]
    return number


def test_long_concatenation_chain_reaches_execute() -> None:
    terms = [f"a{i}" for i in range(1900)]
    source = HEAD + (
        f"def run(cur: sqlite3.Cursor, {', '.join(terms)}):\n" f'    cur.execute("SELECT " + {" + ".join(terms)})\n'
    )
    ast.parse(source)
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


def test_long_concatenation_chain_through_a_variable() -> None:
    terms = [f"a{i}" for i in range(1900)]
    source = HEAD + (
        f"def run(cur: sqlite3.Cursor, {', '.join(terms)}):\n"
        f'    query = "SELECT * FROM t WHERE " + {" + ".join(terms)}\n'
        "    cur.execute(query)\n"
    )
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


def test_long_chain_of_constants_is_not_built() -> None:
    source = HEAD + (
        "def run(cur: sqlite3.Cursor):\n"
        '    cur.execute("SELECT * FROM t WHERE a IN (" + ' + " + ".join(['"1, "'] * 1900) + ' + "1)")\n'
    )
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL103")]


def test_deeply_nested_calls_in_source() -> None:
    # 3.11's parser allows 200 nested parentheses; this is as deep as source text goes.
    depth = 198
    nested = "str(" * depth + "f\"SELECT * FROM users WHERE name = '{name}'\"" + ")" * depth
    source = HEAD + ("def run(cur: sqlite3.Cursor, name):\n" f"    cur.execute({nested})\n")
    assert compiles(source)
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


def test_400_deep_nested_calls() -> None:
    source = HEAD + (
        "def run(cur: sqlite3.Cursor, name):\n" "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
    )
    tree = ast.parse(source)
    call = tree.body[-1].body[0].value
    inner = call.args[0]
    for _ in range(400):  # deeper than source text may nest: built as a tree
        inner = ast.Call(func=ast.Name("str", ast.Load()), args=[inner], keywords=[])
        ast.copy_location(inner, call.args[0])
        ast.copy_location(inner.func, call.args[0])
    call.args[0] = inner
    results = [(line, code) for line, _, code in run_checkers(tree, source)]
    assert results == [(_line_of(source, "cur.execute("), "SQL101")]


def test_400_link_method_chain() -> None:
    chain = "name" + ".strip()" * 400
    source = HEAD + (
        "def run(cur: sqlite3.Cursor, name):\n"
        f"    cur.execute(f\"SELECT * FROM users WHERE name = '{{{chain}}}'\")\n"
    )
    assert compiles(source)
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


def test_400_branch_elif_chain() -> None:
    branches = "".join(f"    elif kind == {i}:\n        label = 'k{i}'\n" for i in range(1, 400))
    source = HEAD + (
        "def run(cur: sqlite3.Cursor, name, kind):\n"
        "    if kind == 0:\n"
        "        cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n" + branches
    )
    assert compiles(source)
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


def _nested(headers: Sequence[str], innermost: str, params: str = "cur: sqlite3.Cursor, name, items, flag") -> str:
    lines = [f"def run({params}):"]
    depth = 1
    for header in headers:
        lines.append("    " * depth + header)
        depth += 1
    lines.append("    " * depth + innermost)
    return HEAD + "\n".join(lines) + "\n"


SINK = "cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")"


@pytest.mark.parametrize(
    "headers",
    [
        [f"if flag > {i}:" for i in range(95)],
        [f"for item{i} in items:" for i in range(19)],
        [f"while flag > {i}:" for i in range(19)],
        [f"with open(item{i}) as fh{i}:" for i in range(19)],
        [f"for item{i} in items:" if i % 5 == 0 else f"if flag > {i}:" for i in range(90)],
        [f"def inner{i}():" for i in range(95)],
        [f"async def inner{i}():" for i in range(95)],
        [f"class Inner{i}:" for i in range(95)],
    ],
    ids=["if-95", "for-19", "while-19", "with-19", "for-and-if-90", "def-95", "async-def-95", "class-95"],
)
def test_deeply_nested_blocks(headers) -> None:
    source = _nested(headers, SINK)
    assert compiles(source)
    found = codes(source)
    if headers[0].startswith("class"):
        # a statement in a class body runs at import; the name is not a parameter there
        assert [code for _, code in found if code == "SQL999"] == []
    else:
        assert found == [(_line_of(source, "cur.execute("), "SQL101")]


def test_deeply_nested_try_blocks() -> None:
    depth = 19
    lines = ["def run(cur: sqlite3.Cursor, name):"]
    for i in range(depth):
        lines.append("    " * (i + 1) + "try:")
    lines.append("    " * (depth + 1) + SINK)
    for i in reversed(range(depth)):
        lines.append("    " * (i + 1) + "except ValueError:")
        lines.append("    " * (i + 2) + "pass")
    source = HEAD + "\n".join(lines) + "\n"
    assert compiles(source)
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


BLOCK = """\
def find_{i}(cur: sqlite3.Cursor, name, limit):
    query = f"SELECT * FROM users_{i} WHERE name = '{{name}}'"
    cur.execute(query)
    cur.execute("SELECT * FROM users_{i} WHERE name = ?", (name,))
    for row in cur.fetchall():
        if row and limit:
            limit -= len(row) + {i}
    return "SELECT * FROM archive_{i} LIMIT %d" % limit


class Repository{i}:
    table = "table_{i}"

    def __init__(self, dsn):
        self.conn = psycopg2.connect(dsn)

    def get(self, key):
        with self.conn.cursor() as cur:
            cur.execute("SELECT * FROM " + self.table + " WHERE k = %s", (key,))
            return cur.fetchone()

"""


def test_20000_line_module_is_analysed_in_bounded_time() -> None:
    blocks = 20_000 // BLOCK.count("\n") + 1
    source = "import sqlite3\n\nimport psycopg2\n\n\n" + "".join(BLOCK.format(i=i) for i in range(blocks))
    assert len(source.splitlines()) >= 20_000
    tree = ast.parse(source)
    started = time.perf_counter()
    results = run_checkers(tree, source)
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"{elapsed:.1f}s for {len(source.splitlines())} lines"
    found = [code for _, _, code in results]
    assert "SQL999" not in found
    assert found.count("SQL101") == blocks
    assert found.count("SQL103") == 2 * blocks
    assert set(found) == {"SQL101", "SQL103"}


@pytest.mark.parametrize(
    "source",
    ["", "\n", "\n\n\n", "# only a comment\n", '"""Only a docstring."""\n', "pass", "import sqlite3"],
    ids=["empty", "newline", "blank-lines", "comment", "docstring", "pass", "no-newline"],
)
def test_trivial_files(source: str) -> None:
    assert run_checkers(ast.parse(source), source) == []


def test_empty_file_through_flake8(tmp_path: Path) -> None:
    path = tmp_path / "empty.py"
    path.write_bytes(b"")
    result = run_flake8([str(path)], "--select=SQL")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


LATIN1 = textwrap.dedent('''\
    # -*- coding: latin-1 -*-
    """Réservations: requêtes écrites à la main."""
    import sqlite3


    def réserver(cur: sqlite3.Cursor, nom):
        café = "crème brûlée"; cur.execute(f"SELECT * FROM réservations WHERE nom = '{nom}' AND plat = '{café}'")
        cur.execute("SELECT * FROM réservations WHERE nom = ?", (nom,))
''')


def test_non_utf8_source_with_coding_cookie(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(LATIN1.encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    result = run_flake8([str(path)], "--select=SQL")
    assert result.returncode == 1, result.stdout + result.stderr
    found = [(row, col, code) for _, row, col, code, _ in parse_findings(result.stdout)]
    assert [code for _, _, code in found if code == "SQL999"] == []
    line = LATIN1.splitlines()[6]
    assert found == [(7, line.index("execute") + 1, "SQL101"), (8, 9, "SQL103")], result.stdout + result.stderr


def test_non_utf8_source_in_process() -> None:
    raw = LATIN1.encode("latin-1")
    tree = ast.parse(raw)
    source = raw.decode("latin-1")
    results = run_checkers(tree, source)
    assert [(line, code) for line, _, code in results] == [(7, "SQL101"), (8, "SQL103")]
    assert results[0][1] == source.splitlines()[6].index("execute")


# --- unusual but valid calls and statements around the sinks --------------------------------

ODD_HEAD = """\
import sqlite3
import sys
from string import Template

import duckdb
import pandas as pd
from alembic import op
from django.db import connections
from django.db.models import Func
from django.db.models.expressions import RawSQL
from django.db.models.functions import Extract, Trunc
from peewee import SQL
from psycopg2 import sql
from psycopg2.extras import execute_values
from sqlalchemy import column, literal_column, select, table, text

from myapp.models import Article, User

"""
ODD_PARAMS = "cur, conn, session, v, w, items, rows, args, kwargs, q, d, quote, decorator, self, cls, logger"

ODD = [
    # sinks called with no, starred, keyword or odd arguments
    "cur.execute()",
    "cur.execute(*args)",
    "cur.execute(**kwargs)",
    "cur.execute(*args, **kwargs)",
    "cur.execute(sql=q)",
    "cur.execute(operation=f'SELECT {v}')",
    "cur.execute(...)",
    "cur.execute(None)",
    "cur.execute(1)",
    "cur.execute(str)",
    "cur.execute(cur)",
    "cur.execute(cur.execute('SELECT 1'))",
    "cur.execute(f'SELECT {x}' for x in items)",
    "cur.execute([f'SELECT {x}' for x in items])",
    "cur.execute({'q': v}['q'])",
    "cur.execute(not v)",
    "cur.execute(-v)",
    "cur.execute(~v)",
    "cur.execute(v[::-1])",
    "cur.execute(v @ w)",
    "cur.execute(v ** 2)",
    "cur.execute(v < w)",
    "cur.execute([] * v)",
    "cur.execute('?' * v)",
    "execute_values(cur)",
    "execute_values()",
    "pd.read_sql()",
    "pd.read_sql(con=d)",
    "op.execute()",
    "duckdb.sql(query=f'SELECT {v}')",
    "Article.objects.raw()",
    "Article.objects.raw(raw_query=f'SELECT {v}')",
    "getattr(cur, 'execute')(f'SELECT {v}')",
    "(cur.execute)(f'SELECT {v}')",
    "(cur or conn).execute(f'SELECT {v}')",
    "cur.execute.__call__(f'SELECT {v}')",
    "type(v).execute(cur, f'SELECT {v}')",
    "super().execute(f'SELECT {v}')",
    "sqlite3.connect(':memory:').execute(f'SELECT {v}').fetchall()[0].execute(f'SELECT {v}')",
    "connections[...].cursor()",
    "connections[v].cursor().execute(f'SELECT {v}')",
    # string building with missing, extra or odd parts
    "''.join()",
    "','.join(*args)",
    "'%s' % ()",
    "'%' % v",
    "'%(' % v",
    "'{}'.format()",
    "'{' .format(v)",
    "'{0[0]}'.format(v)",
    "'{}'.format(*v)",
    "'{a}'.format(**v)",
    "'{:{}}'.format(v, w)",
    "f'{v=}'",
    "f'{v:{w}.{q}}'",
    "b'%(a)s' % {b'a': v}",
    "b''.join([b'a', v])",
    "str.join(',', items)",
    "str.format('SELECT {}', v)",
    "cur.execute('SELECT %s' % v % w)",
    "cur.execute('SELECT %(a)s %(b)s' % v)",
    "cur.execute('SELECT %s %s' % (*v,))",
    "'x'.replace('x')",
    "'x'.replace()",
    "'x'.replace(v, w, 1)",
    "Template().substitute()",
    "Template(v).substitute(**kwargs)",
    "Template('$').substitute(v)",
    "Template('$a').safe_substitute({}, a=v)",
    "cur.execute(' '.join(map(str, v)))",
    "cur.execute(' '.join(map(lambda: 1, v)))",
    "cur.execute(' '.join(map(lambda a, b: a, v, w)))",
    "cur.execute(','.join(map(quote, v)))",
    "cur.execute(''.join(map()))",
    "cur.execute(sorted(v)[0])",
    "cur.execute(list()[0])",
    "cur.execute(dict(v)['q'])",
    "cur.execute(f'''SELECT\n{v}\nFROM t''')",
    # query construction with odd arguments
    "text()",
    "text(*args)",
    "cur.execute(text(f'SELECT {v}'))",
    "session.execute(select(text(f'{v}')))",
    "Article.objects.extra(where=v)",
    "Article.objects.extra(where=[*v])",
    "Article.objects.extra(select={**v})",
    "Article.objects.filter(**v)",
    "Article.objects.filter(**{v: 1, **w})",
    "Article.objects.order_by(*v)",
    "RawSQL()",
    "RawSQL(*v)",
    "Func(template=v)",
    "Trunc()",
    "Extract(lookup_name=None)",
    "literal_column()",
    "column(*v)",
    "table()",
    "SQL()",
    "sql.SQL()",
    "sql.SQL(v).format()",
    "sql.SQL('{}').format(*v)",
    "sql.Identifier()",
    "sql.SQL(', ').join(v)",
    "User.query.filter(f'{v}')",
    "cls.objects.raw(f'SELECT {v}')",
    # statements
    "q = 'SELECT '\nq += v\ncur.execute(q)",
    "q = []\nq += v\ncur.execute(''.join(q))",
    "q = {}\nq |= v\ncur.execute(q)",
    "a, *b = v\ncur.execute(b)",
    "self.q += v\ncur.execute(self.q)",
    "d['q'] += v\ncur.execute(d['q'])",
    "del v\ncur.execute(v)",
    "for q in v:\n    pass\nelse:\n    cur.execute(q)",
    "while v:\n    q = v\nelse:\n    cur.execute(q)",
    "with v as (a, b), w as d[0]:\n    cur.execute(a)",
    "[y := f'SELECT {x}' for x in items]\ncur.execute(y)",
    "cur.execute(q := q + v)",
    "cur.execute('SELECT ' + (v := w))",
    "f = lambda *a, **k: cur.execute(a[0])",
    "global g\ng = f'SELECT {v}'\ncur.execute(g)",
    "class K(v, metaclass=w):\n    q = f'SELECT * FROM {v}'\n    cur.execute(q)",
    "@decorator(f'SELECT {v}')\ndef g():\n    pass",
    "def g(a=f'SELECT {v}', *, b=cur.execute(f'SELECT {v}')):\n    pass",
    "print(v, file=sys.stderr, sep=cur.execute(f'SELECT {v}'))",
    "logger.info('%s', cur.execute(f'SELECT {v}'))",
    "raise ValueError(cur.execute(f'SELECT {v}'))",
    "assert cur.execute(f'SELECT {v}'), cur.execute(f'SELECT {v}')",
    "yield cur.execute(f'SELECT {v}')",
    "x = yield from cur.execute(f'SELECT {v}')",
    # async
    "await conn.fetch(f'SELECT {v}')",
    "async with v as w:\n    await w.fetch(f'SELECT {v}')",
    "return [await conn.fetch(f'SELECT {x}') async for x in v]",
    "cur.execute(await v)",
]
# Syntax that only newer interpreters parse: part of the list where it exists.
if sys.version_info >= (3, 10):
    ODD.append(
        "match v:\n    case {'q': q}:\n        cur.execute(q)\n    case [q, *_]:\n        cur.execute(f'SELECT {q}')\n"
        "    case _:\n        pass"
    )
if sys.version_info >= (3, 11):
    ODD.append("try:\n    q = v\nexcept* ValueError:\n    pass\ncur.execute(q)")
if sys.version_info >= (3, 12):
    ODD.append("type Q = list[str]\ncur.execute(f'SELECT {v!r:>{w}}')")
    ODD.append("cur.execute(f'SELECT {f\"{v}\"} FROM t WHERE a = {'x' + v}')")  # PEP 701 nested quotes


@pytest.mark.parametrize("snippet", ODD)
def test_unusual_code_never_breaks_the_analysis(snippet: str) -> None:
    asynchronous = "await" in snippet or "async" in snippet
    body = "".join(f"    {line}\n" for line in snippet.splitlines())
    source = ODD_HEAD + f"\n{'async ' if asynchronous else ''}def run({ODD_PARAMS}):\n{body}"
    variants = [source]
    if not asynchronous and not snippet.startswith(("yield", "x = yield", "return", "global")):
        variants.append(ODD_HEAD + snippet + "\n")  # and at module level
    for program in variants:
        assert compiles(program), program
        found = run_checkers(parse(program), program)
        assert "SQL999" not in [code for _, _, code in found], program
