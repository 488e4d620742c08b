"""SQL3's labels and the small judgements its parts share.

The logging family labels values as the pass follows them (``Value.labels``): a value read
under a sensitive name (``Named``), a dump of many values (``Dump``), the text of a
database exception (``DbError``), a secret a call gave (``Revealed``). A log call reports what its parts hold.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Tuple, Union

from ..config import Config
from ..engine.values import Api, Imported, Instance, Kind, LocalClass, Ref, Shape, Value, merge_labels, replace
from ..knowledge.configuration import CONFIGURATION
from .sensitive_names import CONNECTION, SECRET, NameMatcher
from ..world.names import canonical

SQL_SECRET, SQL_CONNECTION, SQL_EXCEPTION, SQL_DUMP = "SQL301", "SQL302", "SQL303", "SQL304"
CATEGORY_CODE = {SECRET: SQL_SECRET, CONNECTION: SQL_CONNECTION}


@dataclass(frozen=True)
class Named:
    """Read under a name the matcher flags (``password``, ``db_url``)."""

    identifier: str


@dataclass(frozen=True)
class Dump:
    """A dump of many values (``request.form``, ``vars(self)``, ``os.environ``)."""

    what: str


@dataclass(frozen=True)
class DbError:
    """The text of an exception (``exc``, ``exc.args``) of the types an ``except`` names."""

    shown: str
    types: Tuple[Ref, ...]


@dataclass(frozen=True)
class Revealed:
    """A secret whatever it is then called: what ``getpass()``,
    ``secrets.token_urlsafe()`` or ``SecretStr.get_secret_value()`` return, a request's
    session cookie (``call`` is how the finding shows it)."""

    call: str


Label = Union[Named, Dump, DbError, Revealed]


_MATCHERS: Dict[Tuple[object, object], NameMatcher] = {}


def matcher(config: Config) -> NameMatcher:
    key = (config.sensitive_names, config.safe_names)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        matcher = _MATCHERS[key] = NameMatcher(config.sensitive_names, config.safe_names)
    return matcher


def identifier_like(text: str) -> bool:
    return 0 < len(text) <= 80 and bool(re.match(r"^[A-Za-z_][\w.-]*$", text))


def tag(value: Value, label: Label) -> Value:
    if label in value.labels:
        return value
    return replace(value, labels=merge_labels(value.labels, (label,)))


def taggable(value: Value) -> bool:
    """Could this value be a string or a collection that holds a secret?"""
    if value.masked:
        return False
    held = value.obj
    if held is None:
        return value.kind in (Kind.UNKNOWN, Kind.BUILT)
    return (
        held is Shape.DICT
        or held is Shape.CONTAINER
        or type(held) is Imported
        or type(held) is Instance
        or (type(held) is Api and held.name == CONFIGURATION)  # settings.DATABASES
    )


def labels_of(value: Value) -> Tuple[Label, ...]:
    labels = value.labels
    if value.element is not None and value.element.labels:
        labels = merge_labels(labels, value.element.labels)
    return labels


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def cleared(value: Value) -> bool:
    """Values that cannot carry a secret: masked, numbers and flags, literals, objects
    (an exception's text can)."""
    return value.masked or (not taggable(value) and value.obj is not Shape.EXCEPTION)


_MAX_LISTED = 4


_THROUGH = re.compile(r"^.* \(through (?P<name>[^()]+)\)$")


def listed(whats: List[str]) -> str:
    """``'a' is`` / ``'a' and 'b' are`` / ``'a', 'b', 'c' and 2 more are``; a value named
    again through a variable already listed is not counted twice."""
    named = set(whats)
    whats = [w for w in whats if not ((m := _THROUGH.match(w)) and f"'{m.group('name')}'" in named)] or whats
    if len(whats) == 1:
        return f"{whats[0]} is"
    if len(whats) > _MAX_LISTED:
        shown = whats[: _MAX_LISTED - 1]
        return f"{', '.join(shown)} and {len(whats) - len(shown)} more are"
    return f"{', '.join(whats[:-1])} and {whats[-1]} are"


# Exceptions raised through SQLAlchemy carry its statement and parameters, which the
# engine's hide_parameters=True keeps out; a driver's own error text has no such switch.
_HIDE_PARAMETERS_ROOTS = frozenset(("sqlalchemy", "oslo_db", "flask_sqlalchemy", "sqlmodel"))
_HINT_HIDE_PARAMETERS = "log the exception class or a fixed message, and create the engine with hide_parameters=True"
_HINT_DRIVER = "log the exception class (type(exc).__name__) or a fixed message; the driver's text can quote the values"


def exception_hint(found: Ref, imported: FrozenSet[str]) -> str:
    if type(found) is LocalClass:  # a class of this file: its library is in the imports
        roots = {module.split(".", 1)[0] for module in imported}
        return _HINT_HIDE_PARAMETERS if roots & _HIDE_PARAMETERS_ROOTS else _HINT_DRIVER
    root = canonical(found.name).lstrip(".").split(".", 1)[0]
    return _HINT_HIDE_PARAMETERS if root in _HIDE_PARAMETERS_ROOTS else _HINT_DRIVER


def numeric_spec(spec: ast.AST) -> bool:
    if isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and isinstance(spec.values[0], ast.Constant):
        text = str(spec.values[0].value)
        return bool(re.match(r"^[-+ #0-9,_.]*[bdoxXneEfFgG%]$", text))
    return False
