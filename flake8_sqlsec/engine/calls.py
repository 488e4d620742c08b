"""Calls: what a call calls (``Callee``), the call with its arguments evaluated
(``CallSite``), and how the interpreter evaluates one."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from .scopes import dotted_text
from .strings import STRING_METHODS
from .values import (
    HOLE,
    SAFE_NUMBER,
    UNKNOWN,
    Imported,
    Instance,
    Kind,
    LocalClass,
    Shape,
    Value,
    const,
    instance,
    join,
    replace,
)

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis
    from .scopes import ScopeInfo

# Builtins whose calls the analysis understands (by name, unless shadowed by a local).
BUILTIN_CALLABLES = frozenset(
    (
        "int",
        "float",
        "len",
        "str",
        "repr",
        "bool",
        "list",
        "tuple",
        "set",
        "sorted",
        "map",
        "print",
        "range",
        "reversed",
        "frozenset",
        "iter",
        "abs",
        "round",
        "sum",
        "ord",
        "hash",
        "id",
        "bytes",
        "ascii",
        "locals",
        "globals",
        "vars",
        "dict",
        "complex",
        "enumerate",
        "zip",
    )
)
CONTAINER_FUNCTIONS = frozenset(("list", "tuple", "set", "sorted", "reversed", "frozenset", "iter"))


# The state's key for what a receiver ran last (no Python name holds a space).
_RAN = "ran "


@dataclass
class Callee:
    """What a call calls, as far as it can be resolved."""

    name: str  # the method or function name as written
    method: bool  # written as receiver.name(...)
    qualname: Optional[str] = None  # canonical dotted name when it comes from an import
    receiver: Optional[Value] = None
    receiver_text: str = ""  # "self.cursor" — for messages and name heuristics
    local_function: Optional[ast.AST] = None  # a function or method of this file
    held: Optional[Value] = None  # what a called plain name holds
    # ``self.method(...)`` of a class of this file whose lineage does not define it: the
    # qualified names it would have on each imported base (a base class of another module)
    inherited: Tuple[str, ...] = ()
    # ``local_function`` is defined in the calling function's body: run with its values
    closure: bool = False

    @property
    def receiver_api(self) -> Optional[str]:
        """The world's kind of the receiver (``"dbapi.cursor"``), when it is a library object."""
        return self.receiver.api if self.receiver is not None else None

    def label(self) -> str:
        if self.method:
            receiver = self.receiver_text.split(".")[-1] if self.receiver_text else "…"
            return f"{receiver}.{self.name}()"
        return f"{self.name}()"


@dataclass
class CallSite:
    """A call with its callee resolved and its arguments evaluated (once)."""

    node: ast.Call
    callee: Callee
    args: List[Value]  # positional; a *starred argument gives its element value
    keywords: Dict[Optional[str], Value]  # None for **mapping
    starred: bool = False

    def arg(self, position: int, keywords: Sequence[str] = ()) -> Tuple[Optional[Value], Optional[ast.AST]]:
        """The value and node of an argument given by position or keyword."""
        positional = self.node.args
        if position < len(positional) and not any(isinstance(a, ast.Starred) for a in positional[: position + 1]):
            return self.args[position], positional[position]
        for kw in self.node.keywords:
            if kw.arg is not None and kw.arg in keywords:
                return self.keywords[kw.arg], kw.value
        return None, None


def _receiver_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        func = node.func
        return func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
    return ""


class CallEvaluation:
    """The interpreter's evaluation of calls (a mixin of ``Interpreter``)."""

    analysis: "FileAnalysis"
    scope: "ScopeInfo"
    state: Dict[str, Value]
    ran_statements: bool

    def _eval_Call(self, node: ast.Call) -> Value:
        callee = self.resolve_callee(node)
        analysis = self.analysis
        display = analysis.world.shows_only(analysis, callee)
        if display:
            analysis.display_depth += 1
        try:
            args: List[Value] = []
            starred = False
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    starred = True
                    args.append(self.element_of(self.eval(arg.value)))  # type: ignore[attr-defined]
                else:
                    args.append(self.eval(arg))  # type: ignore[attr-defined]
            keywords: Dict[Optional[str], Value] = {}
            for kw in node.keywords:
                value = self.eval(kw.value)  # type: ignore[attr-defined]
                keywords[kw.arg] = join(keywords[kw.arg], value) if kw.arg in keywords else value
        finally:
            if display:
                analysis.display_depth -= 1
        site = CallSite(node, callee, args, keywords, starred)
        result = self._call_result(site)
        if callee.method and callee.receiver_text:
            result = self._after_statement(site, result)
        if analysis.refiners:
            result = analysis.refine_call(self, site, result)
        analysis.on_call(self, site)
        return result

    def _after_statement(self, site: CallSite, result: Value) -> Value:
        """``cur.execute("SELECT pg_backend_pid()")`` then ``cur.fetchone()``: what a
        receiver ran last on this path is kept, for the world to say what it answers."""
        world = self.analysis.world
        ran = world.statement_run(self.analysis, site)
        if ran is not None:
            self.state[_RAN + site.callee.receiver_text] = ran  # type: ignore[attr-defined]
            self.ran_statements = True
            return result
        if not self.ran_statements:
            return result
        before = self.state.get(_RAN + site.callee.receiver_text)  # type: ignore[attr-defined]
        if before is None:
            return result
        answer = world.answer(site, before)
        return answer if answer is not None else result

    def resolve_callee(self, node: ast.Call) -> Callee:
        func = node.func
        world = self.analysis.world
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value)  # type: ignore[attr-defined]
            receiver_name = _receiver_name(func.value)
            if receiver.obj is None and receiver_name:
                # A receiver we know nothing about: judge it by its name (cursor, conn, get_db()...).
                hinted = world.receiver_named(receiver_name)
                if hinted is not None:
                    receiver = replace(receiver, obj=hinted)
            held = receiver.obj
            qualname = world.canonical(held.name + "." + func.attr) if type(held) is Imported else None
            local = None
            inherited: Tuple[str, ...] = ()
            if type(held) is Instance or type(held) is LocalClass:
                local = self.analysis.method_of(held.name, func.attr)  # type: ignore[union-attr]
                if local is None:
                    inherited = tuple(
                        f"{base.name}.{func.attr}"
                        for base in self.analysis.ancestors(held.name)  # type: ignore[union-attr]
                        if type(base) is Imported
                    )
            return Callee(func.attr, True, qualname, receiver, dotted_text(func.value), local, inherited=inherited)
        if isinstance(func, ast.Name):
            value = self.lookup(func.id)  # type: ignore[attr-defined]
            qualname = value.imported
            if qualname is None and func.id in BUILTIN_CALLABLES:
                if func.id not in self.state and func.id not in self.scope.locals:
                    qualname = func.id
            local = self.analysis.local_function(self.scope, func.id) if qualname is None else None
            nested = self.nested  # type: ignore[attr-defined]
            if nested and func.id in nested and value.obj is Shape.FUNCTION:
                return Callee(func.id, False, None, None, "", nested[func.id], held=value, closure=True)
            return Callee(func.id, False, qualname, None, "", local, held=value)
        self.eval(func)  # type: ignore[attr-defined]
        return Callee("…", False)

    def _call_result(self, site: CallSite) -> Value:
        callee = site.callee
        qualname = callee.qualname
        receiver = callee.receiver
        if (
            receiver is not None
            and (type(receiver.obj) is Imported or receiver.pending is not None)
            and callee.name in STRING_METHODS
        ):
            # ``queries.TEMPLATE.format(...)``: a constant of another module of the project
            text = self._imported_text(receiver)  # type: ignore[attr-defined]
            if text is not receiver:
                return self._string_method(site, text) or UNKNOWN  # type: ignore[attr-defined]
        if qualname is not None:
            builtin = self._builtin_result(site, qualname)
            if builtin is not None:
                return builtin
            known = self.analysis.world.call_result(self.analysis, site)
            discarded = site.node is self.discarded  # type: ignore[attr-defined]
            if known is None and not discarded and self.analysis.follows_imports:
                return self._elsewhere(site, (qualname,))
            return known if known is not None else UNKNOWN
        if callee.method:
            receiver = callee.receiver or UNKNOWN
            if receiver.obj is None or receiver.obj in (Shape.TEMPLATE, Shape.DICT, Shape.CONTAINER):
                string_result = self._string_method(site, receiver)  # type: ignore[attr-defined]
                if string_result is not None:
                    return string_result
            known = self.analysis.world.call_result(self.analysis, site)
            if known is not None:
                return known
            if callee.local_function is not None and site.node is not self.discarded:  # type: ignore[attr-defined]
                returned = self.analysis.returned(self, site)  # type: ignore[arg-type]
                return returned if returned is not None else UNKNOWN
            discarded = site.node is self.discarded  # type: ignore[attr-defined]
            if callee.inherited and not discarded and self.analysis.follows_imports:
                return self._elsewhere(site, callee.inherited)
            if receiver.from_input and receiver.obj is None:
                return Value(from_input=True, names=receiver.names)  # request.GET.get("sort"), request.get_json()
            return UNKNOWN
        # A plain name we could not resolve to an import.
        held = callee.held
        if held is not None and type(held.obj) is LocalClass:
            return instance(held.obj.name)  # type: ignore[union-attr]
        if callee.local_function is not None and site.node is not self.discarded:  # type: ignore[attr-defined]
            returned = self.analysis.returned(self, site)  # type: ignore[arg-type]
            if returned is not None:
                return returned
        known = self.analysis.world.call_result(self.analysis, site)
        return known if known is not None else UNKNOWN

    def _elsewhere(self, site: CallSite, qualnames: Tuple[str, ...]) -> Value:
        """A call of a function (or inherited method) that may be another module's: what
        it returns is asked of that module's summary only if the value comes to matter."""
        analysis = self.analysis
        return Value(pending=analysis.pending(lambda: analysis.returned_elsewhere(site, qualnames)))

    def _builtin_result(self, site: CallSite, qualname: str) -> Optional[Value]:
        """Calls of Python's builtins and ``string.Template`` (containers, ranges, input)."""
        args = site.args
        if qualname in CONTAINER_FUNCTIONS:
            element = self.element_of(args[0]) if args else const("")  # type: ignore[attr-defined]
            return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=element, origins=element.origins)
        if qualname == "map" and len(args) >= 2:
            return self._map(site)
        if qualname in ("enumerate", "zip") and args and not site.starred:
            # pairs: one value stands for every place of a pair (a count is a safe number)
            counted = qualname == "enumerate"
            places = [SAFE_NUMBER] if counted else []
            places += [self.element_of(arg) for arg in (args[:1] if counted else args)]  # type: ignore[attr-defined]
            both: Optional[Value] = None
            for place in places:
                both = join(both, place)
            assert both is not None
            pair = Value(kind=both.kind, text=both.text if both.kind <= Kind.SAFE else HOLE, origins=both.origins)
            pair = replace(pair, obj=Shape.CONTAINER, element=pair, kind=max(Kind.SAFE, pair.kind))
            return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=pair, origins=pair.origins)
        if qualname == "range":
            return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=SAFE_NUMBER)
        if qualname == "string.Template" and args:
            return replace(args[0], obj=Shape.TEMPLATE)
        if qualname == "input":
            return Value(from_input=True, names=("input",))
        return None

    def _map(self, site: CallSite) -> Value:
        function = site.node.args[0]
        element = self.element_of(site.args[1])  # type: ignore[attr-defined]
        if isinstance(function, ast.Name) and function.id in ("str", "repr") and function.id not in self.state:
            result = SAFE_NUMBER if element.obj is Shape.NUMBER else replace(element, obj=None)
        elif isinstance(function, ast.Name) and function.id in ("int", "float", "len", "bool"):
            result = SAFE_NUMBER
        elif isinstance(function, ast.Lambda):
            saved = dict(self.state)
            for arg in function.args.args[:1]:
                self.state[arg.arg] = element
            result = self.eval(function.body)  # type: ignore[attr-defined]
            self.state = saved
        else:
            qual = site.args[0].imported
            world = self.analysis.world
            if (qual and world.quotes(qual, method=False)) or (
                isinstance(function, ast.Attribute) and world.quotes(function.attr, method=True)
            ):
                result = Value(kind=Kind.SAFE, text=HOLE)
            else:
                result = UNKNOWN
        return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=result, origins=result.origins)
