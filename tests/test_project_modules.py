"""Reading the project's other modules: constants and exception classes imported from them.

The modules are found from the linted file's place among ``__init__.py`` files, whatever
``sys.path`` holds and however flake8 was started; they are parsed, never imported."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

from flake8_sqlsec.engine import project
from flake8_sqlsec.engine.project import ProjectModules, package_of
from helpers import parse_findings


def _tree(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


SHOP = {
    "shop/__init__.py": "from .tables import USERS as EXPORTED\n",
    "shop/tables.py": """\
        SCHEMA = "app"
        USERS = "users"
        PREFIX = "audit_" + "log"
        QUALIFIED = f"{SCHEMA}.{USERS}"
        TWICE = "first"
        TWICE = "second"
        MIXED = "literal"
        MIXED = compute()
        COUNT = 3
        FROM_ENV = os.environ["TABLE"]
        WITH_REPR = f"{USERS!r}"
        if DEBUG:
            BRANCHED = "debug_users"
        from .base import BASE_TABLE
        """,
    "shop/base.py": 'BASE_TABLE = "base"\n',
    "shop/orders/__init__.py": "",
    "shop/orders/views.py": "",
    "shop/errors.py": """\
        import sqlalchemy.exc as sa_exc
        from sqlalchemy.exc import DBAPIError
        from . import base


        class AppDBError(DBAPIError):
            pass


        class NotFound(AppDBError):
            pass


        class Locked(sa_exc.OperationalError):
            pass


        class Invalid(ValueError):
            pass


        class Loop(Loop2):
            pass


        class Loop2(Loop):
            pass
        """,
}


def test_package_of_reads_the_init_files(tmp_path: Path) -> None:
    _tree(tmp_path, SHOP)
    assert package_of(str(tmp_path / "shop" / "orders" / "views.py")) == (str(tmp_path), ["shop", "orders", "views"])
    assert package_of(str(tmp_path / "shop" / "__init__.py")) == (str(tmp_path), ["shop"])
    (tmp_path / "script.py").write_text("")
    assert package_of(str(tmp_path / "script.py")) == (str(tmp_path), ["script"])


def test_relative_names_resolve_against_the_package(tmp_path: Path) -> None:
    _tree(tmp_path, SHOP)
    views = ProjectModules(str(tmp_path / "shop" / "orders" / "views.py"), "project")
    assert views.absolute(".models") == "shop.orders.models"
    assert views.absolute("..tables") == "shop.tables"
    assert views.absolute("...beyond") == ""
    package = ProjectModules(str(tmp_path / "shop" / "__init__.py"), "project")
    assert package.absolute(".tables") == "shop.tables"


@pytest.mark.parametrize(
    "qualname, text",
    [
        ("shop.tables.USERS", "users"),
        ("shop.tables.PREFIX", "audit_log"),
        ("shop.tables.QUALIFIED", "app.users"),
        ("shop.tables.TWICE", "second"),
        ("shop.tables.COUNT", "3"),
        ("shop.tables.BRANCHED", "debug_users"),
        ("shop.tables.BASE_TABLE", "base"),  # imported into tables from base
        ("shop.EXPORTED", "users"),  # re-exported by the package
        ("..tables.USERS", "users"),  # relative, from shop/orders/views.py
        ("shop.tables.MIXED", None),  # also bound to a call
        ("shop.tables.FROM_ENV", None),
        ("shop.tables.WITH_REPR", None),  # !r changes the text
        ("shop.tables.MISSING", None),
        ("shop.missing.NAME", None),
        ("os.sep", None),  # the standard library is not read
    ],
)
def test_constants_are_read_from_the_module_source(tmp_path: Path, qualname: str, text: str) -> None:
    _tree(tmp_path, SHOP)
    modules = ProjectModules(str(tmp_path / "shop" / "orders" / "views.py"), "project")
    assert modules.constant(qualname) == text
    assert ProjectModules(str(tmp_path / "shop" / "orders" / "views.py"), "off").constant(qualname) is None


@pytest.mark.parametrize(
    "qualname, ancestors",
    [
        ("shop.errors.AppDBError", ("sqlalchemy.exc.DBAPIError",)),
        ("shop.errors.NotFound", ("shop.errors.AppDBError", "sqlalchemy.exc.DBAPIError")),
        ("shop.errors.Locked", ("sqlalchemy.exc.OperationalError",)),
        ("shop.errors.Invalid", ("builtins.ValueError",)),
        ("shop.errors.Loop", ("shop.errors.Loop2", "shop.errors.Loop")),
        ("shop.errors.Missing", ()),
        ("self.model.DoesNotExist", ()),
    ],
)
def test_ancestors_follow_the_bases_through_imports(tmp_path: Path, qualname: str, ancestors: tuple) -> None:
    _tree(tmp_path, SHOP)
    modules = ProjectModules(str(tmp_path / "shop" / "orders" / "views.py"), "project")
    assert modules.ancestors(qualname) == ancestors


def test_installed_packages_are_not_read(tmp_path: Path) -> None:
    _tree(tmp_path, {"venv/lib/site-packages/vendored/__init__.py": 'NAME = "users"\n', "app.py": ""})
    modules = ProjectModules(str(tmp_path / "app.py"), "project")
    assert find_in(tmp_path / "venv" / "lib" / "site-packages", "vendored")
    modules._roots = [str(tmp_path / "venv" / "lib" / "site-packages")]
    assert modules.constant("vendored.NAME") is None


def find_in(root: Path, modname: str) -> str:
    return project.find_module_file(modname, [str(root)])


def test_each_file_reads_a_bounded_number_of_modules(tmp_path: Path) -> None:
    count = project.MODULE_BUDGET + 3
    _tree(tmp_path, {f"pkg/m{i}.py": f'NAME = "t{i}"\n' for i in range(count)})
    _tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "", "pkg/b.py": ""})
    first = ProjectModules(str(tmp_path / "pkg" / "a.py"), "project")
    texts = [first.constant(f"pkg.m{i}.NAME") for i in range(count)]
    assert texts == [f"t{i}" for i in range(project.MODULE_BUDGET)] + [None] * 3
    # the next file reuses what was read and has a budget of its own
    second = ProjectModules(str(tmp_path / "pkg" / "b.py"), "project")
    assert [second.constant(f"pkg.m{i}.NAME") for i in range(count)] == [f"t{i}" for i in range(count)]


def test_facts_hold_no_syntax_tree(tmp_path: Path) -> None:
    _tree(tmp_path, SHOP)
    ProjectModules(str(tmp_path / "shop" / "orders" / "views.py"), "project").constant("shop.tables.USERS")
    facts = project._FACTS[str(tmp_path / "shop" / "tables.py")]
    assert facts is not None

    def holds_node(value: object) -> bool:
        if isinstance(value, ast.AST):
            return True
        if isinstance(value, (tuple, list)):
            return any(holds_node(item) for item in value)
        return False

    assert not any(holds_node(binding) for binding in facts.names.values())


VIEWS = """\
    import logging
    import sqlite3
    from .tables import USERS
    from shop.tables import PREFIX
    from .errors import NotFound, Invalid

    log = logging.getLogger(__name__)


    def rows(name):
        cur = sqlite3.connect("a").cursor()
        cur.execute(f"SELECT * FROM {USERS}")
        cur.execute(f"SELECT * FROM {PREFIX}")
        try:
            cur.execute("SELECT 1 FROM t WHERE a = ?", (name,))
        except NotFound as exc:
            log.error("lookup failed: %s", exc)
        except Invalid as exc:
            log.error("bad input: %s", exc)
    """


def test_imports_are_followed_however_flake8_is_started(tmp_path: Path) -> None:
    _tree(tmp_path, {**SHOP, "shop/views.py": VIEWS})
    flake8 = Path(sys.executable).with_name("flake8" + (".exe" if os.name == "nt" else ""))
    target = str(tmp_path / "shop" / "views.py")
    runs = [
        [str(flake8), "--isolated", "--select=SQL", target],  # the console script, as pre-commit runs it
        [sys.executable, "-m", "flake8", "--isolated", "--select=SQL", target],
    ]
    results = []
    for command in runs:
        for cwd in (tmp_path, tmp_path.parent):  # from the project and from elsewhere
            result = subprocess.run(
                [*command[:-1], "--format=%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s", command[-1]],
                capture_output=True,
                text=True,
                cwd=str(cwd),
                timeout=300,
            )
            assert result.returncode in (0, 1), result.stderr
            results.append([(row, code) for _, row, _, code, _ in parse_findings(result.stdout)])
    # both constants are known text (SQL103, not SQL101); NotFound is a database error
    assert results[0] == [(12, "SQL103"), (13, "SQL103"), (15, "SQL103"), (17, "SQL303")]
    assert all(found == results[0] for found in results)
    assert "shop" not in sys.modules


SERVICE = {
    "svc/__init__.py": "",
    "svc/queries.py": """\
        def ordered_by(column):
            return f"SELECT id FROM items ORDER BY {column}"


        def placeholders(count):
            return ", ".join("?" * count)


        def same(statement):
            return statement
        """,
    "svc/base.py": """\
        import sqlite3


        class Repository:
            def __init__(self):
                self.conn = sqlite3.connect("svc.db")

            def _fetch(self, statement, params=()):
                return self.conn.execute(statement, params).fetchall()
        """,
    "svc/items.py": """\
        import logging
        import sqlite3

        from .base import Repository
        from .queries import ordered_by, placeholders, same

        log = logging.getLogger(__name__)
        cur = sqlite3.connect("svc.db").cursor()


        class Items(Repository):
            def named(self, name):
                return self._fetch(f"SELECT * FROM items WHERE name = '{name}'")

            def sorted(self, column):
                return cur.execute(ordered_by(column))

            def listed(self, ids):
                return cur.execute(f"SELECT * FROM items WHERE id IN ({placeholders(len(ids))})", ids)

            def passed(self, name):
                return cur.execute(same(f"SELECT * FROM items WHERE name = '{name}'"))
        """,
}


def _findings(root: Path, target: str, *options: str) -> list:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "flake8",
            "--isolated",
            "--select=SQL",
            *options,
            "--format=%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s",
            target,
        ],
        capture_output=True,
        text=True,
        cwd=str(root),
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    return [(Path(path).name, row, code, text) for path, row, _, code, text in parse_findings(result.stdout)]


def test_other_modules_functions_are_followed_and_the_same_under_every_job_count(tmp_path: Path) -> None:
    _tree(tmp_path, SERVICE)
    alone = _findings(tmp_path, "svc/items.py")
    found = {(row, code) for _, row, code, _ in alone}
    assert (13, "SQL101") in found  # built text into an inherited method that executes it
    assert (16, "SQL101") in found  # a builder of another module: built from the caller's value
    assert (19, "SQL101") not in found and (19, "SQL103") in found  # its placeholders helper is constant
    assert (22, "SQL101") in found  # a function that hands its parameter back
    messages = {row: text for _, row, _, text in alone}
    assert "reaches self._fetch() → conn.execute()" in messages[13]
    assert "in ordered_by()" in messages[16]
    # the whole package linted at once, in one process or two: the same findings for the file
    for jobs in ("--jobs=1", "--jobs=2"):
        together = [f for f in _findings(tmp_path, "svc", jobs) if f[0] == "items.py"]
        assert together == alone


def test_another_modules_function_is_read_only_where_its_value_matters(tmp_path: Path) -> None:
    from flake8_sqlsec import config, plugin  # noqa: F401 - registers every family
    from flake8_sqlsec.engine import other_modules
    from flake8_sqlsec.engine.driver import FileAnalysis
    from flake8_sqlsec.rules import RULES
    from flake8_sqlsec.world import LibraryWorld

    _tree(tmp_path, SERVICE)
    caller = tmp_path / "svc" / "report.py"
    settings = config.Config(selected=frozenset(RULES))

    def analyse(source: str) -> None:
        caller.write_text(textwrap.dedent(source), encoding="utf-8")
        other_modules._FACTS.clear()
        analysis = FileAnalysis(
            ast.parse(caller.read_text()),
            str(caller),
            caller.read_text().splitlines(True),
            settings,
            LibraryWorld(settings),
        )
        analysis.run()

    queries = str(tmp_path / "svc" / "queries.py")
    # logged, or put into text that is no SQL: the module is not read
    analyse("""\
        import logging
        from .queries import ordered_by
        log = logging.getLogger(__name__)
        def show(column, cur):
            log.info("order: %s", ordered_by(column))
            cur.execute("SELECT 1")
        """)
    assert not any(path == queries for path, *_ in other_modules._FACTS)
    # executed: it is
    analyse("""\
        from .queries import ordered_by
        def show(column, cur):
            cur.execute(ordered_by(column))
        """)
    assert any(path == queries for path, *_ in other_modules._FACTS)
