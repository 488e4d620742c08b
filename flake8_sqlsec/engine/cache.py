"""The per-tree cache: one analysis per tree, whichever family asks first."""

from __future__ import annotations

import ast
import gc
import sys
import time
from typing import Any, Callable, List, Sequence

from ..config import Config
from .driver import FileAnalysis
from .other_modules import forget_trees
from .values import forget_file_values
from .world import World

_RECURSION_LIMIT = 8000
_CACHE: List[Any] = [None, None]  # [tree, FileAnalysis or exception]


# Entries the unbounded string caches may hold before they are emptied.
_MEMO_LIMIT = 50_000
# Those caches (``functools.lru_cache`` functions of the world and the checks, which
# add theirs with ``memoized``).
_MEMOS: List[Any] = []


def memoized(function: Callable[..., Any]) -> Callable[..., Any]:
    """Have ``release`` empty this cached function's cache should it grow large."""
    _MEMOS.append(function)
    return function


def release(tree: ast.AST) -> None:
    """Forget the analysis of this tree (every family has read it): the tree and the
    values are freed now rather than kept alive while flake8 runs its token checks, and
    the value caches are emptied (see ``values.forget_file_values``)."""
    if _CACHE[0] is tree:
        if isinstance(_CACHE[1], FileAnalysis):
            _CACHE[1].close()
        _CACHE[0] = _CACHE[1] = None
    forget_file_values()
    forget_trees()
    for memo in _MEMOS:
        if memo.cache_info().currsize > _MEMO_LIMIT:
            memo.cache_clear()


def analysis_for(tree: ast.AST, filename: str, lines: Sequence[str], config: Config, world: World) -> FileAnalysis:
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
    # collection takes a good part of a second), so the collector pauses meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        analysis = FileAnalysis(tree, filename, lines, config, world)
        analysis.run()
        analysis.seconds = time.perf_counter() - started
    except Exception as exc:  # noqa: B902 - reported once as SQL999 by the plugin
        _CACHE[1] = exc
        raise
    finally:
        if collecting:
            gc.enable()
        sys.setrecursionlimit(limit)
    _CACHE[1] = analysis
    return analysis
