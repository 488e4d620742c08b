"""Scopes, classes and the walks over statements and dotted names that the engine shares."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from .values import Value

State = Dict[str, Value]


@dataclass
class ScopeInfo:
    node: ast.AST
    parent: Optional["ScopeInfo"]
    kind: str  # "module", "class", "function"
    locals: Set[str] = field(default_factory=set)  # names assigned anywhere in the scope
    globals: Set[str] = field(default_factory=set)
    params: Tuple[str, ...] = ()
    final: State = field(default_factory=dict)
    class_info: Optional["ClassInfo"] = None  # the class of a method


@dataclass
class ClassInfo:
    node: ast.ClassDef
    bases: Tuple[str, ...]  # dotted names as written (``models.Model``)
    methods: Dict[str, ast.AST] = field(default_factory=dict)
    # Values bound by the class body, once it has run (``body_ran``).
    attrs: Dict[str, Value] = field(default_factory=dict)
    body_ran: bool = False
    # ``self.<name> = ...`` statements of the methods, by name, and their joined values.
    self_assignments: Optional[Dict[str, List[Tuple[ast.AST, ast.AST]]]] = None
    self_attrs: Dict[str, Optional[Value]] = field(default_factory=dict)
    # What a quiet run of a method assigned, by id of its ``self.<name> = ...`` statements.
    assigned_in_runs: Dict[int, Dict[int, Optional[Value]]] = field(default_factory=dict)


def base_names(node: ast.ClassDef) -> Tuple[str, ...]:
    """The bases of a class that are dotted names, as written."""
    return tuple(name for name in map(dotted_name, node.bases) if name)


def dotted_name(node: ast.AST, limit: int = 1000) -> str:
    """``name`` or ``a.b.c`` (a dotted path of at most ``limit`` attributes); '' otherwise."""
    parts = []
    while isinstance(node, ast.Attribute) and len(parts) < limit:
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def dotted_text(node: ast.AST) -> str:
    parts = []
    for _ in range(50):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            parts.append("()")
            node = node.func
        else:
            break
    parts.append(node.id if isinstance(node, ast.Name) else "…")
    return ".".join(reversed(parts)).replace(".()", "()")


_SCOPE_DEFS = frozenset((ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
_NOT_THIS_SCOPE = frozenset((ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
_MATCH_BINDERS = frozenset(filter(None, (getattr(ast, n, None) for n in ("MatchAs", "MatchStar", "MatchMapping"))))
# Statement classes (and except handlers), with the fields that hold nested statements.
_STATEMENT_BLOCKS: Dict[type, Tuple[str, ...]] = {
    cls: tuple(f for f in ("body", "orelse", "finalbody", "handlers", "cases") if f in cls._fields)
    for cls in [*ast.stmt.__subclasses__(), ast.ExceptHandler]
}
# The same, with the cases of ``match`` (which are not statements) for walks of blocks.
BLOCK_FIELDS: Dict[type, Tuple[str, ...]] = dict(_STATEMENT_BLOCKS)
if hasattr(ast, "match_case"):
    BLOCK_FIELDS[ast.match_case] = ("body",)


def assigned_names(body: Sequence[ast.stmt], deep: bool = True) -> Tuple[Set[str], Set[str]]:
    """Names bound anywhere in a scope (not inside nested scopes), and its ``global`` names.

    Only statements and their targets are walked; expressions too when ``deep`` (the
    scope's source has an assignment expression ``:=``). Dispatches on the exact node
    class: this runs for every scope interpreted."""
    names: Set[str] = set()
    globals_: Set[str] = set()
    stack: List[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        cls = type(node)
        if cls is ast.Name:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                names.add(node.id)  # type: ignore[attr-defined]
            continue
        if cls in _SCOPE_DEFS:
            names.add(node.name)  # type: ignore[attr-defined]
            if deep:
                stack.extend(node.decorator_list)  # type: ignore[attr-defined]
            continue
        if cls in _NOT_THIS_SCOPE:
            continue
        if cls is ast.Global or cls is ast.Nonlocal:
            globals_.update(node.names)  # type: ignore[attr-defined]
            continue
        if cls is ast.Import or cls is ast.ImportFrom:
            for alias in node.names:  # type: ignore[attr-defined]
                names.add((alias.asname or alias.name).split(".")[0])
            continue
        if cls is ast.ExceptHandler:
            if node.name:  # type: ignore[attr-defined]
                names.add(node.name)  # type: ignore[attr-defined]
        elif cls in _MATCH_BINDERS:
            bound = getattr(node, "name", None) or getattr(node, "rest", None)
            if bound:
                names.add(bound)
        blocks = _STATEMENT_BLOCKS.get(cls)
        if blocks is None and not deep and (cls is ast.Attribute or cls is ast.Subscript):
            continue  # an attribute or item store binds no name of the scope
        if deep or blocks is None:
            stack.extend(ast.iter_child_nodes(node))
            continue
        # a statement, shallow: its targets and the statements it holds
        stack.extend(_binding_targets(node))
        for block in blocks:
            stack.extend(getattr(node, block))
    return names - globals_, globals_


def _binding_targets(node: ast.AST) -> Iterable[ast.AST]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    if isinstance(node, ast.Delete):
        return node.targets
    if type(node).__name__ == "match_case":
        return [node.pattern]  # type: ignore[attr-defined]
    if type(node).__name__.startswith("Match") and not isinstance(node, ast.stmt):
        return list(ast.iter_child_nodes(node))
    return ()


def all_args(args: ast.arguments) -> List[ast.arg]:
    result = list(getattr(args, "posonlyargs", [])) + list(args.args)
    if args.vararg:
        result.append(args.vararg)
    result.extend(args.kwonlyargs)
    if args.kwarg:
        result.append(args.kwarg)
    return result


def walk_statements(function: ast.AST, nested: bool = False) -> Iterable[ast.AST]:
    """The statements of a function (and its except handlers), nested blocks included,
    the bodies of nested functions and classes only when ``nested``."""
    stack = list(getattr(function, "body", []))
    skip = () if nested else (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    while stack:
        node = stack.pop()
        yield node
        cls = type(node)
        if cls in skip:
            continue
        for block in BLOCK_FIELDS.get(cls, ()):
            stack.extend(getattr(node, block))
