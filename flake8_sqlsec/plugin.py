"""flake8 entry points: one class per checker family, all reading one shared analysis.

flake8 builds each entry point with the file's tree and calls ``run()``; the first family
to run builds the analysis of that tree and the others read its findings. An internal error
never escapes: it becomes one ``SQL999`` finding for the file.
"""

from __future__ import annotations

import ast
import functools
import json
import os
from typing import Any, ClassVar, Iterator, List, Sequence, Tuple

from . import __version__, config
from .engine.cache import analysis_for, release
from .engine.hooks import Finding
from .world import LibraryWorld
from .rules import DEFAULT_OFF, RULES

# Importing the family modules registers their hooks with the shared pass.
from .checks import engine_logging as _engine_logging  # noqa: F401
from .checks import logs as _logs  # noqa: F401
from .checks import orm as _orm  # noqa: F401
from .checks import raw_sql as _raw_sql  # noqa: F401

Result = Tuple[int, int, str, type]

# Files that already got their SQL999: (tree id) so a file reports at most one.
_REPORTED_ERRORS: List[Any] = [None]
# [tree, how many entry points have read its analysis]; at the last, it is released.
_READERS: List[Any] = [None, 0]


def _read(tree: ast.AST) -> None:
    if _READERS[0] is not tree:
        _READERS[0], _READERS[1] = tree, 0
    _READERS[1] += 1
    if _READERS[1] >= len(ENTRY_POINTS):
        _READERS[0] = None
        release(tree)


@functools.lru_cache(maxsize=4)
def _world(settings: config.Config) -> LibraryWorld:
    """The world the engine asks, for these settings (they name safe functions)."""
    return LibraryWorld(settings)


@functools.lru_cache(maxsize=None)
def _family_codes(family: str) -> Tuple[str, ...]:
    return tuple(code for code in RULES if code.startswith(family))


def _char_col(lines: Sequence[str], line: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; flake8 wants characters."""
    if 0 < line <= len(lines):
        text = lines[line - 1]
        encoded = text.encode("utf-8", "surrogatepass")
        if byte_col > len(encoded):
            return max(len(text.rstrip("\r\n")), 0)
        return len(encoded[:byte_col].decode("utf-8", "ignore"))
    return byte_col


class _Family:
    name = "flake8-sqlsec"
    version = __version__
    family: ClassVar[str] = ""

    def __init__(self, tree: ast.AST, filename: str = "", lines: Sequence[str] = ()) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines  # flake8's list of the file's lines, only read

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        config.register(option_manager, cls.family)
        if cls.family == "SQL1":
            option_manager.extend_default_ignore(list(DEFAULT_OFF))

    @classmethod
    def parse_options(cls, options: Any) -> None:
        config.configure(options)

    def run(self) -> Iterator[Result]:
        try:
            findings = self._findings()
        except Exception as exc:  # noqa: B902
            yield from self._internal_error(exc)
            return
        finally:
            _read(self.tree)
        for finding in findings:
            yield self._result(finding)

    def _findings(self) -> List[Finding]:
        settings = config.CURRENT
        if not settings.wants(*_family_codes(self.family)):
            return []
        try:
            analysis = analysis_for(self.tree, self.filename, self.lines, settings, _world(settings))
        except Exception as exc:  # noqa: B902 - the SQL9 entry point reports it once
            del exc
            return []
        return analysis.findings(self.family)

    def _result(self, finding: Finding) -> Result:
        rule = RULES[finding.code]
        line = min(max(finding.line, 1), max(len(self.lines), 1))
        col = _char_col(self.lines, line, finding.col)
        return line, col, rule.message(finding.detail, finding.hint), type(self)

    def _internal_error(self, exc: BaseException) -> Iterator[Result]:
        if _REPORTED_ERRORS[0] is self.tree:
            return
        _REPORTED_ERRORS[0] = self.tree
        rule = RULES["SQL999"]
        yield 1, 0, rule.message(f"{type(exc).__name__} while analysing this file"), type(self)


class RawSQLChecker(_Family):
    """SQL1: raw SQL text handed to execution APIs."""

    family = "SQL1"


class ORMFragmentChecker(_Family):
    """SQL2: string-built filters and fragments in ORM queries."""

    family = "SQL2"


class SensitiveLogChecker(_Family):
    """SQL3: secrets, connection details, database errors and dumps passed to loggers."""

    family = "SQL3"


class EngineLoggingChecker(_Family):
    """SQL4: engine and logger settings that log SQL parameters."""

    family = "SQL4"


class InternalErrorReporter(_Family):
    """SQL9: reports a failure of the shared analysis once per file (SQL999)."""

    family = "SQL9"

    def run(self) -> Iterator[Result]:
        settings = config.CURRENT
        try:
            analysis = analysis_for(self.tree, self.filename, self.lines, settings, _world(settings))
        except Exception as exc:  # noqa: B902
            if settings.wants("SQL999"):
                yield from self._internal_error(exc)
            return
        else:
            _record_stats(self.filename, analysis.read_other_modules, analysis.seconds)
        finally:
            _read(self.tree)


def _record_stats(filename: str, read_other_modules: bool, seconds: float) -> None:
    """With FLAKE8_SQLSEC_STATS=path, append one JSON line per file (for bench/run.py)."""
    path = os.environ.get("FLAKE8_SQLSEC_STATS")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps({"file": filename, "other_modules": read_other_modules, "seconds": seconds}) + "\n")
    except OSError:
        pass


# The classes registered as flake8 entry points (pyproject.toml), one per family.
ENTRY_POINTS = (RawSQLChecker, ORMFragmentChecker, SensitiveLogChecker, EngineLoggingChecker, InternalErrorReporter)
