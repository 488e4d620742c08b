"""The per-tree cache: one analysis per tree, whichever family asks first."""

from __future__ import annotations

import ast
import gc
import sys
import time
from typing import Any, Callable, Dict, List, Sequence

from ..config import Config
from .driver import FileAnalysis
from .hooks import Finding
from .project import forget_trees
from .values import forget_file_values
from .world import World

_RECURSION_LIMIT = 8000
_CACHE: List[Any] = [None, None]  # [tree, FileResult or exception]


# Entries the unbounded string caches may hold before they are emptied.
_MEMO_LIMIT = 50_000
# Those caches (``functools.lru_cache`` functions of the world and the checks, which
# add theirs with ``memoized``).
_MEMOS: List[Any] = []


def memoized(function: Callable[..., Any]) -> Callable[..., Any]:
    """Have ``release`` empty this cached function's cache should it grow large."""
    _MEMOS.append(function)
    return function


class FileResult:
    """What the entry points read of a file's analysis: its findings by family, whether
    it read other modules, and how long it took. The analysis itself is freed as soon as
    this is made, while the collector is still paused: the values, states and hooks of a
    pass are many objects, and kept alive until the last entry point had read them, each
    collection that ran meanwhile walked them and moved them to an older generation."""

    __slots__ = ("_by_family", "read_other_modules", "seconds")

    def __init__(self, analysis: FileAnalysis, seconds: float) -> None:
        by_family: Dict[str, List[Finding]] = {}
        for finding in analysis.findings(""):
            by_family.setdefault(finding.code[:4], []).append(finding)
        self._by_family = by_family
        self.read_other_modules = analysis.project.used
        self.seconds = seconds

    def findings(self, family: str) -> List[Finding]:
        return list(self._by_family.get(family, ()))


def release(tree: ast.AST) -> None:
    """Forget the result of this tree (every family has read it), and empty the string
    caches should they have grown large."""
    if _CACHE[0] is tree:
        _CACHE[0] = _CACHE[1] = None
    for memo in _MEMOS:
        if memo.cache_info().currsize > _MEMO_LIMIT:
            memo.cache_clear()


def analysis_for(tree: ast.AST, filename: str, lines: Sequence[str], config: Config, world: World) -> FileResult:
    """The analysis of this tree, built on first use; a failure is cached and re-raised."""
    if _CACHE[0] is tree and _CACHE[1] is not None:
        cached = _CACHE[1]
        if isinstance(cached, BaseException):
            raise cached
        return cached
    _CACHE[0], _CACHE[1] = tree, None
    started = time.perf_counter()
    limit = sys.getrecursionlimit()
    # Nesting the parser accepts (200 levels of brackets) takes a few frames a level here.
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    # The pass makes many short-lived objects and no reference cycles: reference counting
    # frees them. Collections started by those allocations would only walk flake8's own
    # objects and the file's tree again and again (on a 100k-line module each full
    # collection takes a good part of a second), so the collector pauses meanwhile, and
    # resumes only once the analysis is freed (``FileResult``).
    collecting = gc.isenabled()
    gc.disable()
    try:
        analysis = FileAnalysis(tree, filename, lines, config, world)
        try:
            analysis.run()
            result = FileResult(analysis, 0.0)
        finally:
            analysis.close()  # cuts the pending values: reference counting frees it all
            del analysis
            forget_file_values()  # the value caches and other modules' trees of this file
            forget_trees()
        result.seconds = time.perf_counter() - started
    except Exception as exc:  # noqa: B902 - reported once as SQL999 by the plugin
        _CACHE[1] = exc
        raise
    finally:
        if collecting:
            gc.enable()
        sys.setrecursionlimit(limit)
    _CACHE[1] = result
    return result
