"""Reading guards from their syntax: membership tests (``if name not in ALLOWED``, every
element checked with ``all()``, ``set(names) <= ALLOWED``) and blocks that always leave
(``raise``, ``return``, ``abort()``), for the interpreter's narrowing of values."""

from __future__ import annotations

import ast
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple

from .scopes import dotted_name


def checked_name(node: ast.AST) -> str:
    """``name`` or ``obj.attr`` (a dotted path of names) as a key of the state; '' otherwise."""
    return dotted_name(node, 4)


def is_membership(test: ast.AST) -> bool:
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.BoolOp):
        return all(is_membership(value) for value in test.values)
    if each_member(test) is not None:
        return True
    return isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn))


def each_member(test: ast.AST) -> Optional[Tuple[str, ast.AST, bool]]:
    """A test that every element of a name is in a collection: (the name, the collection,
    whether the test being true says so). ``all(c in A for c in cols)`` (true),
    ``any(c not in A for c in cols)`` (false), ``set(cols) <= A``,
    ``set(cols).issubset(A)`` (true)."""
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and len(test.args) == 1 and not test.keywords:
        function, arg = test.func.id, test.args[0]
        if function in ("all", "any") and isinstance(arg, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            generators = arg.generators
            element = arg.elt
            if (
                len(generators) == 1
                and not generators[0].ifs
                and isinstance(generators[0].target, ast.Name)
                and checked_name(generators[0].iter)
                and isinstance(element, ast.Compare)
                and len(element.ops) == 1
                and isinstance(element.left, ast.Name)
                and element.left.id == generators[0].target.id
            ):
                is_in = isinstance(element.ops[0], ast.In)
                if (function == "all" and is_in) or (function == "any" and isinstance(element.ops[0], ast.NotIn)):
                    return checked_name(generators[0].iter), element.comparators[0], function == "all"
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.LtE):
        names = _set_of_name(test.left)
        return (names, test.comparators[0], True) if names else None
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "issubset"
        and len(test.args) == 1
    ):
        names = _set_of_name(test.func.value)
        return (names, test.args[0], True) if names else None
    return None


def _set_of_name(node: ast.AST) -> str:
    """``set(cols)`` / ``frozenset(cols)``: the name; '' otherwise."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("set", "frozenset")
        and len(node.args) == 1
    ):
        return checked_name(node.args[0])
    return ""


def stops(body: Sequence[ast.stmt], never_returns: Callable[[str], bool]) -> bool:
    """Does a block always leave (raise, return, abort(), continue...)? Judged on its last statement."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ast.Raise, ast.Return, ast.Continue, ast.Break)):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
        return never_returns(name)
    if isinstance(last, ast.If):
        return stops(last.body, never_returns) and stops(last.orelse, never_returns)
    return False


# Types whose instances are text or hold other values: ``isinstance(v, str)`` or
# ``isinstance(v, (list, tuple))`` tells nothing about what the text holds.
_TEXT_OR_HOLDING_TYPES = frozenset(
    (
        "str",
        "bytes",
        "bytearray",
        "memoryview",
        "object",
        "list",
        "tuple",
        "dict",
        "set",
        "frozenset",
        "type",
        "Any",
        "Sequence",
        "MutableSequence",
        "Iterable",
        "Iterator",
        "Generator",
        "Collection",
        "Container",
        "Reversible",
        "Mapping",
        "MutableMapping",
        "Set",
        "AbstractSet",
        "MutableSet",
        "OrderedDict",
        "defaultdict",
        "deque",
        "Counter",
        "ChainMap",
        "UserDict",
        "UserList",
        "basestring",
        "unicode",
    )
)
_ERROR_SUFFIXES = ("Error", "Exception", "Warning", "Exit", "Interrupt")


def isinstance_classes(test: ast.AST) -> Tuple[str, Sequence[str]]:
    """``isinstance(name, C)`` / ``isinstance(obj.attr, (C, D))``: the checked name and the
    classes as written ('' and () for any other test, or a class not written as a name)."""
    if not (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "isinstance"
        and len(test.args) == 2
        and not test.keywords
    ):
        return "", ()
    name = checked_name(test.args[0])
    written = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    classes = [dotted_name(node, 4) for node in written]
    if not name or not classes or not all(classes):
        return "", ()
    return name, classes


def object_classes(classes: Sequence[str], text_class: Callable[[str], bool], local: Mapping[str, Any]) -> bool:
    """Whether instances of every class so written are objects, not text nor a collection
    of values (nor an exception, whose text the logging checks follow). ``text_class``
    names the libraries' text classes; a class of the file (``local``: name -> ClassInfo)
    is judged by its bases too."""

    def plain(written: str) -> bool:
        last = written.rsplit(".", 1)[-1]
        if not written or last in _TEXT_OR_HOLDING_TYPES or last.endswith(_ERROR_SUFFIXES):
            return False
        return not text_class(written)

    for written in classes:
        if not plain(written):
            return False
        info = local.get(written)
        if info is not None and not all(plain(dotted_name(base, 4)) for base in info.node.bases):
            return False
    return True
