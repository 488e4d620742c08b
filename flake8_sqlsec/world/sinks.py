"""Deciding whether a call is a sink: the catalogue, the user's extra sinks, the file's
model classes, and the file's own functions that hand a parameter to one (wrappers, which
the raw-SQL family finds and passes in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Optional, Tuple

from ..engine.calls import CallSite
from ..engine.values import Imported, Written
from ..knowledge import api_names, sql_apis
from ..knowledge.sql_apis import Sink

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.driver import FileAnalysis

# (object kind, qualified name) of the API a text is handed to, as far as known.
Api = Tuple[Optional[str], Optional[str]]
# id(function) -> {parameter index: (label of the sink it reaches, that sink's API)}
Wrappers = Mapping[int, Mapping[int, Tuple[str, Api]]]


@dataclass(frozen=True)
class SinkMatch:
    sink: Sink
    strong: bool  # resolved by import, object kind, name of a DB receiver or configuration
    label: str
    # For a wrapper of this file: (object kind, qualified name) of the API it hands the
    # text to, which decides the fix text of a finding.
    api: Optional[Api] = None


def resolve_sink(analysis: "FileAnalysis", site: CallSite, wrappers: Optional[Wrappers] = None) -> Optional[SinkMatch]:
    callee = site.callee
    name = callee.name
    qualname = callee.qualname
    if qualname is not None:
        sink = sql_apis.FUNCTION_SINKS.get(qualname)
        if sink is not None:
            return SinkMatch(sink, True, f"{qualname.rsplit('.', 1)[-1]}()" if not callee.method else callee.label())
    for extra in analysis.config.extra_sinks:
        if extra.method:
            matched = callee.method and name == extra.name
        else:
            matched = (
                qualname == extra.name
                or (qualname is None and not callee.method and name == extra.name)
                or (qualname is not None and qualname.endswith("." + extra.name))
            )
        if matched:
            keywords = (extra.keyword,) if extra.keyword else sql_apis.SQL_KEYWORDS
            return SinkMatch(
                Sink(position=extra.position if extra.position is not None else 10**6, keywords=keywords),
                True,
                callee.label(),
            )
    receiver = callee.receiver
    if callee.method and receiver is not None:
        kind = receiver.api
        entry = sql_apis.METHODS.get(kind, {}).get(name) if kind is not None else None
        if isinstance(entry, Sink):
            return SinkMatch(entry, True, callee.label())
        model = receiver.local_class
        if name == "raw" and model is not None and _is_model(analysis, model):
            return SinkMatch(Sink(keywords=("sql", "raw_query")), True, callee.label())
    if callee.local_function is not None and wrappers:
        wrapped = wrappers.get(id(callee.local_function))
        if wrapped:
            shift = 1 if callee.method else 0
            position = min(wrapped) - shift
            params = [a.arg for a in callee.local_function.args.args]  # type: ignore[attr-defined]
            keyword = params[min(wrapped)] if min(wrapped) < len(params) else ""
            inner, api = wrapped[min(wrapped)]
            return SinkMatch(
                Sink(position=max(position, 0), keywords=(keyword,)), True, f"{callee.label()} → {inner}", api
            )
    if name in api_names.WEAK_METHODS:
        return SinkMatch(sql_apis.EXECUTE, False, callee.label())
    return None


def _is_model(analysis: "FileAnalysis", name: str) -> bool:
    """A class of the file whose ancestors include an ORM model class."""
    return any(
        type(base) in (Imported, Written) and (base.name in sql_apis.RAW_MODEL_BASES or base.name.endswith(".Model"))
        for base in analysis.ancestors(name)
    )
