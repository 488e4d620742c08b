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
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from .calls import CallSite
from .other_modules import RETURNS
from .scopes import ScopeInfo, all_args
from .values import HOLE, Imported, Instance, Kind, Origin, Shape, Value, const, from_parameters, join, number, replace

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis
    from .interpreter import Interpreter

# How many runs of function bodies for their return values one file may take, and how
# deep they nest.
_RUNS_PER_FILE = 2000
_DEPTH = 3
# Bodies longer than this are not run for their return value: helpers that build text or
# hand out a cursor are short; a function the prefilter marked (it calls an API of
# interest or holds SQL-looking text) may be longer.
_MAX_LINES = 40
_MAX_MARKED_LINES = 400
# A generator that yields the parts of a statement, one clause after another, is longer.
_MAX_GENERATOR_LINES = 100


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
        if site.callee.closure:
            return self._returned_nested(interp, function, site)
        every_family = len(analysis.refiners) == len(analysis.all_refiners)
        known = analysis.summaries.get(id(function))
        if known is not None and (known[1] or not every_family):
            summary = known[0]
        else:
            running = analysis.running_for_return
            if len(running) >= _DEPTH or id(function) in running:
                return None  # not known from this depth; a shallower call will work it out
            # Worked out with the families that label values here: a caller in which every
            # family does needs a summary that every family labelled.
            summary = self.run_for_return(function, None)
            analysis.summaries[id(function)] = (summary, every_family)
        if summary is None:
            return None
        if not _depends_on(summary, id(function)):
            return summary if _worth_returning(summary) else None
        state = self.arguments(interp, function, site)
        if state is None:
            return None
        result = self.run_for_return(function, state)
        return result if result is not None and _worth_returning(result) else None

    def _returned_nested(self, interp: "Interpreter", function: ast.AST, site: CallSite) -> Optional[Value]:
        """A call of a function defined in the calling body (``def clause(name): ...``):
        run with the arguments and the values the body holds now, never remembered."""
        if not self.summarised(function):
            return None
        closure = ScopeInfo(interp.scope.node, interp.scope.parent, "function", set(), set(), final=dict(interp.state))
        result = self.run_for_return(function, self.arguments(interp, function, site) or {}, closure)
        return result if result is not None and _worth_returning(result) else None

    def returned_elsewhere(self, site: CallSite, qualnames: Tuple[str, ...]) -> Optional[Value]:
        """What this call of a function (or inherited method) of another module of the
        project returns, from that module's summary; None when not known."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        facts = analysis.facts_elsewhere(qualnames, RETURNS)
        fact = facts.returns if facts is not None else None
        if fact is None:
            return None
        shift = facts.bound  # type: ignore[union-attr]
        args: Dict[int, Value] = {}
        if not site.starred:
            for index, value in enumerate(site.args):
                args[index + shift] = value
            for name, value in site.keywords.items():
                if name in facts.params:
                    args[facts.params.index(name)] = value
        if fact.kind <= Kind.SAFE and not fact.passes:
            # safe text whatever the parameters hold: a helper that checks its argument
            # against an allow-list (or does not put it into the text at all)
            return Value(kind=fact.kind, text=fact.text, obj=fact.obj, element=fact.element)
        if fact.passes is not None:
            passed = args.get(fact.passes)
            return passed if passed is not None else None
        callee = site.callee.name
        form = f"{fact.form} in {callee}()"
        node = site.node
        here = Origin(node.lineno, node.col_offset, form, id(node))
        if not fact.depends:
            origins = frozenset((here,)) if fact.kind is Kind.BUILT else frozenset()
            return Value(kind=fact.kind, text=fact.text, obj=fact.obj, origins=origins)
        if site.starred or None in site.keywords:
            parts = list(site.args) + list(site.keywords.values())
        else:
            parts = [args[index] for index in sorted(fact.depends) if index in args]  # the others: defaults
        worst = max((part.kind for part in parts), default=Kind.CONST)
        if worst <= Kind.SAFE:
            kind = fact.safe_kind
            origins = frozenset((here,)) if kind is Kind.BUILT else frozenset()
            return Value(kind=kind, text=fact.text, obj=fact.obj, origins=origins)
        joined: Optional[Value] = None
        for part in parts:
            joined = join(joined, part)
        assert joined is not None
        if fact.kind is Kind.BUILT:
            if fact.safe_kind <= Kind.SAFE and all(from_parameters(part) for part in parts):
                here = replace(here, of_params=True)  # built from what the caller's parameters hold
            return replace(joined, kind=Kind.BUILT, text=fact.text, obj=fact.obj, origins=joined.origins | {here})
        return replace(joined, kind=max(worst, fact.kind), text=fact.text, obj=fact.obj)

    def generator(self, function: ast.AST) -> bool:
        """Whether the function yields (its text is looked at first: few do)."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        known = analysis.generators.get(id(function))
        if known is None:
            known = "yield" in analysis.source_of(function) and is_generator(function)
            analysis.generators[id(function)] = known
        return known

    def _max_lines(self, function: ast.AST) -> int:
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        if id(function) in analysis.candidates:
            return _MAX_MARKED_LINES
        return _MAX_GENERATOR_LINES if self.generator(function) else _MAX_LINES

    def summarised(self, function: ast.AST) -> bool:
        """Whether a function's return value is worked out at all: a short body (longer
        when the prefilter marked it) with a ``return`` of something."""
        if isinstance(function, ast.AsyncFunctionDef):
            return False
        lines = (function.end_lineno or function.lineno) - function.lineno  # type: ignore[attr-defined]
        if lines > self._max_lines(function):
            return False
        return self.generator(function) or _returns_value(function)

    def keep_summary(self, function: ast.AST, interp: "Interpreter") -> None:
        """The context-free summary from a run of the function in its own right (same
        entry state as the silent run would use), so that run is not repeated."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        every_family = len(analysis.refiners) == len(analysis.all_refiners)
        known = analysis.summaries.get(id(function))
        if interp.returns is not None and (known is None or (every_family and not known[1])):
            analysis.summaries[id(function)] = (_joined_returns(interp), every_family)

    def run_for_return(
        self, function: ast.AST, state: Optional[Dict[str, Value]], closure: Optional[ScopeInfo] = None
    ) -> Optional[Value]:
        """What the function returns, run with ``state`` for its parameters (None: as
        entered on its own); ``closure``: the scope of the body that defines it."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        running = analysis.running_for_return
        if len(running) >= _DEPTH or id(function) in running or analysis.return_runs >= _RUNS_PER_FILE:
            return None
        if state is None:
            if not self.summarised(function):
                return None
        else:
            lines = (function.end_lineno or function.lineno) - function.lineno  # type: ignore[attr-defined]
            if lines > self._max_lines(function):
                return None
        constant = _constant_return(function)
        if constant is not None:
            return constant  # ``return ""``: nothing to run
        class_info = analysis.method_class.get(id(function)) if closure is None else None
        parent = analysis.module_scope if closure is None else closure
        scope: ScopeInfo = analysis.function_scope(function, parent, class_info)
        entry = analysis.entry_state(function, class_info)
        if state is not None:
            entry.update(state)
        child = analysis.interpreter(scope, entry)
        child.returns = []
        child.yielded = [] if self.generator(function) else None
        analysis.return_runs += 1
        running.append(id(function))
        try:
            analysis.quietly(lambda: child.run_body(function.body))  # type: ignore[attr-defined]
        finally:
            running.pop()
        return _joined_returns(child)

    def arguments(self, interp: "Interpreter", function: ast.AST, site: CallSite) -> Optional[Dict[str, Value]]:
        """The call's arguments by parameter name, defaults filled in; None when they
        cannot be matched (``*args``, ``**kwargs``)."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        args: ast.arguments = function.args  # type: ignore[attr-defined]
        if args.vararg or args.kwarg or site.starred or None in site.keywords:
            return None
        positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
        shift = 1 if binds_first(function, site) else 0
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


def _depends_on(value: Value, function_id: int) -> bool:
    """Whether a return value holds a parameter of the function, in itself or in what it
    contains (``return (sql % {"type": new_type}, []), actions``)."""
    for _ in range(4):
        if any(fid == function_id for fid, _ in value.params):
            return True
        if value.keys is not None and any(fid == function_id for fid, _ in value.keys.params):
            return True
        if value.element is None:
            return False
        value = value.element
    return False


def _joined_returns(interp: "Interpreter") -> Optional[Value]:
    """The join of what a run of a body returned; for a generator, an iterable of what
    it yielded."""
    if interp.yielded is not None:
        element: Optional[Value] = None
        for value in interp.yielded:
            element = join(element, value)
        element = element if element is not None else const("")
        return Value(
            kind=Kind.SAFE,
            text=HOLE,
            obj=Shape.CONTAINER,
            element=element,
            origins=element.origins,
            params=element.params,
        )
    returns = list(interp.returns or ())
    if interp.live:
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


def binds_first(function: ast.AST, site: CallSite) -> bool:
    """Whether the call binds the first parameter itself (``self``, ``cls``)."""
    if not site.callee.method:
        return False
    decorators = [d.id for d in getattr(function, "decorator_list", []) if isinstance(d, ast.Name)]
    if "staticmethod" in decorators:
        return False
    receiver = site.callee.receiver
    return "classmethod" in decorators or (receiver is not None and type(receiver.obj) is Instance)


def is_generator(function: ast.AST) -> bool:
    """Whether the function's own body yields (a nested function's yield is its own)."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    stack: List[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _constant_return(function: ast.AST) -> Optional[Value]:
    """The text of a body that is only ``return "..."`` (after its docstring)."""
    body = function.body  # type: ignore[attr-defined]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) == 1 and isinstance(body[0], ast.Return):
        value = body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return const(value.value)
    return None


def _returns_value(function: ast.AST) -> bool:
    """Whether the function has a ``return`` of text or of something other than a plain
    constant (``return None``, ``return True`` say nothing worth a run)."""
    stack = list(function.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            if node.value is not None and (
                not isinstance(node.value, ast.Constant) or isinstance(node.value.value, str)
            ):
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
    return value.obj is not None or bool(value.labels) or value.pending is not None
