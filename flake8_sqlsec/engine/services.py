"""What the file's analysis answers the interpreter and the checks (a mixin of
``FileAnalysis``): builtins, imported constants, annotations, module bindings and
exception types for the interpreter; other modules' function facts, values worked out
later, silent re-readings and qualified names for the checks."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Set, Tuple, TypeVar

from .calls import BUILTIN_CALLABLES
from .other_modules import WRAPPERS, FunctionFacts, function_facts
from .scopes import ScopeInfo, State, dotted_name, dotted_text
from .values import UNKNOWN, Imported, Instance, Kind, LocalClass, Obj, Pending, Ref, Value, Written, const, imported

if TYPE_CHECKING:  # pragma: no cover
    from .hooks import Hook
    from .interpreter import Interpreter
    from .project import ProjectModules
    from .world import World

T = TypeVar("T")


class AnalysisServices:
    """Services of ``FileAnalysis`` for the interpreter and the checks."""

    world: "World"
    project: "ProjectModules"
    functions: Dict[str, ast.AST]
    module_scope: Optional[ScopeInfo]
    module_ran: bool
    names_elsewhere: Set[str]
    silent: int
    refiners: List["Hook"]
    all_refiners: List["Hook"]
    _annotations: Dict[Tuple[int, bool], Optional[Obj]]
    _pendings: List[Pending]
    _last_state: Optional[State]

    # ------------------------------------------------------------------ services for the interpreter
    def builtin_value(self, name: str) -> Value:
        return imported(name) if name in BUILTIN_CALLABLES else UNKNOWN

    def imported_constant(self, qualname: str) -> Optional[Value]:
        """The text of a constant of another module of the project (``from .sql import Q``)."""
        if not self.world.follows_constant(qualname):
            return None
        text = self.project.constant(qualname)
        return const(text) if text is not None else None

    def local_function(self, scope: ScopeInfo, name: str) -> Optional[ast.AST]:
        return self.functions.get(name)

    def kind_of_annotation(self, annotation: ast.AST) -> Optional[Obj]:
        """What a name annotated so holds (``cur: sqlite3.Cursor``), as far as the world knows."""
        key = (id(annotation), self.module_ran)
        if key not in self._annotations:
            self._annotations[key] = self._annotated(annotation)
        return self._annotations[key]

    def _annotated(self, annotation: ast.AST) -> Optional[Obj]:
        node = annotation
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(node, ast.Subscript):  # Optional[X]
            node = node.slice
            if isinstance(node, ast.Index):  # pragma: no cover - Python 3.8 shape
                node = node.value  # type: ignore[attr-defined]
        if isinstance(node, ast.BinOp):  # X | None
            node = node.left
        head, _, rest = dotted_name(node).partition(".")
        if head and not rest and head in self.classes:
            return Instance(head)  # settings: Settings, a class of this file
        base = self.module_binding(head) if head else None
        if base is None or base.imported is None:
            return None
        return self.world.annotated(self.world.canonical(base.imported + ("." + rest if rest else "")))

    def module_binding(self, name: str) -> Optional[Value]:
        """What a name of the module holds (at the end of the module body, once it ran)."""
        if self.module_scope is not None and name in self.module_scope.final:
            return self.module_scope.final[name]
        if self.module_scope is not None and self._last_state is not None and name in self._last_state:
            return self._last_state.get(name)
        return None

    def exception_types(self, interp: "Interpreter", node: Optional[ast.AST]) -> Tuple[Ref, ...]:
        """The types an ``except`` clause names: imported, of this file, or as written."""
        if node is None:
            return (Written("BaseException"),)
        nodes = node.elts if isinstance(node, ast.Tuple) else [node]
        result: List[Ref] = []
        for item in nodes:
            held = interp.eval(item).obj
            resolved = type(held) is Imported or type(held) is LocalClass
            result.append(held if resolved else Written(dotted_text(item)))  # type: ignore[arg-type]
        return tuple(result)

    # ------------------------------------------------------------------ services for the checks
    def function_facts(self, qualname: str, want: str = WRAPPERS) -> Optional[FunctionFacts]:
        """What a function of another module of the project does with its parameters
        (``want`` WRAPPERS) or returns (RETURNS)."""
        facts = function_facts(self, qualname, want)
        if facts is not None and (any(facts.followed.values()) or (facts.returns and facts.returns.kind is Kind.BUILT)):
            self.names_elsewhere.add(qualname.rsplit(".", 1)[-1])
        return facts

    def facts_elsewhere(self, qualnames: Sequence[str], want: str = WRAPPERS) -> Optional[FunctionFacts]:
        """The facts of the first of ``qualnames`` another module of the project has (a
        method: the first base that defines it)."""
        for qualname in qualnames:
            facts = self.function_facts(qualname, want)
            if facts is not None:
                return facts
        return None

    def pending(self, resolve: Callable[[], Optional[Value]]) -> Pending:
        """A value worked out later (``values.Pending``), cut when the file is done."""
        made = Pending(resolve)
        self._pendings.append(made)
        return made

    def close(self) -> None:
        """The file is done: cut the pending values, whose closures refer back to this
        analysis, so reference counting frees it (and the tree) at once."""
        for made in self._pendings:
            made.cut()
        self._pendings.clear()

    def quietly(self, run: Callable[[], T], every_family: bool = False) -> T:
        """``run()`` without telling any hook of the calls and escapes in it: a re-reading,
        or a run for a value kept beyond this point (a class attribute, a return value),
        where ``every_family`` labels what is computed, whichever function asked first."""
        self.silent += 1
        saved = self.refiners
        if every_family:
            self.refiners = self.all_refiners
        try:
            return run()
        finally:
            self.silent -= 1
            self.refiners = saved

    def peek(self, interp: "Interpreter", node: ast.AST) -> Value:
        """The value of an expression at the interpreter's point, evaluated again without
        telling any hook about what is in it (the checks read parts of a call with it)."""
        return self.quietly(lambda: interp.eval(node))

    def module_exception_types(self, node: ast.AST) -> Tuple[Ref, ...]:
        """``exception_types`` of an ``except`` clause, with the module's final bindings."""
        assert self.module_scope is not None
        interp = self.interpreter(self.module_scope, dict(self.module_scope.final or {}))
        return self.quietly(lambda: self.exception_types(interp, node))

    def qualname_of(self, interp: "Interpreter", node: ast.AST) -> Optional[str]:
        """The qualified name a dotted expression resolves to through imports
        (``np.sum`` -> ``numpy.sum``), or a builtin called by its own name."""
        head, _, rest = dotted_name(node).partition(".")
        if not head:
            return None
        if not rest and head in BUILTIN_CALLABLES and head not in interp.state and head not in interp.scope.locals:
            return head
        held = interp.lookup(head).imported
        if held is None:
            return None
        return self.world.canonical(held + ("." + rest if rest else ""))
