"""Selecting and ignoring codes: a user's choice hides findings, it never moves them.

Real flake8 runs over every case file and the example app. A run of every rule is the
reference; ignoring one code must give the reference less exactly that code's findings,
and selecting one code must give exactly that code's findings of the reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import FrozenSet, Tuple

import pytest

from flake8_sqlsec.rules import DEFAULT_OFF, RULES
from helpers import ROOT, parse_findings, run_flake8

PATHS = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests" / "cases").glob("*.py"))] + ["examples"]
Finding = Tuple[str, int, int, str]


def _findings(*args: str) -> FrozenSet[Finding]:
    result = run_flake8(PATHS, *args)
    assert result.returncode in (0, 1), result.stderr
    return frozenset((path, row, col, code) for path, row, col, code, _ in parse_findings(result.stdout))


@pytest.fixture(scope="module")
def everything() -> FrozenSet[Finding]:
    found = _findings("--select=SQL")
    # Every code that can be found on these files is, so each parametrized case below
    # removes something real (SQL999 is the plugin's own failure: never on these files).
    assert {code for *_, code in found} == set(RULES) - {"SQL999"}
    return found


@pytest.mark.parametrize("code", sorted(set(RULES) - {"SQL999"}))
def test_ignoring_a_code_hides_it_and_only_it(everything: FrozenSet[Finding], code: str) -> None:
    found = _findings("--select=SQL", f"--extend-ignore={code}")
    assert found == {f for f in everything if f[3] != code}


@pytest.mark.parametrize("code", sorted(set(RULES) - {"SQL999"}))
def test_selecting_one_code_shows_exactly_its_findings(everything: FrozenSet[Finding], code: str) -> None:
    found = _findings(f"--select={code}")
    assert found == {f for f in everything if f[3] == code}


@pytest.mark.parametrize("family", ["SQL1", "SQL2", "SQL3", "SQL4"])
def test_selecting_a_family_shows_exactly_its_findings(everything: FrozenSet[Finding], family: str) -> None:
    assert _findings(f"--select={family}") == {f for f in everything if f[3].startswith(family)}


def test_select_sql_turns_the_audit_rules_on_and_the_recipe_turns_them_off(everything: FrozenSet[Finding]) -> None:
    """The README's recipe for "only the default rules" is the plain run's SQL findings."""
    default_run = {f for f in _findings() if f[3].startswith("SQL")}
    recipe = _findings("--select=SQL", "--extend-ignore=" + ",".join(DEFAULT_OFF))
    assert recipe == default_run == {f for f in everything if f[3] not in DEFAULT_OFF}
    assert {f[3] for f in everything} & set(DEFAULT_OFF), "--select SQL shows the audit rules"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "flake8 --select SQL --extend-ignore " + ",".join(DEFAULT_OFF) in readme


def test_noqa_goes_on_the_reported_line_of_a_multiline_call(tmp_path: Path) -> None:
    """What the README says about where ``# noqa`` goes for calls and strings over several lines."""
    source = (
        "import sqlite3\n"
        "\n"
        "\n"
        "def on_name_line(cur: sqlite3.Cursor, name):\n"
        "    cur.execute(  # noqa: SQL101\n"
        "        f\"SELECT * FROM users WHERE name = '{name}'\"\n"
        "    )\n"
        "\n"
        "\n"
        "def on_closing_parenthesis(cur: sqlite3.Cursor, name):\n"
        "    cur.execute(\n"
        "        f\"SELECT * FROM users WHERE name = '{name}'\"\n"
        "    )  # noqa: SQL101\n"
        "\n"
        "\n"
        "def after_closing_quotes(name):\n"
        '    return f"""\n'
        "        SELECT * FROM users\n"
        "        WHERE name = '{name}'\n"
        '    """  # noqa: SQL102\n'
    )
    path = tmp_path / "queries.py"
    path.write_text(source, encoding="utf-8")
    result = run_flake8([str(path)], "--select=SQL")
    assert [(row, code) for _, row, _, code, _ in parse_findings(result.stdout)] == [(11, "SQL101")]


def test_example_app_reports_exactly_what_its_readme_lists() -> None:
    """examples/README.md's table is what the README's first set-up command prints."""
    import re

    text = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (examples/\S+\.py):(\d+) \| (SQL\d{3}) \|", text, re.M))
    assert len(listed) >= 10
    result = run_flake8(["examples"])
    assert result.returncode == 1, result.stderr
    found = {(path, str(row), code) for path, row, _, code, _ in parse_findings(result.stdout)}
    assert found == listed
