"""Names that say what is unpacked into them: ``sql, params = compiler.compile(node)``.

A call's result, or the element of what a loop runs over, unpacked into a pair of names
that say compiled text and its parameters (``s_sql, s_params``) is what a compiler wrote,
whatever the analysis could see of it; the world decides from the names (``World.unpacked``).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from .values import UNKNOWN, Kind, Value

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis


class Unpacking:
    """Binding of name pairs that say compiled text (a mixin of ``Interpreter``)."""

    analysis: "FileAnalysis"

    def _bind_compiled(self, target: ast.AST, element: Value) -> bool:
        """``for _, (s_sql, s_params), alias in self.select``: a pair of names that say
        compiled text and its parameters, whatever is unpacked into them."""
        elts = target.elts  # type: ignore[attr-defined]
        for index in range(len(elts) - 1):
            first, second = elts[index], elts[index + 1]
            if not (isinstance(first, ast.Name) and isinstance(second, ast.Name)):
                continue
            known = self.analysis.world.unpacked([first.id, second.id], "", element)
            if known is None:
                continue
            for other in elts:
                if other is not first and other is not second:
                    self.bind(other.value if isinstance(other, ast.Starred) else other, element)  # type: ignore
            self.bind(first, known[0])  # type: ignore[attr-defined]
            self.bind(second, known[1])  # type: ignore[attr-defined]
            return True
        return False

    def _unpack_call(self, target: ast.Tuple, call: ast.Call, value: Value) -> bool:
        """``sql, params = compiler.compile(node)``: a call's result unpacked into names
        that say more than the value (``World.unpacked``)."""
        if (value.element or UNKNOWN).kind is not Kind.UNKNOWN or not all(isinstance(e, ast.Name) for e in target.elts):
            return False
        func = call.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        known = self.analysis.world.unpacked([e.id for e in target.elts], called, value)  # type: ignore[attr-defined]
        if known is None:
            return False
        for elt, part in zip(target.elts, known):
            self.bind(elt, part)  # type: ignore[attr-defined]
        return True


def called_in(node: ast.AST) -> Optional[ast.Call]:
    """The call whose result is assigned: the call itself, or the one branch of a
    conditional that calls (``self.compile(w) if w is not None else ("", [])``)."""
    if isinstance(node, ast.Call):
        return node
    if isinstance(node, ast.IfExp):
        calls = [branch for branch in (node.body, node.orelse) if isinstance(branch, ast.Call)]
        return calls[0] if len(calls) == 1 else None
    return None
