"""Lint every Python file of the standard library and of this environment's site-packages:
the plugin must never fail on real code (no SQL999, no exception)."""
from __future__ import annotations

import ast
import os
import sysconfig
import warnings
from pathlib import Path
from typing import Iterator, List

import pytest

from flake8_sqlsec import config, plugin
from flake8_sqlsec.engine import cache
from flake8_sqlsec.rules import RULES

FAMILIES = [plugin.RawSQLChecker, plugin.ORMFragmentChecker, plugin.SensitiveLogChecker, plugin.EngineLoggingChecker]


def python_files(root: str) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder, name)


ROOTS = sorted({sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]})


@pytest.mark.slow
@pytest.mark.parametrize("root", ROOTS)
def test_no_internal_error_on_installed_code(root: str) -> None:
    config.CURRENT = config.Config(selected=frozenset(RULES))
    failures: List[str] = []
    linted = 0
    for path in python_files(root):
        if "site-packages" in path.parts and root != sysconfig.get_paths()["purelib"]:
            continue  # the standard library's root holds site-packages: linted on its own
        try:
            source = path.read_text(encoding="utf-8")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
            continue  # flake8 reports E999 for those itself
        lines = source.splitlines(True)
        cache._CACHE[0] = None
        try:
            for checker in FAMILIES + [plugin.InternalErrorReporter]:
                for _, _, message, _ in checker(tree, str(path), lines).run():
                    if message.startswith("SQL999"):
                        failures.append(f"{path}: {message}")
        except Exception as exc:  # noqa: B902 - any escape from the plugin is the failure
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
        linted += 1
    assert linted > 50, f"only {linted} files under {root}"
    assert not failures, "\n".join(failures[:20])
