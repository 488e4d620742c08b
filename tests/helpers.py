"""Shared test helpers: run the real flake8, read expectation comments, run the analysis."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, List, Sequence, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>SQL\d{3}(?:\s*,\s*SQL\d{3})*)")
FORMAT = "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s"


def expectations(path: Path) -> Set[Tuple[int, str]]:
    """(line, code) pairs announced by ``# expect: SQL101, SQL203`` comments."""
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group("codes").split(","):
                expected.add((number, code.strip()))
    return expected


def run_flake8(paths: Sequence[str], *args: str, stdin: str = None, cwd: Path = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", f"--format={FORMAT}", *args, *paths],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=str(cwd or ROOT),
        timeout=600,
    )


def parse_findings(output: str) -> List[Tuple[str, int, int, str, str]]:
    findings = []
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 5:
            findings.append((parts[0], int(parts[1]), int(parts[2]), parts[3], parts[4]))
    return findings


def sql_findings(paths: Iterable[str], *args: str) -> Set[Tuple[int, str]]:
    result = run_flake8(list(paths), "--select=SQL", *args)
    assert result.returncode in (0, 1), result.stderr
    return {(row, code) for _, row, _, code, _ in parse_findings(result.stdout)}


@dataclass
class Pass:
    """What one shared analysis did: its findings (every family), how many functions it
    interpreted, and whether it ran the module body."""

    findings: List[Tuple[int, int, str, str]]
    functions_run: int
    module_run: bool


def analyse(source: str, patches: Sequence[Tuple[object, str, Any]] = ()) -> Pass:
    """Run the shared analysis on ``source`` with every rule selected, ``patches``
    ((object, attribute, value) triples) applied for the run only."""
    import ast

    from flake8_sqlsec import config, plugin  # noqa: F401 - registers every family
    from flake8_sqlsec.engine.driver import FileAnalysis
    from flake8_sqlsec.world import LibraryWorld
    from flake8_sqlsec.rules import RULES

    functions: List[int] = []
    module: List[bool] = []
    run_function, run_scope = FileAnalysis._run_function, FileAnalysis._run_scope

    def counting_function(self, function, class_info):  # type: ignore[no-untyped-def]
        functions.append(id(function))
        return run_function(self, function, class_info)

    def counting_scope(self, scope, body, state, key, returns=False):  # type: ignore[no-untyped-def]
        module.append(scope.kind == "module")
        return run_scope(self, scope, body, state, key, returns)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(FileAnalysis, "_run_function", counting_function)
        patch.setattr(FileAnalysis, "_run_scope", counting_scope)
        for target, name, value in patches:
            patch.setattr(target, name, value)
        every_rule = config.Config(selected=frozenset(RULES))
        analysis = FileAnalysis(
            ast.parse(source), "module.py", source.splitlines(True), every_rule, LibraryWorld(every_rule)
        )
        analysis.run()
    findings = [
        (f.line, f.col, f.code, f.detail)
        for family in ("SQL1", "SQL2", "SQL3", "SQL4")
        for f in analysis.findings(family)
    ]
    return Pass(findings, len(functions), any(module))
