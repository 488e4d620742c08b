"""Annotated case files: every ``# expect:`` line flags with that code, nothing else flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import expectations, sql_findings

# Case files, and the modules of the packages under cases/ (a service's views calling its
# db helpers: each module is linted on its own, the others read from disk).
CASES = sorted(
    path for path in (Path(__file__).parent / "cases").rglob("*.py") if "expect:" in path.read_text(encoding="utf-8")
)


def _case_id(path: Path) -> str:
    return str(path.relative_to(Path(__file__).parent / "cases"))


@pytest.mark.parametrize("path", CASES, ids=_case_id)
def test_case_file(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no expectations"
    found = sql_findings([str(path)])
    missing = sorted(expected - found)
    unexpected = sorted(found - expected)
    lines = path.read_text(encoding="utf-8").splitlines()
    report = [f"missed   {line:4d} {code}: {lines[line - 1].strip()}" for line, code in missing]
    report += [f"unwanted {line:4d} {code}: {lines[line - 1].strip()}" for line, code in unexpected]
    assert not report, "\n" + "\n".join(report)
