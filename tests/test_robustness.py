"""The plugin never crashes flake8 and never runs the code it lints."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_sqlsec.engine import cache as analysis_module
from flake8_sqlsec.engine.driver import FileAnalysis
from flake8_sqlsec.world import LibraryWorld
from helpers import ROOT, parse_findings, run_flake8


def run_in_process(args: list, tmp_path: Path) -> str:
    """flake8 in this process (so a monkeypatch reaches the plugin)."""
    from flake8.main.application import Application

    output = tmp_path / "flake8.out"
    Application().run(
        [
            "--isolated",
            "--jobs=1",
            f"--output-file={output}",
            "--format=%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s",
            *args,
        ]
    )
    return output.read_text()


def plugin_codes(source: str) -> list:
    """Run every family's checker on a source in-process (pyflakes cannot parse such files)."""
    import ast

    from flake8_sqlsec import config, plugin
    from flake8_sqlsec.rules import RULES

    config.CURRENT = config.Config(selected=frozenset(RULES))
    tree = ast.parse(source)
    lines = source.splitlines(True)
    found = []
    for name in (
        "RawSQLChecker",
        "ORMFragmentChecker",
        "SensitiveLogChecker",
        "EngineLoggingChecker",
        "InternalErrorReporter",
    ):
        checker = getattr(plugin, name, None)
        if checker is not None:
            found += [(row, message.split()[0]) for row, _, message, _ in checker(tree, "t.py", lines).run()]
    return sorted(found)


def test_internal_error_is_one_finding_and_other_files_keep_theirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import sqlite3\nsqlite3.connect('a').execute(f'SELECT * FROM t WHERE a = {input()}')\n")
    fine = tmp_path / "fine.py"
    fine.write_text("import sqlite3\n\n\ndef f(x):\n    sqlite3.connect('a').execute(f'DELETE FROM t WHERE a = {x}')\n")
    original = FileAnalysis.run

    def failing_run(self: FileAnalysis) -> None:
        if self.filename.endswith("broken.py"):
            raise RecursionError("simulated")
        original(self)

    monkeypatch.setattr(FileAnalysis, "run", failing_run)
    findings = parse_findings(run_in_process(["--select=SQL", str(broken), str(fine)], tmp_path))
    by_file = {}
    for path, row, _, code, text in findings:
        by_file.setdefault(Path(path).name, []).append((row, code, text))
    assert [(row, code) for row, code, _ in by_file["broken.py"]] == [(1, "SQL999")]
    assert "RecursionError" in by_file["broken.py"][0][2]
    assert [(row, code) for row, code, _ in by_file["fine.py"]] == [(5, "SQL101")]


def test_imported_constants_are_read_not_imported(tmp_path: Path) -> None:
    marker = tmp_path / "IMPORTED"
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tables.py").write_text(textwrap.dedent(f"""\
        open({str(marker)!r}, "w").write("ran")
        USERS = "users"
        PREFIX = "audit_" + "log"
        """))
    (package / "views.py").write_text(textwrap.dedent("""\
        import sqlite3
        from .tables import USERS, PREFIX
        from .missing import NOT_THERE


        def f(name):
            cur = sqlite3.connect("a").cursor()
            cur.execute(f"SELECT * FROM {USERS} WHERE id = 1")
            cur.execute(f"SELECT * FROM {PREFIX} WHERE id = 1")
            cur.execute(f"SELECT * FROM {NOT_THERE} WHERE id = 1")
        """))
    result = run_flake8(["shop/views.py"], "--select=SQL", cwd=tmp_path)
    codes = [(row, code) for _, row, _, code, _ in parse_findings(result.stdout)]
    # the two constants are known (astroid read tables.py); the missing module's name is not
    assert codes == [(8, "SQL103"), (9, "SQL103"), (10, "SQL101")]
    assert not marker.exists()


def test_infer_off_treats_imported_names_as_unknown(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tables.py").write_text('USERS = "users"\n')
    (package / "views.py").write_text(
        "import sqlite3\nfrom .tables import USERS\n\n\ndef f():\n"
        "    sqlite3.connect('a').execute(f'SELECT * FROM {USERS}')\n"
    )
    result = run_flake8(["shop/views.py"], "--select=SQL", "--sqlsec-infer=off", cwd=tmp_path)
    assert [(row, code) for _, row, _, code, _ in parse_findings(result.stdout)] == [(6, "SQL101")]


# pyflakes itself fails with RecursionError on these files, so they are run in-process.
def test_long_concatenation_chain_is_analysed() -> None:
    terms = " + ".join(f"a{i % 5}" for i in range(1900))
    source = (
        "import sqlite3\n\n\ndef f(a0, a1, a2, a3, a4):\n" f"    sqlite3.connect('x').execute(\"SELECT \" + {terms})\n"
    )
    assert plugin_codes(source) == [(5, "SQL101")]


def test_long_method_chain_is_analysed() -> None:
    source = (
        "import sqlite3\n\n\ndef f(x):\n    cur = sqlite3.connect('x').cursor()\n"
        "    cur.execute(f'SELECT * FROM t WHERE a = {x}')" + ".fetchall()" * 400 + "\n"
        "    return g" + "()" * 400 + "\n"
    )
    assert plugin_codes(source) == [(6, "SQL101")]


def test_analysis_is_released_once_every_entry_point_has_read_it() -> None:
    """flake8 runs its token checks after the tree plugins: the file's tree and values
    must not be kept alive through them (nor into the next file)."""
    import ast
    import gc
    import re
    import weakref

    from flake8_sqlsec import config, plugin
    from flake8_sqlsec.rules import RULES

    declared = re.findall(r'^SQL\d = "flake8_sqlsec\.plugin:(\w+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert sorted(declared) == sorted(cls.__name__ for cls in plugin.ENTRY_POINTS)

    source = (
        "def f(cur, name, password):\n    cur.execute(f'SELECT {name}')\n    LOG.info(password)\n"
        "def g(count):\n    LOG.info('%d rows', count)\n"
    )
    tree = ast.parse(source)
    lines = source.splitlines(True)
    saved = config.CURRENT
    config.CURRENT = config.Config(selected=frozenset(RULES))
    try:
        results = [list(cls(tree, "f.py", lines).run()) for cls in plugin.ENTRY_POINTS]
    finally:
        config.CURRENT = saved
    assert [row[2].split()[0] for found in results for row in found] == ["SQL101", "SQL301"]
    assert analysis_module._CACHE == [None, None]
    reference = weakref.ref(tree)
    del tree, results
    gc.disable()  # freed by reference counting alone: nothing of the analysis forms a cycle
    try:
        assert reference() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_state_is_restored(enabled: bool) -> None:
    """The analysis pauses the cyclic collector while it runs, and leaves it as it found it,
    also when the analysis fails."""
    import ast
    import gc

    from flake8_sqlsec import config
    from flake8_sqlsec.rules import RULES

    every_rule = config.Config(selected=frozenset(RULES))
    source = "def f(cur, name):\n    cur.execute('SELECT ' + name)\n"
    tree = ast.parse(source)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        world = LibraryWorld(every_rule)
        analysis = analysis_module.analysis_for(tree, "f.py", source.splitlines(True), every_rule, world)
        assert [f.code for f in analysis.findings("SQL1")] == ["SQL101"]
        assert gc.isenabled() is enabled
        text = "cur.execute('SELECT 1')\n"
        broken = ast.parse(text)
        broken.body = None  # not a tree the analysis can walk
        with pytest.raises(Exception):
            analysis_module.analysis_for(broken, "g.py", [text], every_rule, LibraryWorld(every_rule))
        assert gc.isenabled() is enabled
    finally:
        analysis_module.release(tree)
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("name", ["products.py", "views.py"])
def test_a_file_asking_other_modules_is_freed_by_reference_counting(name: str) -> None:
    """A file of a package whose calls of other modules' functions leave values to be
    worked out later (``Pending``): those refer back to the analysis, and are cut when
    every entry point has read it, so no cycle keeps the tree alive."""
    import ast
    import gc
    import weakref

    from flake8_sqlsec import config, plugin
    from flake8_sqlsec.rules import RULES

    path = ROOT / "tests" / "cases" / "shop_service" / name
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    saved = config.CURRENT
    config.CURRENT = config.Config(selected=frozenset(RULES))
    try:
        results = [list(cls(tree, str(path), source.splitlines(True)).run()) for cls in plugin.ENTRY_POINTS]
    finally:
        config.CURRENT = saved
    assert any(row[2].startswith("SQL101") for found in results for row in found)
    reference = weakref.ref(tree)
    del tree, results
    gc.disable()
    try:
        assert reference() is None
    finally:
        gc.enable()
