"""Constant folding: arithmetic, comparisons, indexing and truth of values known exactly.

A condition made only of constants (``if 7 * 42 - num > 200`` with ``num = 86``,
``x if 2 > 3 else y``, ``match "ABC"[1]:``) decides its branch: the other branch is dead
and contributes nothing. Only values the engine knows exactly are folded: number and
string constants (texts with no hole, not cut short); anything else gives "not known".
"""

from __future__ import annotations

import ast
import operator
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from .values import HOLE, MAX_TEXT, Kind, Shape, Value, const, number

_NOT_KNOWN = (False, None)

_BINARY: Dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
}
_COMPARE: Dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b if a is None or b is None else a == b,
    ast.IsNot: lambda a, b: a is not b if a is None or b is None else a != b,
}
# Bounds on what is computed: no huge powers, shifts, numbers or strings.
_MAX_NUMBER = 10**18
_MAX_EXPONENT = 64


def literal(value: Value) -> Tuple[bool, Any]:
    """(True, the Python value) for a constant known exactly; (False, None) otherwise."""
    if value.kind is not Kind.CONST:
        return _NOT_KNOWN
    if value.obj is Shape.NUMBER:
        return _number(value.text)
    if value.obj is None and HOLE not in value.text and len(value.text) < MAX_TEXT:
        return True, value.text
    return _NOT_KNOWN


_NAMED = {"True": (True, True), "False": (True, False), "None": (True, None)}


def _number(text: str) -> Tuple[bool, Any]:
    """The number a number constant's text spells (``str()`` of an int, float or bool)."""
    named = _NAMED.get(text)
    if named is not None:
        return named
    try:
        return True, int(text)
    except ValueError:
        pass
    try:
        return True, float(text)
    except ValueError:
        return _NOT_KNOWN  # complex numbers, and texts no number has


def to_value(result: Any) -> Optional[Value]:
    """A folded result as a value, when it is small enough to be one."""
    if isinstance(result, bool) or result is None:
        return number(str(result))
    if isinstance(result, int):
        return number(str(result)) if abs(result) <= _MAX_NUMBER else None
    if isinstance(result, float):
        return number(repr(result))
    if isinstance(result, str):
        return const(result) if len(result) < MAX_TEXT else None
    return None


def _small(a: Any, b: Any, op: type) -> bool:
    if op is ast.Pow:
        return isinstance(b, (int, float)) and abs(b) <= _MAX_EXPONENT
    if op in (ast.LShift, ast.RShift):
        return isinstance(b, int) and 0 <= b <= _MAX_EXPONENT
    if op is ast.Mult and (isinstance(a, str) or isinstance(b, str)):
        count = b if isinstance(a, str) else a
        return isinstance(count, int) and len(a if isinstance(a, str) else b) * max(count, 0) < MAX_TEXT
    return True


def fold_binary(op: ast.operator, left: Value, right: Value) -> Optional[Value]:
    """``left op right`` for two constants known exactly (numbers, or strings where
    Python allows it), None when not known or not allowed."""
    function = _BINARY.get(type(op))
    known_left, a = literal(left)
    known_right, b = literal(right)
    if function is None or not (known_left and known_right) or not _small(a, b, type(op)):
        return None
    if isinstance(a, str) and type(op) is ast.Mod:
        return None  # %-formatting: the engine's own business
    try:
        return to_value(function(a, b))
    except (ArithmeticError, TypeError, ValueError, MemoryError):
        return None


def fold_compare(ops: Sequence[ast.cmpop], values: Sequence[Value]) -> Optional[Value]:
    """A chain of comparisons of constants known exactly."""
    pairs = []
    for value in values:
        known, python = literal(value)
        if not known:
            return None
        pairs.append(python)
    try:
        for op, a, b in zip(ops, pairs, pairs[1:]):
            function = _COMPARE.get(type(op))
            if function is None:
                return None
            if not function(a, b):
                return number("False")
        return number("True")
    except (TypeError, ValueError):
        return None


def truth(value: Value) -> Optional[bool]:
    """Whether a constant known exactly is true; None when not known."""
    known, python = literal(value)
    if not known:
        return None
    try:
        return bool(python)
    except (TypeError, ValueError):
        return None


def item(base: Value, index: Value) -> Optional[Value]:
    """``"ABC"[1]``: an item of a string constant at a constant position."""
    known_base, text = literal(base)
    known_index, position = literal(index)
    if not (known_base and known_index and isinstance(text, str)) or isinstance(position, bool):
        return None
    if not isinstance(position, int):
        return None
    try:
        return const(text[position])
    except IndexError:
        return None
