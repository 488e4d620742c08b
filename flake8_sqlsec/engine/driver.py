"""One shared analysis per file, read by every checker family.

``analysis_for(tree, ...)`` builds it once per tree (flake8 hands every plugin the same
tree object) and keeps its findings, which the families' entry points read. The pass:

1. one walk over the tree indexes scopes, classes and functions, and marks the scopes
   worth interpreting (they call something a family cares about, or hold SQL-looking text);
2. the module body runs, then every marked function, through the ``Interpreter``; a
   function marked only by a gated family's names (log calls, for SQL3) runs when that
   family's ``worth_running`` finds in its text where a finding could start;
3. functions whose parameter reaches an execution API become sinks themselves
   ("wrappers"), and their callers are run again, a few rounds at most;
4. each family's ``finish`` turns what it collected into findings.
"""

from __future__ import annotations

import ast
import bisect
import functools
import time
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from ..config import Config
from .calls import CallSite
from .classes import ClassAttributes
from .services import AnalysisServices
from .summaries import FunctionSummaries
from .hooks import HOOKS, Finding, Hook
from .interpreter import Interpreter
from .prefilter import callers_of, candidate_pattern, functions_holding, interesting_lines, outside_docstrings, spans
from .project import ProjectModules
from .scopes import (
    BLOCK_FIELDS,
    ClassInfo,
    ScopeInfo,
    State,
    all_args,
    assigned_names,
    base_names,
    walk_statements,
)
from .values import HOLE, Kind, Obj, Pending, Ref, Value, instance, local_class
from .world import World

# Wall-clock seconds one file's pass may take. The pass is linear in the file, so only a
# pathological input reaches it; the analysis then stops and reports what it had.
TIME_BUDGET = 20.0


class BudgetExceeded(Exception):
    pass


class Budget:
    __slots__ = ("deadline", "steps")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.steps = 0

    def check(self) -> None:
        if time.perf_counter() > self.deadline:
            raise BudgetExceeded()


class FileAnalysis(AnalysisServices, ClassAttributes, FunctionSummaries):
    """The pass over one file: index, schedule, wrapper rounds, findings."""

    def __init__(
        self,
        tree: ast.AST,
        filename: str,
        lines: Sequence[str],
        config: Config,
        world: World,
        summarising: bool = False,
    ) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines
        self.config = config
        self.world = world
        # Whether this pass summarises another module for a linted file (its findings are
        # dropped, and it asks no further module about its functions).
        self.summarising = summarising
        self.modules_asked: Set[str] = set()  # other modules asked about their functions
        # Names of functions of other modules found to run SQL or build it (``_fetch``,
        # ``ordered_by``): their callers that did not run yet run in the wrapper rounds.
        self.names_elsewhere: Set[str] = set()
        self.ran: Set[int] = set()  # the functions run in their own right
        # Summarising one function of a module: the functions that may run (None: all).
        self.only: Optional[Set[int]] = None
        self._pendings: List[Pending] = []  # cut when the file is done (``close``)
        self.hooks: List[Hook] = [
            hook for hook in (factory() for factory in HOOKS) if config.wants(*hook.codes, *hook.supersedes)
        ]
        self.refiners: List[Hook] = [hook for hook in self.hooks if hook.refines_values(config)]
        self.all_refiners = self.refiners
        self.display_depth = 0
        self.silent = 0
        self.project = ProjectModules(filename, config.infer)
        # Whether calls of other modules' functions are answered by their summaries.
        self.follows_imports = not summarising and self.project.level == "project"
        self._findings: Dict[object, Dict[Any, Tuple[int, Finding]]] = {}
        self._imported_modules: Optional[FrozenSet[str]] = None
        self._current: Dict[Any, Tuple[int, Finding]] = {}
        self.module_scope: Optional[ScopeInfo] = None
        self.classes: Dict[str, ClassInfo] = {}
        self.functions: Dict[str, ast.AST] = {}  # module-level functions
        self.method_class: Dict[int, ClassInfo] = {}
        self.function_scopes: List[Tuple[ast.AST, Optional[ClassInfo]]] = []
        self.candidates: Set[int] = set()
        # id(function) -> the gated hooks whose names alone marked it
        self.gated: Dict[int, List[Hook]] = {}
        # id(function) -> the gated hooks whose names it calls (marked or not by others)
        self.gated_names_in: Dict[int, List[Hook]] = {}
        self._class_attr_busy: Set[Tuple[str, str]] = set()
        self._ancestry: Dict[Tuple[str, bool], Tuple[Ref, ...]] = {}
        self._annotations: Dict[Tuple[int, bool], Optional[Obj]] = {}  # (id(annotation), module ran) -> it says
        self.module_ran = False  # whether the module body has run (its final bindings are known)
        # id(function) -> its return value run with parameters not known (None: nothing known)
        # function id -> (context-free return value, whether every family labelled it)
        self.summaries: Dict[int, Tuple[Optional[Value], bool]] = {}
        self.generators: Dict[int, bool] = {}  # id(function) -> whether it yields
        self.running_for_return: List[int] = []  # functions being run for their return value
        self.return_runs = 0
        self.budget = Budget(time.perf_counter() + TIME_BUDGET)
        # Without ":=" in the source, binding sites are all statements: cheaper to find.
        self.has_walrus = not lines or ":=" in self.source
        self.exhausted = False
        # Whether a line outside every function is marked (set by the index; without
        # source lines nothing is known, so the module body always runs).
        self.module_marked = True
        self._scope_names: Dict[int, Tuple[frozenset, frozenset, Tuple[str, ...]]] = {}
        self._getter_answers: Dict[Tuple[str, str], Optional[Value]] = {}
        self._authoring_names: Optional[Tuple[str, ...]] = None
        self._authoring_functions: Dict[int, bool] = {}
        self._gated_lines: Dict[int, List[int]] = {}  # id(gated hook) -> lines calling its names

    # ------------------------------------------------------------------ driving
    def run(self, functions: bool = True) -> None:
        """The pass; without ``functions``, only the index and the module body (what a
        summary of a function's return value needs)."""
        if not self.hooks:
            return
        try:
            self._run(functions)
        except BudgetExceeded:
            # A file too costly to finish: keep what was found, claim nothing about the rest.
            self.exhausted = True
        for hook in self.hooks:
            hook.finish(self)

    def _run(self, functions: bool = True) -> None:
        self._index()
        module = self.tree
        body = getattr(module, "body", [])
        if not (self.module_marked or self.candidates or self.gated or self.summarising):
            # Nothing at module level calls a name of interest or holds SQL-looking text,
            # and no function will run: the module's own statements cannot give a finding
            # (a module summarised for its callers runs still: its constants are read).
            self.module_scope = ScopeInfo(module, None, "module", set(), set())
            return
        names, globals_ = assigned_names(body, self.has_walrus)
        self.module_scope = ScopeInfo(module, None, "module", names, globals_)
        self._run_scope(self.module_scope, body, {}, key=id(module))
        self.module_scope.final = self._last_state
        self.module_ran = True
        if not functions:
            return
        for function, class_info in self.function_scopes:
            hooks = self.gated.get(id(function))
            if id(function) in self.candidates or (
                hooks is not None and any(hook.worth_running(self, function) for hook in hooks)
            ):
                self._run_function(function, class_info)
        # Wrapper rounds: callers of functions that families now judge differently (a
        # parameter reaches a sink) run again, and callers of other modules' functions
        # found to run or build SQL run if they did not, until nothing changes, a few
        # rounds at most.
        for _ in range(3):
            known = self._followed()
            learned = frozenset(self.names_elsewhere)
            if not known and not learned:
                break
            again = []
            if known:
                wrapper_names = {getattr(f, "name", "") for f, _ in self.function_scopes if id(f) in known}
                callers, module_calls = self._callers_of(wrapper_names)
                again = [(f, c) for f, c in self.function_scopes if id(f) in callers]
                if module_calls:
                    self._run_scope(self.module_scope, body, {}, key=id(module))
            if learned:
                callers, _ = self._callers_of(set(learned))
                again.extend((f, c) for f, c in self.function_scopes if id(f) in callers and id(f) not in self.ran)
            for function, class_info in again:
                self._run_function(function, class_info)
            if self._followed() == known and self.names_elsewhere == learned:
                break

    def _followed(self) -> Dict[int, object]:
        followed: Dict[int, object] = {}
        for hook in self.hooks:
            for function_id, summary in hook.followed_functions().items():
                followed[function_id] = (followed.get(function_id), summary)
            for function_id, summary in hook.awaiting_callers().items():
                followed[function_id] = (followed.get(function_id), "awaiting", summary)
        return followed

    def findings(self, family: str) -> List[Finding]:
        # Findings of every code compete for their place (``report``); the selection only
        # decides, here, which of the winners are shown.
        selected = self.config.selected
        result = []
        for per_scope in self._findings.values():
            for _, finding in per_scope.values():
                if finding.code.startswith(family) and finding.code in selected:
                    result.append(finding)
        result.sort(key=lambda f: (f.line, f.col, f.code))
        return result

    def report(
        self, code: str, node_or_pos: Any, detail: str, key: Any = None, severity: int = 0, hint: str = ""
    ) -> None:
        if self.silent:
            return
        if isinstance(node_or_pos, tuple):
            line, col = node_or_pos
        else:
            line, col = node_or_pos.lineno, node_or_pos.col_offset
        key = key if key is not None else (code, line, col)
        existing = self._current.get(key)
        if existing is None or severity > existing[0]:
            self._current[key] = (severity, Finding(line, col, code, detail, hint))

    @property
    def imported_modules(self) -> FrozenSet[str]:
        """Every module the file imports (``import a.b``, ``from a.b import c``), for the
        fix text of a finding: asked only when there is one, so computed on first use."""
        if self._imported_modules is None:
            modules = set()
            for node in walk_statements(self.tree, nested=True):  # imports are statements
                if isinstance(node, ast.Import):
                    modules.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module)
                    modules.update(f"{node.module}.{alias.name}" for alias in node.names)
            self._imported_modules = frozenset(modules)
        return self._imported_modules

    def withdraw(self, key: Any) -> None:
        """Drop a finding made earlier in this scope (a later call showed it is another rule's)."""
        self._current.pop(key, None)

    def report_final(self, code: str, pos: Tuple[int, int], detail: str, key: Any, hint: str = "") -> None:
        """Findings made after the pass (by ``finish``) live in their own bucket."""
        if code not in self.config.selected:
            return
        bucket = self._findings.setdefault("final", {})
        bucket.setdefault(key, (0, Finding(pos[0], pos[1], code, detail, hint)))

    def _run_scope(
        self, scope: ScopeInfo, body: Sequence[ast.stmt], state: State, key: object, returns: bool = False
    ) -> Interpreter:
        self._current = {}
        interp = self.interpreter(scope, state)
        if returns:
            interp.returns = []
            interp.yielded = [] if self.generator(scope.node) else None
        interp.run_body(body)
        self._last_state = interp.state
        self._findings[key] = self._current
        return interp

    def _run_function(self, function: ast.AST, class_info: Optional[ClassInfo]) -> None:
        if self.only is not None and id(function) not in self.only:
            return
        scope = self.function_scope(function, self.module_scope, class_info)
        body = function.body  # type: ignore[attr-defined]
        self.ran.add(id(function))
        # A gated family follows values only where it may report: in a function that calls
        # none of its names, the labels it would add are never read.
        called = self.gated_names_in.get(id(function), ())
        self.refiners = [hook for hook in self.all_refiners if not hook.gated or hook in called]
        # Its return value, if a caller will want it, comes from this run too.
        known = self.summaries.get(id(function))
        returns = (known is None or not known[1]) and self.summarised(function)
        try:
            interp = self._run_scope(scope, body, self.entry_state(function, class_info), id(function), returns)
        finally:
            self.refiners = self.all_refiners
        if returns:
            self.keep_summary(function, interp)

    def interpreter(self, scope: ScopeInfo, state: State) -> Interpreter:
        return Interpreter(self, scope, state)

    def function_scope(
        self, function: ast.AST, parent: Optional[ScopeInfo], class_info: Optional[ClassInfo]
    ) -> ScopeInfo:
        known = self._scope_names.get(id(function))
        if known is None:
            body = function.body if isinstance(function.body, list) else []  # type: ignore[attr-defined]
            names, globals_ = assigned_names(body, self.has_walrus and ":=" in self.source_of(function))
            params = tuple(a.arg for a in all_args(function.args))  # type: ignore[attr-defined]
            known = self._scope_names[id(function)] = (frozenset(names | set(params)), frozenset(globals_), params)
        names, globals_, params = known
        return ScopeInfo(function, parent, "function", set(names), set(globals_), params, class_info=class_info)

    def entry_state(
        self, function: ast.AST, class_info: Optional[ClassInfo], interp: Optional[Interpreter] = None
    ) -> State:
        state: State = {}
        args = function.args  # type: ignore[attr-defined]
        positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
        is_method = class_info is not None and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(function, "decorator_list", [])
        )
        lineage = self.ancestors(class_info.node.name) if class_info is not None and is_method else ()
        authoring = self._uses_authoring_import(function) if args.args or args.kwonlyargs else False
        for index, arg in enumerate(all_args(args)):
            kind = None
            if arg.annotation is not None:
                kind = self.kind_of_annotation(arg.annotation)
            value = Value(
                kind=Kind.UNKNOWN,
                params=frozenset({(id(function), index)}),
                obj=kind,
                from_input=True,
                names=(arg.arg,),
            )
            if kind is None and (index > 0 or not is_method) and (lineage or authoring):
                name = getattr(function, "name", "")
                authored = self.world.authored_parameter(name, lineage, arg.arg, authoring)
                value = authored if authored is not None else value
            if class_info is not None and is_method and kind is None and index > 0 and value.kind is Kind.UNKNOWN:
                answered = self._getter_answer(class_info.node.name, arg.arg, function)
                value = answered if answered is not None else value
            if is_method and index == 0 and positional and arg is positional[0] and class_info is not None:
                decorators = getattr(function, "decorator_list", [])
                classmethod_ = any(isinstance(d, ast.Name) and d.id == "classmethod" for d in decorators)
                name = class_info.node.name
                value = local_class(name) if classmethod_ else instance(name)
            state[arg.arg] = value
        return state

    def _uses_authoring_import(self, function: ast.AST) -> bool:
        """Whether the function reads a name of the module bound to an import that runs
        only from its author's code (``op.get_bind()`` in a migration helper)."""
        if not self.module_ran:
            return False
        if self._authoring_names is None:
            final = self.module_scope.final if self.module_scope is not None else {}
            self._authoring_names = tuple(
                name
                for name, value in final.items()
                if value.obj is not None and self.world.authoring_object(value.obj)
            )
        if not self._authoring_names:
            return False
        known = self._authoring_functions.get(id(function))
        if known is None:
            source = self.source_of(function)
            known = any(name + "." in source for name in self._authoring_names)
            self._authoring_functions[id(function)] = known
        return known

    def _getter_answer(self, class_name: str, param: str, function: ast.AST) -> Optional[Value]:
        """``cancel_query(cls, cursor, cancel_query_id)`` beside ``get_cancel_query_id()``:
        a parameter named for a getter of the class holds what that getter returns,
        when it returns safe text whatever it is given (the server's own answer)."""
        key = (class_name, param)
        if key in self._getter_answers:
            return self._getter_answers[key]
        getter = self.method_of(class_name, "get_" + param)
        if getter is None:
            self._getter_answers[key] = None  # the class has no such getter
            return None
        if getter is function or id(getter) in self.running_for_return:
            return None
        shallow = not self.running_for_return
        returned = self.run_for_return(getter, None)
        answer = None
        if returned is not None and returned.kind is Kind.SAFE and returned.obj is None and not returned.from_input:
            if not returned.params and not returned.labels:
                answer = Value(kind=Kind.SAFE, text=HOLE, names=(param,))
        if shallow:
            self._getter_answers[key] = answer
        return answer

    def run_nested(self, interp: Interpreter, node: ast.AST) -> None:
        """A function or lambda defined inside a function: run with the values in scope."""
        closure = ScopeInfo(interp.scope.node, interp.scope.parent, "function", set(), set(), final=dict(interp.state))
        scope = self.function_scope(node, closure, None)
        state = self.entry_state(node, None, interp)
        child = self.interpreter(scope, state)
        child.loop_depth = interp.loop_depth
        saved_display = self.display_depth
        self.display_depth = 0
        try:
            if isinstance(node, ast.Lambda):
                value = child.eval(node.body)
                self.on_escape(child, value, node.body, "returned")
            else:
                child.run_body(node.body)  # type: ignore[attr-defined]
        finally:
            self.display_depth = saved_display

    # ------------------------------------------------------------------ index
    def _wanted_only(self, names: Dict[int, frozenset], form: Callable[[Hook], frozenset]) -> frozenset:
        """The names that every family wanting them wants only in the ``form`` it gives
        (with a positional argument, as a method)."""
        only: Set[str] = set()
        for hook in self.hooks:
            if not hook.gated:
                only |= form(hook)
        for hook in self.hooks:
            only -= names[id(hook)] - form(hook)
        return frozenset(only)

    def _index(self) -> None:
        """Find functions, methods and classes, and mark the functions worth interpreting.

        Only statements are walked here; whether a function calls something of interest is
        decided with one regular expression over its source lines, which costs far less than
        walking every expression node of every function in the file."""
        always: Set[str] = set()
        names = {id(hook): hook.names(self.config) for hook in self.hooks}
        finders = [hook.text_positions for hook in self.hooks if hook.text_positions is not None]
        wants_text = bool(finders)
        for hook in self.hooks:
            if not hook.gated:
                always |= names[id(hook)]
        gated_hooks = [hook for hook in self.hooks if hook.gated]
        groups = [frozenset(always)] + [names[id(hook)] - always for hook in gated_hooks]
        # Names that every family wanting them wants only with a positional argument, and
        # those it wants only as a method.
        positional = self._wanted_only(names, lambda hook: hook.positional_names)
        methods = self._wanted_only(names, lambda hook: hook.method_names)
        # Lines that call something of interest or hold text worth following: one scan of the file.
        marked_groups = (
            interesting_lines(self.source, self.lines, groups, finders, positional, methods) if self.lines else None
        )
        if marked_groups is not None and not any(marked_groups) and not self.summarising:
            self.module_marked = False
            # nothing in the file calls a name of interest or holds SQL-looking text (a
            # module summarised for its callers is indexed still: its functions' returns)
            return
        text_lines = marked_groups.pop() if marked_groups is not None and wants_text else []
        if marked_groups is not None:
            self._gated_lines = {id(hook): lines for hook, lines in zip(gated_hooks, marked_groups[1:])}
        stack: List[Tuple[ast.AST, Optional[ClassInfo]]] = [
            (statement, None) for statement in reversed(getattr(self.tree, "body", []))
        ]
        while stack:
            node, class_info = stack.pop()
            cls = type(node)
            if cls is ast.FunctionDef or cls is ast.AsyncFunctionDef:
                self.function_scopes.append((node, class_info))
                if class_info is not None:
                    class_info.methods.setdefault(node.name, node)  # type: ignore[attr-defined]
                    self.method_class[id(node)] = class_info
                else:
                    self.functions.setdefault(node.name, node)  # type: ignore[attr-defined]
            elif cls is ast.ClassDef:
                info = ClassInfo(node, base_names(node))  # type: ignore[arg-type]
                self.classes.setdefault(node.name, info)  # type: ignore[attr-defined]
                stack.extend((child, info) for child in reversed(node.body))  # type: ignore[attr-defined]
            else:
                for field in BLOCK_FIELDS.get(cls, ()):
                    stack.extend((child, class_info) for child in reversed(getattr(node, field)))
        functions = [node for node, _ in self.function_scopes]
        if marked_groups is None:
            hit_sets = []
            for index, group in enumerate(groups):
                pattern = candidate_pattern(group)
                hit_sets.append(
                    {
                        id(node)
                        for node in functions
                        if pattern.search(self.source_of(node))
                        or (index == 0 and any(finder(self.source_of(node)) for finder in finders))
                    }
                )
        else:
            function_spans = spans(functions)
            if text_lines:
                # Text worth following in a docstring is prose about it, never a value.
                marked_groups[0] = sorted(
                    set(marked_groups[0]).union(outside_docstrings(function_spans, functions, self.tree, text_lines))
                )
            hit_sets = []
            self.module_marked = False
            for marked in marked_groups:
                hits, outside = functions_holding(function_spans, marked)
                hit_sets.append(hits)
                self.module_marked = self.module_marked or outside
        for node in functions:
            hooks = [
                hook
                for hook, hits in zip(gated_hooks, hit_sets[1:])
                if id(node) in hits or (node.decorator_list and hook.considers(node))  # type: ignore[attr-defined]
            ]
            if hooks:
                self.gated_names_in[id(node)] = hooks
            if id(node) in hit_sets[0]:
                self.candidates.add(id(node))
            elif hooks:
                # the text alone rules out most (and then the module body need not run)
                hooks = [hook for hook in hooks if hook.may_run(self, node)]
                if hooks:
                    self.gated[id(node)] = hooks

    def calls_in(self, hook: Hook, function: ast.AST) -> Optional[List[str]]:
        """The lines of a function where it calls one of a gated hook's names (None when
        the file's lines are not known)."""
        lines = self._gated_lines.get(id(hook))
        if lines is None:
            return None
        start, end = function.lineno, function.end_lineno or function.lineno  # type: ignore[attr-defined]
        first, last = bisect.bisect_left(lines, start), bisect.bisect_right(lines, end)
        return [self.lines[number - 1] for number in lines[first:last]]

    @functools.cached_property
    def source(self) -> str:
        """The file's text ('' when only a tree was given)."""
        return "".join(self.lines)

    def source_of(self, node: ast.AST) -> str:
        start, end = getattr(node, "lineno", 1), getattr(node, "end_lineno", None)
        if self.lines and end is not None:
            return "".join(self.lines[start - 1 : end])
        try:
            return ast.unparse(node)  # no source lines were given (a tree built in memory)
        except Exception:  # noqa: B902
            return ""

    def _callers_of(self, names: Set[str]) -> Tuple[Set[int], bool]:
        """The ids of the functions whose text calls one of ``names``, and whether a line
        outside every function does (for the wrapper rounds)."""
        functions = [node for node, _ in self.function_scopes]
        if not self.lines:
            pattern = candidate_pattern(frozenset(names))
            return {id(node) for node in functions if pattern.search(self.source_of(node))}, True
        return callers_of(names, functions, self.source, self.lines)

    _last_state: Optional[State] = None

    # ------------------------------------------------------------------ events
    def refine_read(self, interp: Interpreter, value: Value, node: ast.AST, identifier: Optional[str] = None) -> Value:
        for hook in self.refiners:
            value = hook.refine_read(self, interp, value, node, identifier)
        return value

    def refine_call(self, interp: Interpreter, site: CallSite, value: Value) -> Value:
        for hook in self.refiners:
            value = hook.refine_call(self, interp, site, value)
        return value

    def on_call(self, interp: Interpreter, site: CallSite) -> None:
        if self.silent:
            return
        for hook in self.hooks:
            hook.on_call(self, interp, site)

    def on_escape(self, interp: Interpreter, value: Value, node: ast.AST, how: str) -> None:
        if self.silent or self.display_depth:
            return
        for hook in self.hooks:
            hook.on_escape(self, interp, value, node, how)
