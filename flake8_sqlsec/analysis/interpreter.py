"""The shared analysis pass: an abstract interpreter over one function (or module) body.

It walks statements in order, keeping for every local name the ``Value`` it may hold on the
current path (branches are joined, loops run once and joined), and evaluates expressions to
``Value``s. At every call it resolves the callee (imports, object kinds, local wrappers) and
hands the call to the families' hooks, which read argument values through ``eval``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..knowledge import sql_apis
from ..knowledge.functions import (
    NO_RETURN,
    NUMBER_FUNCTIONS,
    PASS_THROUGH_FUNCTIONS,
    PASS_THROUGH_METHODS,
    QUOTING_FUNCTIONS,
    QUOTING_METHODS,
    QUOTING_NAMES,
    SAFE_METHODS,
    WRAPPING_QUOTERS,
)
from ..knowledge.requests import REQUEST_FIELDS
from ..knowledge.sql_apis import Sink
from .strings import format_fields, is_numeric_spec, percent_placeholders, percent_text
from .values import (
    HOLE,
    MAX_TEXT,
    SAFE_NUMBER,
    UNKNOWN,
    Kind,
    Value,
    const,
    interpolate,
    join,
    names_sql_text,
    number,
    obj,
)

if TYPE_CHECKING:  # pragma: no cover
    from . import FileAnalysis

State = Dict[str, Value]

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
    )
)
CONTAINER_FUNCTIONS = frozenset(("list", "tuple", "set", "sorted", "reversed", "frozenset", "iter"))


@dataclass
class Callee:
    """What a call calls, as far as it can be resolved."""

    name: str  # the method or function name as written
    method: bool  # written as receiver.name(...)
    qualname: Optional[str] = None  # canonical dotted name when it comes from an import
    receiver: Optional[Value] = None
    receiver_text: str = ""  # "self.cursor" — for messages and name heuristics
    local_function: Optional[ast.AST] = None  # a function or method of this file

    @property
    def receiver_kind(self) -> Optional[str]:
        return self.receiver.obj if self.receiver is not None else None

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
    bases: Tuple[str, ...]  # qualified names (or "class:Name" for classes of this file)
    methods: Dict[str, ast.AST] = field(default_factory=dict)
    attrs: Dict[str, Value] = field(default_factory=dict)  # class-body constants
    _self_attrs: Optional[Dict[str, Value]] = None


def _receiver_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        func = node.func
        return func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
    return ""


# Separates the texts of a list display's elements (see _join).
_ELEMENTS = "\x1f"

# Past this many nested eval() calls, chains are evaluated iteratively.
_DEEP = 60


def _carries_values(loop: ast.AST) -> bool:
    """Whether a loop body may carry a value from one iteration to the next that matters
    here: ``q += ...``, ``parts.append(...)``, or a name assigned after it is read."""
    stack: List[ast.AST] = list(loop.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.AugAssign):
            return True
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in ("append", "extend", "add", "insert", "appendleft")
        ):
            return True
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) for t in node.targets)
            and isinstance(node.value, (ast.BinOp, ast.JoinedStr, ast.Call))
        ):
            return True  # q = q + x, q = f"{q} ...", q = "...".format(q)
        for block in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, block, None)
            if isinstance(children, list):
                stack.extend(children)
    return False


def _request_data(value: Value) -> bool:
    """Read from a web request or the command line (not merely from some parameter)."""
    return value.from_input and any(name in REQUEST_FIELDS for name in value.names)


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


def _checked_name(node: ast.AST) -> str:
    """``name`` or ``obj.attr`` (a dotted path of names) as a key of the state; '' otherwise."""
    return dotted_name(node, 4)


def _is_membership(test: ast.AST) -> bool:
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.BoolOp):
        return all(_is_membership(value) for value in test.values)
    return isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn))


def _stops(body: Sequence[ast.stmt]) -> bool:
    """Does a block always leave (raise, return, abort(), continue...)? Judged on its last statement."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ast.Raise, ast.Return, ast.Continue, ast.Break)):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
        return name in NO_RETURN
    if isinstance(last, ast.If):
        return _stops(last.body) and _stops(last.orelse)
    return False


def _text_of(value: Value) -> str:
    """The text a value contributes to a string built from it: its own text when we know it
    (constant, or built with holes), a hole otherwise."""
    if value.obj is not None or value.kind is Kind.UNKNOWN:
        return value.text if value.obj == "number" and value.kind is Kind.CONST else HOLE
    return value.text


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


class Interpreter:
    """Runs one scope: statements in order, expressions to values, calls to hooks."""

    def __init__(self, analysis: "FileAnalysis", scope: ScopeInfo, state: State) -> None:
        self.analysis = analysis
        self.scope = scope
        self.state = state
        self.live = True  # False after return/raise/break/continue on this path
        self.loop_depth = 0
        self.checked_attributes = False  # whether the state holds "obj.attr" keys (see _refine)
        self._depth = 0  # nesting of eval() calls, kept flat by _eval_spine
        self._ready: Dict[int, Value] = {}  # values of inner links computed ahead (deep chains)

    # ------------------------------------------------------------------ names
    def lookup(self, name: str) -> Value:
        if name in self.state:
            return self.state[name]
        scope = self.scope
        if name in scope.locals and scope.kind == "function":
            # Assigned in this function but not on this path (yet): a loop-carried or
            # unbound value; we do not know it.
            return UNKNOWN
        parent = scope.parent
        while parent is not None:
            if parent.kind != "class" and name in parent.final:
                return parent.final[name]
            parent = parent.parent
        return self.analysis.builtin_value(name)

    def bind(self, target: ast.AST, value: Value) -> None:
        if isinstance(target, ast.Name):
            if isinstance(target.ctx, ast.Store) or isinstance(target.ctx, ast.Load):
                self.state[target.id] = (
                    replace(value, names=(value.names + (target.id,))[-3:]) if value.kind >= Kind.UNKNOWN else value
                )
        elif isinstance(target, (ast.Tuple, ast.List)):
            element = value.element or UNKNOWN
            for elt in target.elts:
                if isinstance(elt, ast.Starred):
                    self.bind(elt.value, Value(kind=Kind.UNKNOWN, element=element))
                else:
                    self.bind(elt, element)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, value)
        else:
            # attribute or subscript store: the value leaves our sight
            self.analysis.on_escape(self, value, target, "stored")

    # ------------------------------------------------------------------ expressions
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
        self._depth += 1
        try:
            return self._eval_node(node)
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
        method = _EVAL_DISPATCH.get(type(node))
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

    def _eval_IfExp(self, node: ast.IfExp) -> Value:
        self.eval(node.test)
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
        for operand in node.values:
            result = join(result, self.eval(operand))
        return result or UNKNOWN

    def _eval_Compare(self, node: ast.Compare) -> Value:
        return SAFE_NUMBER

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Value:
        if isinstance(node.op, ast.Not):
            return SAFE_NUMBER
        operand = self.eval(node.operand)
        return operand if operand.obj == "number" else SAFE_NUMBER

    def _eval_Subscript(self, node: ast.Subscript) -> Value:
        base = self.eval(node.value)
        if base.obj in sql_apis.SUBSCRIPTS:
            return obj(sql_apis.SUBSCRIPTS[base.obj])
        if base.element is not None:
            return base.element
        if base.kind is Kind.CONST and base.obj is None:
            return const(base.text)  # slicing a constant
        return Value(from_input=True, names=base.names) if base.from_input else UNKNOWN

    def _eval_List(self, node: ast.AST) -> Value:
        element: Optional[Value] = None
        for elt in node.elts:  # type: ignore[attr-defined]
            if isinstance(elt, ast.Starred):
                element = join(element, self.eval(elt.value).element or UNKNOWN)
            else:
                element = join(element, self.eval(elt))
        element = element or const("")
        # The elements' texts, for str.join of a display: " ".join(["SELECT", col, "FROM t"])
        texts = [
            e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else HOLE for e in node.elts
        ]  # type: ignore[attr-defined]
        return Value(
            kind=Kind.SAFE,
            text=_ELEMENTS.join(texts)[:MAX_TEXT],
            obj="container",
            element=element,
            origins=element.origins,
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
            kind=Kind.SAFE, text=HOLE, obj="dict", element=element, origins=element.origins, keys=keys or const("")
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
        return Value(kind=Kind.SAFE, text=HOLE, obj="container", element=element, origins=element.origins)

    _eval_SetComp = _eval_ListComp
    _eval_GeneratorExp = _eval_ListComp

    def _eval_DictComp(self, node: ast.DictComp) -> Value:
        keys, element = self._comprehension_element(node, node.key, node.value)
        return Value(kind=Kind.SAFE, text=HOLE, obj="dict", element=element, origins=element.origins, keys=keys)

    def _eval_Lambda(self, node: ast.Lambda) -> Value:
        self.analysis.run_nested(self, node)
        return Value(kind=Kind.UNKNOWN, obj="function")

    def element_of(self, value: Value) -> Value:
        if value.obj == "dict" and value.keys is not None:
            return value.keys  # iterating a dict gives its keys
        if value.element is not None:
            return value.element
        if value.obj == "number":
            return SAFE_NUMBER
        if value.obj is None and value.kind in (Kind.CONST, Kind.SAFE):
            return value  # iterating a string gives its characters
        return UNKNOWN

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        parts: List[Value] = []
        texts: List[str] = []
        leading_template = False
        for index, part in enumerate(node.values):
            if isinstance(part, ast.Constant):
                texts.append(str(part.value))
                continue
            if not isinstance(part, ast.FormattedValue):
                continue
            value = self.eval(part.value)
            spec = part.format_spec
            spec_value = self.eval(spec) if spec is not None else None
            if spec_value is not None and spec_value.kind is Kind.CONST and is_numeric_spec(spec_value.text):
                value, spec_value = SAFE_NUMBER, None
            if index == 0 and self._is_sql_template(value, part.value):
                leading_template = True
            parts.append(value)
            if spec_value is not None:
                parts.append(spec_value)  # a computed width or format can carry text too
            texts.append(_text_of(value))
        return self._interpolated(
            node,
            parts[0] if leading_template else const(""),
            parts[1:] if leading_template else parts,
            "".join(texts),
            "an f-string",
        )

    def _imported_text(self, value: Value) -> Value:
        if value.obj is not None and value.obj.startswith("qual:") and value.kind is Kind.UNKNOWN:
            inferred = self.analysis.imported_constant(value.obj[5:])
            if inferred is not None:
                return inferred
        return value

    @staticmethod
    def _is_sql_template(value: Value, node: ast.AST) -> bool:
        """Is a leading unknown operand SQL text (``sql + " LIMIT 1"``) rather than a value
        put into SQL (``column + " DESC"``)? Decided by the name it is read from."""
        if value.kind is Kind.CONST or value.kind is Kind.SAFE or value.obj is not None:
            return False
        if value.kind is Kind.BUILT:
            return True
        name = node.attr if isinstance(node, ast.Attribute) else (node.id if isinstance(node, ast.Name) else "")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
        return names_sql_text(name)

    def _interpolated(self, node: ast.AST, template: Value, parts: Sequence[Value], text: str, form: str) -> Value:
        # Names imported from other modules are asked about only here, where their text matters.
        parts = [self._imported_text(p) for p in parts]
        return interpolate(template, tuple(parts), text, form, node.lineno, node.col_offset, id(node))

    def _eval_BinOp(self, node: ast.BinOp) -> Value:
        if isinstance(node.op, ast.Add):
            return self._concatenation(node)
        if isinstance(node.op, ast.Mod):
            return self._percent(node)
        if isinstance(node.op, ast.Mult):
            left, right = self.eval(node.left), self.eval(node.right)
            for seq, count in ((left, right), (right, left)):
                if count.obj == "number" and seq.obj != "number":
                    if seq.obj in ("container", "dict"):
                        return seq
                    if seq.kind in (Kind.CONST, Kind.SAFE):
                        return Value(kind=Kind.SAFE, text=(seq.text * 3)[:MAX_TEXT])
                    return seq
            return SAFE_NUMBER if left.obj == "number" or right.obj == "number" else UNKNOWN
        self.eval(node.left)
        self.eval(node.right)
        return SAFE_NUMBER

    def _concatenation(self, node: ast.BinOp) -> Value:
        # Flatten left-leaning chains without recursion: "a" + b + "c" + ... (thousands deep).
        operands: List[ast.AST] = []
        current: ast.AST = node
        while (
            isinstance(current, ast.BinOp)
            and isinstance(current.op, ast.Add)
            and (current is node or id(current) not in self._ready)
        ):
            operands.append(current.right)
            current = current.left
        operands.append(current)
        operands.reverse()
        values = [self.eval(operand) for operand in operands]
        if all(v.obj == "number" for v in values):
            return SAFE_NUMBER
        if any(v.obj in ("container",) for v in values):
            element: Optional[Value] = None
            for v in values:
                element = join(element, v.element)
            return Value(
                kind=Kind.SAFE,
                text=HOLE,
                obj="container",
                element=element,
                origins=element.origins if element else frozenset(),
            )
        if any(v.obj == "psycopg.composable" for v in values):
            return obj("psycopg.composable")
        first = values[0]
        leading_template = self._is_sql_template(first, operands[0])
        template = first if leading_template else const("")
        parts = values[1:] if leading_template else values
        text = "".join(_text_of(v) for v in values)
        return self._interpolated(node, template, parts, text, "concatenation")

    def _percent(self, node: ast.BinOp) -> Value:
        template = self.eval(node.left)
        if template.obj == "number":
            self.eval(node.right)
            return SAFE_NUMBER
        right = node.right
        placeholders = (
            percent_placeholders(template.text)
            if template.kind is Kind.CONST or HOLE in template.text or template.text
            else None
        )
        args: List[Value] = []
        numeric: List[bool] = []
        if isinstance(right, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in right.elts):
            args = [self.eval(e) for e in right.elts]
            numeric = [False] * len(args)
            for key, is_num in placeholders or []:
                if isinstance(key, int) and key < len(numeric):
                    numeric[key] = is_num
        elif isinstance(right, ast.Dict) and all(k is not None for k in right.keys):
            keyed = {}
            for key, value in zip(right.keys, right.values):
                key_value = self.eval(key)
                keyed[key_value.text] = self.eval(value)
            for key, is_num in placeholders or []:
                if key in keyed:
                    args.append(keyed[key])
                    numeric.append(is_num)
            used = {k for k, _ in placeholders or []}
            args.extend(v for k, v in keyed.items() if k not in used)
            numeric.extend(False for k in keyed if k not in used)
        else:
            value = self.eval(right)
            if value.obj in ("container", "dict") and value.element is not None:
                args = [value.element]
            else:
                args = [value]
            numeric = [bool(placeholders) and all(is_num for _, is_num in placeholders)]
        parts = [SAFE_NUMBER if is_num else arg for arg, is_num in zip(args, numeric)]
        text = percent_text(template.text, [_text_of(p) for p in parts]) if template.text else HOLE
        return self._interpolated(node, template, parts, text, "%-formatting")

    def _eval_Attribute(self, node: ast.Attribute) -> Value:
        if self.checked_attributes:
            # ``args.table`` checked against an allow-list earlier on this path
            checked = self.state.get(_checked_name(node))
            if checked is not None:
                return checked
        base = self.eval(node.value)
        return self.attribute_of(base, node.attr, node)

    def attribute_of(self, base: Value, attr: str, node: Optional[ast.AST] = None) -> Value:
        kind = base.obj
        if kind is not None:
            if kind.startswith("qual:"):
                qualname = sql_apis.canonical(kind[5:] + "." + attr)
                if qualname in sql_apis.USER_INPUT or kind[5:] in sql_apis.USER_INPUT:
                    return Value(from_input=True, names=(attr,))
                if qualname in sql_apis.MODULE_OBJECTS:
                    return obj(sql_apis.MODULE_OBJECTS[qualname])
                return obj("qual:" + qualname)
            if kind.startswith("instance:") or kind.startswith("class:"):
                value = self.analysis.class_attribute(kind, attr)
                if value is not None:
                    return value
            attrs = sql_apis.ATTRIBUTES.get(kind)
            if attrs and attr in attrs:
                return obj(attrs[attr])
        hinted = sql_apis.kind_from_receiver_name(attr)
        if hinted is not None:
            return obj(hinted)
        if attr in ("request", "req"):
            return Value(from_input=True, names=(attr,))  # self.request in class-based views
        return Value(from_input=True, names=(attr,)) if base.from_input and base.obj is None else UNKNOWN

    def _eval_Call(self, node: ast.Call) -> Value:
        callee = self.resolve_callee(node)
        display = self.analysis.is_display_call(callee)
        if display:
            self.analysis.display_depth += 1
        try:
            args: List[Value] = []
            starred = False
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    starred = True
                    args.append(self.element_of(self.eval(arg.value)))
                else:
                    args.append(self.eval(arg))
            keywords: Dict[Optional[str], Value] = {}
            for kw in node.keywords:
                value = self.eval(kw.value)
                keywords[kw.arg] = join(keywords[kw.arg], value) if kw.arg in keywords else value
        finally:
            if display:
                self.analysis.display_depth -= 1
        site = CallSite(node, callee, args, keywords, starred)
        result = self._call_result(site)
        if self.analysis.refiners:
            result = self.analysis.refine_call(self, site, result)
        self.analysis.on_call(self, site)
        return result

    # ------------------------------------------------------------------ calls
    def resolve_callee(self, node: ast.Call) -> Callee:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value)
            receiver_name = _receiver_name(func.value)
            if receiver.obj is None and receiver_name:
                # A receiver we know nothing about: judge it by its name (cursor, conn, get_db()...).
                hinted = sql_apis.kind_from_receiver_name(receiver_name)
                if hinted is not None:
                    receiver = replace(receiver, obj=hinted)
            qualname = None
            if receiver.obj and receiver.obj.startswith("qual:"):
                qualname = sql_apis.canonical(receiver.obj[5:] + "." + func.attr)
            local = None
            if receiver.obj and (receiver.obj.startswith("instance:") or receiver.obj.startswith("class:")):
                local = self.analysis.method_of(receiver.obj, func.attr)
            return Callee(func.attr, True, qualname, receiver, dotted_text(func.value), local)
        if isinstance(func, ast.Name):
            value = self.lookup(func.id)
            qualname = value.obj[5:] if value.obj and value.obj.startswith("qual:") else None
            if qualname is None and func.id in BUILTIN_CALLABLES:
                if func.id not in self.state and func.id not in self.scope.locals:
                    qualname = func.id
            local = self.analysis.local_function(self.scope, func.id) if qualname is None else None
            return Callee(func.id, False, qualname, None, "", local)
        self.eval(func)
        return Callee("…", False)

    def _call_result(self, site: CallSite) -> Value:
        callee, args = site.callee, site.args
        qualname = callee.qualname
        name = callee.name
        if qualname is not None:
            if qualname in NUMBER_FUNCTIONS:
                return SAFE_NUMBER
            last = qualname.rsplit(".", 1)[-1]
            if callee.method and last in WRAPPING_QUOTERS and any(_request_data(a) for a in args):
                return Value(from_input=True)  # quote_name() of request data: quotes it, escapes nothing
            if (
                qualname in QUOTING_FUNCTIONS
                or self.analysis.is_safe_function(qualname)
                or (callee.method and (last in QUOTING_METHODS or last in QUOTING_NAMES))
            ):
                return Value(kind=Kind.SAFE, text=HOLE)
            if qualname in PASS_THROUGH_FUNCTIONS:
                if not args:
                    return const("")
                value = args[0]
                if value.obj == "number":
                    return SAFE_NUMBER
                if value.kind in (Kind.CONST, Kind.SAFE, Kind.BUILT):
                    return replace(value, obj=None, element=None)
                return replace(
                    UNKNOWN,
                    params=value.params,
                    origins=value.origins,
                    names=value.names,
                    exc_types=value.exc_types,
                    sensitive=value.sensitive,
                )
            if qualname in CONTAINER_FUNCTIONS:
                element = self.element_of(args[0]) if args else const("")
                return Value(kind=Kind.SAFE, text=HOLE, obj="container", element=element, origins=element.origins)
            if qualname == "map" and len(args) >= 2:
                return self._map(site)
            if qualname == "range":
                return Value(kind=Kind.SAFE, text=HOLE, obj="container", element=SAFE_NUMBER)
            if qualname == "string.Template" and args:
                return replace(args[0], obj="template")
            if qualname in sql_apis.FACTORIES:
                return obj(sql_apis.FACTORIES[qualname])
            sink = sql_apis.FUNCTION_SINKS.get(qualname)
            if sink is not None:
                if sink.role == "composable" and args:
                    # psycopg's SQL(): keeps whether its text was built, for the execute it reaches
                    return Value(kind=args[0].kind, text=args[0].text, origins=args[0].origins, obj=sink.returns)
                return obj(sink.returns) if sink.returns else UNKNOWN
            if qualname in sql_apis.MODULE_OBJECTS:
                return obj(sql_apis.MODULE_OBJECTS[qualname])
            if qualname in sql_apis.ANNOTATIONS:
                return obj(sql_apis.ANNOTATIONS[qualname])
            if qualname.rsplit(".", 1)[0] in sql_apis.USER_INPUT or qualname == "input":
                return Value(from_input=True, names=(qualname.rsplit(".", 1)[-1],))  # request.get_json(), input()
            return UNKNOWN
        if callee.method:
            receiver = callee.receiver or UNKNOWN
            string_result = self._string_method(site, receiver)
            if string_result is not None:
                return string_result
            kind = receiver.obj
            if kind in sql_apis.METHODS:
                entry = sql_apis.METHODS[kind].get(name)
                if isinstance(entry, str):
                    return obj(entry)
                if isinstance(entry, Sink):
                    return obj(entry.returns) if entry.returns else UNKNOWN
            if name in SAFE_METHODS:
                return SAFE_NUMBER
            if name in WRAPPING_QUOTERS and any(_request_data(a) for a in args):
                return Value(from_input=True)
            if name in QUOTING_METHODS or self.analysis.is_safe_function(name):
                return Value(kind=Kind.SAFE, text=HOLE)
            if callee.local_function is not None:
                return UNKNOWN
            if kind in sql_apis.CALL_RESULTS:
                return obj(sql_apis.CALL_RESULTS[kind])
            if kind in sql_apis.FLUENT_KINDS:
                return obj(kind)  # query builders return query builders
            if receiver.from_input and kind is None:
                return Value(from_input=True, names=receiver.names)  # request.GET.get("sort"), request.get_json()
            return UNKNOWN
        # A plain name we could not resolve to an import.
        value = self.lookup(name)
        if value.obj and value.obj.startswith("class:"):
            return obj("instance:" + value.obj[6:])
        if value.obj in sql_apis.CALL_RESULTS:
            return obj(sql_apis.CALL_RESULTS[value.obj])
        if name in WRAPPING_QUOTERS and any(_request_data(a) for a in site.args):
            return Value(from_input=True)
        if self.analysis.is_safe_function(name) or name in QUOTING_NAMES:
            return Value(kind=Kind.SAFE, text=HOLE)  # quote_name = connection.ops.quote_name
        return UNKNOWN

    def _map(self, site: CallSite) -> Value:
        function = site.node.args[0]
        element = self.element_of(site.args[1])
        if isinstance(function, ast.Name) and function.id in ("str", "repr") and function.id not in self.state:
            result = SAFE_NUMBER if element.obj == "number" else replace(element, obj=None)
        elif isinstance(function, ast.Name) and function.id in ("int", "float", "len", "bool"):
            result = SAFE_NUMBER
        elif isinstance(function, ast.Lambda):
            saved = dict(self.state)
            for arg in function.args.args[:1]:
                self.state[arg.arg] = element
            result = self.eval(function.body)
            self.state = saved
        else:
            function_value = site.args[0]
            qual = function_value.obj[5:] if function_value.obj and function_value.obj.startswith("qual:") else None
            if (
                qual
                and (qual in QUOTING_FUNCTIONS or self.analysis.is_safe_function(qual))
                or (isinstance(function, ast.Attribute) and function.attr in QUOTING_METHODS)
            ):
                result = Value(kind=Kind.SAFE, text=HOLE)
            else:
                result = UNKNOWN
        return Value(kind=Kind.SAFE, text=HOLE, obj="container", element=result, origins=result.origins)

    def _string_method(self, site: CallSite, receiver: Value) -> Optional[Value]:
        name = site.callee.name
        args = site.args
        if name == "get" and receiver.obj == "dict" and receiver.element is not None and args:
            # ALLOWED.get(key, default): one of the dict's values
            return join(receiver.element, args[1]) if len(args) > 1 else receiver.element
        if receiver.obj is not None and receiver.obj != "template":
            if receiver.obj == "psycopg.composable":
                return receiver
            return None
        if name in ("format", "format_map"):
            return self._format(site, receiver, name)
        if name == "join" and args:
            return self._join(site, receiver)
        if name in ("substitute", "safe_substitute") and receiver.obj == "template":
            return self._template(site, receiver)
        if name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            text = receiver.text
            if receiver.kind is Kind.CONST and new.kind is not Kind.CONST and old.kind is Kind.CONST and old.text:
                text = text.replace(old.text, HOLE)
            template = receiver if receiver.kind is not Kind.CONST else const("")
            return self._interpolated(site.node, template, [new], text, "str.replace()")
        if name in PASS_THROUGH_METHODS:
            if receiver.kind is Kind.CONST:
                text = (
                    receiver.text.upper()
                    if name == "upper"
                    else (receiver.text.lower() if name in ("lower", "casefold") else receiver.text)
                )
                return replace(receiver, text=text, obj=None)
            return replace(receiver, obj=None)
        if name in ("split", "splitlines", "rsplit", "partition", "rpartition"):
            element = replace(receiver, obj=None) if receiver.kind is not Kind.UNKNOWN else UNKNOWN
            return Value(kind=Kind.SAFE, text=HOLE, obj="container", element=element)
        return None

    def _format(self, site: CallSite, template: Value, name: str) -> Value:
        positional = [] if site.starred else list(site.args)
        keyword = {k: v for k, v in site.keywords.items() if k is not None}
        mapping: Optional[Value] = site.keywords.get(None)
        if name == "format_map":
            mapping = site.args[0] if site.args else UNKNOWN
            positional = []
        if site.starred:
            for value in site.args:
                mapping = join(mapping, value)
        fields = format_fields(template.text) if template.kind is not Kind.UNKNOWN else None
        parts: List[Value] = []
        if fields is None:
            parts = positional + list(keyword.values()) + ([mapping] if mapping is not None else [])
            text = template.text
        else:
            texts: List[str] = []
            for literal, key, numeric in fields:
                texts.append(literal)
                if key is None:
                    continue
                value: Optional[Value]
                if isinstance(key, int):
                    value = positional[key] if key < len(positional) else None
                else:
                    value = keyword.get(key)
                if value is None:
                    value = (mapping.element or UNKNOWN) if mapping is not None else UNKNOWN
                if numeric:
                    value = SAFE_NUMBER
                parts.append(value)
                texts.append(_text_of(value))
            text = "".join(texts)
        form = "str.format()" if name == "format" else "str.format_map()"
        return self._interpolated(
            site.node, template if template.kind is not Kind.CONST else const(""), parts, text, form
        )

    def _join(self, site: CallSite, separator: Value) -> Value:
        iterable = site.args[0]
        element = self.element_of(iterable)
        if element.obj == "number":
            element = SAFE_NUMBER
        if iterable.kind is Kind.BUILT and iterable.obj is None:
            element = iterable  # joining the characters of a built string
        sep_text = separator.text if separator.kind is Kind.CONST else HOLE
        elem_text = _text_of(element)
        text = elem_text + sep_text + elem_text
        if iterable.obj == "container" and iterable.text != HOLE and iterable.text:
            text = iterable.text.replace(_ELEMENTS, sep_text)
        template = separator if separator.kind is not Kind.CONST else const("")
        return self._interpolated(site.node, template, [element], text, "str.join()")

    def _template(self, site: CallSite, template: Value) -> Value:
        parts = [(p.element or UNKNOWN) if p.obj == "dict" else p for p in site.args]
        parts += [v for k, v in site.keywords.items()]
        text = _TEMPLATE_FIELD.sub(HOLE, template.text) if template.kind is Kind.CONST else HOLE
        base = replace(template, obj=None) if template.kind is not Kind.CONST else const("")
        return self._interpolated(site.node, base, parts, text, "string.Template")

    # ------------------------------------------------------------------ statements
    def run_body(self, body: Sequence[ast.stmt]) -> None:
        for statement in body:
            if not self.live:
                break
            method = _EXEC_DISPATCH.get(type(statement))
            if method is not None:
                method(self, statement)
            else:
                for child in ast.iter_child_nodes(statement):
                    if isinstance(child, ast.expr):
                        self.eval(child)

    def _branch(self, body: Sequence[ast.stmt], start: State) -> Tuple[State, bool]:
        saved_state, saved_live = self.state, self.live
        self.state, self.live = dict(start), True
        self.run_body(body)
        result = (self.state, self.live)
        self.state, self.live = saved_state, saved_live
        return result

    def _merge(self, outcomes: Iterable[Tuple[State, bool]]) -> None:
        live_states = [state for state, live in outcomes if live]
        if not live_states:
            self.live = False
            return
        merged: State = dict(live_states[0])
        for state in live_states[1:]:
            # Branches share most values (the same objects): only the differing ones join.
            for name, value in state.items():
                current = merged.get(name)
                if current is None:
                    merged[name] = value
                elif current is not value:
                    merged[name] = join(current, value)
        self.state = merged
        self.live = True

    def _exec_Expr(self, node: ast.Expr) -> None:
        value = node.value
        if isinstance(value, ast.Call):
            func = value.func
            name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
            if name in NO_RETURN:
                self.eval(value)
                self.live = False  # abort(400), sys.exit(...), parser.error(...) do not come back
                return
        # list.append / extend / add on a local container: the element joins the container
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.attr in ("append", "extend", "add", "insert", "appendleft")
            and value.args
        ):
            name = value.func.value.id
            container = self.lookup(name)
            if container.obj in ("container", None) and (name in self.state or container.obj == "container"):
                arg = self.eval(value.args[-1])
                if value.func.attr == "extend":
                    arg = self.element_of(arg)
                element = join(container.element, arg) if container.element is not None else arg
                text = HOLE
                if container.obj == "container" and container.text != HOLE and value.func.attr != "insert":
                    # keep the parts' texts in order, for " ".join(parts) later
                    text = (container.text + _ELEMENTS if container.text else "") + _text_of(arg)
                    text = text[:MAX_TEXT]
                self.state[name] = Value(
                    kind=Kind.SAFE, text=text, obj="container", element=element, origins=element.origins
                )
                return
        self.eval(value)

    def _exec_Assign(self, node: ast.Assign) -> None:
        value = self.eval(node.value)
        for target in node.targets:
            if not isinstance(target, ast.Name):
                self._eval_target_parts(target)
            self.bind(target, value)

    def _eval_target_parts(self, target: ast.AST) -> None:
        if isinstance(target, ast.Attribute):
            self.eval(target.value)
        elif isinstance(target, ast.Subscript):
            self.eval(target.value)
            self.eval(target.slice)

    def _exec_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            value = self.eval(node.value)
            if value.obj is None:
                annotated = self.analysis.kind_of_annotation(self, node.annotation)
                if annotated:
                    value = replace(value, obj=annotated)
            self.bind(node.target, value)

    def _exec_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            synthetic = ast.BinOp(left=ast.Name(id=target.id, ctx=ast.Load()), op=node.op, right=node.value)
            ast.copy_location(synthetic, node)
            synthetic.end_lineno, synthetic.end_col_offset = node.end_lineno, node.end_col_offset
            if isinstance(node.op, ast.Add):
                current = self.lookup(target.id)
                if current.obj == "container":
                    added = self.eval(node.value)
                    element = join(current.element, self.element_of(added))
                    self.state[target.id] = replace(current, element=element, origins=current.origins | element.origins)
                    return
            value = self.eval(synthetic)
            if isinstance(node.op, ast.Add):
                value = replace(
                    value,
                    origins=frozenset(
                        replace(o, form="+=") if o.node_id == id(synthetic) else o for o in value.origins
                    ),
                )
                value = replace(
                    value,
                    origins=frozenset(
                        replace(o, node_id=id(node)) if o.node_id == id(synthetic) else o for o in value.origins
                    ),
                )
            self.bind(target, value)
        else:
            self._eval_target_parts(target)
            self.bind(target, self.eval(node.value))

    def _exec_If(self, node: ast.If) -> None:
        self.eval(node.test)
        start = self.state
        if_true, if_false = self._refine(node.test, start)
        if if_true is if_false and _is_membership(node.test):
            # ``if name not in known_names: abort(...)``: whatever the collection, the code after
            # the check only runs for a name that is in it (decided once the branch is seen to stop).
            lenient_true, lenient_false = self._refine(node.test, start, lenient=True)
            if lenient_false is not start and _stops(node.body):
                if_false = lenient_false
            elif lenient_true is not start and _stops(node.orelse):
                if_true = lenient_true
        body, orelse = self._branch(node.body, if_true), self._branch(node.orelse, if_false)
        self._merge([body, orelse])

    def _refine(self, test: ast.AST, state: State, lenient: bool = False) -> Tuple[State, State]:
        """States for the branches of ``if name in ALLOWED`` / ``if name not in ALLOWED``:
        where the membership holds, the name is one of a set of constants, so safe."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            if_true, if_false = self._refine(test.operand, state, lenient)
            return if_false, if_true
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            refined = state
            for value in test.values:
                refined = self._refine(value, refined, lenient)[0]
            return refined, state
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            # ``if a not in A or b not in B: raise``: past it, every part is false
            refined = state
            for value in test.values:
                refined = self._refine(value, refined, lenient)[1]
            return state, refined
        if not (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.In, ast.NotIn))
            and _checked_name(test.left)
        ):
            return state, state
        saved = self.state
        self.state = state
        try:
            allowed = self.eval(test.comparators[0])
        finally:
            self.state = saved
        element = (
            allowed.keys
            if allowed.obj == "dict"
            else (
                allowed.element
                if allowed.obj == "container"
                else (allowed if allowed.kind is Kind.CONST and allowed.obj is None else None)
            )
        )
        if element is None or element.kind not in (Kind.CONST, Kind.SAFE):
            # Membership in a collection we cannot see counts only after a guard that stops
            # (``if t not in list_tables(cur): abort()``), and never in what a caller sent.
            if not lenient or allowed.from_input:
                return state, state
        member = dict(state)
        key = _checked_name(test.left)
        member[key] = Value(kind=Kind.SAFE, text=HOLE, names=(key.rsplit(".", 1)[-1],))
        if "." in key:
            self.checked_attributes = True
        return (member, state) if isinstance(test.ops[0], ast.In) else (state, member)

    def _loop(self, node: ast.AST, bind_target: Optional[Callable[[], None]]) -> None:
        start = dict(self.state)
        saved = self.state
        self.state = dict(start)
        if bind_target:
            bind_target()
        self.loop_depth += 1
        body_state, _ = self._branch(node.body, self.state)  # type: ignore[attr-defined]
        self.state = saved
        self._merge([(start, True), (body_state, True)])
        if self.loop_depth <= 2 and _carries_values(node):
            # Once more from the joined state, so values carried across iterations are seen;
            # only for shallow nests, which keeps the work linear in the code size.
            joined = dict(self.state)
            if bind_target:
                bind_target()
            second_state, _ = self._branch(node.body, self.state)  # type: ignore[attr-defined]
            self.state = joined
            self._merge([(joined, True), (second_state, True)])
        self.loop_depth -= 1
        orelse = getattr(node, "orelse", None)
        if orelse:
            self._merge([self._branch(orelse, self.state), (self.state, True)])

    def _exec_For(self, node: ast.For) -> None:
        iterable = self.eval(node.iter)
        self._loop(node, lambda: self.bind(node.target, self.element_of(iterable)))

    _exec_AsyncFor = _exec_For

    def _exec_While(self, node: ast.While) -> None:
        self.eval(node.test)
        self._loop(node, None)

    def _exec_With(self, node: ast.With) -> None:
        for item in node.items:
            value = self.eval(item.context_expr)
            if item.optional_vars is not None:
                if value.obj in sql_apis.METHODS and "__enter__" in sql_apis.METHODS[value.obj]:
                    value = obj(sql_apis.METHODS[value.obj]["__enter__"])  # type: ignore[arg-type]
                self.bind(item.optional_vars, value)
        self.run_body(node.body)

    _exec_AsyncWith = _exec_With

    def _exec_Try(self, node: ast.AST) -> None:
        start = dict(self.state)
        outcomes = [self._branch(node.body + node.orelse, start)]  # type: ignore[attr-defined]
        for handler in node.handlers:  # type: ignore[attr-defined]
            handler_start = dict(start)
            for name, value in outcomes[0][0].items():
                handler_start[name] = join(handler_start.get(name), value) if name in handler_start else value
            if handler.name:
                handler_start[handler.name] = Value(
                    kind=Kind.UNKNOWN,
                    obj="exception",
                    exc_types=self.analysis.exception_types(self, handler.type),
                    names=(handler.name,),
                )
            outcome = self._branch(handler.body, handler_start)
            if handler.name and outcome[1]:
                outcome[0].pop(handler.name, None)
            outcomes.append(outcome)
        self._merge(outcomes)
        finalbody = node.finalbody  # type: ignore[attr-defined]
        if finalbody:
            was_live = self.live
            self.live = True
            self.run_body(finalbody)
            self.live = self.live and was_live

    _exec_TryStar = _exec_Try

    def _exec_Match(self, node: ast.AST) -> None:
        self.eval(node.subject)  # type: ignore[attr-defined]
        start = self.state
        outcomes = []
        for case in node.cases:  # type: ignore[attr-defined]
            state, live = self._branch(case.body, start)
            outcomes.append((state, live))
        outcomes.append((start, True))
        self._merge(outcomes)

    def _exec_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            value = self.eval(node.value)
            self.analysis.on_escape(self, value, node, "returned")
        self.live = False

    def _exec_Raise(self, node: ast.Raise) -> None:
        self.analysis.display_depth += 1
        try:
            if node.exc is not None:
                self.eval(node.exc)
            if node.cause is not None:
                self.eval(node.cause)
        finally:
            self.analysis.display_depth -= 1
        self.live = False

    def _exec_Assert(self, node: ast.Assert) -> None:
        self.eval(node.test)
        self.state = self._refine(node.test, self.state)[0]
        if node.msg is not None:
            self.analysis.display_depth += 1
            try:
                self.eval(node.msg)
            finally:
                self.analysis.display_depth -= 1

    def _exec_Break(self, node: ast.AST) -> None:
        self.live = False

    _exec_Continue = _exec_Break

    def _exec_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.state[alias.asname] = obj("qual:" + sql_apis.canonical(alias.name))
            else:
                top = alias.name.split(".")[0]
                self.state[top] = obj("qual:" + top)

    def _exec_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            qualname = sql_apis.canonical(f"{module}.{alias.name}" if module else alias.name)
            self.state[alias.asname or alias.name] = self.analysis.imported_value(qualname)

    def _exec_FunctionDef(self, node: ast.AST) -> None:
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            self.eval(decorator)
        if self.scope.kind == "function":
            self.analysis.run_nested(self, node)
        self.state[node.name] = Value(kind=Kind.UNKNOWN, obj="function")  # type: ignore[attr-defined]

    _exec_AsyncFunctionDef = _exec_FunctionDef

    def _exec_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.eval(decorator)
        self.state[node.name] = obj("class:" + node.name)

    def _exec_Global(self, node: ast.AST) -> None:
        return None

    _exec_Nonlocal = _exec_Global
    _exec_Pass = _exec_Global

    def _exec_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.state.pop(target.id, None)


_READS = (ast.Name, ast.Attribute, ast.Subscript)
_TEMPLATE_FIELD = __import__("re").compile(r"\$(?:\{\w+\}|\w+)")


def _dispatch(prefix: str) -> Dict[type, Callable[..., object]]:
    """ast node class -> Interpreter method, for the node classes this Python has."""
    table = {}
    for name, function in vars(Interpreter).items():
        if name.startswith(prefix) and hasattr(ast, name[len(prefix) :]):
            table[getattr(ast, name[len(prefix) :])] = function
    return table


_EVAL_DISPATCH = _dispatch("_eval_")
_EXEC_DISPATCH = _dispatch("_exec_")
