"""Which calls are log calls.

A receiver is a logger when it resolves to one through imports and assignments:
``logging.getLogger(...)``, ``oslo_log.log.getLogger(...)``, ``structlog.get_logger()``,
``loguru.logger``, a ``LoggerAdapter``, Flask's ``app.logger`` / ``current_app.logger``,
``self.log`` assigned from one of those (the object kinds live in ``catalogue``). Only a
receiver that resolves to nothing at all is judged by its name: ``log``, ``logger``,
``LOG``, ``_log``, ``audit_logger``... and the names given with ``--sqlsec-logger-names``.
``cache.info(...)`` and ``parser.error(...)`` are not log calls.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, List, Optional, Set, Tuple

from ..knowledge import sql_apis
from ..knowledge.loggers import (
    BIND_FUNCTIONS,
    BIND_METHODS,
    LOGGER_CLASSES,
    LOGGER_QUALNAMES,
    LOG_FUNCTIONS,
    LOG_METHODS,
)

if TYPE_CHECKING:  # pragma: no cover
    from . import FileAnalysis
    from .interpreter import Callee
    from .values import Value


_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_LOGGER_WORDS = frozenset(("log", "logger", "logging"))


def named_like_logger(text: str) -> bool:
    """``log``, ``LOG``, ``_logger``, ``self.audit_log``, ``auditLogger``: the last word is log/logger."""
    last = text.rsplit(".", 1)[-1]
    words = _WORDS.findall(last)
    return bool(words) and words[-1].lower() in _LOGGER_WORDS


def _configured(analysis: "FileAnalysis", text: str) -> bool:
    names = analysis.config.logger_names
    return bool(names) and (text in names or text.rsplit(".", 1)[-1] in names)


def is_logger_receiver(analysis: "FileAnalysis", callee: "Callee") -> bool:
    """Is the receiver of this method call a logger?"""
    if callee.qualname in LOG_FUNCTIONS:
        return True
    receiver = callee.receiver
    kind = receiver.obj if receiver is not None else None
    if kind == "logger":
        return True
    text = callee.receiver_text
    if _configured(analysis, text):
        return True
    if kind is None:
        return named_like_logger(text)
    if kind.startswith("qual:"):
        if kind[5:] in LOGGER_QUALNAMES:
            return True
        # an imported name we cannot see into (``from app.logs import audit_log``)
        return named_like_logger(text)
    if kind.startswith("instance:") and kind[9:] in analysis.classes:
        return any(base in LOGGER_CLASSES for base in local_ancestors(analysis, kind, None))
    return False  # a cursor, a dict, a number, an exception...


def is_log_call(analysis: "FileAnalysis", callee: "Callee") -> bool:
    """A call that writes a log line or binds log fields."""
    if callee.qualname in LOG_FUNCTIONS or callee.qualname in BIND_FUNCTIONS:
        return True
    if not callee.method or (callee.name not in LOG_METHODS and callee.name not in BIND_METHODS):
        return False
    return is_logger_receiver(analysis, callee)


def local_ancestors(analysis: "FileAnalysis", kind: str, lookup: Optional[Callable[[str], "Value"]]) -> Tuple[str, ...]:
    """Qualified names of the bases of a class of this file, through its in-file bases.

    The bases are kept as written (``exc.SQLAlchemyError``); their first name is resolved
    through the imports of the module (``lookup`` is the interpreter's name lookup, or the
    module's final bindings when it is None)."""
    result: List[str] = []
    seen: Set[str] = set()
    stack = [kind.split(":", 1)[1]]
    while stack and len(seen) < 20:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        info = analysis.classes.get(current)
        if info is None:
            continue
        for base in info.bases:
            if base.startswith("class:"):
                stack.append(base[6:])
                continue
            head, _, rest = base.partition(".")
            if not rest and head in analysis.classes:
                stack.append(head)
                result.append("class:" + head)
                continue
            binding = (
                lookup(head)
                if lookup is not None
                else (analysis.module_scope.final.get(head) if analysis.module_scope is not None else None)
            )
            if binding is not None and binding.obj and binding.obj.startswith("qual:"):
                result.append(sql_apis.canonical(binding.obj[5:] + ("." + rest if rest else "")))
            else:
                result.append(base)
    return tuple(result)
