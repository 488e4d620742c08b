"""SQL1: raw SQL text handed to execution APIs (SQL101-SQL104)."""

from __future__ import annotations

import ast
from typing import Any, Dict, List, Optional, Set, Tuple

from ..analysis import FileAnalysis, Hook, register_hook
from ..analysis.interpreter import CallSite, Interpreter
from ..analysis.sinks import SinkMatch, resolve_sink
from ..analysis.values import Kind, Origin, Value
from ..knowledge import fixes
from ..knowledge import sql_apis
from ..knowledge.statements import looks_like_sql

# Calls that only assemble text or containers: a value passed to them has not left yet.
_CONSTRUCTION = frozenset(
    (
        "format",
        "format_map",
        "join",
        "replace",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "encode",
        "decode",
        "substitute",
        "safe_substitute",
        "append",
        "extend",
        "insert",
        "add",
        "appendleft",
        "str",
        "repr",
        "list",
        "tuple",
        "set",
        "sorted",
        "len",
        "isinstance",
        "dedent",
        "cleandoc",
        "Template",
        "bindparams",
        "columns",
        "params",
        "execution_options",
        "splitlines",
        "split",
        "startswith",
        "endswith",
        "count",
        "find",
        "index",
        "search",
        "match",
        "fullmatch",
        "sub",
        "compile",
        "hash",
        "md5",
        "sha1",
        "sha256",
        "assertEqual",
        "assertIn",
        "assert_called_with",
        "assertNotIn",
        "assert_called_once_with",
        "assertRegex",
        "setdefault",
        "get",
    )
)

_SEVERITY = {"SQL103": 1, "SQL104": 2, "SQL101": 3}


def _strings_only(value: Value) -> bool:
    """Objects that are not SQL text (clause objects, classes, connections) never flag."""
    obj = value.obj
    if obj is None:
        return True
    return obj.startswith("qual:") and value.kind is Kind.UNKNOWN


def sink_api(site: CallSite, match: SinkMatch) -> Tuple[Optional[str], Optional[str]]:
    """(object kind, qualified name) of the API that executes the text: for a wrapper of
    this file, the one it hands the text to."""
    return match.api if match.api is not None else (site.callee.receiver_kind, site.callee.qualname)


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


def sink_position(node: ast.Call) -> Tuple[int, int]:
    """Report at the method or function name: ``execute`` in ``cur.execute(...)``."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.end_lineno is not None and func.end_col_offset is not None:
        return func.end_lineno, func.end_col_offset - len(func.attr.encode("utf-8"))
    return node.lineno, node.col_offset


@register_hook
class RawSQLHook(Hook):
    family = "SQL1"
    codes = ("SQL101", "SQL102", "SQL103", "SQL104")
    candidate_names = frozenset(
        set(sql_apis.WEAK_METHODS)
        | {
            name
            for methods in sql_apis.METHODS.values()
            for name, entry in methods.items()
            if isinstance(entry, sql_apis.Sink)
        }
        | {q.rsplit(".", 1)[-1] for q in sql_apis.FUNCTION_SINKS}
    )
    wants_sql_text = True

    def on_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        data = analysis.data.setdefault("SQL1", {"executed": set(), "escapes": []})
        match = resolve_sink(analysis, site)
        if match is not None and match.sink.role in ("execute", "text", "composable"):
            value, _node = site.arg(match.sink.position, match.sink.keywords)
            if value is None:
                return
            if match.sink.role == "composable" and value.kind is not Kind.BUILT:
                return  # psycopg's sql.SQL() of a constant: what it composes is checked at execute
            if value.obj == "psycopg.composable":
                if value.kind is Kind.BUILT and match.sink.role != "composable":
                    return  # reported where sql.SQL() got the built text
                value = Value(kind=max(value.kind, Kind.SAFE), text=value.text, origins=value.origins)
            if self._sink(analysis, site, value, match, data):
                return
        elif match is not None:
            # Query-construction fragments are SQL2's; what is in them is accounted for there.
            data["executed"].update(o.node_id for o in self._arg_origins(site))
            return
        if analysis.display_depth or analysis.is_display_call(site.callee):
            return
        if site.callee.name in _CONSTRUCTION or site.callee.qualname in ("textwrap.dedent", "string.Template"):
            return
        how = f"passed to {site.callee.label()}"
        for value in list(site.args) + list(site.keywords.values()):
            self.on_escape(analysis, interp, value, site.node, how)

    @staticmethod
    def _arg_origins(site: CallSite) -> Set[Origin]:
        origins: Set[Origin] = set()
        for value in list(site.args) + list(site.keywords.values()):
            origins |= value.origins
        return origins

    def _sink(
        self, analysis: FileAnalysis, site: CallSite, value: Value, match: SinkMatch, data: Dict[str, Any]
    ) -> bool:
        """Judge the SQL argument of a sink. False when a weak sink turned out not to be one."""
        strong, label = match.strong, match.label
        if not _strings_only(value):
            return strong  # a clause object or number: no SQL text here
        position = sink_position(site.node)
        key = ("sink", id(site.node))
        sqlish = looks_like_sql(value.text)
        if value.kind is Kind.BUILT:
            if not strong and not sqlish:
                return False
            data["executed"].update(o.node_id for o in value.origins)
            how = how_built(value, position[0])
            analysis.report(
                "SQL101",
                position,
                f"SQL built {how} reaches {label}",
                key,
                _SEVERITY["SQL101"],
                hint=fix_text(analysis, site, match, value),
            )
            return True
        if value.kind in (Kind.CONST, Kind.SAFE):
            if not strong and not sqlish:
                return False
            analysis.report("SQL103", position, f"raw SQL text reaches {label}", key, _SEVERITY["SQL103"])
            return True
        # UNKNOWN: a parameter, attribute or call result.
        if not strong:
            return False
        api = sink_api(site, match)
        for function_id, index in value.params:
            analysis.wrappers.setdefault(function_id, {}).setdefault(index, (label, api))
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
                data = analysis.data.setdefault("SQL1", {"executed": set(), "escapes": []})
                data["escapes"].append((candidate.origins, how))

    def finish(self, analysis: FileAnalysis) -> None:
        data = analysis.data.get("SQL1")
        if not data or analysis.exhausted:
            return  # an unfinished pass may not have seen where the text is executed
        executed = data["executed"]
        reported: Set[int] = set()
        for origins, how in data["escapes"]:
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
