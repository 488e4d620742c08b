"""The pre-commit hook shipped in ``.pre-commit-hooks.yaml``: the manifest is valid, its
selection matches the registry, and the hook installs from a git repository and runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from flake8_sqlsec.rules import RULES
from helpers import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"

# What a checkout of this repository holds that an installed hook does not need.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".tox",
    ".nox",
    ".venv",
    ".v",
    ".bench-venvs",
    "venv*",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    ".mypy_cache",
    ".benchmarks",
)

VULNERABLE = (
    "import sqlite3\n\n\n"
    "def find(cur, name):\n"
    "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
    '    cur.execute("SELECT * FROM users")\n'
    "    x=1\n"
)


def _pre_commit(*args: str, cwd: Path, env: Dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=str(cwd),
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=str(cwd),
        check=True,
        capture_output=True,
    )


@pytest.fixture()
def env(tmp_path: Path) -> Dict[str, str]:
    environment = dict(os.environ)
    environment["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "PRE_COMMIT_CONFIG"):
        environment.pop(name, None)
    return environment


def _hook() -> Dict:
    hooks: List[Dict] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "flake8-sqlsec"]
    return hook


def test_manifest_is_valid(env: Dict[str, str]) -> None:
    result = _pre_commit("validate-manifest", str(MANIFEST), cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_runs_flake8_on_python_files() -> None:
    hook = _hook()
    assert hook["entry"] == "flake8"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]


def test_hook_selects_exactly_the_rules_on_by_default() -> None:
    """An explicit ``--select=SQL`` would turn the audit rules on; the hook lists the others."""
    (select,) = [arg for arg in _hook()["args"] if arg.startswith("--select=")]
    selected = select.split("=", 1)[1].split(",")
    assert selected == [code for code, rule in RULES.items() if rule.default_enabled]


def test_hook_installs_and_reports(tmp_path: Path, env: Dict[str, str]) -> None:
    # pre-commit installs a hook repository from a commit: commit a copy of the working tree.
    hook_repo = tmp_path / "hook-repo"
    shutil.copytree(ROOT, hook_repo, ignore=NOT_COPIED)
    _git("init", "-q", cwd=hook_repo)
    _git("add", "-A", cwd=hook_repo)
    _git("commit", "-q", "-m", "snapshot", cwd=hook_repo)

    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", cwd=project)
    (project / "x.py").write_text(VULNERABLE, encoding="utf-8")
    (project / "ok.py").write_text(
        'import sqlite3\n\n\ndef f(cur, n):\n    cur.execute("SELECT ?", (n,))\n', encoding="utf-8"
    )
    _git("add", "-A", cwd=project)

    result = _pre_commit("try-repo", str(hook_repo), "flake8-sqlsec", "--files", "x.py", "ok.py", cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "x.py:5:9: SQL101 sql-built-in-execute: SQL built with an f-string reaches cur.execute()" in output
    assert "SQL103" not in output  # audit rule, off by default
    assert "E225" not in output  # other plugins are not selected by this hook
    assert "ok.py:" not in output
