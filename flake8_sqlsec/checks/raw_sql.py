"""SQL1: raw SQL text handed to execution APIs (SQL101-SQL105)."""

from __future__ import annotations

import ast
import functools
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from ..config import Config
from ..rules import codes_of
from ..engine.cache import memoized
from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.hooks import Hook, register_hook
from ..engine.interpreter import Interpreter
from ..engine.scopes import all_args
from ..engine.values import Imported, Kind, Origin, Value, resolved
from ..knowledge import api_names, fixes, sql_apis
from ..knowledge.sql_apis import Sink
from ..knowledge.functions import ASSEMBLING_CALLS
from ..engine import prefilter
from ..knowledge.statements import (
    SQL_LOWER_WORDS,
    SQL_TEXT_HINT,
    SQL_UPPER_WORDS,
    TABLE_VERB,
    looks_like_sql,
    stored_template_text,
)
from ..world import FROM_REQUEST
from ..world.sinks import Api, SinkMatch, resolve_sink

memoized(looks_like_sql)

_SEVERITY = {"SQL103": 1, "SQL104": 2, "SQL101": 3, "SQL105": 3}


def _strings_only(value: Value) -> bool:
    """Objects that are not SQL text (clause objects, classes, connections) never flag."""
    held = value.obj
    if held is None:
        return True
    return type(held) is Imported and value.kind is Kind.UNKNOWN


@functools.lru_cache(maxsize=8)
def _names_with(names: frozenset, extra_sinks: Tuple[object, ...], safe_functions: frozenset) -> frozenset:
    """The candidate names with the configured sinks and safe functions (a call of one
    makes its text safe)."""
    return (
        names
        | {sink.name for sink in extra_sinks}  # type: ignore[attr-defined]
        | {name.rsplit(".", 1)[-1] for name in safe_functions}
    )


def sink_api(site: CallSite, match: SinkMatch) -> Tuple[Optional[str], Optional[str]]:
    """(object kind, qualified name) of the API that executes the text: for a wrapper of
    this file, the one it hands the text to."""
    return match.api if match.api is not None else (site.callee.receiver_api, site.callee.qualname)


def fix_text(analysis: FileAnalysis, site: CallSite, match: SinkMatch, value: Value) -> str:
    """The fix in the terms of that API: its placeholders for values, its identifier
    composition (or an allow-list) when only names are put in."""
    kind, qualname = sink_api(site, match)
    return fixes.fix_for(kind, qualname, analysis.imported_modules).pick(value.text)


def how_built(value: Value, reported_line: int) -> str:
    """How the text was built, with the line only when it is not the reported one."""
    origin = value.last_origin
    if origin is None:
        return "by interpolation"
    return f"with {origin.form}" if origin.line == reported_line else f"with {origin.form} at line {origin.line}"


def sql_text_positions(source: str) -> List[int]:
    """Where SQL-looking text (``SQL_TEXT_HINT``) starts in a file's text, comments left
    out: where the prefilter makes a scope worth interpreting for SQL102."""
    hint = SQL_TEXT_HINT.match
    found = [m.start() for m in SQL_UPPER_WORDS.finditer(source) if hint(source, m.start())]
    found.extend(prefilter.positions(source, SQL_LOWER_WORDS, SQL_TEXT_HINT))
    # "create", "drop", "alter" and "truncate" count only before "table": that rarer
    # word is found, then looked back from
    index = source.find("table")
    while index >= 0:
        verb = TABLE_VERB.search(source, max(0, index - 40), index)
        if verb is not None and hint(source, verb.start()):
            found.append(verb.start())
        index = source.find("table", index + 5)
    # a stored template filled in: ``self.insert_statement_format.format(table, ...)``
    index = source.find(".format")
    while index >= 0:
        start = index
        while start > 0 and (source[start - 1].isalnum() or source[start - 1] == "_"):
            start -= 1
        if start < index and stored_template_text(source[start:index]) is not None:
            found.append(start)
        index = source.find(".format", index + 7)
    return [position for position in found if not prefilter.in_comment(source, position)]


def sink_position(node: ast.Call) -> Tuple[int, int]:
    """Report at the method or function name: ``execute`` in ``cur.execute(...)``."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.end_lineno is not None and func.end_col_offset is not None:
        return func.end_lineno, func.end_col_offset - len(func.attr.encode("utf-8"))
    return node.lineno, node.col_offset


def _built_from_own_parameters(value: Value, function: Optional[ast.AST]) -> bool:
    """Text built only from the parameters of a private function (``_get_func(self, name)``
    running ``"SELECT %s()" % name``): no caller outside the module is expected, so the
    module's own calls say whether anything but constants is put in."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    name = function.name
    if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
        return False
    own = id(function)
    return (
        bool(value.params)
        and all(function_id == own for function_id, _ in value.params)
        and bool(value.origins)
        and all(origin.of_params for origin in value.origins)
    )


@register_hook
class RawSQLHook(Hook):
    family = "SQL1"
    codes = codes_of(family)
    candidate_names = frozenset(
        set(api_names.WEAK_METHODS)
        | {
            name
            for methods in sql_apis.METHODS.values()
            for name, entry in methods.items()
            if isinstance(entry, sql_apis.Sink)
        }
        | {q.rsplit(".", 1)[-1] for q in sql_apis.FUNCTION_SINKS}
    )
    text_positions = staticmethod(sql_text_positions)

    def __init__(self) -> None:
        # build sites (ast node ids) whose text reached an execution or a query fragment
        self.executed: Set[int] = set()
        # SQL-looking built text that left its function another way, and how
        self.escapes: List[Tuple[frozenset, str]] = []
        # functions of the file whose parameter reaches a sink: id(function) -> {index: (label, API)}
        self.wrappers: Dict[int, Dict[int, Tuple[str, Api]]] = {}
        # private helpers that build executed SQL from their parameters only: their
        # SQL101 waits on what the file's calls pass (id(function) -> parameter indices)
        self.awaiting: Dict[int, FrozenSet[int]] = {}
        self.deferred: List[Tuple[int, Tuple[int, int], str, str, object, str]] = []
        # the least safe kind of text the file's calls passed them
        self.passed: Dict[int, Kind] = {}

    def names(self, config: Config) -> frozenset:
        return _names_with(self.candidate_names, config.extra_sinks, config.safe_functions)

    def followed_functions(self) -> Dict[int, Dict[int, Tuple[str, Api]]]:
        return {function: dict(params) for function, params in self.wrappers.items()}

    def awaiting_callers(self) -> Dict[int, FrozenSet[int]]:
        return dict(self.awaiting)

    def on_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        helper = site.callee.local_function
        if helper is not None and id(helper) in self.awaiting:
            self._note_passed(analysis, interp, site, helper)
        match = resolve_sink(analysis, site, self.wrappers)
        if match is None or not match.strong:  # a name like run_query(): its module may tell
            match = self._wrapper_elsewhere(analysis, site) or match
        if match is not None and match.sink.role in ("execute", "text", "composable"):
            value, _node = site.arg(match.sink.position, match.sink.keywords)
            if value is None:
                return
            value = resolved(value)  # a call another module's summary answers
            if match.sink.role == "composable" and value.kind is not Kind.BUILT:
                return  # psycopg's sql.SQL() of a constant: what it composes is checked at execute
            if value.api in sql_apis.COMPOSING_KINDS:
                if value.kind is Kind.BUILT and match.sink.role != "composable":
                    return  # reported where sql.SQL() got the built text
                value = Value(kind=max(value.kind, Kind.SAFE), text=value.text, origins=value.origins)
            if self._sink(analysis, site, value, match, interp.scope.node):
                return
        elif match is not None:
            # Query-construction fragments are SQL2's; what is in them is accounted for there.
            self.executed.update(o.node_id for o in self._arg_origins(site))
            return
        if analysis.display_depth or analysis.world.shows_only(analysis, site.callee):
            return
        if site.callee.name in ASSEMBLING_CALLS or site.callee.qualname in ("textwrap.dedent", "string.Template"):
            return
        how = f"passed to {site.callee.label()}"
        for value in list(site.args) + list(site.keywords.values()):
            self.on_escape(analysis, interp, value, site.node, how)

    def _wrapper_elsewhere(self, analysis: FileAnalysis, site: CallSite) -> Optional[SinkMatch]:
        """A function (or an inherited method) of another module of the project that
        hands a parameter to an execution API (asked only when an argument is SQL-looking
        text: reading the other module is the costly part)."""
        callee = site.callee
        names = (callee.qualname,) if callee.qualname is not None else callee.inherited
        if not names or callee.local_function is not None:
            return None
        # Built text, or constant text when the audit of constant SQL is on.
        kinds = (Kind.BUILT, Kind.CONST, Kind.SAFE) if "SQL103" in analysis.config.selected else (Kind.BUILT,)
        values = list(site.args) + list(site.keywords.values())
        values = [
            (analysis.imported_constant(v.imported) or v) if v.kind is Kind.UNKNOWN and v.imported else v
            for v in values
        ]
        if not any(v.kind in kinds and v.obj is None and looks_like_sql(v.text) for v in values):
            return None
        facts = analysis.facts_elsewhere(names)
        if facts is None:
            return None
        followed: Dict[int, Tuple[str, object]] = facts.followed.get(self.family) or {}  # type: ignore[assignment]
        shift = facts.bound
        wrapped = {index: sink for index, sink in followed.items() if index >= shift}
        if not wrapped:
            return None
        index = min(wrapped)
        inner, api = wrapped[index]
        keyword = facts.params[index] if index < len(facts.params) else ""
        return SinkMatch(Sink(position=index - shift, keywords=(keyword,)), True, f"{callee.label()} → {inner}", api)

    @staticmethod
    def _arg_origins(site: CallSite) -> Set[Origin]:
        origins: Set[Origin] = set()
        for value in list(site.args) + list(site.keywords.values()):
            origins |= value.origins
        return origins

    def _note_passed(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite, helper: ast.AST) -> None:
        """What a call of an awaiting helper passes for the parameters its SQL is built from."""
        state = analysis.arguments(interp, helper, site)
        names = [arg.arg for arg in all_args(helper.args)]  # type: ignore[attr-defined]
        worst = Kind.CONST
        for index in self.awaiting[id(helper)]:
            passed = state.get(names[index]) if state is not None and index < len(names) else None
            if passed is None:
                worst = Kind.BUILT
                break
            passed = resolved(passed)
            worst = max(worst, passed.kind, passed.element.kind if passed.element is not None else Kind.CONST)
        self.passed[id(helper)] = max(self.passed.get(id(helper), Kind.CONST), worst)

    def _sink(
        self, analysis: FileAnalysis, site: CallSite, value: Value, match: SinkMatch, function: Optional[ast.AST] = None
    ) -> bool:
        """Judge the SQL argument of a sink. False when a weak sink turned out not to be one."""
        strong, label = match.strong, match.label
        if value.kind is Kind.UNKNOWN and value.imported is not None:
            value = analysis.imported_constant(value.imported) or value  # ``queries.BY_ID``
        if not _strings_only(value):
            return strong  # a clause object or number: no SQL text here
        position = sink_position(site.node)
        key = ("sink", id(site.node))
        sqlish = looks_like_sql(value.text)
        if value.kind is Kind.BUILT:
            if not strong and not sqlish:
                return False
            self.executed.update(o.node_id for o in value.origins)
            detail = f"SQL built {how_built(value, position[0])} reaches {label}"
            hint = fix_text(analysis, site, match, value)
            if match.sink.role == "execute" and _built_from_own_parameters(value, function):
                # judged by what the file's calls pass: constant names make constant SQL
                self.awaiting[id(function)] = frozenset(index for _, index in value.params)
                self.deferred.append((id(function), position, label, detail, key, hint))
                return True
            analysis.report("SQL101", position, detail, key, _SEVERITY["SQL101"], hint=hint)
            return True
        if value.kind in (Kind.CONST, Kind.SAFE):
            if not strong and not sqlish:
                return False
            analysis.report("SQL103", position, f"raw SQL text reaches {label}", key, _SEVERITY["SQL103"])
            return True
        # UNKNOWN: a parameter, attribute or call result.
        if not strong:
            return False
        if FROM_REQUEST in value.labels:
            source = value.names[-1] if value.names else "the request"
            analysis.report(
                "SQL105", position, f"request data ({source}) is the SQL text of {label}", key, _SEVERITY["SQL105"]
            )
            return True
        api = sink_api(site, match)
        for function_id, index in value.params:
            self.wrappers.setdefault(function_id, {}).setdefault(index, (label, api))
        source = value.names[-1] if value.names else "an argument"
        analysis.report(
            "SQL104", position, f"SQL of unknown origin ({source}) reaches {label}", key, _SEVERITY["SQL104"]
        )
        return True

    def on_escape(self, analysis: FileAnalysis, interp: Interpreter, value: Value, node: ast.AST, how: str) -> None:
        candidates: List[Value] = [value]
        if value.element is not None:
            candidates.append(value.element)
        for candidate in candidates:
            if (
                candidate.kind is Kind.BUILT
                and candidate.origins
                and (candidate.obj is None)
                and looks_like_sql(candidate.text)
            ):
                self.escapes.append((candidate.origins, how))

    def finish(self, analysis: FileAnalysis) -> None:
        for function_id, position, label, detail, key, hint in self.deferred:
            passed = self.passed.get(function_id)
            if passed is None or passed > Kind.SAFE or analysis.exhausted:
                analysis.report_final("SQL101", position, detail, key, hint)
            else:
                analysis.report_final("SQL103", position, f"raw SQL text reaches {label}", key)
        if not self.escapes or analysis.exhausted:
            return  # an unfinished pass may not have seen where the text is executed
        executed = self.executed
        reported: Set[int] = set()
        for origins, how in self.escapes:
            pending = [o for o in origins if o.node_id not in executed]
            if not pending or any(o.node_id in reported for o in origins):
                continue
            origin = max(pending, key=lambda o: (o.line, o.col))
            reported.add(origin.node_id)
            analysis.report_final(
                "SQL102",
                (origin.line, origin.col),
                f"SQL built with {origin.form} is {how} and its execution is not in sight",
                ("SQL102", origin.node_id),
            )
