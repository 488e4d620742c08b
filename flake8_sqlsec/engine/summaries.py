"""What calls of the file's own functions return.

A function's return value is summarised once, from a run of its body with parameters
that are not known (silently: no hook hears of it). When the summary does not depend on
the parameters — a helper returning constant text (``placeholders(n)``), a cursor, a
statement built from other state — every call gets it as it is. When it does (a builder
``by_name(col)`` returning ``f"SELECT ... {col}"``), the body runs again with the call's
arguments, so a constant argument gives constant text and an unknown one built text,
whose build site is the builder's. Runs are bounded: nested two deep, no recursion, a
budget per file.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from .calls import CallSite
from .scopes import ScopeInfo, all_args
from .values import Imported, Instance, Kind, Shape, Value, join, number

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis
    from .interpreter import Interpreter

# How many runs of function bodies for their return values one file may take, and how
# deep they nest.
_RUNS_PER_FILE = 2000
_DEPTH = 2
# Bodies longer than this are not run for their return value: helpers that build text or
# hand out a cursor are short; a function the prefilter marked (it calls an API of
# interest or holds SQL-looking text) may be longer.
_MAX_LINES = 40
_MAX_MARKED_LINES = 400


class FunctionSummaries:
    """Return values of the file's functions (a mixin of ``FileAnalysis``)."""

    def returned(self, interp: "Interpreter", site: CallSite) -> Optional[Value]:
        """What this call of a function of the file returns; None when not known."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        function = site.callee.local_function
        if function is None or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        if isinstance(function, ast.AsyncFunctionDef):
            return None  # calling a coroutine function gives a coroutine, not what it returns
        summary = analysis.summaries.get(id(function))
        if summary is None and id(function) not in analysis.summaries:
            summary = analysis.summaries[id(function)] = self._run_for_return(function, None)
        if summary is None:
            return None
        if not any(fid == id(function) for fid, _ in summary.params):
            return summary if _worth_returning(summary) else None
        state = self._arguments(interp, function, site)
        if state is None:
            return None
        result = self._run_for_return(function, state)
        return result if result is not None and _worth_returning(result) else None

    def _run_for_return(self, function: ast.AST, state: Optional[Dict[str, Value]]) -> Optional[Value]:
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        running = analysis.running_for_return
        if len(running) >= _DEPTH or id(function) in running or analysis.return_runs >= _RUNS_PER_FILE:
            return None
        lines = (function.end_lineno or function.lineno) - function.lineno  # type: ignore[attr-defined]
        if lines > (_MAX_MARKED_LINES if id(function) in analysis.candidates else _MAX_LINES):
            return None
        if state is None and not _returns_value(function):
            return None
        class_info = analysis.method_class.get(id(function))
        scope: ScopeInfo = analysis.function_scope(function, analysis.module_scope, class_info)
        entry = analysis.entry_state(function, class_info)
        if state is not None:
            entry.update(state)
        child = analysis.interpreter(scope, entry)
        child.returns = []
        analysis.return_runs += 1
        running.append(id(function))
        analysis.silent += 1
        try:
            child.run_body(function.body)  # type: ignore[attr-defined]
        finally:
            analysis.silent -= 1
            running.pop()
        returns = child.returns
        if child.live:
            returns.append(number("None"))  # it can end without a return
        result: Optional[Value] = None
        for value in returns:
            result = join(result, value)
        if result is not None and result.obj is Shape.CONTAINER and (result.labels or result.element is not None):
            # ``return uuid, secret``: the elements are joined here, so a label of one
            # would be read on every name the caller unpacks it to
            element = replace(result.element, labels=()) if result.element is not None else None
            result = replace(result, labels=(), element=element)
        return result

    def _arguments(self, interp: "Interpreter", function: ast.AST, site: CallSite) -> Optional[Dict[str, Value]]:
        """The call's arguments by parameter name, defaults filled in; None when they
        cannot be matched (``*args``, ``**kwargs``)."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        args: ast.arguments = function.args  # type: ignore[attr-defined]
        if args.vararg or args.kwarg or site.starred or None in site.keywords:
            return None
        positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
        shift = 1 if _binds_first(function, site) else 0
        state: Dict[str, Value] = {}
        for index, value in enumerate(site.args):
            if index + shift >= len(positional):
                return None
            state[positional[index + shift].arg] = value
        names = {a.arg for a in all_args(args)}
        for name, value in site.keywords.items():
            if name not in names:
                return None
            state[name] = value  # type: ignore[index]
        defaults: List[Tuple[ast.arg, Optional[ast.expr]]] = list(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults)
        ) + list(zip(args.kwonlyargs, args.kw_defaults))
        for arg, default in defaults:
            if arg.arg not in state and default is not None:
                state[arg.arg] = analysis.peek(interp, default)
        return state


def _binds_first(function: ast.AST, site: CallSite) -> bool:
    """Whether the call binds the first parameter itself (``self``, ``cls``)."""
    if not site.callee.method:
        return False
    decorators = [d.id for d in getattr(function, "decorator_list", []) if isinstance(d, ast.Name)]
    if "staticmethod" in decorators:
        return False
    receiver = site.callee.receiver
    return "classmethod" in decorators or (receiver is not None and type(receiver.obj) is Instance)


def _returns_value(function: ast.AST) -> bool:
    """Whether the function has a ``return`` of something other than a plain constant."""
    stack = list(function.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            if node.value is not None and not isinstance(node.value, ast.Constant):
                return True
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, (ast.stmt, ast.excepthandler)))
        stack.extend(getattr(node, "cases", ()))
    return False


def _worth_returning(value: Value) -> bool:
    """A return value that says more than "not known": text (constant, safe or built), an
    object, or labels."""
    if value.kind is not Kind.UNKNOWN:
        return value.obj is not Shape.FUNCTION
    if type(value.obj) is Imported:
        # ``return g.db``: an attribute of an imported object says less than the call's
        # own name would (``get_db()`` is judged a connection by its name)
        return bool(value.labels)
    return value.obj is not None or bool(value.labels)
