"""Deciding whether a call is a sink: the catalogue, the user's extra sinks, local wrappers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Tuple

from ..knowledge import sql_apis
from ..knowledge.sql_apis import Sink
from .interpreter import CallSite

if TYPE_CHECKING:  # pragma: no cover
    from . import FileAnalysis

# Model base classes whose ``raw()`` executes SQL text.
_RAW_MODEL_BASES = ("peewee.Model", "tortoise.models.Model", "tortoise.Model", "django.db.models.Model")


@dataclass(frozen=True)
class SinkMatch:
    sink: Sink
    strong: bool  # resolved by import, object kind, name of a DB receiver or configuration
    label: str
    # For a wrapper of this file: (object kind, qualified name) of the API it hands the
    # text to, which decides the fix text of a finding.
    api: Optional[Tuple[Optional[str], Optional[str]]] = None


def resolve_sink(analysis: "FileAnalysis", site: CallSite) -> Optional[SinkMatch]:
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
    kind = callee.receiver_kind
    if callee.method and kind:
        entry = sql_apis.METHODS.get(kind, {}).get(name)
        if isinstance(entry, Sink):
            return SinkMatch(entry, True, callee.label())
        if name == "raw" and (kind.startswith("class:") or kind.startswith("instance:")):
            bases = analysis.class_bases(kind)
            if any(base in _RAW_MODEL_BASES or base.endswith(".Model") for base in bases):
                return SinkMatch(Sink(keywords=("sql", "raw_query")), True, callee.label())
    if callee.local_function is not None:
        wrapped = analysis.wrappers.get(id(callee.local_function))
        if wrapped:
            shift = 1 if callee.method else 0
            position = min(wrapped) - shift
            params = [a.arg for a in callee.local_function.args.args]  # type: ignore[attr-defined]
            keyword = params[min(wrapped)] if min(wrapped) < len(params) else ""
            inner, api = wrapped[min(wrapped)]
            return SinkMatch(
                Sink(position=max(position, 0), keywords=(keyword,)), True, f"{callee.label()} → {inner}", api
            )
    if name in sql_apis.WEAK_METHODS:
        return SinkMatch(sql_apis.EXECUTE, False, callee.label())
    return None
