"""Which calls send their arguments to an HTTP client, and which functions' return
values are the response (``knowledge.responses``)."""

from __future__ import annotations

import ast
import functools
from typing import Dict, FrozenSet, List, Optional, Tuple

from ..knowledge.responses import EVERY_POSITION, RESPONSE_METHODS, RESPONSE_SINKS, ROUTE_DECORATORS

# What a response call sends: its positional arguments (EVERY_POSITION: all of them) and
# keyword arguments (None: all of them).
Sent = Tuple[Tuple[int, ...], Optional[FrozenSet[str]]]

_EXACT: Dict[str, Sent] = {}
_PREFIXES: List[Tuple[str, Sent]] = []
for _pattern, _positions, _keywords in RESPONSE_SINKS:
    if _pattern.endswith("*"):
        _PREFIXES.append((_pattern[:-1], (_positions, _keywords)))
    else:
        _EXACT[_pattern] = (_positions, _keywords)
_PREFIXES.sort(key=lambda item: -len(item[0]))  # the most specific pattern first


@functools.lru_cache(maxsize=4096)
def response_sink(qualname: str) -> Optional[Sent]:
    """What a call of ``qualname`` sends to the client; None when it is no response."""
    known = _EXACT.get(qualname)
    if known is not None:
        return known
    for prefix, sent in _PREFIXES:
        if qualname.startswith(prefix) and "." not in qualname[len(prefix) :]:
            return sent
    return None


def inherited_response(name: str, receiver_text: str) -> Optional[Sent]:
    """What ``self.<name>(...)`` sends when the method is the view framework's own
    (``self.response_422(message=...)`` of Flask-AppBuilder)."""
    return RESPONSE_METHODS.get(name) if receiver_text == "self" else None  # type: ignore[return-value]


def sent_arguments(node: ast.Call, sent: Sent) -> List[Tuple[ast.AST, Optional[int], Optional[str]]]:
    """The arguments of the call that reach the client: (node, position, keyword)."""
    positions, keywords = sent
    found: List[Tuple[ast.AST, Optional[int], Optional[str]]] = []
    for index, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred) or EVERY_POSITION in positions or index in positions:
            found.append((arg, index, None))
    for kw in node.keywords:
        if kw.arg is None or keywords is None or kw.arg in keywords:
            found.append((kw.value, None, kw.arg))
    return found


def is_route(function: ast.AST) -> bool:
    """A function whose return value is the response: decorated as a route or an error
    handler (``@app.route(...)``, ``@router.get(...)``, ``@app.errorhandler(...)``)."""
    for decorator in getattr(function, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS:
            return True
    return False
