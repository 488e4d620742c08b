"""One shared analysis per file, read by every checker family.

``analysis_for(tree, ...)`` builds it once per tree (flake8 hands every plugin the same
tree object) and the families' entry points read their findings from it. The pass:

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
import gc
import itertools
import re
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from ..config import Config
from ..knowledge import sql_apis
from ..knowledge.loggers import DISPLAY_FUNCTIONS, LOG_METHODS
from ..knowledge.statements import looks_like_sql
from .interpreter import (
    BLOCK_FIELDS,
    BUILTIN_CALLABLES,
    CallSite,
    Callee,
    ClassInfo,
    Interpreter,
    ScopeInfo,
    State,
    assigned_names,
)
from .loggers import is_logger_receiver, named_like_logger
from .project import ProjectModules
from .values import UNKNOWN, Kind, Value, const, forget_file_values, obj

# Source text that may hold SQL worth following (for SQL102): statement keywords in upper
# case, or lower-case statement openings.
_SQL_TEXT_HINT = re.compile(
    r"\b(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|MERGE|PRAGMA|EXPLAIN|GRANT|REVOKE|"
    r"SAVEPOINT|VACUUM|UPSERT|REPLACE INTO)\b|\bselect\b[^\n]*\bfrom\b|\binsert\s+into\b|"
    r"\bupdate\s+[\w{%$\"`]+\s+set\b|\bdelete\s+from\b|\b(?:create|drop|alter|truncate)\s+table\b"
)


# Where to try the expression above. Upper-case statement words are found with one
# alternation of literals (the engine skips ahead on their first letters, faster than a
# str.find() pass per word); lower-case ones with str.find(), which skips ahead at C speed
# where an expression opening with ``\b`` tries every character. "create", "drop", "alter"
# and "truncate" count only before "table": that rarer word is found, then looked back from.
_SQL_UPPER_WORDS = re.compile(
    "SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|MERGE|PRAGMA|EXPLAIN|GRANT|REVOKE|"
    "SAVEPOINT|VACUUM|UPSERT|REPLACE INTO"
)
_SQL_LOWER_WORDS = ("select", "insert", "update", "delete")
_TABLE_VERB = re.compile(r"\b(?:create|drop|alter|truncate)\s+$")
# An identifier followed by "(", read backwards: on the reversed text the expression starts
# with a literal "(", which the regex engine finds at C speed, so one pass over a file lists
# every called name without trying an expression at each character.
_REVERSED_CALL = re.compile(r"\(\s*(\w+)")
# A ``template=`` keyword argument (not ``template = ...`` statements, not ``=None``).
_TEMPLATE_KEYWORD = re.compile(r"template\s*=(?!=)(?!\s*None\b)")
_ARGUMENT_START = re.compile(r"[(,]\s*$")
# What follows the "(" of a call without arguments: an SQL, clause or engine call with
# none (``connection.cursor()``, ``order_by()``) has nothing a finding could be about.
_NO_ARGUMENTS = re.compile(r"\s*\)")
# What follows the "(" of a call without a positional argument: ")", "**", or "name=".
_NO_POSITIONAL = re.compile(r"\s*(?:\)|\*\*|[A-Za-z_]\w*\s*=(?!=))")
_DICT_UNPACK = re.compile(r"\*\*\s*\{")


def _spans(functions: Sequence[ast.AST]) -> List[Tuple[int, int, int]]:
    """(first line, last line, id) of each function, sorted, for ``_functions_holding``."""
    return sorted(
        (node.lineno, node.end_lineno or node.lineno, id(node)) for node in functions  # type: ignore[attr-defined]
    )


def _functions_holding(spans: Sequence[Tuple[int, int, int]], lines: Sequence[int]) -> Tuple[Set[int], bool]:
    """The ids of the functions whose lines hold one of ``lines``, and whether one of
    ``lines`` is outside every function. ``spans`` are the functions' (first line, last
    line, id), sorted. The functions do not nest (the index does not enter function
    bodies), so each line falls in at most one: found by bisection, per marked line rather
    than per function, as most functions hold none."""
    starts = [start for start, _, _ in spans]
    found: Set[int] = set()
    outside = False
    for line in lines:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and line <= spans[index][1]:
            found.add(spans[index][2])
        else:
            outside = True
    return found, outside


def _outside_docstrings(
    spans: Sequence[Tuple[int, int, int]], functions: Sequence[ast.AST], module: ast.AST, lines: Sequence[int]
) -> List[int]:
    """``lines`` without those inside the docstring of the module or of the function
    holding them (``spans`` as for ``_functions_holding``)."""
    by_id = {id(node): node for node in functions}
    starts = [start for start, _, _ in spans]
    module_doc = _docstring_lines(module)
    kept = []
    for line in lines:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and line <= spans[index][1]:
            first, last = _docstring_lines(by_id[spans[index][2]])
        else:
            first, last = module_doc
        if not first <= line <= last:
            kept.append(line)
    return kept


@functools.lru_cache(maxsize=8)
def _reversed_names(names: frozenset) -> frozenset:
    return frozenset(name[::-1] for name in names if name.isidentifier())


@functools.lru_cache(maxsize=256)
def _reversed_calls_of(reversed_names: frozenset) -> "re.Pattern[str]":
    alternatives = "|".join(map(re.escape, sorted(reversed_names, key=len, reverse=True)))
    return re.compile(r"\(\s*(" + alternatives + r")(?!\w)")


def _sql_text_positions(source: str) -> List[int]:
    """Where SQL-looking text (``_SQL_TEXT_HINT``) starts in the source, comments left out."""
    hint = _SQL_TEXT_HINT.match
    found = [m.start() for m in _SQL_UPPER_WORDS.finditer(source) if hint(source, m.start())]
    found.extend(_positions(source, _SQL_LOWER_WORDS, _SQL_TEXT_HINT))
    index = source.find("table")
    while index >= 0:
        verb = _TABLE_VERB.search(source, max(0, index - 40), index)
        if verb is not None and hint(source, verb.start()):
            found.append(verb.start())
        index = source.find("table", index + 5)
    return [position for position in found if not _in_comment(source, position)]


def _in_comment(source: str, position: int) -> bool:
    """Whether a "#" before ``position`` on its line starts a comment (no quote before it
    on the line: a "#" inside a string literal is not taken for one)."""
    line_start = source.rfind("\n", 0, position) + 1
    hash_at = source.find("#", line_start, position)
    if hash_at < 0:
        return False
    before = source[line_start:hash_at]
    return "'" not in before and '"' not in before


def _docstring_lines(node: ast.AST) -> Tuple[int, int]:
    """The lines of a function's or module's docstring ((0, -1) if it has none)."""
    body = getattr(node, "body", None)
    if body and isinstance(body[0], ast.Expr):
        value = body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return body[0].lineno, body[0].end_lineno or body[0].lineno
    return 0, -1


def _keyword_positions(source: str) -> List[int]:
    """Where a ``template=`` keyword argument is passed."""
    return [
        index
        for index in _positions(source, ("template",), _TEMPLATE_KEYWORD)
        if _ARGUMENT_START.search(source, max(0, index - 80), index)
    ]


def _positions(source: str, words: Iterable[str], pattern: "re.Pattern[str]") -> List[int]:
    """Where ``pattern`` matches in ``source``, tried only where one of ``words`` starts:
    str.find() skips ahead at C speed, which an expression opening with ``\\b`` cannot."""
    found = []
    match = pattern.match
    for word in words:
        index = source.find(word)
        while index >= 0:
            if match(source, index):
                found.append(index)
            index = source.find(word, index + 1)
    return found


@functools.lru_cache(maxsize=64)
def _candidate_pattern(names: frozenset) -> "re.Pattern[str]":
    words = sorted(name for name in names if name.isidentifier())
    parts = []
    if words:
        parts.append(r"\b(?:" + "|".join(map(re.escape, words)) + r")\s*\(")
    if "template=" in names:
        parts.append(r"[(,]\s*template\s*=(?!=)(?!\s*None\b)")
    if "**{" in names:
        parts.append(r"\*\*\s*\{")
    return re.compile("|".join(parts) or r"(?!x)x")


@dataclass(frozen=True)
class Finding:
    line: int
    col: int  # byte offset in the line, as ast gives it
    code: str
    detail: str
    hint: str = ""  # the fix in the API's own terms; the rule's general hint when empty


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


class Hook:
    """What a checker family contributes to the shared pass. Subclasses override."""

    family = ""
    codes: Tuple[str, ...] = ()
    # Codes of other families whose findings this one can take over at the same place
    # (SQL201 at a text() that SQL101 would report): the hook runs while any of them is
    # selected, so that deselecting its own codes hides findings and never relabels them.
    supersedes: Tuple[str, ...] = ()
    # Call names (method or function) that make a scope worth interpreting.
    candidate_names: frozenset = frozenset()
    # Those of the names whose calls matter only with a positional argument: a call that
    # passes keywords alone (Django's ``filter(field=value)``) does not mark the scope.
    positional_names: frozenset = frozenset()
    # Whether SQL-looking string constants make a scope worth interpreting.
    wants_sql_text = False
    # A gated family's names are common (every log call has one): a function marked by
    # them alone runs only if ``worth_running`` says so, after the module body has run.
    gated = False

    def on_call(self, analysis: "FileAnalysis", interp: Interpreter, site: CallSite) -> None:
        return None

    def on_escape(self, analysis: "FileAnalysis", interp: Interpreter, value: Value, node: ast.AST, how: str) -> None:
        return None

    def finish(self, analysis: "FileAnalysis") -> None:
        return None

    def worth_running(self, analysis: "FileAnalysis", function: ast.AST) -> bool:
        """For a gated family: could running this function give one of its findings?"""
        return True

    # Families that follow what values hold through the pass (the logging checks) say so
    # here; the interpreter then hands them every name, attribute and item read and every
    # call result, and they may return the value with labels added.
    def refines_values(self, config: Config) -> bool:
        return False

    def refine_read(
        self, analysis: "FileAnalysis", interp: Interpreter, value: Value, node: ast.AST, identifier: Optional[str]
    ) -> Value:
        return value

    def refine_call(self, analysis: "FileAnalysis", interp: Interpreter, site: CallSite, value: Value) -> Value:
        return value


HOOKS: List[Callable[[], Hook]] = []


def register_hook(factory: Callable[[], Hook]) -> Callable[[], Hook]:
    HOOKS.append(factory)
    return factory


class FileAnalysis:
    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str], config: Config) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines
        self.config = config
        self.hooks: List[Hook] = [
            hook for hook in (factory() for factory in HOOKS) if config.wants(*hook.codes, *hook.supersedes)
        ]
        self.refiners: List[Hook] = [hook for hook in self.hooks if hook.refines_values(config)]
        self._all_refiners = self.refiners
        self.display_depth = 0
        self.silent = 0
        self.project = ProjectModules(filename, config.infer)
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
        # id(function) -> {parameter index: sink label}; filled as sinks see parameters
        self.wrappers: Dict[int, Dict[int, Tuple[str, Any]]] = {}  # (label, (kind, qualname) of the inner API)
        self.data: Dict[str, Any] = {}  # per-family scratch space
        self._class_attr_busy: Set[Tuple[str, str]] = set()
        self._assignments: Dict[int, List[ast.AST]] = {}
        self._safe_functions = config.safe_functions
        self.seconds = 0.0  # time the pass took (for FLAKE8_SQLSEC_STATS)
        self.budget = Budget(time.perf_counter() + TIME_BUDGET)
        # Without ":=" in the source, binding sites are all statements: cheaper to find.
        self._has_walrus = not lines or ":=" in self.source
        self.exhausted = False
        # Whether a line outside every function is marked (set by the index; without
        # source lines nothing is known, so the module body always runs).
        self.module_marked = True
        self._scope_names: Dict[int, Tuple[frozenset, frozenset, Tuple[str, ...]]] = {}

    # ------------------------------------------------------------------ driving
    def run(self) -> None:
        if not self.hooks:
            return
        try:
            self._run()
        except BudgetExceeded:
            # A file too costly to finish: keep what was found, claim nothing about the rest.
            self.exhausted = True
        for hook in self.hooks:
            hook.finish(self)

    def _run(self) -> None:
        self._index()
        module = self.tree
        body = getattr(module, "body", [])
        if not (self.module_marked or self.candidates or self.gated):
            # Nothing at module level calls a name of interest or holds SQL-looking text,
            # and no function will run: the module's own statements cannot give a finding.
            self.module_scope = ScopeInfo(module, None, "module", set(), set())
            return
        names, globals_ = assigned_names(body, self._has_walrus)
        self.module_scope = ScopeInfo(module, None, "module", names, globals_)
        self._run_scope(self.module_scope, body, {}, key=id(module))
        self.module_scope.final = self._last_state
        for function, class_info in self.function_scopes:
            hooks = self.gated.get(id(function))
            if id(function) in self.candidates or (
                hooks is not None and any(hook.worth_running(self, function) for hook in hooks)
            ):
                self._run_function(function, class_info)
        # Wrapper rounds: callers of functions that pass a parameter to a sink run again.
        for _ in range(3):
            known = {fid: dict(params) for fid, params in self.wrappers.items()}
            if not known:
                break
            wrapper_names = {getattr(f, "name", "") for f, _ in self.function_scopes if id(f) in known}
            callers, module_calls = self._callers_of(wrapper_names)
            again = [(f, c) for f, c in self.function_scopes if id(f) in callers]
            if module_calls:
                self._run_scope(self.module_scope, body, {}, key=id(module))
            for function, class_info in again:
                self._run_function(function, class_info)
            if {fid: dict(params) for fid, params in self.wrappers.items()} == known:
                break

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
            for node in ast.walk(self.tree):
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

    def report_final(self, code: str, pos: Tuple[int, int], detail: str, key: Any) -> None:
        """Findings made after the pass (by ``finish``) live in their own bucket."""
        if code not in self.config.selected:
            return
        bucket = self._findings.setdefault("final", {})
        bucket.setdefault(key, (0, Finding(pos[0], pos[1], code, detail)))

    def _run_scope(self, scope: ScopeInfo, body: Sequence[ast.stmt], state: State, key: object) -> None:
        self._current = {}
        interp = Interpreter(self, scope, state)
        interp.run_body(body)
        self._last_state = interp.state
        self._findings[key] = self._current

    def _run_function(self, function: ast.AST, class_info: Optional[ClassInfo]) -> None:
        scope = self._function_scope(function, self.module_scope, class_info)
        body = function.body  # type: ignore[attr-defined]
        # A gated family follows values only where it may report: in a function that calls
        # none of its names, the labels it would add are never read.
        called = self.gated_names_in.get(id(function), ())
        self.refiners = [hook for hook in self._all_refiners if not hook.gated or hook in called]
        try:
            self._run_scope(scope, body, self._entry_state(function, class_info), key=id(function))
        finally:
            self.refiners = self._all_refiners

    def _function_scope(
        self, function: ast.AST, parent: Optional[ScopeInfo], class_info: Optional[ClassInfo]
    ) -> ScopeInfo:
        known = self._scope_names.get(id(function))
        if known is None:
            body = function.body if isinstance(function.body, list) else []  # type: ignore[attr-defined]
            names, globals_ = assigned_names(body, self._has_walrus and ":=" in self.source_of(function))
            params = tuple(a.arg for a in _all_args(function.args))  # type: ignore[attr-defined]
            known = self._scope_names[id(function)] = (frozenset(names | set(params)), frozenset(globals_), params)
        names, globals_, params = known
        return ScopeInfo(function, parent, "function", set(names), set(globals_), params, class_info=class_info)

    def _entry_state(
        self, function: ast.AST, class_info: Optional[ClassInfo], interp: Optional[Interpreter] = None
    ) -> State:
        state: State = {}
        args = function.args  # type: ignore[attr-defined]
        positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
        is_method = class_info is not None and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(function, "decorator_list", [])
        )
        for index, arg in enumerate(_all_args(args)):
            kind = None
            if arg.annotation is not None:
                kind = self.kind_of_annotation(interp, arg.annotation)
            value = Value(
                kind=Kind.UNKNOWN,
                params=frozenset({(id(function), index)}),
                obj=kind,
                from_input=True,
                names=(arg.arg,),
            )
            if is_method and index == 0 and positional and arg is positional[0] and class_info is not None:
                decorators = getattr(function, "decorator_list", [])
                classmethod_ = any(isinstance(d, ast.Name) and d.id == "classmethod" for d in decorators)
                value = obj(("class:" if classmethod_ else "instance:") + class_info.node.name)
            state[arg.arg] = value
        return state

    def run_nested(self, interp: Interpreter, node: ast.AST) -> None:
        """A function or lambda defined inside a function: run with the values in scope."""
        closure = ScopeInfo(interp.scope.node, interp.scope.parent, "function", set(), set(), final=dict(interp.state))
        scope = self._function_scope(node, closure, None)
        state = self._entry_state(node, None, interp)
        child = Interpreter(self, scope, state)
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
    def _index(self) -> None:
        """Find functions, methods and classes, and mark the functions worth interpreting.

        Only statements are walked here; whether a function calls something of interest is
        decided with one regular expression over its source lines, which costs far less than
        walking every expression node of every function in the file."""
        always: Set[str] = set()
        wants_text = False
        for hook in self.hooks:
            if not hook.gated:
                always |= hook.candidate_names
            wants_text = wants_text or hook.wants_sql_text
        always |= {s.name for s in self.config.extra_sinks}
        always |= {n.rsplit(".", 1)[-1] for n in self.config.safe_functions}
        gated_hooks = [hook for hook in self.hooks if hook.gated]
        groups = [frozenset(always)] + [hook.candidate_names - always for hook in gated_hooks]
        # Names that every family wanting them wants only with a positional argument.
        positional: Set[str] = set()
        for hook in self.hooks:
            if not hook.gated:
                positional |= hook.positional_names
        for hook in self.hooks:
            if not hook.gated:
                positional -= hook.candidate_names - hook.positional_names
        positional -= {s.name for s in self.config.extra_sinks}
        positional -= {n.rsplit(".", 1)[-1] for n in self.config.safe_functions}
        # Lines that call something of interest or hold SQL-looking text: one scan of the file.
        marked_groups = self._interesting_lines(groups, wants_text, frozenset(positional))
        if marked_groups is not None and not any(marked_groups):
            self.module_marked = False
            return  # nothing in the file calls a name of interest or holds SQL-looking text
        text_lines = marked_groups.pop() if marked_groups is not None and wants_text else []
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
                info = ClassInfo(node, tuple(_base_names(node)))  # type: ignore[arg-type]
                self.classes.setdefault(node.name, info)  # type: ignore[attr-defined]
                stack.extend((child, info) for child in reversed(node.body))  # type: ignore[attr-defined]
            else:
                for field in BLOCK_FIELDS.get(cls, ()):
                    stack.extend((child, class_info) for child in reversed(getattr(node, field)))
        functions = [node for node, _ in self.function_scopes]
        if marked_groups is None:
            hit_sets = []
            for index, group in enumerate(groups):
                pattern = _candidate_pattern(group)
                hit_sets.append(
                    {
                        id(node)
                        for node in functions
                        if pattern.search(self.source_of(node))
                        or (index == 0 and wants_text and _SQL_TEXT_HINT.search(self.source_of(node)))
                    }
                )
        else:
            spans = _spans(functions)
            if text_lines:
                # SQL-looking text in a docstring is prose about SQL, never a value.
                marked_groups[0] = sorted(
                    set(marked_groups[0]).union(_outside_docstrings(spans, functions, self.tree, text_lines))
                )
            hit_sets = []
            self.module_marked = False
            for marked in marked_groups:
                hits, outside = _functions_holding(spans, marked)
                hit_sets.append(hits)
                self.module_marked = self.module_marked or outside
        for node in functions:
            hooks = [hook for hook, hits in zip(gated_hooks, hit_sets[1:]) if id(node) in hits]
            if hooks:
                self.gated_names_in[id(node)] = hooks
            if id(node) in hit_sets[0]:
                self.candidates.add(id(node))
            elif hooks:
                self.gated[id(node)] = hooks

    @functools.cached_property
    def source(self) -> str:
        """The file's text ('' when only a tree was given)."""
        return "".join(self.lines)

    def _interesting_lines(
        self, groups: Sequence[frozenset], wants_text: bool, positional: frozenset = frozenset()
    ) -> Optional[List[List[int]]]:
        """For each group of call names, the sorted numbers of the lines that call one of
        them (for the first group, with an argument; a name of ``positional`` with a
        positional one), and last, when
        ``wants_text``, those holding SQL-looking text outside comments. None when no
        source lines were given."""
        if not self.lines:
            return None
        source = self.source
        positions: List[List[int]] = [[] for _ in groups]
        wanted: Dict[str, int] = {}
        for index in reversed(range(len(groups))):
            wanted.update(dict.fromkeys(_reversed_names(groups[index]), index))
        if wanted:
            backwards = source[::-1]
            # Which names are called at all (one C-level pass), then where (a second pass
            # that stops only at those names; most files call a few of them).
            called = wanted.keys() & set(_REVERSED_CALL.findall(backwards))
            if called:
                end = len(source)
                keyword_only = _reversed_names(positional) if positional else frozenset()
                no_positional, no_arguments = _NO_POSITIONAL.match, _NO_ARGUMENTS.match
                for match in _reversed_calls_of(frozenset(called)).finditer(backwards):
                    name = match.group(1)
                    group = wanted[name]
                    # end - match.start() is where the call's arguments start in the source
                    arguments = end - match.start()
                    if group == 0 and (
                        no_arguments(source, arguments) or (name in keyword_only and no_positional(source, arguments))
                    ):
                        continue
                    positions[group].append(end - match.end(1))
        for index, names in enumerate(groups):
            if "template=" in names:
                positions[index].extend(_keyword_positions(source))
            if "**{" in names and "**" in source:
                positions[index].extend(match.start() for match in _DICT_UNPACK.finditer(source))
        if wants_text:
            positions.append(_sql_text_positions(source))
        starts: List[int] = []
        result = []
        for found in positions:
            if found and not starts:
                starts = [0, *itertools.accumulate(map(len, self.lines))]
            result.append(sorted({bisect.bisect_right(starts, position) for position in found}))
        return result

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
        outside every function does (for the wrapper rounds): one search of the file."""
        pattern = _candidate_pattern(frozenset(names))
        functions = [node for node, _ in self.function_scopes]
        if not self.lines:
            callers = {id(node) for node in functions if pattern.search(self.source_of(node))}
            return callers, True
        starts = [0, *itertools.accumulate(map(len, self.lines))]
        lines = sorted({bisect.bisect_right(starts, match.start()) for match in pattern.finditer(self.source)})
        spans = _spans(functions)
        return _functions_holding(spans, lines)

    # ------------------------------------------------------------------ services for the interpreter
    def builtin_value(self, name: str) -> Value:
        return obj("qual:" + name) if name in BUILTIN_CALLABLES else UNKNOWN

    def imported_value(self, qualname: str) -> Value:
        if qualname in sql_apis.MODULE_OBJECTS:
            return obj(sql_apis.MODULE_OBJECTS[qualname])  # from django.db import connection
        return obj("qual:" + qualname)

    def imported_constant(self, qualname: str) -> Optional[Value]:
        if (
            qualname in sql_apis.FACTORIES
            or qualname in sql_apis.FUNCTION_SINKS
            or qualname in sql_apis.MODULE_OBJECTS
        ):
            return None
        text = self.project.constant(qualname)
        return const(text) if text is not None else None

    def is_safe_function(self, name: str) -> bool:
        if not self._safe_functions:
            return False
        return name in self._safe_functions or name.rsplit(".", 1)[-1] in self._safe_functions

    def is_display_call(self, callee: Callee) -> bool:
        if callee.qualname in DISPLAY_FUNCTIONS:
            return True
        if callee.method:
            if callee.name in LOG_METHODS:
                return is_logger_receiver(self, callee) or named_like_logger(callee.receiver_text)
            if callee.name in ("write", "writelines") and callee.receiver_text.endswith(("stdout", "stderr")):
                return True
            if callee.name in ("echo", "fail", "skipTest", "warn", "add_message", "message_user") or (
                callee.receiver_text.endswith("messages")
                and callee.name in ("error", "info", "warning", "success", "debug")
            ):
                return True
        return False

    def local_function(self, scope: ScopeInfo, name: str) -> Optional[ast.AST]:
        return self.functions.get(name)

    def method_of(self, kind: str, name: str) -> Optional[ast.AST]:
        info = self.classes.get(kind.split(":", 1)[1])
        seen = 0
        while info is not None and seen < 10:
            if name in info.methods:
                return info.methods[name]
            info = next(
                (self.classes[b[6:]] for b in info.bases if b.startswith("class:") and b[6:] in self.classes), None
            )
            seen += 1
        return None

    def class_bases(self, kind: str) -> Tuple[str, ...]:
        """All base qualified names of a class of this file, through in-file bases."""
        info = self.classes.get(kind.split(":", 1)[1])
        result: List[str] = []
        seen = 0
        while info is not None and seen < 10:
            result.extend(info.bases)
            info = next(
                (self.classes[b[6:]] for b in info.bases if b.startswith("class:") and b[6:] in self.classes), None
            )
            seen += 1
        return tuple(result)

    def class_attribute(self, kind: str, attr: str) -> Optional[Value]:
        name = kind.split(":", 1)[1]
        info = self.classes.get(name)
        if info is None or (name, attr) in self._class_attr_busy:
            return None
        self._class_attr_busy.add((name, attr))
        try:
            value = self._class_level_value(info, attr)
            if kind.startswith("instance:"):
                value = _join_optional(value, self._self_attribute(info, attr))
            if value is None:
                for base in info.bases:
                    if base.startswith("class:"):
                        value = self.class_attribute(kind.split(":", 1)[0] + ":" + base[6:], attr)
                        if value is not None:
                            break
            return value
        finally:
            self._class_attr_busy.discard((name, attr))

    def _class_level_value(self, info: ClassInfo, attr: str) -> Optional[Value]:
        if not info.attrs and not getattr(info, "_ran", False):
            info._ran = True  # type: ignore[attr-defined]
            names, globals_ = assigned_names(info.node.body, self._has_walrus)
            scope = ScopeInfo(info.node, self.module_scope, "class", names, globals_)
            interp = Interpreter(self, scope, {})
            self.silent += 1
            saved, self.refiners = self.refiners, self._all_refiners  # cached: for every reader
            try:
                interp.run_body(
                    [s for s in info.node.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
                )
            finally:
                self.silent -= 1
                self.refiners = saved
            info.attrs = interp.state
        value = info.attrs.get(attr)
        if value is not None and value.obj == "function":
            return None
        return value

    def _self_attribute(self, info: ClassInfo, attr: str) -> Optional[Value]:
        """The join of every ``self.<attr> = ...`` in the class's methods (computed once)."""
        if info._self_attrs is None:
            info._self_attrs = {}
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
            info._self_assignments = assignments  # type: ignore[attr-defined]
        if attr in info._self_attrs:
            return info._self_attrs[attr]
        result: Optional[Value] = None
        for method, node in info._self_assignments.get(attr, ()):  # type: ignore[attr-defined]
            scope = self._function_scope(method, self.module_scope, info)
            interp = Interpreter(self, scope, self._entry_state(method, info))
            self.silent += 1
            saved, self.refiners = self.refiners, self._all_refiners  # cached: for every reader
            try:
                value = interp.eval(node.value)  # type: ignore[attr-defined]
            finally:
                self.silent -= 1
                self.refiners = saved
            if isinstance(node, ast.AugAssign):
                value = Value(kind=Kind.UNKNOWN) if value.kind is Kind.UNKNOWN else value
            result = _join_optional(result, value)
        info._self_attrs[attr] = result
        return result

    def kind_of_annotation(self, interp: Optional[Interpreter], annotation: ast.AST) -> Optional[str]:
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
        dotted = []
        while isinstance(node, ast.Attribute):
            dotted.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self._module_binding(node.id)
        if base is None or not base.obj or not base.obj.startswith("qual:"):
            return None
        qualname = sql_apis.canonical(".".join([base.obj[5:]] + list(reversed(dotted))))
        return sql_apis.ANNOTATIONS.get(qualname)

    def _module_binding(self, name: str) -> Optional[Value]:
        if self.module_scope is not None and name in self.module_scope.final:
            return self.module_scope.final[name]
        if self.module_scope is not None and self._last_state is not None and name in self._last_state:
            return self._last_state.get(name)
        return None

    _last_state: Optional[State] = None

    def exception_types(self, interp: Interpreter, node: Optional[ast.AST]) -> Tuple[str, ...]:
        if node is None:
            return ("BaseException",)
        nodes = node.elts if isinstance(node, ast.Tuple) else [node]
        result = []
        for item in nodes:
            value = interp.eval(item)
            if value.obj and (value.obj.startswith("qual:") or value.obj.startswith("class:")):
                result.append(value.obj[5:] if value.obj.startswith("qual:") else value.obj)
            else:
                from .interpreter import dotted_text

                result.append(dotted_text(item))
        return tuple(result)

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


def _join_optional(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    if a is None:
        return b
    if b is None:
        return a
    from .values import join

    return join(a, b)


def _all_args(args: ast.arguments) -> List[ast.arg]:
    result = list(getattr(args, "posonlyargs", [])) + list(args.args)
    if args.vararg:
        result.append(args.vararg)
    result.extend(args.kwonlyargs)
    if args.kwarg:
        result.append(args.kwarg)
    return result


def _base_names(node: ast.ClassDef) -> Iterable[str]:
    for base in node.bases:
        parts = []
        current = base
        while isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        if isinstance(current, ast.Name):
            parts.append(current.id)
            yield ".".join(reversed(parts))


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
        for field in BLOCK_FIELDS.get(cls, ()):
            stack.extend(getattr(node, field))


# --- the per-tree cache -------------------------------------------------------------------

_RECURSION_LIMIT = 8000
_CACHE: List[Any] = [None, None]  # [tree, FileAnalysis or exception]


# Entries the unbounded string caches may hold before they are emptied.
_MEMO_LIMIT = 50_000


def release(tree: ast.AST) -> None:
    """Forget the analysis of this tree (every family has read it): the tree and the
    values are freed now rather than kept alive while flake8 runs its token checks, and
    the value caches are emptied (see ``values.forget_file_values``)."""
    if _CACHE[0] is tree:
        _CACHE[0] = _CACHE[1] = None
    forget_file_values()
    for memo in (sql_apis.canonical, looks_like_sql):
        if memo.cache_info().currsize > _MEMO_LIMIT:
            memo.cache_clear()


def analysis_for(tree: ast.AST, filename: str, lines: Sequence[str], config: Config) -> FileAnalysis:
    """The analysis of this tree, built on first use; a failure is cached and re-raised."""
    if _CACHE[0] is tree and _CACHE[1] is not None:
        cached = _CACHE[1]
        if isinstance(cached, BaseException):
            raise cached
        return cached
    _CACHE[0], _CACHE[1] = tree, None
    started = time.perf_counter()
    limit = sys.getrecursionlimit()
    # Nesting the parser accepts (200 levels of brackets) takes a few frames a level here.
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    # The pass makes many short-lived objects and no reference cycles: reference counting
    # frees them. Collections started by those allocations would only walk flake8's own
    # objects and the file's tree again and again (on a 100k-line module each full
    # collection takes a good part of a second), so the collector pauses meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        analysis = FileAnalysis(tree, filename, lines, config)
        analysis.run()
        analysis.seconds = time.perf_counter() - started
    except Exception as exc:  # noqa: B902 - reported once as SQL999 by the plugin
        _CACHE[1] = exc
        raise
    finally:
        if collecting:
            gc.enable()
        sys.setrecursionlimit(limit)
    _CACHE[1] = analysis
    return analysis
