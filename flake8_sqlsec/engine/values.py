"""The abstract values the analysis computes for expressions.

A ``Value`` answers, for one expression at one point of a function: is it a string whose
text we know (CONST), one that is safe to put into SQL although we do not know it (SAFE:
numbers, placeholders, quoted identifiers), one we cannot see (UNKNOWN), or one built by
interpolating something we cannot see (BUILT)? It also carries the constant text with
holes, for deciding whether the text looks like SQL, and what kind of object a value is
(a DB-API cursor, a logger...) so calls on it can be recognised.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from dataclasses import dataclass
from typing import Any, Callable, FrozenSet, Hashable, Optional, Tuple, Union

# Stands for a part of the text that is not known (knowledge.statements reads it with
# the same character; a test keeps the two equal).
HOLE = "\ufffc"
# Texts are kept for SQL-shape detection only; this bounds loops that grow them.
MAX_TEXT = 4000


class Kind(enum.IntEnum):
    """Ordered so that ``max`` is the join: the least safe alternative wins."""

    CONST = 0
    SAFE = 1
    UNKNOWN = 2
    BUILT = 3


class Ref:
    """What a value is, when it is not (only) a string: a typed reference by name."""

    __slots__ = ("name", "_hash")

    def __init__(self, name: str) -> None:
        self.name = name
        self._hash = hash((type(self).__name__, name))

    def __eq__(self, other: object) -> bool:
        return other is self or (type(other) is type(self) and other.name == self.name)  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class Imported(Ref):
    """A name bound by an import (or an attribute of one), by its qualified name."""


class LocalClass(Ref):
    """A class defined in the linted file, by its name."""


class Instance(Ref):
    """An instance of a class defined in the linted file."""


class Api(Ref):
    """An object of a kind the world knows (``Api("dbapi.cursor")``): what its methods
    and attributes are is the world's to say."""


class Written(Ref):
    """A dotted name as written, which nothing resolved (an exception type ``exc.DBError``)."""


class Shape(enum.Enum):
    """What the engine itself knows a value to be."""

    NUMBER = "number"
    CONTAINER = "container"
    DICT = "dict"
    FUNCTION = "function"
    EXCEPTION = "exception"
    TEMPLATE = "template"  # string.Template(...)


Obj = Union[Ref, Shape]


@dataclass(frozen=True)
class Origin:
    """Where a string was built by interpolating something not constant."""

    line: int
    col: int
    form: str  # "an f-string", "%-formatting", ...
    node_id: int  # id() of the building ast node, to tell build sites apart
    # Every part put in that is not constant is a parameter of the function as it was
    # passed (or text built only from such): the callers decide what the text holds.
    of_params: bool = False


# Values are never changed once made (``dataclasses.replace`` makes a new one); they are
# not declared frozen because a frozen dataclass is five times slower to construct, and
# the analysis constructs one for nearly every expression it evaluates.
@dataclass(unsafe_hash=True)
class Value:
    kind: Kind = Kind.UNKNOWN
    text: str = HOLE
    origins: FrozenSet[Origin] = frozenset()
    # What the value is, when it is not (only) a string.
    obj: Optional[Obj] = None
    # For containers and iterables: the join of their elements.
    element: Optional["Value"] = None
    # For a name bound by ``except E as name``: the types E names.
    exc_types: Tuple[Ref, ...] = ()
    # Function parameters this value may come from (function node id, index), for wrappers.
    params: FrozenSet[Tuple[int, int]] = frozenset()
    # Local names this value flowed through, newest last (used by the logging checks).
    names: Tuple[str, ...] = ()
    # For dicts: the join of their keys (an allow-list dict's keys are constants).
    keys: Optional["Value"] = None
    # Derived from a function parameter or request input (an attribute, item or .get() of one counts).
    from_input: bool = False
    # Labels hooks attached to what this value holds or was built from (the logging
    # checks: secrets read, dumps, database exceptions); carried through joins and building.
    labels: Tuple[Hashable, ...] = ()
    # A hook found it masked (hashed, redacted): nothing it was built from shows.
    masked: bool = False
    # The result of a call another module's summary answers, asked only where it matters.
    pending: Optional["Pending"] = None
    # For a tuple display: the value of each place (``sql, params``), when known.
    items: Optional[Tuple["Value", ...]] = None

    @property
    def is_str_built(self) -> bool:
        return self.kind is Kind.BUILT

    @property
    def last_origin(self) -> Optional[Origin]:
        """The latest build site: usually where the statement itself was assembled."""
        if not self.origins:
            return None
        return max(self.origins, key=lambda o: (o.line, o.col))

    @property
    def imported(self) -> Optional[str]:
        """The qualified name, for a value bound by an import."""
        held = self.obj
        return held.name if type(held) is Imported else None

    @property
    def api(self) -> Optional[str]:
        """The world's kind, for a library object (a cursor, a logger...)."""
        held = self.obj
        return held.name if type(held) is Api else None

    @property
    def local_class(self) -> Optional[str]:
        """The class name, for a class of the file or an instance of one."""
        held = self.obj
        return held.name if type(held) is LocalClass or type(held) is Instance else None


class Pending:
    """What a call returns, as the summary of a function of another module says: worked
    out only where the value's text matters (an argument of a sink, a part of built text),
    since reading that module is the costly part. Compared by identity."""

    __slots__ = ("_resolve", "_value", "_done")

    def __init__(self, resolve: Callable[[], Optional[Value]]) -> None:
        self._resolve = resolve
        self._value: Optional[Value] = None
        self._done = False

    def value(self) -> Optional[Value]:
        if not self._done:
            self._done = True
            resolve, self._resolve = self._resolve, None  # type: ignore[assignment]
            self._value = resolve() if resolve is not None else None
        return self._value

    def cut(self) -> None:
        """Drop what the resolution would read (the file is done): the closure refers to
        the analysis, which holds this value, and reference counting frees no cycle."""
        self._resolve = None  # type: ignore[assignment]
        self._done = True


_FIELDS = frozenset(field.name for field in dataclasses.fields(Value))


def replace(value: Any, **changes: Any) -> Any:
    """``dataclasses.replace``, made quick for a ``Value``: one is made for most
    expressions evaluated, and since a Value is never changed once made its fields are
    copied as they are (about ten times faster than building it through ``__init__``)."""
    if type(value) is not Value:
        return dataclasses.replace(value, **changes)
    if not _FIELDS.issuperset(changes):
        raise TypeError(f"Value has no field {sorted(set(changes) - _FIELDS)[0]!r}")
    new = object.__new__(Value)
    new.__dict__.update(value.__dict__)
    new.__dict__.update(changes)
    return new


def resolved(value: Value) -> Value:
    """The value with a pending call's result worked out (the value itself otherwise)."""
    pending = value.pending
    if pending is None:
        return value
    known = pending.value()
    if known is None:
        return replace(value, pending=None)  # nothing known: what it was without it
    return known if known.names or not value.names else replace(known, names=value.names)


UNKNOWN = Value()
SAFE_NUMBER = Value(kind=Kind.SAFE, text=HOLE, obj=Shape.NUMBER)


def const(text: str) -> Value:
    if len(text) <= 64:
        return _short_const(text)
    return Value(kind=Kind.CONST, text=text[:MAX_TEXT])


# The same few names, objects and short constants come up again and again in a file;
# values never change, so one instance of each serves every use. The caches are emptied
# after each file (``forget_file_values``): kept, their thousands of values would be
# walked again by every full garbage collection of the flake8 process.
@functools.lru_cache(maxsize=2048)
def _short_const(text: str) -> Value:
    return Value(kind=Kind.CONST, text=text)


@functools.lru_cache(maxsize=2048)
def obj(kind: Obj) -> Value:
    return Value(kind=Kind.UNKNOWN, text=HOLE, obj=kind)


# A value that is an object, by its reference's name: one instance per name and file
# (keyed by the name, a string: cheaper to look up than the reference).
@functools.lru_cache(maxsize=4096)
def imported(qualname: str) -> Value:
    return obj(Imported(qualname))


@functools.lru_cache(maxsize=1024)
def api(kind: str) -> Value:
    return obj(Api(kind))


@functools.lru_cache(maxsize=1024)
def local_class(name: str) -> Value:
    return obj(LocalClass(name))


@functools.lru_cache(maxsize=1024)
def instance(name: str) -> Value:
    return obj(Instance(name))


@functools.lru_cache(maxsize=1024)
def number(text: str) -> Value:
    """A number literal: constant, and nothing that could carry SQL."""
    return Value(kind=Kind.CONST, text=text, obj=Shape.NUMBER)


def forget_file_values() -> None:
    """Empty the value caches (a file is done)."""
    for cache in (_short_const, obj, number, imported, api, local_class, instance):
        cache.cache_clear()


def join(a: Optional[Value], b: Optional[Value]) -> Value:
    """Either of two values may be the one at run time."""
    if a is None:
        return b if b is not None else UNKNOWN
    if b is None or a is b:
        return a
    if a == b:
        return a
    kind = max(a.kind, b.kind)
    # Keep the text of the less safe alternative; on a tie the longer one says more.
    if a.kind != b.kind:
        text = a.text if a.kind > b.kind else b.text
    else:
        text = a.text if len(a.text) >= len(b.text) else b.text
    element = a.element if b.element is None else (b.element if a.element is None else join(a.element, b.element))
    return Value(
        kind=kind,
        text=text,
        origins=a.origins | b.origins,
        obj=a.obj if a.obj is b.obj or a.obj == b.obj else None,
        element=element,
        exc_types=tuple(dict.fromkeys(a.exc_types + b.exc_types)),
        params=a.params | b.params,
        from_input=a.from_input or b.from_input,
        keys=a.keys if b.keys is None else (b.keys if a.keys is None else join(a.keys, b.keys)),
        names=a.names if a.names == b.names else tuple(dict.fromkeys(a.names + b.names)),
        labels=a.labels if a.labels == b.labels else merge_labels(a.labels, b.labels),
        masked=a.masked and b.masked,
        items=_joined_items(a.items, b.items),
    )


def _joined_items(a: Optional[Tuple[Value, ...]], b: Optional[Tuple[Value, ...]]) -> Optional[Tuple[Value, ...]]:
    """Place by place, for two tuples of one length (``return sql, params`` on two paths)."""
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(join(x, y) for x, y in zip(a, b))


MAX_LABELS = 4


def merge_labels(a: Tuple[Hashable, ...], b: Tuple[Hashable, ...]) -> Tuple[Hashable, ...]:
    """Both label lists, without repeats, bounded (the first labels say enough)."""
    if not b:
        return a
    if not a:
        return b
    return tuple(dict.fromkeys(a + b))[:MAX_LABELS]


def interpolate(
    template: Value, parts: Tuple[Value, ...], text: str, form: str, line: int, col: int, node_id: int
) -> Value:
    """The value of a template with ``parts`` put into it (f-string, %, format, +, join).

    ``text`` is the resulting text with holes. The result is BUILT when any interpolated
    part is UNKNOWN or BUILT; when only the template is unknown it stays UNKNOWN.
    """
    origins = template.origins
    params = template.params
    from_input = template.from_input
    labels = template.labels
    unsafe_part = False
    of_params = template.kind <= Kind.SAFE or from_parameters(template)
    kind = template.kind
    for part in parts:
        origins |= part.origins
        params |= part.params
        from_input = from_input or part.from_input
        if part.labels:
            labels = merge_labels(labels, part.labels)
        if part.kind >= Kind.UNKNOWN:
            unsafe_part = True
            of_params = of_params and from_parameters(part)
        elif part.kind is Kind.SAFE and kind is Kind.CONST:
            kind = Kind.SAFE
    if unsafe_part:
        kind = Kind.BUILT
        origins = origins | {Origin(line, col, form, node_id, of_params)}
    return Value(kind=kind, text=text[:MAX_TEXT], origins=origins, params=params, from_input=from_input, labels=labels)


def from_parameters(value: Value) -> bool:
    """A parameter as passed (an attribute or item of one is not), or text built only
    from parameters and constants."""
    if value.kind is Kind.UNKNOWN:
        return bool(value.params) and value.obj is None and not value.labels
    if value.kind is Kind.BUILT:
        return bool(value.origins) and all(origin.of_params for origin in value.origins)
    return value.kind <= Kind.SAFE
