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
from typing import TYPE_CHECKING, Dict, FrozenSet, Mapping, Optional, Set, Tuple

from .hooks import Hook
from .project import FOLLOW_DEPTH, MAX_MODULE_BYTES
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
    # Module-level functions by name, methods of module-level classes as "Class.method"
    # (nested functions are not reachable from another module).
    reachable: Dict[str, ast.AST] = dict(other.functions)
    for class_name, info in other.classes.items():
        if info.node in getattr(tree, "body", ()):
            for method_name, method in info.methods.items():
                reachable[f"{class_name}.{method_name}"] = method
    by_id = {id(node): name for name, node in reachable.items()}
    followed: Dict[str, Dict[str, object]] = {}
    for hook in other.hooks:
        for function_id, payload in hook.followed_functions().items():
            name = by_id.get(function_id)
            if name is not None:
                followed.setdefault(name, {})[hook.family] = payload
    result: Dict[str, FunctionFacts] = {}
    for name, node in reachable.items():  # in source order: the summaries do not depend on who asks
        returns = _return_fact(other, node) if _may_return_text(other, node) else None
        if returns is None and name not in followed:
            continue
        params = tuple(arg.arg for arg in all_args(node.args))  # type: ignore[attr-defined]
        result[name] = FunctionFacts(params, followed.get(name, {}), returns, "." in name and _bound(node))
    return result


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
