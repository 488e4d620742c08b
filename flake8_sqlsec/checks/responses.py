"""SQL305: the text of a database error sent to an HTTP client.

A response body, the detail of an HTTP exception (``webob.exc.HTTPConflict(...)``,
``HTTPException(detail=...)``), ``jsonify(...)``, or what a route returns, is read with
the log calls' inspection (``log_parts.Inspector``) for the one thing this rule is
about: a database exception, its text or the attributes that carry its statement and
parameters, directly, through variables or formatting. Secrets in a response are the
response's business (a login answers with a token); only database error text is judged.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.interpreter import Interpreter
from ..engine.values import Value
from ..world.responses import inherited_response, is_route, response_sink, sent_arguments
from .log_labels import SQL_EXCEPTION, listed
from .log_parts import Inspector
from .raw_sql import sink_position

if TYPE_CHECKING:  # pragma: no cover
    from .logs import SensitiveLogHook

SQL_RESPONSE = "SQL305"


class ResponseInspector(Inspector):
    """Keeps only what the log inspection finds of database errors, as SQL305."""

    def emit(self, code: str, what: str, hint: str = "") -> None:
        if code == SQL_EXCEPTION and SQL_RESPONSE in self.analysis.config.selected:
            self.found.setdefault(SQL_RESPONSE, {})[what] = None


def response_call(hook: "SensitiveLogHook", analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> bool:
    """Judge a call that sends its arguments to the client; False when it is none."""
    callee = site.callee
    qualname = callee.qualname
    sent = response_sink(qualname) if qualname else None
    label = f"{qualname}()"
    if sent is None and callee.method and callee.local_function is None:
        sent = inherited_response(callee.name, callee.receiver_text)
        label = f"self.{callee.name}()"
    if sent is None:
        return False
    inspector = ResponseInspector(hook, analysis, interp, site)
    for node, position, keyword in sent_arguments(site.node, sent):
        known: Optional[Value] = None
        if position is not None and not site.starred and position < len(site.args):
            known = site.args[position]
        elif keyword is not None:
            known = site.keywords.get(keyword)
        inspector.expr(node.value if isinstance(node, ast.Starred) else node, known)
    _report(analysis, inspector, sink_position(site.node), label, site.node)
    return True


def returned_response(
    hook: "SensitiveLogHook", analysis: FileAnalysis, interp: Interpreter, value: Value, node: ast.Return
) -> None:
    """What a route or an error handler returns is the response body."""
    function = interp.scope.node
    if interp.scope.kind != "function" or not is_route(function) or node.value is None:
        return
    inspector = ResponseInspector(hook, analysis, interp, None)  # type: ignore[arg-type]
    inspector.expr(node.value, value)
    name = getattr(function, "name", "")
    _report(analysis, inspector, (node.lineno, node.col_offset), f"the return of route {name}()", node)


def _report(analysis: FileAnalysis, inspector: Inspector, position: tuple, through: str, node: ast.AST) -> None:
    whats = inspector.found.get(SQL_RESPONSE)
    if whats:
        analysis.report(
            SQL_RESPONSE,
            position,
            f"{listed(list(whats))} sent to the client by {through}",
            ("SQL3", SQL_RESPONSE, id(node)),
        )
