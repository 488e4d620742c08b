"""Expressions to values: names, constants, containers, comprehensions, attributes."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, List, Optional

from .folding import fold_compare, literal, to_value, truth
from .folding import item as fold_item
from .scopes import dotted_name
from .text_building import ELEMENTS
from .values import (
    HOLE,
    MAX_TEXT,
    SAFE_NUMBER,
    UNKNOWN,
    Api,
    Imported,
    Instance,
    Kind,
    LocalClass,
    Shape,
    Value,
    const,
    join,
    number,
)

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis

# Tuples up to this long keep each place's value (``return sql, params``).
_MAX_ITEMS = 8
# Past this many nested eval() calls, chains are evaluated iteratively.
_DEEP = 60


def _inner_link(node: ast.AST) -> Optional[ast.AST]:
    """The sub-expression a chain continues into: the receiver, left operand, operand..."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.value
        return func if isinstance(func, (ast.Call, ast.Subscript)) else None
    if isinstance(node, (ast.Attribute, ast.Subscript, ast.Await)):
        return node.value
    if isinstance(node, ast.BinOp):
        return node.left
    if isinstance(node, ast.UnaryOp):
        return node.operand
    if isinstance(node, ast.IfExp):
        return node.orelse
    return None


_READS = (ast.Name, ast.Attribute, ast.Subscript)
# What a condition folded from constants is made of: constants, names, operators and
# items of constants; no calls or assignments (it is evaluated again, and calls are not).
_PLAIN_DEPTH = 6


def _plain(node: ast.AST, depth: int = 0) -> bool:
    cls = type(node)
    if cls is ast.Constant or cls is ast.Name:
        return True
    if depth > _PLAIN_DEPTH:
        return False
    if cls is ast.BinOp:
        return _plain(node.left, depth + 1) and _plain(node.right, depth + 1)  # type: ignore[attr-defined]
    if cls is ast.UnaryOp:
        return _plain(node.operand, depth + 1)  # type: ignore[attr-defined]
    if cls is ast.Compare:
        return _plain(node.left, depth + 1) and all(
            _plain(c, depth + 1) for c in node.comparators  # type: ignore[attr-defined]
        )
    if cls is ast.BoolOp:
        return all(_plain(v, depth + 1) for v in node.values)  # type: ignore[attr-defined]
    if cls is ast.Subscript:
        return type(node.slice) is ast.Constant and _plain(node.value, depth + 1)  # type: ignore[attr-defined]
    return False


# ast node class -> the evaluating method; filled by ``interpreter`` once the class is whole.
EVAL_DISPATCH: Dict[type, Callable[..., Value]] = {}


class Expressions:
    """The interpreter's evaluation of expressions (a mixin of ``Interpreter``)."""

    analysis: "FileAnalysis"
    state: Dict[str, Value]
    checked_attributes: bool
    _depth: int
    _ready: Dict[int, Value]

    def eval(self, node: Optional[ast.AST]) -> Value:
        if node is None:
            return UNKNOWN
        if self._ready and id(node) in self._ready:
            return self._ready.pop(id(node))
        if self._depth > _DEEP:
            return self._eval_spine(node)
        budget = self.analysis.budget
        budget.steps += 1
        if not budget.steps & 4095:
            budget.check()
        method = EVAL_DISPATCH.get(type(node))
        if method is None:
            return UNKNOWN
        self._depth += 1
        try:
            # (``_eval_node`` inlined: this runs for every node evaluated)
            if self.analysis.refiners and isinstance(node, _READS):
                return self.analysis.refine_read(self, method(self, node), node)
            return method(self, node)
        finally:
            self._depth -= 1

    def _eval_spine(self, node: ast.AST) -> Value:
        """Evaluate a long chain (``a.b().c()...``, ``x - y - z ...``, ``f()()()...``) from its
        innermost link outwards, so the depth of Python recursion stays flat."""
        spine: List[ast.AST] = []
        current: Optional[ast.AST] = node
        while current is not None and len(spine) < 100_000:
            spine.append(current)
            current = _inner_link(current)
        saved_depth = self._depth
        try:
            value = UNKNOWN
            for link in reversed(spine):
                inner = _inner_link(link)
                if inner is not None:
                    self._ready[id(inner)] = value
                value = self._eval_node(link)
                self._ready.pop(id(inner), None) if inner is not None else None
            return value
        finally:
            self._depth = saved_depth

    def _eval_node(self, node: ast.AST) -> Value:
        method = EVAL_DISPATCH.get(type(node))
        if method is None:
            return UNKNOWN
        if self.analysis.refiners and isinstance(node, _READS):
            # a name, attribute or item read: the logging checks label what it holds
            return self.analysis.refine_read(self, method(self, node), node)
        return method(self, node)

    def _eval_Constant(self, node: ast.Constant) -> Value:
        value = node.value
        if isinstance(value, str):
            return const(value)
        if isinstance(value, bytes):
            return const(value.decode("latin-1"))
        if isinstance(value, (int, float, complex, bool)) or value is None:
            return number(str(value))
        return const("…")

    def _eval_Name(self, node: ast.Name) -> Value:
        return self.lookup(node.id)

    def _eval_NamedExpr(self, node: ast.NamedExpr) -> Value:
        value = self.eval(node.value)
        self.bind(node.target, value)
        return value

    def _eval_Await(self, node: ast.Await) -> Value:
        return self.eval(node.value)

    def _eval_Yield(self, node: ast.Yield) -> Value:
        value = self.eval(node.value) if node.value is not None else number("None")
        if self.yielded is not None:  # type: ignore[attr-defined]
            self.yielded.append(value)  # type: ignore[attr-defined]
        return UNKNOWN  # what the generator is sent

    def _eval_YieldFrom(self, node: ast.YieldFrom) -> Value:
        value = self.eval(node.value)
        if self.yielded is not None:  # type: ignore[attr-defined]
            self.yielded.append(self.element_of(value))
        return UNKNOWN

    def _eval_IfExp(self, node: ast.IfExp) -> Value:
        decided = self.decided(node.test, self.eval(node.test))
        if decided is not None:
            return self.eval(node.body if decided else node.orelse)  # the other side is dead
        if_true, if_false = self._refine(node.test, self.state)
        saved = self.state
        self.state = if_true
        body = self.eval(node.body)
        self.state = if_false
        orelse = self.eval(node.orelse)
        self.state = saved
        return join(body, orelse)

    def _eval_BoolOp(self, node: ast.BoolOp) -> Value:
        result: Optional[Value] = None
        values = [self.eval(operand) for operand in node.values]
        for value in values:
            result = join(result, value)
        # ``a and b`` / ``a or b`` of constants: the operand Python would give
        truths = [truth(value) for value in values]
        if None not in truths:
            stop = not isinstance(node.op, ast.And)
            return next((v for v, t in zip(values, truths) if t is stop), values[-1])
        return result or UNKNOWN

    def _eval_Compare(self, node: ast.Compare) -> Value:
        if not _plain(node):
            return SAFE_NUMBER  # comparisons are flags; calls inside them are not followed
        # evaluated for its constants only: no family labels what a comparison reads
        analysis = self.analysis
        refiners, analysis.refiners = analysis.refiners, []
        try:
            values = [self.eval(node.left)] + [self.eval(c) for c in node.comparators]
        finally:
            analysis.refiners = refiners
        folded = fold_compare(node.ops, values)
        return folded if folded is not None else SAFE_NUMBER

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Value:
        if isinstance(node.op, ast.Not):
            if not _plain(node.operand):
                return SAFE_NUMBER
            known = truth(self.eval(node.operand))
            return number(str(not known)) if known is not None else SAFE_NUMBER
        operand = self.eval(node.operand)
        if operand.obj is Shape.NUMBER:
            known, python = literal(operand)
            folded = None
            if known and isinstance(python, (int, float)) and not isinstance(python, bool):
                if isinstance(node.op, ast.USub):
                    folded = to_value(-python)
                elif isinstance(node.op, ast.UAdd):
                    folded = to_value(+python)
                elif isinstance(node.op, ast.Invert) and isinstance(python, int):
                    folded = to_value(~python)
            return folded if folded is not None else operand
        return SAFE_NUMBER

    def decided(self, test: ast.AST, value: Value) -> Optional[bool]:
        """Whether a condition is known to hold (True), known not to (False), or not known
        (None): only a condition made of constants and this scope's own names, outside
        loops (a loop body runs once here, so a name may hold more than it shows)."""
        if self.loop_depth:  # type: ignore[attr-defined]
            return None
        known = truth(value)
        if known is None or not _plain(test):
            return None
        locals_ = self.scope.locals  # type: ignore[attr-defined]
        if all(n.id in locals_ for n in ast.walk(test) if isinstance(n, ast.Name)):
            return known
        return None

    def _eval_Subscript(self, node: ast.Subscript) -> Value:
        base = self.eval(node.value)
        item = self.analysis.world.item(base)
        if item is not None:
            return item
        if base.items is not None and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
            index = node.slice.value
            if -len(base.items) <= index < len(base.items):
                return base.items[index]  # pair[0]
        if base.element is not None:
            return base.element
        if base.kind is Kind.CONST and base.obj is None:
            if isinstance(node.slice, ast.Constant):
                folded = fold_item(base, self.eval(node.slice))  # "ABC"[1]
                if folded is not None:
                    return folded
            return const(base.text)  # slicing a constant
        if base.kind is Kind.SAFE and base.obj is None:
            return base  # ("?, " * n)[:-2]: a part of safe text is safe
        return Value(from_input=True, names=base.names) if base.from_input else UNKNOWN

    def _eval_List(self, node: ast.AST) -> Value:
        element: Optional[Value] = None
        items: Optional[List[Value]] = [] if isinstance(node, ast.Tuple) and len(node.elts) <= _MAX_ITEMS else None
        for elt in node.elts:  # type: ignore[attr-defined]
            if isinstance(elt, ast.Starred):
                element = join(element, self.eval(elt.value).element or UNKNOWN)
                items = None
            else:
                value = self.eval(elt)
                element = join(element, value)
                if items is not None:
                    items.append(value)
        element = element or const("")
        # The elements' texts, for str.join of a display: " ".join(["SELECT", col, "FROM t"])
        texts = [
            e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else HOLE for e in node.elts
        ]  # type: ignore[attr-defined]
        return Value(
            kind=Kind.SAFE,
            text=ELEMENTS.join(texts)[:MAX_TEXT],
            obj=Shape.CONTAINER,
            element=element,
            origins=element.origins,
            items=tuple(items) if items else None,
        )

    _eval_Tuple = _eval_List
    _eval_Set = _eval_List

    def _eval_Dict(self, node: ast.Dict) -> Value:
        element: Optional[Value] = None
        for key, value in zip(node.keys, node.values):
            item = self.eval(value)
            if self.analysis.refiners and isinstance(key, ast.Constant) and isinstance(key.value, str):
                item = self.analysis.refine_read(self, item, key, key.value)  # {"password": ...}
            element = join(element, item)
        keys: Optional[Value] = None
        for key in node.keys:
            keys = join(keys, self.eval(key) if key is not None else UNKNOWN)
        element = element or const("")
        return Value(
            kind=Kind.SAFE, text=HOLE, obj=Shape.DICT, element=element, origins=element.origins, keys=keys or const("")
        )

    def _comprehension_element(self, node: ast.AST, *elts: ast.AST) -> List[Value]:
        """Values of a comprehension's element expressions, its targets bound to the elements
        of what they iterate, and narrowed by its ``if`` clauses (``if k in ALLOWED``)."""
        saved = dict(self.state)
        for generator in node.generators:  # type: ignore[attr-defined]
            iterable = self.eval(generator.iter)
            self.bind(generator.target, self.element_of(iterable))
            for condition in generator.ifs:
                self.eval(condition)
                self.state = self._refine(condition, self.state)[0]
        values = [self.eval(elt) for elt in elts]
        self.state = saved
        return values

    def _eval_ListComp(self, node: ast.AST) -> Value:
        (element,) = self._comprehension_element(node, node.elt)  # type: ignore[attr-defined]
        return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=element, origins=element.origins)

    _eval_SetComp = _eval_ListComp
    _eval_GeneratorExp = _eval_ListComp

    def _eval_DictComp(self, node: ast.DictComp) -> Value:
        keys, element = self._comprehension_element(node, node.key, node.value)
        return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.DICT, element=element, origins=element.origins, keys=keys)

    def _eval_Lambda(self, node: ast.Lambda) -> Value:
        self.analysis.run_nested(self, node)
        return Value(kind=Kind.UNKNOWN, obj=Shape.FUNCTION)

    def element_of(self, value: Value) -> Value:
        if value.obj is Shape.DICT and value.keys is not None:
            return value.keys  # iterating a dict gives its keys
        if value.element is not None:
            return value.element
        if value.obj is Shape.NUMBER:
            return SAFE_NUMBER
        if value.obj is None and value.kind in (Kind.CONST, Kind.SAFE):
            return value  # iterating a string gives its characters
        if type(value.obj) is Api:
            return self.analysis.world.iterated(value) or UNKNOWN
        return UNKNOWN

    def _eval_Attribute(self, node: ast.Attribute) -> Value:
        if self.checked_attributes:
            # ``args.table`` checked against an allow-list earlier on this path
            checked = self.state.get(dotted_name(node, 4))
            if checked is not None:
                return checked
        base = self.eval(node.value)
        return self.attribute_of(base, node.attr, node)

    def attribute_of(self, base: Value, attr: str, node: Optional[ast.AST] = None) -> Value:
        held = base.obj
        world = self.analysis.world
        if type(held) is Imported:
            return world.imported_attribute(held.name, attr)
        if type(held) is Instance or type(held) is LocalClass:
            instance = type(held) is Instance
            value = self.analysis.class_attribute(held.name, attr, instance)  # type: ignore[union-attr]
            if value is not None:
                return value
        known = world.attribute(base, attr)
        if known is not None:
            return known
        return Value(from_input=True, names=(attr,)) if base.from_input and base.obj is None else UNKNOWN
