"""Functions of the project's other modules: what their parameters reach, what they return.

A call of a function imported from another module of the project (``from .db import
run_query``, ``db.run_query(...)`` with ``from . import db``), or of a method inherited
from a class there, is judged by that function's summary (``FunctionFacts``): which
parameters reach a sink or a logger (asked when a call hands it SQL-looking text or a
database error), and what it returns (``ReturnFact``, asked where the call's value comes
to matter: see ``values.Pending``). Each summary is made by the same engine, with the
families that follow functions (``Hook.followed_functions``), over a fresh analysis of
the module that runs only the function and the functions of the module it calls; its
findings are dropped and only the facts are kept, by function name. The module is found
and read as for constants (``project.py``): from the linted file's place, parsed, never
imported; the trees read are kept only while the file that asked is analysed
(``project.parsed_module``).

One module away only: the summarised module's own calls into a third module are not
followed. Each linted file may ask about a bounded number of modules (counted whether
or not their summary was already made, so the answer does not depend on the order the
files are linted in).
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from .hooks import Hook
from .project import FOLLOW_DEPTH, parsed_module
from .scopes import all_args
from .values import HOLE, Api, Imported, Kind, Obj, Shape, Value

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis

# What a parameter holds in the run that asks whether the parameters make the text.
SAFE_TEXT = Value(kind=Kind.SAFE, text=HOLE)
# Modules one linted file may ask about.
MODULE_BUDGET = 8
# Seconds the analysis of one other module may take.
_SECONDS = 2.0


@dataclass(frozen=True)
class ReturnFact:
    """What a function of another module returns, in terms its callers can use: the
    engine's values hold node ids and lines of the module they were made in."""

    kind: Kind  # with its parameters not known
    text: str  # the text, with holes
    obj: Optional[Obj]  # an imported or library object (a select(), a cursor), a shape
    depends: FrozenSet[int]  # the parameters (by index) it is built from or passes on
    passes: Optional[int]  # it returns this parameter itself
    safe_kind: Kind  # with every parameter safe text (``placeholders(n)``: constant)
    form: str  # how it is built ("an f-string"), when built
    element: Optional[Value] = None  # for a container: its elements' kind and text


@dataclass(frozen=True)
class FunctionFacts:
    """What a function of another module does with its parameters."""

    params: Tuple[str, ...]  # its parameters, in order
    followed: Mapping[str, object]  # family -> what the family's hook followed in it
    returns: Optional[ReturnFact] = None
    method: bool = False  # a method: its first parameter is bound by the call

    @property
    def bound(self) -> int:
        """How many leading parameters the call binds itself (``self``)."""
        return 1 if self.method else 0


# (module file, settings, function name, what is asked) -> its facts (None: not known).
# What a function hands to sinks and loggers (WRAPPERS) and what it returns (RETURNS)
# are worked out apart, each from a fresh analysis of its module that runs only the
# function and the functions of the module it calls: the answer does not depend on what
# was asked before, in this file or another, so it is the same however flake8 splits
# the files between processes.
WRAPPERS, RETURNS = "wrappers", "returns"
_FACTS: Dict[Tuple[str, object, str, str], Optional[FunctionFacts]] = {}
_CACHE_LIMIT = 20_000
# Functions of the module one summary may run: the function and what it calls, so far.
_CLOSURE = 24
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


def function_facts(analysis: "FileAnalysis", qualname: str, want: str = WRAPPERS) -> Optional[FunctionFacts]:
    """The facts of ``pkg.mod.function`` (or ``pkg.mod.Class.method``) when it is a
    function of another module of the project; None otherwise or beyond the budget.
    ``want``: WRAPPERS (what its parameters reach) or RETURNS (what it returns)."""
    if analysis.summarising or analysis.project.level != "project" or "." not in qualname.strip("."):
        return None
    project = analysis.project
    modname, _, name = qualname.rpartition(".")
    modname = project.absolute(modname)
    member = ""  # ``pkg.base.Repository._fetch``: the method of a class
    path = project.project_file(modname) if modname else ""
    if not path and "." in modname:
        modname, _, owner = modname.rpartition(".")
        name, member = owner, name
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
    if member:
        name = f"{name}.{member}"
    asked = analysis.modules_asked
    if path not in asked:
        if len(asked) >= MODULE_BUDGET:
            return None
        asked.add(path)
    key = (path, analysis.config, name, want)
    if key not in _FACTS:
        if len(_FACTS) > _CACHE_LIMIT:
            _FACTS.clear()
        _FACTS[key] = _summarise(analysis, path, name, want)
    return _FACTS[key]


def _definitions(tree: ast.Module) -> Dict[str, ast.AST]:
    """Module-level functions by name, methods of module-level classes as "Class.method"
    (nested functions are not reachable from another module)."""
    found: Dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.setdefault(node.name, node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.setdefault(f"{node.name}.{item.name}", item)
    return found


def _closure(target: ast.AST, definitions: Dict[str, ast.AST], lines: List[str]) -> Set[int]:
    """The function and the functions of the module it calls (by name), transitively."""
    by_name: Dict[str, List[ast.AST]] = {}
    for qualified, node in definitions.items():
        by_name.setdefault(qualified.rsplit(".", 1)[-1], []).append(node)
    found = {id(target)}
    todo = [target]
    while todo and len(found) < _CLOSURE:
        node = todo.pop()
        text = "".join(lines[node.lineno - 1 : node.end_lineno or node.lineno])  # type: ignore[attr-defined]
        for called in set(_CALLED.findall(text)):
            for callee in by_name.get(called, ()):
                if id(callee) not in found:
                    found.add(id(callee))
                    todo.append(callee)
    return found


def _summarise(analysis: "FileAnalysis", path: str, name: str, want: str) -> Optional[FunctionFacts]:
    """Run the engine over another module, with the families that follow functions, for
    one of its functions."""
    from .driver import Budget, FileAnalysis

    parsed = parsed_module(path)
    if parsed is None or parsed[1] is None:
        return None
    tree, lines = parsed
    definitions = _definitions(tree)
    target = definitions.get(name)
    if target is None:
        return None
    other = FileAnalysis(tree, path, lines, analysis.config, analysis.world, summarising=True)
    other.hooks = [hook for hook in other.hooks if type(hook).followed_functions is not Hook.followed_functions]
    if not other.hooks:
        return None
    other.budget = Budget(time.perf_counter() + _SECONDS)
    followed: Dict[str, object] = {}
    returns: Optional[ReturnFact] = None
    if want == WRAPPERS:
        other.only = _closure(target, definitions, lines)
        other.run()
        for hook in other.hooks:
            payload = hook.followed_functions().get(id(target))
            if payload:
                followed[hook.family] = payload
    else:
        other.run(functions=False)
        if _may_return_text(other, target):
            returns = _return_fact(other, target)
    other.close()
    if other.exhausted or (not followed and returns is None):
        return None
    params = tuple(arg.arg for arg in all_args(target.args))  # type: ignore[attr-defined]
    return FunctionFacts(params, followed, returns, "." in name and _bound(target))


def _may_return_text(other: "FileAnalysis", function: ast.AST) -> bool:
    """Whether a function is worth summarising for its callers: it is marked (calls an
    API of interest or holds SQL-looking text), or a ``return`` of it is a name, text
    being built, or a parameter's own method or attribute (``value.strip()``). Returns
    of other calls and objects (``self.service.get(...)``), most functions of a module,
    are left unknown."""
    if not other.summarised(function):
        return False
    if id(function) in other.candidates:
        return True
    params = {arg.arg for arg in all_args(function.args)}  # type: ignore[attr-defined]
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None and _text_like(node.value, params):
            return True
    return False


def _text_like(node: ast.AST, params: Set[str]) -> bool:
    if isinstance(node, (ast.Name, ast.JoinedStr, ast.BinOp)):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return _text_like(node.body, params) or _text_like(node.orelse, params)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("join", "format"):
        return True
    root = node
    while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
        root = root.func if isinstance(root, ast.Call) else root.value
    return isinstance(root, ast.Name) and root.id in params and root is not node


def _bound(method: ast.AST) -> bool:
    """Whether a call through an instance binds the method's first parameter."""
    decorators = {d.id for d in getattr(method, "decorator_list", ()) if isinstance(d, ast.Name)}
    return "staticmethod" not in decorators


def _return_fact(other: "FileAnalysis", function: ast.AST) -> Optional[ReturnFact]:
    """The return value of a function of the summarised module, for its callers."""
    value = other.run_for_return(function, None)
    if value is None or value.obj is Shape.FUNCTION:
        return None
    obj = value.obj if type(value.obj) in (Imported, Api, Shape) else None
    if value.kind is Kind.UNKNOWN and obj is None:
        passes = _passed_parameter(function, value)
        if passes is None:
            return None  # nothing a caller could use
    params = all_args(function.args)  # type: ignore[attr-defined]
    depends = frozenset(index for fid, index in value.params if fid == id(function))
    first = 1 if other.method_class.get(id(function)) is not None and _bound(function) else 0
    safe_kind = value.kind
    if depends:
        safe = {arg.arg: SAFE_TEXT for arg in params[first:]}
        with_safe = other.run_for_return(function, safe)
        safe_kind = with_safe.kind if with_safe is not None else value.kind
    origin = value.last_origin
    return ReturnFact(
        kind=value.kind,
        text=value.text,
        obj=obj,
        depends=depends,
        passes=_passed_parameter(function, value),
        safe_kind=safe_kind,
        form=origin.form if origin is not None else "interpolation",
        element=Value(kind=value.element.kind, text=value.element.text) if value.element is not None else None,
    )


def _passed_parameter(function: ast.AST, value: Value) -> Optional[int]:
    """The index of the parameter a value is, unchanged (``return statement``)."""
    if value.kind is Kind.UNKNOWN and not value.origins and value.obj is None and len(value.params) == 1:
        fid, index = next(iter(value.params))
        if fid == id(function):
            return index
    return None
