"""SQL306 (audit): the traceback of a database error written to the log.

``LOG.exception(...)``, or a log call with ``exc_info=True`` (or the exception itself),
inside an ``except`` for a database error writes the exception's text with the
traceback: the statement and, unless the engine hides them, its parameters. A file that
creates its SQLAlchemy engines with ``hide_parameters=True`` keeps the parameters out of
that text, and gives no finding.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, List, Optional

from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.interpreter import Interpreter
from ..engine.scopes import walk_statements
from ..engine.values import Ref
from .raw_sql import sink_position

if TYPE_CHECKING:  # pragma: no cover
    from .logs import SensitiveLogHook

SQL_TRACEBACK = "SQL306"
# Log methods that write the traceback of the exception being handled.
_TRACEBACK_METHODS = frozenset(("exception",))


def writes_traceback(site: CallSite) -> bool:
    """``LOG.exception(...)``, or ``exc_info=`` given something other than a false
    constant (``True``, the exception, ``sys.exc_info()``)."""
    if site.callee.name in _TRACEBACK_METHODS:
        return not any(
            kw.arg == "exc_info" and isinstance(kw.value, ast.Constant) and not kw.value.value
            for kw in site.node.keywords
        )
    for kw in site.node.keywords:
        if kw.arg == "exc_info":
            return not (isinstance(kw.value, ast.Constant) and not kw.value.value)
    return False


def traceback_call(hook: "SensitiveLogHook", analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
    """Report a log call that writes a database error's traceback."""
    if SQL_TRACEBACK not in analysis.config.selected or not writes_traceback(site):
        return
    if "hide_parameters=True" in analysis.source:
        return  # the engines hide the parameters from the exception's text
    found = _handled_db_error(hook, analysis, interp, site.node)
    if found is None:
        return
    kind = found.name.rsplit(".", 1)[-1]
    label = f"{site.callee.receiver_text}.{site.callee.name}()" if site.callee.method else f"{site.callee.name}()"
    analysis.report(
        SQL_TRACEBACK,
        sink_position(site.node),
        f"the traceback of {kind} is written by {label}",
        ("SQL3", SQL_TRACEBACK, id(site.node)),
    )


def _handled_db_error(
    hook: "SensitiveLogHook", analysis: FileAnalysis, interp: Interpreter, node: ast.AST
) -> Optional[Ref]:
    """The database error an ``except`` around the call (innermost first) handles."""
    line = getattr(node, "lineno", 0)
    handlers: List[ast.ExceptHandler] = [
        handler
        for handler in walk_statements(interp.scope.node)
        if isinstance(handler, ast.ExceptHandler)
        and handler.type is not None
        and handler.body
        and handler.body[0].lineno <= line <= (handler.end_lineno or handler.lineno)
    ]
    for handler in sorted(handlers, key=lambda h: -h.lineno):
        found = hook.is_db_error(analysis, interp.lookup, analysis.module_exception_types(handler.type))
        if found is not None:
            return found
    return None
