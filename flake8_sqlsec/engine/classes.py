"""Classes of the file: their lineage, methods, bases and attribute values, computed on demand."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Set, Tuple

from .scopes import ClassInfo, ScopeInfo, all_args, assigned_names, walk_statements
from .values import Imported, Kind, LocalClass, Ref, Shape, Value, Written, join

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis
    from .world import World

# How many classes up a lineage is followed.
_MAX_LINEAGE = 20


class ClassAttributes:
    """What the driver knows about the file's classes (a mixin of ``FileAnalysis``)."""

    classes: Dict[str, ClassInfo]
    world: "World"
    # (class name, whether the module body has run) -> its ancestors, for the default lookup
    _ancestry: Dict[Tuple[str, bool], Tuple[Ref, ...]]

    # ------------------------------------------------------------------ the one walker
    def ancestors(self, name: str, lookup: Optional[Callable[[str], Value]] = None) -> Tuple[Ref, ...]:
        """Every base of a class of this file, through its in-file bases: a class of the
        file as ``LocalClass``, an imported one as ``Imported`` (its first name resolved
        through the module's bindings, or ``lookup``), any other as ``Written``."""
        key = (name, self.module_ran)  # type: ignore[attr-defined]
        if lookup is None and key in self._ancestry:
            return self._ancestry[key]
        result: List[Ref] = []
        seen: Set[str] = set()
        stack = [name]
        while stack and len(seen) < _MAX_LINEAGE:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            info = self.classes.get(current)
            if info is None:
                continue
            for base in info.bases:
                head, _, rest = base.partition(".")
                if not rest and head in self.classes:
                    stack.append(head)
                    result.append(LocalClass(head))
                    continue
                binding = lookup(head) if lookup is not None else self.module_binding(head)
                qualname = binding.imported if binding is not None else None
                if qualname is not None:
                    result.append(Imported(self.world.canonical(qualname + ("." + rest if rest else ""))))
                else:
                    result.append(Written(base))
        if lookup is None:
            self._ancestry[key] = tuple(result)
        return tuple(result)

    def lineage(self, name: str) -> List[ClassInfo]:
        """The class and its in-file ancestors, nearest first."""
        found = [self.classes[name]] if name in self.classes else []
        found.extend(self.classes[base.name] for base in self.ancestors(name) if type(base) is LocalClass)
        return found

    def method_of(self, name: str, method: str) -> Optional[ast.AST]:
        for info in self.lineage(name):
            if method in info.methods:
                return info.methods[method]
        return None

    # ------------------------------------------------------------------ attribute values
    def class_attribute(self, name: str, attr: str, instance: bool) -> Optional[Value]:
        """``Class.attr`` (``instance``: ``self.attr`` too) as the class bodies and the
        methods' assignments bind it; None when the class does not say."""
        busy: Set[Tuple[str, str]] = self._class_attr_busy  # type: ignore[attr-defined]
        for info in self.lineage(name):
            key = (info.node.name, attr)
            if key in busy:
                return None
            busy.add(key)
            try:
                getter = info.methods.get(attr)
                if instance and getter is not None and _is_property(getter):
                    analysis: "FileAnalysis" = self  # type: ignore[assignment]
                    return analysis.run_for_return(getter, None)  # self.suffix, a @property
                value = self._class_level_value(info, attr)
                if instance:
                    value = _join_optional(value, self._self_attribute(info, attr))
            finally:
                busy.discard(key)
            if value is not None:
                return value
        return None

    def _class_level_value(self, info: ClassInfo, attr: str) -> Optional[Value]:
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        if not info.attrs and not info.body_ran:
            info.body_ran = True
            names, globals_ = assigned_names(info.node.body, analysis.has_walrus)
            scope = ScopeInfo(info.node, analysis.module_scope, "class", names, globals_)
            interp = analysis.interpreter(scope, {})
            body = [s for s in info.node.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
            analysis.quietly(lambda: interp.run_body(body), every_family=True)
            info.attrs = interp.state
        value = info.attrs.get(attr)
        if value is not None and value.obj is Shape.FUNCTION:
            return None
        return value

    def _self_attribute(self, info: ClassInfo, attr: str) -> Optional[Value]:
        """The join of every ``self.<attr> = ...`` in the class's methods (computed once)."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        if info.self_assignments is None:
            info.self_assignments = _self_assignments(info)
        if attr in info.self_attrs:
            return info.self_attrs[attr]
        result: Optional[Value] = None
        for method, node in info.self_assignments.get(attr, ()):
            value: Optional[Value] = None
            if isinstance(node, ast.Assign) and _reads_a_local(method, node.value):
                value = self._assigned_in_run(info, method, node)
            if value is None:
                scope = analysis.function_scope(method, analysis.module_scope, info)
                interp = analysis.interpreter(scope, analysis.entry_state(method, info))
                value = analysis.quietly(
                    lambda: interp.eval(node.value), every_family=True  # type: ignore[attr-defined]
                )
            if isinstance(node, ast.AugAssign):
                value = Value(kind=Kind.UNKNOWN) if value.kind is Kind.UNKNOWN else value
            result = _join_optional(result, value)
        info.self_attrs[attr] = result
        return result

    def _assigned_in_run(self, info: ClassInfo, method: ast.AST, node: ast.AST) -> Optional[Value]:
        """What ``self.attr = name`` assigns where the method's own statements have
        checked or computed the name (``if level not in LEVELS: raise`` before it): the
        method is run once, quietly, and every such assignment in it is read."""
        analysis: "FileAnalysis" = self  # type: ignore[assignment]
        runs = info.assigned_in_runs
        if id(method) not in runs:
            lines = (method.end_lineno or method.lineno) - method.lineno  # type: ignore[attr-defined]
            if lines > _MAX_RUN_LINES:
                runs[id(method)] = {}
            else:
                wanted = [n for a, n in _flat(info.self_assignments or {}) if a is method and isinstance(n, ast.Assign)]
                scope = analysis.function_scope(method, analysis.module_scope, info)
                interp = analysis.interpreter(scope, analysis.entry_state(method, info))
                interp.captured = {id(n): None for n in wanted}
                analysis.quietly(lambda: interp.run_body(method.body), every_family=True)  # type: ignore[attr-defined]
                runs[id(method)] = interp.captured
        return runs[id(method)].get(id(node))


# Methods longer than this are not run to read what they assign to ``self``.
_MAX_RUN_LINES = 80


def _flat(assignments: Dict[str, List[Tuple[ast.AST, ast.AST]]]) -> List[Tuple[ast.AST, ast.AST]]:
    return [pair for pairs in assignments.values() for pair in pairs]


def _reads_a_local(method: ast.AST, value: ast.AST) -> bool:
    """Whether the assigned expression reads a name the method itself binds (not only
    ``self``, parameters and module names, which evaluating it alone gets right)."""
    params = {a.arg for a in all_args(method.args)}  # type: ignore[attr-defined]
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    names -= params
    if not names:
        return False
    bound = {
        t.id
        for stmt in walk_statements(method)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For))
        for t in ast.walk(stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target)
        if isinstance(t, ast.Name)
    }
    return bool(names & bound)


def _self_assignments(info: ClassInfo) -> Dict[str, List[Tuple[ast.AST, ast.AST]]]:
    assignments: Dict[str, List[Tuple[ast.AST, ast.AST]]] = {}
    for method in info.methods.values():
        for node in walk_statements(method):
            if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    assignments.setdefault(target.attr, []).append((method, node))
    return assignments


_PROPERTY_DECORATORS = frozenset(("property", "cached_property"))


def _is_property(method: ast.AST) -> bool:
    """``@property``, ``@cached_property``, ``@functools.cached_property``."""
    for decorator in getattr(method, "decorator_list", ()):
        name = decorator.attr if isinstance(decorator, ast.Attribute) else getattr(decorator, "id", "")
        if name in _PROPERTY_DECORATORS:
            return True
    return False


def _join_optional(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    if a is None:
        return b
    if b is None:
        return a
    return join(a, b)
