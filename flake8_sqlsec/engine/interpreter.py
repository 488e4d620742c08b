"""The shared analysis pass: an abstract interpreter over one function (or module) body.

It walks statements in order, keeping for every local name the ``Value`` it may hold on the
current path (branches are joined, loops run once and joined), and evaluates expressions to
``Value``s. At every call it resolves the callee (imports, object kinds, local wrappers) and
hands the call to the families' hooks, which read argument values through ``eval``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .calls import CallEvaluation
from .expressions import EVAL_DISPATCH, Expressions
from .scopes import ScopeInfo, State
from .text_building import ELEMENTS, TextBuilding, text_of
from .folding import literal
from .guards import checked_name, each_member, is_membership, isinstance_classes, object_classes, stops
from .unpacking import Unpacking, called_in
from .values import HOLE, Kind, MAX_TEXT, Shape, UNKNOWN, Value, imported, join, local_class, number, replace

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis


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


class Interpreter(Expressions, TextBuilding, CallEvaluation, Unpacking):
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
        self.returns: Optional[List[Value]] = None  # what the body returns, when asked (summaries)
        self.yielded: Optional[List[Value]] = None  # ... and what it yields, for a generator
        # assignments whose value is wanted (id of the node -> the join of its values)
        self.captured: Optional[Dict[int, Optional[Value]]] = None
        # The call of the expression statement being run: its return value is thrown away,
        # so the summaries need not work it out.
        self.discarded: Optional[ast.AST] = None
        # Functions defined in this body, by name: calls of them are run with its values.
        self.nested: Optional[Dict[str, ast.AST]] = None
        # Whether a receiver ran a statement in this body (see CallEvaluation._after_statement).
        self.ran_statements = False

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
            items = value.items
            if items is not None and len(items) == len(target.elts):
                if not any(isinstance(elt, ast.Starred) for elt in target.elts):
                    for elt, item in zip(target.elts, items):
                        self.bind(elt, item)  # sql, params = build(...), place by place
                    return
            element = self.element_of(value)  # type: ignore[attr-defined]
            if element.kind is Kind.UNKNOWN and len(target.elts) in (2, 3) and self._bind_compiled(target, element):
                return
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
            if self.analysis.world.never_returns(name):
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
            if container.obj in (Shape.CONTAINER, None) and (name in self.state or container.obj is Shape.CONTAINER):
                arg = self.eval(value.args[-1])
                if value.func.attr == "extend":
                    arg = self.element_of(arg)
                element = join(container.element, arg) if container.element is not None else arg
                text = HOLE
                if container.obj is Shape.CONTAINER and container.text != HOLE and value.func.attr != "insert":
                    # keep the parts' texts in order, for " ".join(parts) later
                    text = (container.text + ELEMENTS if container.text else "") + text_of(arg)
                    text = text[:MAX_TEXT]
                self.state[name] = Value(
                    kind=Kind.SAFE, text=text, obj=Shape.CONTAINER, element=element, origins=element.origins
                )
                return
        self.discarded = value
        self.eval(value)

    def _exec_Assign(self, node: ast.Assign) -> None:
        value = self.eval(node.value)
        if self.captured is not None and id(node) in self.captured:
            seen = self.captured[id(node)]
            self.captured[id(node)] = value if seen is None else join(seen, value)
        for target in node.targets:
            if not isinstance(target, ast.Name):
                self._eval_target_parts(target)
                call = called_in(node.value)
                if isinstance(target, ast.Tuple) and call is not None and self._unpack_call(target, call, value):
                    continue
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
                annotated = self.analysis.kind_of_annotation(node.annotation)
                if annotated:
                    value = replace(value, obj=annotated)
            self.bind(node.target, value)
        elif self.scope.kind == "class" and isinstance(node.target, ast.Name):
            # a field declared by its type (pydantic ``api_key: SecretStr``): what it holds
            annotated = self.analysis.kind_of_annotation(node.annotation)
            if annotated:
                self.state[node.target.id] = Value(kind=Kind.UNKNOWN, obj=annotated)

    def _exec_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            synthetic = ast.BinOp(left=ast.Name(id=target.id, ctx=ast.Load()), op=node.op, right=node.value)
            ast.copy_location(synthetic, node)
            synthetic.end_lineno, synthetic.end_col_offset = node.end_lineno, node.end_col_offset
            if isinstance(node.op, ast.Add):
                current = self.lookup(target.id)
                if current.obj is Shape.CONTAINER:
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
        decided = self.decided(node.test, self.eval(node.test))
        if decided is not None:
            self._merge([self._branch(node.body if decided else node.orelse, self.state)])  # the other is dead
            return
        start = self.state
        if_true, if_false = self._refine(node.test, start)
        if if_true is if_false and is_membership(node.test):
            # ``if name not in known_names: abort(...)``: whatever the collection, the code after
            # the check only runs for a name that is in it (decided once the branch is seen to stop).
            lenient_true, lenient_false = self._refine(node.test, start, lenient=True)
            if lenient_false is not start and stops(node.body, self.analysis.world.never_returns):
                if_false = lenient_false
            elif lenient_true is not start and stops(node.orelse, self.analysis.world.never_returns):
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
        if isinstance(test, ast.Name):
            # ``if level: ...`` without an else: where it is false, the name holds no text
            current = state.get(test.id)
            if current is None or current.obj is not None or current.kind < Kind.UNKNOWN:
                return state, state
            falsy = dict(state)
            falsy[test.id] = Value(kind=Kind.CONST, text="", names=current.names)
            return state, falsy
        narrowed = self._narrowed_to_object(test, state)
        if narrowed is not None:
            return narrowed, state
        each = each_member(test)
        if each is not None:
            # ``if not all(c in ALLOWED for c in cols): raise``, ``set(cols) <= ALLOWED``:
            # where it holds, every element of the name is one of the constants
            name, allowed_node, holds = each
            element = self._allowed_element(allowed_node, state)
            if element is None and not lenient:
                return state, state
            member = dict(state)
            member[name] = Value(
                kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=Value(kind=Kind.SAFE, text=HOLE)
            )
            return (member, state) if holds else (state, member)
        if not (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.In, ast.NotIn))
            and checked_name(test.left)
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
            if allowed.obj is Shape.DICT
            else (
                allowed.element
                if allowed.obj is Shape.CONTAINER
                else (allowed if allowed.kind is Kind.CONST and allowed.obj is None else None)
            )
        )
        if element is None or element.kind not in (Kind.CONST, Kind.SAFE):
            # Membership in a collection we cannot see counts only after a guard that stops
            # (``if t not in list_tables(cur): abort()``), and never in what a caller sent.
            if not lenient or allowed.from_input:
                return state, state
        member = dict(state)
        key = checked_name(test.left)
        member[key] = Value(kind=Kind.SAFE, text=HOLE, names=(key.rsplit(".", 1)[-1],))
        if "." in key:
            self.checked_attributes = True
        return (member, state) if isinstance(test.ops[0], ast.In) else (state, member)

    def _narrowed_to_object(self, test: ast.AST, state: State) -> Optional[State]:
        """``if isinstance(rows, InsertUnnest):``: where it holds, the name is an object of
        that class, not text a caller wrote; what it renders to is its class's business.
        Labels stay (the logging checks judge the object)."""
        name, classes = isinstance_classes(test)
        if not name or not object_classes(classes, self.analysis.world.text_class, self.analysis.classes):
            return None
        current = state.get(name)
        if current is None or current.obj is not None or current.kind < Kind.UNKNOWN:
            return None
        narrowed = dict(state)
        narrowed[name] = replace(
            current, kind=Kind.SAFE, text=HOLE, origins=frozenset(), params=frozenset(), from_input=False
        )
        return narrowed

    def _allowed_element(self, node: ast.AST, state: State) -> Optional[Value]:
        """The element of a constant collection (its keys for a dict); None if not one."""
        saved = self.state
        self.state = state
        try:
            allowed = self.eval(node)
        finally:
            self.state = saved
        element = (
            allowed.keys if allowed.obj is Shape.DICT else (allowed.element if allowed.obj is Shape.CONTAINER else None)
        )
        return element if element is not None and element.kind in (Kind.CONST, Kind.SAFE) else None

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
                entered = self.analysis.world.entered(value)
                if entered is not None:
                    value = entered
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
                    obj=Shape.EXCEPTION,
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
        subject = self.eval(node.subject)  # type: ignore[attr-defined]
        start = self.state
        chosen = self._chosen_case(node, subject)
        if chosen is not None:
            self._merge([self._branch(chosen.body, start)])  # the other cases are dead
            return
        outcomes = []
        for case in node.cases:  # type: ignore[attr-defined]
            state, live = self._branch(case.body, start)
            outcomes.append((state, live))
        outcomes.append((start, True))
        self._merge(outcomes)

    def _chosen_case(self, node: ast.AST, subject: Value) -> Optional[ast.AST]:
        """The case a constant subject takes (``match "ABC"[1]:``), when every case before
        it is a literal or a wildcard without a guard; None when not known."""
        known, python = literal(subject)
        if not known or self.decided(node.subject, subject) is None:  # type: ignore[attr-defined]
            return None
        for case in node.cases:  # type: ignore[attr-defined]
            if case.guard is not None:
                return None
            matched = _literal_match(case.pattern, python)
            if matched is None:
                return None
            if matched:
                return case
        return None

    def _exec_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            value = self.eval(node.value)
            self.analysis.on_escape(self, value, node, "returned")
            if self.returns is not None:
                self.returns.append(value)
        elif self.returns is not None:
            self.returns.append(number("None"))
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
                self.state[alias.asname] = imported(self.analysis.world.canonical(alias.name))
            else:
                top = alias.name.split(".")[0]
                self.state[top] = imported(top)

    def _exec_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            # ``from . import db`` names ".db"; ``from .db import run`` names ".db.run"
            dotted = module + alias.name if module.endswith(".") else f"{module}.{alias.name}" if module else alias.name
            qualname = self.analysis.world.canonical(dotted)
            self.state[alias.asname or alias.name] = self.analysis.world.imported(qualname)

    def _exec_FunctionDef(self, node: ast.AST) -> None:
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            self.eval(decorator)
        if self.scope.kind == "function":
            self.analysis.run_nested(self, node)
            if self.nested is None:
                self.nested = {}
            self.nested[node.name] = node  # type: ignore[attr-defined]
        self.state[node.name] = Value(kind=Kind.UNKNOWN, obj=Shape.FUNCTION)  # type: ignore[attr-defined]

    _exec_AsyncFunctionDef = _exec_FunctionDef

    def _exec_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.eval(decorator)
        self.state[node.name] = local_class(node.name)

    def _exec_Global(self, node: ast.AST) -> None:
        return None

    _exec_Nonlocal = _exec_Global
    _exec_Pass = _exec_Global

    def _exec_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.state.pop(target.id, None)


def _literal_match(pattern: ast.AST, python: object) -> Optional[bool]:
    """Whether a literal, a wildcard or an or-pattern of those matches a constant."""
    kind = type(pattern).__name__
    if kind == "MatchAs" and pattern.pattern is None and pattern.name is None:  # type: ignore[attr-defined]
        return True  # case _:
    if kind == "MatchValue" and isinstance(pattern.value, ast.Constant):  # type: ignore[attr-defined]
        return bool(pattern.value.value == python)  # type: ignore[attr-defined]
    if kind == "MatchSingleton":
        return pattern.value is python  # type: ignore[attr-defined]
    if kind == "MatchOr":
        results = [_literal_match(p, python) for p in pattern.patterns]  # type: ignore[attr-defined]
        return None if None in results else any(results)
    return None


def _dispatch(prefix: str) -> Dict[type, Callable[..., object]]:
    """ast node class -> Interpreter method, for the node classes this Python has."""
    table = {}
    for klass in reversed(Interpreter.__mro__):
        for name, function in vars(klass).items():
            if name.startswith(prefix) and hasattr(ast, name[len(prefix) :]):
                table[getattr(ast, name[len(prefix) :])] = function
    return table


EVAL_DISPATCH.update(_dispatch("_eval_"))
_EXEC_DISPATCH = _dispatch("_exec_")
