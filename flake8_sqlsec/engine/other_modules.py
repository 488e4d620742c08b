"""Functions of the project's other modules: what their parameters reach.

A call of a function imported from another module of the project (``from .db import
run_query``, ``db.run_query(...)`` with ``from . import db``) is judged by that function's
summary. The module is analysed once per process by the same engine, with the families
that follow functions (``Hook.followed_functions``: a parameter that reaches a sink), its
findings dropped; what each family followed is kept by function name, with the names of
the parameters, and the tree is dropped at once. The module is found and read as for
constants (``project.py``): from the linted file's place, parsed, never imported.

One module away only: the summarised module's own calls into a third module are not
followed. Each linted file may ask about a bounded number of modules (counted whether
or not their summary was already made, so the answer does not depend on the order the
files are linted in).
"""

from __future__ import annotations

import ast
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Mapping, Optional, Tuple

from .hooks import Hook
from .project import FOLLOW_DEPTH, MAX_MODULE_BYTES
from .scopes import all_args

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis

# Modules one linted file may ask about.
MODULE_BUDGET = 8
# Seconds the analysis of one other module may take.
_SECONDS = 2.0


@dataclass(frozen=True)
class FunctionFacts:
    """What a function of another module does with its parameters."""

    params: Tuple[str, ...]  # its parameters, in order
    followed: Mapping[str, object]  # family -> what the family's hook followed in it


# module file -> {function name: facts} (None: unreadable)
_SUMMARIES: Dict[Tuple[str, object], Optional[Dict[str, FunctionFacts]]] = {}
_CACHE_LIMIT = 2_000


def function_facts(analysis: "FileAnalysis", qualname: str) -> Optional[FunctionFacts]:
    """The facts of ``pkg.mod.function`` when it is a module-level function of another
    module of the project; None otherwise or beyond the budget."""
    if analysis.summarising or analysis.project.level != "project" or "." not in qualname.strip("."):
        return None
    project = analysis.project
    modname, _, name = qualname.rpartition(".")
    modname = project.absolute(modname)
    for _ in range(FOLLOW_DEPTH):  # re-exported: ``from .base import run_query`` in a package
        if not modname:
            return None
        facts = project.facts(modname)
        binding = facts.names.get(name) if facts is not None else None
        if binding is None or binding[0] != "from":
            break
        modname, name = str(binding[1]), str(binding[2])
    path = project.project_file(modname) if modname else ""
    if not path:
        return None
    asked = analysis.modules_asked
    if path not in asked:
        if len(asked) >= MODULE_BUDGET:
            return None
        asked.add(path)
    key = (path, analysis.config)
    if key not in _SUMMARIES:
        if len(_SUMMARIES) > _CACHE_LIMIT:
            _SUMMARIES.clear()
        _SUMMARIES[key] = _summarise(analysis, path)
    summary = _SUMMARIES[key]
    return summary.get(name) if summary is not None else None


def _summarise(analysis: "FileAnalysis", path: str) -> Optional[Dict[str, FunctionFacts]]:
    """Run the engine over another module with the families that follow functions."""
    from .driver import Budget, FileAnalysis

    try:
        if os.path.getsize(path) > MAX_MODULE_BYTES:
            return None
        with open(path, "rb") as stream:
            source = stream.read().decode("utf-8")
        tree = ast.parse(source, filename=path)
    except (OSError, SyntaxError, ValueError, MemoryError, RecursionError, UnicodeDecodeError):
        return None
    other = FileAnalysis(tree, path, source.splitlines(True), analysis.config, analysis.world, summarising=True)
    other.hooks = [hook for hook in other.hooks if type(hook).followed_functions is not Hook.followed_functions]
    if not other.hooks:
        return {}
    other.budget = Budget(time.perf_counter() + _SECONDS)
    other.run()
    if other.exhausted:
        return None
    names = {id(node): name for name, node in other.functions.items()}
    result: Dict[str, FunctionFacts] = {}
    for hook in other.hooks:
        for function_id, payload in hook.followed_functions().items():
            name = names.get(function_id)
            if name is None:
                continue  # a method or a nested function: not reachable by an import
            node = other.functions[name]
            known = result.get(name)
            followed = dict(known.followed) if known is not None else {}
            followed[hook.family] = payload
            params = tuple(arg.arg for arg in all_args(node.args))  # type: ignore[attr-defined]
            result[name] = FunctionFacts(params, followed)
    return result
