"""SQL3: which functions are worth interpreting (``Gate``)."""

from __future__ import annotations

import ast
import bisect
import builtins
import itertools
import re
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Set, Tuple

from ..engine.driver import FileAnalysis
from ..engine.prefilter import candidate_pattern, word_at
from ..engine.scopes import all_args, walk_statements
from ..engine.values import Shape, Value
from ..knowledge.db_errors import EXCEPTION_PARAMETERS
from ..knowledge.log_values import (
    MODEL_DUMP_FUNCTIONS,
    RESULT_NAMES,
    RESULT_ROW_METHODS,
    ROW_ATTRIBUTES,
    ROW_FETCH_METHODS,
    SERIALIZED_DATA_ATTRIBUTES,
    SERIALIZER_SUFFIX,
)
from ..knowledge.loggers import BIND_FUNCTIONS, BIND_METHODS, LOG_METHODS
from ..knowledge.requests import REQUEST_DATA, REQUEST_DATA_CALLS, REQUEST_NAMES, REQUEST_QUALNAMES
from .log_labels import labels_of, matcher

if TYPE_CHECKING:  # pragma: no cover
    from .logs import SensitiveLogHook

# Every SQL3 finding starts from something the source spells out: a name the sensitive-name
# matcher flags (a variable, attribute, key, keyword or getter), a dump (``__dict__``,
# ``vars()``, ``os.environ``, request data) or a handler of a database exception. Values
# also travel through module-level names and object attributes, so those whose assignment
# shows one of these count too. A function whose text shows none cannot give a finding.
_TOKEN = re.compile(r"[A-Za-z_][\w.-]*")
# Tried only where one of ``_DUMP_WORDS`` starts a word (``word_at``): an expression
# opening with ``\b`` would be tried at every character of the function.
_DUMP_TEXT = re.compile(
    r"__dict__|environ\b|(?:locals|globals|vars)\s*\(|get_secret_value\b|DATABASES\b"
    r"|getpass\b|token_(?:hex|urlsafe|bytes)\b|get_(?:password|credential)\b|generate_key\b"
    r"|database\s*\.\s*\w*connection"
)


def _either(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words)))


# Rows read back whole (``cursor.fetchall()``, ``result.first()``, ``row._mapping``,
# ``model_to_dict()``, ``serializer.data``), tested apart: their words are common.
_ROW_WORDS = re.compile(
    rf"fetch|{_either(ROW_FETCH_METHODS | ROW_ATTRIBUTES | MODEL_DUMP_FUNCTIONS)}|{SERIALIZER_SUFFIX}"
    rf"|\.(?:{_either(RESULT_ROW_METHODS)})\("
)
_ROW_TEXT = re.compile(
    rf"\.\s*(?:{_either(ROW_FETCH_METHODS)})\b|\b(?:{_either(ROW_ATTRIBUTES | MODEL_DUMP_FUNCTIONS)})\b"
    rf"|{SERIALIZER_SUFFIX}\s*\.\s*(?:{_either(SERIALIZED_DATA_ATTRIBUTES)})\b"
    rf"|\b(?:{_either(RESULT_NAMES)})\s*\.\s*(?:{_either(RESULT_ROW_METHODS)})\s*\("
)
_DUMP_WORDS = (
    "__dict__",
    "environ",
    "locals",
    "globals",
    "vars",
    "get_secret_value",
    "DATABASES",
    "database",
    "getpass",
    "token_",
    "get_password",
    "get_credential",
    "generate_key",
)
_REQUEST_DATA_TEXT = re.compile(r"\.\s*(?:" + "|".join(sorted(REQUEST_DATA | REQUEST_DATA_CALLS)) + r")\b")
_BUILTIN_NAMES = frozenset(dir(builtins))
_ATTRIBUTE_READ = re.compile(r"\.\s*([A-Za-z_]\w*)")
# ``.name =`` (also ``+=``, ``.name: int =``; not ``==``, ``<=``, a keyword argument),
# written for the reversed text: "= ... eman."
_REVERSED_ATTRIBUTE_STORE = re.compile(
    r"=(?<![=!<>]=)(?:[-+*/%&|^@]|//|>>|<<|\*\*)?\s*(?:[^=\n:]*:\s*)?(\w+)\s*\.(?!\.)"
)
# A call of a log method (or of structlog's and loguru's binding).
_LOG_CALL = candidate_pattern(
    frozenset(LOG_METHODS | BIND_METHODS | {qualname.rsplit(".", 1)[-1] for qualname in BIND_FUNCTIONS})
)
# An except clause naming an error that may be a database error (``...Error``,
# ``...Exception``, ``DB...``, storage words): the libraries' names and most projects'.
_DB_LIKE_EXCEPT = re.compile(
    r"\bexcept\b[^:]*?(?:Error\b|Exception\b|\bDB|Db[A-Z]|[Dd]atabase|[Ss]ql|SQL|[Ii]ntegrity|[Rr]epository|[Ss]torage)"
)
# How far values are followed from one attribute to the attribute it was assigned from.
_ATTRIBUTE_DEPTH = 6


def calls_a_logger(analysis: FileAnalysis, hook: "SensitiveLogHook", function: ast.AST) -> bool:
    """Whether a line of the function that calls one of the family's names calls a log
    method (the others call a response, or are a route's decorator)."""
    calls = analysis.calls_in(hook, function)
    if calls is None:
        calls = [analysis.source_of(function)]
    return any(_LOG_CALL.search(line) for line in calls)


def may_catch_db_error(text: str) -> bool:
    """Whether an except clause of the text may name a database error."""
    return bool(_DB_LIKE_EXCEPT.search(text))


class Gate:
    """Decides, from the text of a function, whether its log calls could leak."""

    def __init__(self, hook: "SensitiveLogHook", analysis: FileAnalysis) -> None:
        self.hook = hook
        self.analysis = analysis
        self.matcher = matcher(analysis.config)
        module = analysis.module_scope
        final: Dict[str, Value] = dict(module.final) if module is not None and module.final else {}
        self._module_final = final
        self.module_names: Set[str] = set(module.locals) if module is not None else set()
        request_names = set(REQUEST_NAMES) | {
            name for name, value in final.items() if value.imported in REQUEST_QUALNAMES
        }
        self._request_words = tuple(sorted(request_names))
        self._request_names = _words_pattern(request_names)
        self._held_words = tuple(
            sorted(name for name, value in final.items() if labels_of(value) or value.obj is Shape.EXCEPTION)
        )
        self._held_names = _words_pattern(self._held_words)
        self._attributes: Dict[str, bool] = {}
        self._class_level: Optional[Dict[str, List[ast.AST]]] = None
        self._stores: Optional[Dict[str, Set[int]]] = None
        self._scopes: List[Tuple[int, int, int]] = []
        self._scope_stores: Dict[int, Dict[str, List[ast.AST]]] = {}

    def passes(self, function: ast.AST) -> bool:
        text = self.analysis.source_of(function)
        if id(function) in self.hook.answers_only:
            # no log call: only a response can leak here (SQL305), and only a database
            # error's text (``may_run`` checked that an except clause may name one)
            return "except" in text and self._catches_db_error(function)
        return (
            _takes_an_exception(function)  # ``log_failure(msg, exc)``: its callers may hand it one
            or self.leaky_text(text)
            or any(self._attribute_leaks(name, 0) for name in set(_ATTRIBUTE_READ.findall(text)))
            or ("except" in text and self._catches_db_error(function))
        )

    def leaky_text(self, text: str) -> bool:
        # Substring tests first: the expressions confirm the rare hits.
        if word_at(text, _DUMP_WORDS, _DUMP_TEXT):
            return True
        if _ROW_WORDS.search(text) and _ROW_TEXT.search(text):
            return True
        if (
            self._request_names is not None
            and any(name in text for name in self._request_words)
            and self._request_names.search(text)
            and _REQUEST_DATA_TEXT.search(text)
        ):
            return True
        if self._held_names is not None and any(name in text for name in self._held_words):
            if self._held_names.search(text):
                return True
        return self.matcher.any_mentioned(set(_TOKEN.findall(text)))

    # ------------------------------------------------------------------ attributes
    def _attribute_leaks(self, name: str, depth: int) -> bool:
        """Could ``<object>.<name>`` hold a leak? True when one of its assignments (in a
        class body, or ``<anything>.<name> = ...`` anywhere) shows one, directly or
        through another attribute it reads."""
        known = self._attributes.get(name)
        if known is not None:
            return known
        if depth > _ATTRIBUTE_DEPTH:
            return True  # followed too far: assume it may
        self._attributes[name] = False  # a cycle adds nothing
        result = False
        for statement in self._assignments_of(name):
            text = self.analysis.source_of(statement)
            if self.leaky_text(text) or any(
                self._attribute_leaks(other, depth + 1) for other in set(_ATTRIBUTE_READ.findall(text)) - {name}
            ):
                result = True
                break
        self._attributes[name] = result
        return result

    def _assignments_of(self, name: str) -> List[ast.AST]:
        if self._class_level is None:
            self._index_stores()
        assert self._class_level is not None and self._stores is not None
        found = list(self._class_level.get(name, ()))
        for line in self._stores.get(name, ()):
            for statement in self._stores_in(self._scope_at(line)).get(name, ()):
                if statement.lineno <= line <= (statement.end_lineno or statement.lineno):
                    found.append(statement)
        return found

    def _index_stores(self) -> None:
        """Class-level names, and the lines of ``.name =`` in the text (one pass backwards:
        the reversed expression starts with a literal ``=``, which is quick to find)."""
        self._class_level = {}
        for info in {id(c): c for c in self.analysis.classes.values()}.values():
            for statement in info.node.body:
                for target in _assigned(statement):
                    if isinstance(target, ast.Name):
                        self._class_level.setdefault(target.id, []).append(statement)
        self._stores = {}
        source = self.analysis.source
        lines = self.analysis.lines
        starts = [0, *itertools.accumulate(map(len, lines))]
        end = len(source)
        for match in _REVERSED_ATTRIBUTE_STORE.finditer(source[::-1]):
            line = bisect.bisect_right(starts, end - match.end(1))
            self._stores.setdefault(match.group(1)[::-1], set()).add(line)
        self._scopes = sorted(
            ((f.lineno, f.end_lineno or f.lineno, i) for i, (f, _) in enumerate(self.analysis.function_scopes)),
        )

    def _scope_at(self, line: int) -> ast.AST:
        """The function or method (not nested) holding a line, or the module."""
        index = bisect.bisect_right(self._scopes, (line, float("inf"), 0)) - 1
        while index >= 0:
            first, last, which = self._scopes[index]
            if first <= line <= last:
                return self.analysis.function_scopes[which][0]
            index -= 1
            if index >= 0 and self._scopes[index][1] < first:
                break
        return self.analysis.tree

    def _stores_in(self, scope: ast.AST) -> Dict[str, List[ast.AST]]:
        known = self._scope_stores.get(id(scope))
        if known is None:
            known = self._scope_stores[id(scope)] = {}
            for statement in walk_statements(scope, nested=scope is not self.analysis.tree):
                for target in _assigned(statement):
                    if isinstance(target, ast.Attribute):
                        known.setdefault(target.attr, []).append(statement)
        return known

    # ------------------------------------------------------------------ exceptions
    def _catches_db_error(self, function: ast.AST) -> bool:
        analysis = self.analysis
        for node in walk_statements(function, nested=True):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            if any(name not in self.module_names and name not in _BUILTIN_NAMES for name in names):
                return True  # a local or an attribute of self: known only when the function runs
            types = analysis.module_exception_types(node.type)
            if self.hook.is_db_error(analysis, None, types) is not None:
                return True
        return False


def _takes_an_exception(function: ast.AST) -> bool:
    args = getattr(function, "args", None)
    return args is not None and any(arg.arg in EXCEPTION_PARAMETERS for arg in all_args(args))


def _words_pattern(names: Iterable[str]) -> "Optional[re.Pattern[str]]":
    names = sorted(names)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b") if names else None


def _assigned(statement: ast.AST) -> List[ast.AST]:
    if isinstance(statement, ast.Assign):
        return statement.targets
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and statement.value is not None:
        return [statement.target]
    return []
