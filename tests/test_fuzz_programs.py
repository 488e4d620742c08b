"""Robustness: generated programs and extreme hand-written ones never break the analysis.

Every checker family runs in-process on each program; a crash would surface as an
exception here or as SQL999. The long run (10,000 generated programs) is
``python tests/fuzz_long.py 10000``.
"""
from __future__ import annotations

import ast
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

CHECKERS = tuple(checker for checker in (
    plugin.RawSQLChecker,
    plugin.ORMFragmentChecker,
    getattr(plugin, "SensitiveLogChecker", None),
    getattr(plugin, "EngineLoggingChecker", None),
    plugin.InternalErrorReporter,
) if checker is not None)


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
PROBE = '''

def _sqlsec_probe(name):
    import sqlite3
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
'''


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
    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(hypothesmith.from_grammar())
    def test_generated_programs_never_break_the_analysis(source: str) -> None:
        check_generated(source)

    return test_generated_programs_never_break_the_analysis


# hypothesmith compiles what it generates, which warns about code like ``1()``.
test_generated_programs_never_break_the_analysis = pytest.mark.filterwarnings("ignore::SyntaxWarning")(
    fuzz(FUZZ_EXAMPLES))


# --- hand-written extremes ---------------------------------------------------------------------

HEAD = "import sqlite3\n\n\ndef helper(value):\n    return value\n\n\n"


def _line_of(source: str, needle: str) -> int:
    (number,) = [i for i, line in enumerate(source.splitlines(), start=1) if needle in line]
    return number


def test_long_concatenation_chain_reaches_execute() -> None:
    terms = [f"a{i}" for i in range(1900)]
    source = HEAD + (
        f"def run(cur: sqlite3.Cursor, {', '.join(terms)}):\n"
        f'    cur.execute("SELECT " + {" + ".join(terms)})\n'
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
    source = HEAD + (
        "def run(cur: sqlite3.Cursor, name):\n"
        f"    cur.execute({nested})\n"
    )
    assert compiles(source)
    assert codes(source) == [(_line_of(source, "cur.execute("), "SQL101")]


def test_400_deep_nested_calls() -> None:
    source = HEAD + (
        "def run(cur: sqlite3.Cursor, name):\n"
        "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
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
        "        cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
        + branches
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


@pytest.mark.parametrize("headers", [
    [f"if flag > {i}:" for i in range(95)],
    [f"for item{i} in items:" for i in range(19)],
    [f"while flag > {i}:" for i in range(19)],
    [f"with open(item{i}) as fh{i}:" for i in range(19)],
    [f"for item{i} in items:" if i % 5 == 0 else f"if flag > {i}:" for i in range(90)],
    [f"def inner{i}():" for i in range(95)],
    [f"async def inner{i}():" for i in range(95)],
    [f"class Inner{i}:" for i in range(95)],
], ids=["if-95", "for-19", "while-19", "with-19", "for-and-if-90", "def-95", "async-def-95", "class-95"])
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


BLOCK = '''\
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

'''


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


@pytest.mark.parametrize("source", ["", "\n", "\n\n\n", "# only a comment\n", '"""Only a docstring."""\n',
                                    "pass", "import sqlite3"],
                         ids=["empty", "newline", "blank-lines", "comment", "docstring", "pass", "no-newline"])
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
