"""Every rule has a doc page whose "Example" flags it and whose "Use instead" is clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_sqlsec.rules import RULES
from helpers import ROOT, parse_findings, run_flake8

DOCS = ROOT / "flake8_sqlsec" / "docs"
SECTIONS = ["What it does", "Why is this bad?", "Example", "Use instead", "Options", "References"]
# SQL999 is the plugin's own error report: no user code is meant to trigger it.
RUNNABLE = sorted(code for code in RULES if code != "SQL999")


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"missing section {title!r}"
    return match.group(1)


def python_block(text: str) -> str:
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match, "no python code block"
    return match.group(1)


@pytest.mark.parametrize("code", sorted(RULES))
def test_page_has_all_sections(code: str) -> None:
    text = (DOCS / f"{code}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {code} {RULES[code].name}\n")
    titles = re.findall(r"^## (.+)$", text, re.M)
    assert titles == SECTIONS


def lint(tmp_path: Path, source: str, code: str) -> list:
    path = tmp_path / "snippet.py"
    path.write_text(source, encoding="utf-8")
    result = run_flake8([str(path)], f"--extend-select={code}")
    return [c for _, _, _, c, _ in parse_findings(result.stdout) if c.startswith("SQL")]


@pytest.mark.parametrize("code", RUNNABLE)
def test_example_flags_and_fix_is_clean(tmp_path: Path, code: str) -> None:
    text = (DOCS / f"{code}.md").read_text(encoding="utf-8")
    assert code in lint(tmp_path, python_block(section(text, "Example")), code)
    assert lint(tmp_path, python_block(section(text, "Use instead")), code) == []


def test_readme_table_lists_every_rule_as_the_registry_has_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        default = "on" if rule.default_enabled else "off (audit)"
        assert re.search(rf"^\| {code} \| {rule.name} \| {re.escape(default)} \| ", readme, re.M), code


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page_is_printed_by_the_module(code: str) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "flake8_sqlsec", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip() == (DOCS / f"{code}.md").read_text(encoding="utf-8").rstrip()


def test_module_lists_the_rules_and_refuses_unknown_codes() -> None:
    import subprocess
    import sys

    listing = subprocess.run([sys.executable, "-m", "flake8_sqlsec"], capture_output=True, text=True)
    assert [line.split()[0] for line in listing.stdout.splitlines()] == list(RULES)
    wrong = subprocess.run([sys.executable, "-m", "flake8_sqlsec", "SQL777"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "SQL777" in wrong.stderr and wrong.stdout == ""
