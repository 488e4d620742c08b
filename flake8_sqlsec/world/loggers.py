"""Which calls are log calls.

A receiver is a logger when it resolves to one through imports and assignments:
``logging.getLogger(...)``, ``oslo_log.log.getLogger(...)``, ``structlog.get_logger()``,
``loguru.logger``, a ``LoggerAdapter``, Flask's ``app.logger`` / ``current_app.logger``,
``self.log`` assigned from one of those (the object kinds live in ``knowledge.sql_apis``).
Only a receiver that resolves to nothing at all is judged by its name: ``log``,
``logger``, ``LOG``, ``_log``, ``audit_logger``... and the names given with
``--sqlsec-logger-names``. ``cache.info(...)`` and ``parser.error(...)`` are not log calls.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..engine.values import Imported, Instance, Written
from ..knowledge.loggers import (
    BIND_FUNCTIONS,
    BIND_METHODS,
    LOGGER_CLASSES,
    LOGGER_QUALNAMES,
    LOG_FUNCTIONS,
    LOG_METHODS,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.calls import Callee
    from ..engine.driver import FileAnalysis


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
    held = receiver.obj if receiver is not None else None
    if receiver is not None and receiver.api == "logger":
        return True
    text = callee.receiver_text
    if _configured(analysis, text):
        return True
    if held is None:
        return named_like_logger(text)
    if type(held) is Imported:
        if held.name in LOGGER_QUALNAMES:
            return True
        # an imported name we cannot see into (``from app.logs import audit_log``)
        return named_like_logger(text)
    if type(held) is Instance and held.name in analysis.classes:
        return any(
            type(base) in (Imported, Written) and base.name in LOGGER_CLASSES for base in analysis.ancestors(held.name)
        )
    return False  # a cursor, a dict, a number, an exception...


def is_log_call(analysis: "FileAnalysis", callee: "Callee") -> bool:
    """A call that writes a log line or binds log fields."""
    if callee.qualname in LOG_FUNCTIONS or callee.qualname in BIND_FUNCTIONS:
        return True
    if not callee.method or (callee.name not in LOG_METHODS and callee.name not in BIND_METHODS):
        return False
    return is_logger_receiver(analysis, callee)
