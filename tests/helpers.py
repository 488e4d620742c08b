"""Shared test helpers: run the real flake8 and read expectation comments."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Sequence, Set, Tuple

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
