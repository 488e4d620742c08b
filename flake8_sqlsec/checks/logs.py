"""SQL3: sensitive data in log calls (SQL301-SQL304).

Every part of a log call is inspected: the message when it is built (f-string,
``str.format()``, ``%``, ``+``), the positional arguments, a dict used with ``%(name)s``,
``extra=``, and the keyword fields of structlog and loguru (also in ``bind()``). What is
judged is the value logged: the variable, attribute, dict key, item key or keyword that
names it, and what the value was read from (``pw = request.form["password"]``) or built
from (``msg = f"... {password}"``). Words in the message literal never count:
``LOG.info("Invalid password")`` is clean.

Values that cannot carry a secret are not reported: numbers and flags (``len(password)``,
``has_password``), literals, and results of masking, hashing and redacting functions.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import itertools
import re
from dataclasses import replace
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from ..analysis import FileAnalysis, Hook, register_hook, walk_statements
from ..analysis.interpreter import CallSite, Interpreter, dotted_text
from ..analysis.loggers import is_log_call, local_ancestors
from ..analysis.strings import percent_placeholders
from ..analysis.values import Kind, Value, merge_sensitive
from ..config import Config
from ..knowledge import sql_apis
from ..knowledge.db_errors import DB_NAME_HINT, EXC_SAFE, EXC_TEXT, STDLIB, known_db_error
from ..knowledge.log_values import (
    GETTER_VERBS,
    KEYED_READS,
    KEYS_ONLY_FUNCTIONS,
    MASK_LAST_WORDS,
    MASK_NAMES,
    MASK_PREFIXES,
    MODULE_NAMES,
    NOT_FIELDS,
    NUMBER_OR_FLAG_FUNCTIONS,
    SAME_DATA_FUNCTIONS,
    SAME_DATA_METHODS,
    SHA_NAME,
    URL_WORDS,
)
from ..knowledge.loggers import BIND_FUNCTIONS, BIND_METHODS, LOG_METHODS
from ..knowledge.requests import REQUEST_DATA, REQUEST_DATA_CALLS, REQUEST_NAMES, REQUEST_QUALNAMES
from ..sensitive import CONNECTION, SECRET, NameMatcher, mentions_secret, words
from .raw_sql import sink_position

SQL_SECRET, SQL_CONNECTION, SQL_EXCEPTION, SQL_DUMP = "SQL301", "SQL302", "SQL303", "SQL304"
CODES = (SQL_SECRET, SQL_CONNECTION, SQL_EXCEPTION, SQL_DUMP)
_CATEGORY_CODE = {SECRET: SQL_SECRET, CONNECTION: SQL_CONNECTION}

# Labels in Value.sensitive: an identifier, "*<dump>", or "!<name>\0<exception types>".
_DUMP = "*"
_EXCEPTION = "!"


_MATCHERS: Dict[Tuple[object, object], NameMatcher] = {}


def _matcher(config: Config) -> NameMatcher:
    key = (config.sensitive_names, config.safe_names)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        matcher = _MATCHERS[key] = NameMatcher(config.sensitive_names, config.safe_names)
    return matcher


def _identifier_like(text: str) -> bool:
    return 0 < len(text) <= 80 and bool(re.match(r"^[A-Za-z_][\w.-]*$", text))


def _tag(value: Value, label: str) -> Value:
    if label in value.sensitive:
        return value
    return replace(value, sensitive=merge_sensitive(value.sensitive, (label,)))


def _taggable(value: Value) -> bool:
    """Could this value be a string or a collection that holds a secret?"""
    if value.masked:
        return False
    kind = value.obj
    if kind is None:
        return value.kind in (Kind.UNKNOWN, Kind.BUILT)
    return kind in ("dict", "container") or kind.startswith(("qual:", "instance:"))


def _labels(value: Value) -> Tuple[str, ...]:
    labels = value.sensitive
    if value.element is not None and value.element.sensitive:
        labels = merge_sensitive(labels, value.element.sensitive)
    return labels


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


@register_hook
class SensitiveLogHook(Hook):
    family = "SQL3"
    codes = CODES
    candidate_names = frozenset(LOG_METHODS | BIND_METHODS | {q.rsplit(".", 1)[-1] for q in BIND_FUNCTIONS})

    def __init__(self) -> None:
        self._matcher: Optional[NameMatcher] = None
        self._masking: Dict[str, bool] = {}
        self._db_errors: Dict[str, bool] = {}

    def refines_values(self, config: Config) -> bool:
        return True

    # Most functions that log cannot leak: only those whose text reads a sensitive name,
    # takes a dump or catches a database error are interpreted (see _Gate).
    gated = True

    def worth_running(self, analysis: FileAnalysis, function: ast.AST) -> bool:
        gate = analysis.data.get("SQL3 gate")
        if gate is None:
            gate = analysis.data["SQL3 gate"] = _Gate(self, analysis)
        return gate.passes(function)

    def finish(self, analysis: FileAnalysis) -> None:
        # The gate refers to the analysis: dropping it leaves no cycle, so the file's tree
        # and values are freed as soon as flake8 is done with them, not at the next full
        # garbage collection.
        analysis.data.pop("SQL3 gate", None)

    # ------------------------------------------------------------------ names
    def category(self, analysis: FileAnalysis, identifier: str) -> Optional[str]:
        if self._matcher is None:
            self._matcher = _matcher(analysis.config)
        return self._matcher.classify(identifier)

    def is_masking(self, analysis: FileAnalysis, name: str, qualname: Optional[str] = None) -> bool:
        if not name:
            return False
        configured = analysis.config.masking_functions
        if configured and (
            name in configured
            or (
                qualname is not None and (qualname in configured or any(qualname.endswith("." + c) for c in configured))
            )
        ):
            return True
        known = self._masking.get(name)
        if known is None:
            lower = name.lower().lstrip("_")
            parts = words(name)
            known = (
                lower.startswith(MASK_PREFIXES)
                or bool(SHA_NAME.match(name))
                or lower in MASK_NAMES
                or (bool(parts) and parts[-1] in MASK_LAST_WORDS)
            )
            self._masking[name] = known
        return known

    def is_db_error(self, analysis: FileAnalysis, interp: Interpreter, types: Iterable[str]) -> Optional[str]:
        """The first of the exception types that is a database error, if any."""
        for name in types:
            known = self._db_errors.get(name)
            if known is None:
                known = self._db_error_type(analysis, interp, name, 0)
                self._db_errors[name] = known
            if known:
                return name
        return None

    def _db_error_type(self, analysis: FileAnalysis, interp: Interpreter, name: str, depth: int) -> bool:
        if depth > 6:
            return False
        if name.startswith("class:"):
            if name[6:] not in analysis.classes:
                return False
            bases = local_ancestors(analysis, name, interp.lookup)
            return any(
                not base.startswith("class:") and self._db_error_type(analysis, interp, base, depth + 1)
                for base in bases
            )
        known = known_db_error(name)
        if known is not None:
            return known
        # A class of the project: its ancestors tell, as far as its modules show them.
        if not analysis.config.wants(SQL_EXCEPTION):
            return False
        if not (
            name.startswith(".")
            or DB_NAME_HINT.search(name.rsplit(".", 1)[-1])
            or name.split(".", 1)[0] not in STDLIB
        ):
            return False
        return any(known_db_error(ancestor) for ancestor in analysis.project.ancestors(name))

    # ------------------------------------------------------------------ following values
    def refine_read(
        self, analysis: FileAnalysis, interp: Interpreter, value: Value, node: ast.AST, identifier: Optional[str]
    ) -> Value:
        if value.masked:
            return value
        if value.obj == "exception":
            if isinstance(node, ast.Name) and value.exc_types:
                return _tag(value, _EXCEPTION + node.id + "\0" + ",".join(value.exc_types))
            return value
        if isinstance(node, ast.Attribute):
            dump = self._dump_attribute(interp, node, value)
            if dump:
                return _tag(value, _DUMP + dump)
            base = node.value
            if node.attr in EXC_TEXT and isinstance(base, ast.Name):
                held = interp.lookup(base.id)
                if held.obj == "exception" and held.exc_types:
                    return _tag(value, _EXCEPTION + f"{base.id}.{node.attr}\0" + ",".join(held.exc_types))
        if identifier is None:
            if isinstance(node, ast.Name):
                identifier = node.id
            elif isinstance(node, ast.Attribute):
                identifier = node.attr
            elif isinstance(node, ast.Subscript):
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and _identifier_like(key.value):
                    identifier = key.value
        if identifier is None or not _taggable(value):
            return value
        if self.category(analysis, identifier) is not None:
            if (
                isinstance(node, ast.Name)
                and value.obj is not None
                and value.obj.startswith("qual:")
                and (value.obj == "qual:" + identifier or identifier in MODULE_NAMES)
            ):
                return value  # ``import secrets``: the module
            return _tag(value, identifier)
        return value

    def refine_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite, value: Value) -> Value:
        callee = site.callee
        name = callee.name
        node = site.node
        if self.is_masking(analysis, name, callee.qualname):
            return replace(value, masked=True, sensitive=(), element=None)
        if name in KEYED_READS and node.args:
            index = 1 if name == "getattr" else 0
            for arg in node.args[index : index + 2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _identifier_like(arg.value):
                    value = self.refine_read(analysis, interp, value, node, arg.value)
            return value
        if not callee.method and callee.qualname in ("locals", "globals", "vars"):
            what = dotted_text(node.args[0]) if node.args else ""
            return _tag(value, f"{_DUMP}{callee.qualname}({what})")
        if (
            callee.method
            and name in REQUEST_DATA_CALLS
            and isinstance(node.func, ast.Attribute)
            and self._is_request(interp, node.func.value)
        ):
            return _tag(value, f"{_DUMP}{callee.receiver_text}.{name}()")
        if name in SAME_DATA_METHODS and callee.method and callee.receiver is not None:
            labels = _labels(callee.receiver)
            if labels:
                return replace(value, sensitive=merge_sensitive(value.sensitive, labels))
            return value
        if (
            name in SAME_DATA_FUNCTIONS
            and not callee.method
            or (callee.qualname or "").endswith((".dumps", ".pformat", ".b64encode", ".urlsafe_b64encode", ".asdict"))
        ):
            labels: Tuple[str, ...] = ()
            for arg in site.args[:1]:
                labels = merge_sensitive(labels, _labels(arg))
            for key, arg in site.keywords.items():
                if key is not None and _taggable(arg) and self.category(analysis, key) is not None:
                    labels = merge_sensitive(labels, (key,))
                labels = merge_sensitive(labels, _labels(arg))
            if labels:
                return replace(value, sensitive=merge_sensitive(value.sensitive, labels))
            return value
        if name and _taggable(value) and self.category(analysis, name) is not None and words(name)[0] in GETTER_VERBS:
            return _tag(value, name)  # get_password(), build_dsn()
        return value

    def _is_request(self, interp: Interpreter, node: ast.AST) -> bool:
        """An incoming web request: the framework's ``request``, a view's ``request``
        parameter, ``self.request``. A ``req`` or ``response.request`` the code built or got
        back from an HTTP client is its own outgoing traffic, not what a user sent."""
        if isinstance(node, ast.Name):
            held = interp.lookup(node.id)
            if held.obj is not None and held.obj[5:] in REQUEST_QUALNAMES:
                return True
            return node.id in REQUEST_NAMES and (held.from_input or bool(held.params))
        if isinstance(node, ast.Attribute):
            return node.attr in REQUEST_NAMES and isinstance(node.value, ast.Name) and node.value.id == "self"
        return False

    def _dump_attribute(self, interp: Interpreter, node: ast.Attribute, value: Optional[Value]) -> str:
        """``request.form``, ``os.environ``, ``obj.__dict__``: the label of the dump, or ''."""
        attr = node.attr
        if attr == "__dict__":
            return dotted_text(node)
        if attr in REQUEST_DATA and self._is_request(interp, node.value):
            return dotted_text(node)
        if attr == "environ" and value is not None and value.obj == "qual:os.environ":
            return "os.environ"
        return ""

    # ------------------------------------------------------------------ log calls
    def on_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        callee = site.callee
        if callee.name not in self.candidate_names or not is_log_call(analysis, callee):
            return
        inspector = _Inspector(self, analysis, interp, site)
        inspector.run()
        if not inspector.found:
            return
        label = f"{callee.receiver_text}.{callee.name}()" if callee.method else f"{callee.name}()"
        position = sink_position(site.node)
        for code, whats in inspector.found.items():
            analysis.report(
                code,
                position,
                f"{_listed(list(whats))} passed to {label}",
                ("SQL3", code, id(site.node)),
                hint=inspector.hints.get(code, ""),
            )


_MAX_LISTED = 4


_THROUGH = re.compile(r"^.* \(through (?P<name>[^()]+)\)$")


def _listed(whats: List[str]) -> str:
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


class _Inspector:
    """Walks the parts of one log call and collects the first leak of each rule."""

    def __init__(self, hook: SensitiveLogHook, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        self.hook = hook
        self.analysis = analysis
        self.interp = interp
        self.site = site
        # code -> every leak of that rule in the call, in the order met (one finding names all)
        self.found: Dict[str, Dict[str, None]] = {}
        self.hints: Dict[str, str] = {}

    def emit(self, code: str, what: str, hint: str = "") -> None:
        if code in self.analysis.config.selected:
            self.found.setdefault(code, {})[what] = None
            if hint:
                self.hints.setdefault(code, hint)

    def value_of(self, node: ast.AST) -> Value:
        """Evaluate a part of the call again, without reporting anything from it."""
        self.analysis.silent += 1
        try:
            return self.interp.eval(node)
        finally:
            self.analysis.silent -= 1

    def category(self, identifier: str) -> Optional[str]:
        return self.hook.category(self.analysis, identifier)

    # ------------------------------------------------------------------ the call
    def run(self) -> None:
        site = self.site
        node = site.node
        callee = site.callee
        positional = list(node.args)
        start = 1 if callee.name == "log" and callee.method else 0  # LOG.log(level, msg, ...)
        message = positional[start] if len(positional) > start else None
        named: Optional[FrozenSet[str]] = None
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            keys = {key for key, _ in percent_placeholders(message.value) or () if isinstance(key, str)}
            if keys and len(positional) == start + 2 and isinstance(positional[start + 1], ast.Dict):
                named = frozenset(keys)  # LOG.info("%(user)s", {"user": u, ...}): only those keys
        for index, arg in enumerate(positional[start:], start):
            known = site.args[index] if index < len(site.args) and not site.starred else None
            if named is not None and index == start + 1 and isinstance(arg, ast.Dict):
                self.mapping(arg, named)
            else:
                self.expr(arg, known)
        for kw in node.keywords:
            if kw.arg in NOT_FIELDS:
                continue
            known = site.keywords.get(kw.arg)
            if kw.arg is None or kw.arg == "extra":
                self.expr(kw.value, known)
            else:
                self.pair(kw.arg, kw.value, known)

    # ------------------------------------------------------------------ expressions
    def expr(self, node: ast.AST, known: Optional[Value] = None, keys_only: bool = False) -> None:
        if isinstance(node, ast.Constant) or known is not None and _cleared(known):
            return
        if isinstance(node, ast.Name):
            self.name(node, known, keys_only)
        elif isinstance(node, ast.Attribute):
            self.attribute(node, known, keys_only)
        elif isinstance(node, ast.Subscript):
            self.subscript(node, known)
        elif isinstance(node, ast.Call):
            self.call(node, known, keys_only)
        elif isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    spec = part.format_spec
                    if spec is not None and _numeric_spec(spec):
                        continue
                    self.expr(part.value)
        elif isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add):
                self.expr(node.left)
                self.expr(node.right)
            elif isinstance(node.op, ast.Mod):
                self.percent(node.left, node.right)
        elif isinstance(node, ast.Dict):
            self.mapping(node, None)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                self.expr(element, keys_only=keys_only)
        elif isinstance(node, (ast.Starred, ast.Await, ast.NamedExpr)):
            self.expr(node.value, keys_only=keys_only)
        elif isinstance(node, ast.IfExp):
            self.expr(node.body)
            self.expr(node.orelse)
        elif isinstance(node, ast.BoolOp):
            for operand in node.values:
                self.expr(operand)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            self.expr(node.elt)
        elif isinstance(node, ast.DictComp):
            self.expr(node.value)
        # comparisons, arithmetic, lambdas: no text of the operands gets through

    def percent(self, left: ast.AST, right: ast.AST) -> None:
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            keys = {key for key, _ in percent_placeholders(left.value) or () if isinstance(key, str)}
            if isinstance(right, ast.Dict):
                self.mapping(right, frozenset(keys) if keys else None)
            else:
                self.expr(right)
            return
        self.expr(left)
        self.expr(right)

    def mapping(self, node: ast.Dict, only: Optional[FrozenSet[str]]) -> None:
        for key, value in zip(node.keys, node.values):
            if key is None:
                self.expr(value)  # {**os.environ}
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                if only is None or key.value in only:
                    self.pair(key.value, value)
            else:
                self.expr(value)

    def pair(self, key: str, node: ast.AST, known: Optional[Value] = None) -> None:
        """A value logged under a name: a keyword field, a dict key, a format keyword."""
        category = self.category(key) if _identifier_like(key) else None
        if category is None:
            self.expr(node, known)
            return
        if isinstance(node, ast.Constant) or self._named_excluded(node):
            return
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            return  # {"token": token[:4]}
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if (
                name in KEYS_ONLY_FUNCTIONS
                or name in NUMBER_OR_FLAG_FUNCTIONS
                or self.hook.is_masking(self.analysis, name, self._qualname(node.func))
            ):
                return
        value = known if known is not None else self.value_of(node)
        if _cleared(value):
            return
        self.emit(_CATEGORY_CODE[category], f"'{key}'")
        self.expr(node, value)  # also what else it holds (a database exception, a dump)

    def _named_excluded(self, node: ast.AST) -> bool:
        """``{"token": token_count}``: the value's own name says it is not the secret."""
        identifier = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        return identifier is not None and self.category(identifier) is None and mentions_secret(identifier)

    def name(self, node: ast.Name, known: Optional[Value], keys_only: bool = False) -> None:
        value = known if known is not None else self.value_of(node)
        if _cleared(value):
            return
        category = self.category(node.id)
        if category is not None and not (
            value.obj is not None
            and value.obj.startswith("qual:")
            and (value.obj == "qual:" + node.id or node.id in MODULE_NAMES)
        ):
            if not (keys_only and value.obj == "dict"):
                self.emit(_CATEGORY_CODE[category], f"'{node.id}'")
        self.labels(value, node.id, keys_only)

    def attribute(self, node: ast.Attribute, known: Optional[Value], keys_only: bool = False) -> None:
        attr = node.attr
        value = known
        if attr == "environ" and value is None:
            value = self.value_of(node)
        dump = self.hook._dump_attribute(self.interp, node, value)
        if dump:
            if not keys_only:
                self.emit(SQL_DUMP, dump)
            return
        chain = []
        root: ast.AST = node
        while isinstance(root, ast.Attribute):
            chain.append(root.attr)
            root = root.value
        chain.reverse()
        if isinstance(root, ast.Name):
            held = self.interp.lookup(root.id)
            if held.obj == "exception":
                if chain[0] in EXC_TEXT and chain[-1] not in EXC_SAFE and held.exc_types:
                    self.exception(root.id, held.exc_types, ".".join([root.id] + chain))
                return
        if (
            attr in ("connection", "slave_connection", "connection_string", "connection_url")
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "database"
        ):
            self.emit(SQL_CONNECTION, f"'{dotted_text(node)}'")  # oslo.config CONF.database.connection
            return
        identifier = attr
        if attr in ("data", "value", "raw_data", "plaintext") and isinstance(node.value, ast.Attribute):
            identifier = node.value.attr  # WTForms form.password.data
        category = self.category(identifier)
        if category is None:
            if value is not None:
                self.labels(value, dotted_text(node), keys_only)
            return
        value = value if value is not None else self.value_of(node)
        if _cleared(value):
            return
        if category == SECRET and attr == "password" and self._url_like(node.value):
            self.emit(SQL_CONNECTION, f"'{dotted_text(node)}'")
            return
        self.emit(_CATEGORY_CODE[category], f"'{dotted_text(node)}'")

    def _url_like(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            return _call_name(node) in ("make_url", "URL", "create", "urlparse", "urlsplit")
        identifier = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return any(word in URL_WORDS for word in words(identifier))

    def subscript(self, node: ast.Subscript, known: Optional[Value]) -> None:
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            category = self.category(key.value) if _identifier_like(key.value) else None
            if category is None:
                base = node.value
                if (base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")) == "DATABASES":
                    # settings.DATABASES["default"]: one database's settings, password included
                    self.emit(SQL_CONNECTION, f"'{dotted_text(base)}[{key.value!r}]'")
                return  # os.environ["HOME"], request.form["email"]
            value = known if known is not None else self.value_of(node)
            if _cleared(value):
                return
            self.emit(_CATEGORY_CODE[category], f"'{key.value}'")
            return
        if isinstance(key, ast.Slice):
            return  # token[:4]: a few characters, the usual way to mask
        self.expr(node.value)

    def call(self, node: ast.Call, known: Optional[Value], keys_only: bool = False) -> None:
        func = node.func
        name = _call_name(node)
        method = isinstance(func, ast.Attribute)
        if self.hook.is_masking(self.analysis, name, self._qualname(func)):
            return
        if method and name in ("format", "format_map"):
            if not isinstance(func.value, ast.Constant):  # type: ignore[attr-defined]
                self.expr(func.value)  # type: ignore[attr-defined]
            for arg in node.args:
                self.expr(arg)
            for kw in node.keywords:
                if kw.arg is None:
                    self.expr(kw.value)
                else:
                    self.pair(kw.arg, kw.value)
            return
        if method and name == "join":
            for arg in node.args[:1]:
                self.expr(arg)
            return
        if name in KEYED_READS and node.args:
            index = 1 if name == "getattr" else 0
            for arg in node.args[index : index + 2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _identifier_like(arg.value):
                    category = self.category(arg.value)
                    if category is not None:
                        value = known if known is not None else self.value_of(node)
                        if not _cleared(value):
                            self.emit(_CATEGORY_CODE[category], f"'{arg.value}'")
                        return
            if name == "getattr" and len(node.args) > 2:
                self.expr(node.args[2])
            return
        qualname = self._qualname(func)
        if not method and qualname in ("locals", "globals", "vars"):
            if not keys_only:
                what = dotted_text(node.args[0]) if node.args else ""
                self.emit(SQL_DUMP, f"{qualname}({what})")
            return
        if (
            isinstance(func, ast.Attribute)
            and name in REQUEST_DATA_CALLS
            and self.hook._is_request(self.interp, func.value)
        ):
            if not keys_only:
                self.emit(SQL_DUMP, f"{dotted_text(func)}()")
            return
        if name == "get_secret_value":
            self.emit(SQL_SECRET, f"'{dotted_text(func)}()'")
            return
        if name in ("render_as_string", "__to_string__"):
            if any(
                kw.arg == "hide_password" and isinstance(kw.value, ast.Constant) and kw.value.value is False
                for kw in node.keywords
            ):
                self.emit(SQL_CONNECTION, f"{dotted_text(func)}(hide_password=False)")
            return
        if not method and name in NUMBER_OR_FLAG_FUNCTIONS:
            return
        if name in KEYS_ONLY_FUNCTIONS:
            for arg in node.args[:1]:
                self.expr(arg, keys_only=True)
            if method and name == "keys":
                return
            return
        if method and name in SAME_DATA_METHODS:
            self.expr(func.value, keys_only=keys_only)  # type: ignore[attr-defined]
            return
        if (
            not method
            and name in SAME_DATA_FUNCTIONS
            or (qualname or "").endswith((".dumps", ".pformat", ".b64encode", ".urlsafe_b64encode", ".asdict"))
        ):
            for arg in node.args[:1]:
                self.expr(arg)
            for kw in node.keywords:
                if kw.arg is None:
                    self.expr(kw.value)
                else:
                    self.pair(kw.arg, kw.value)
            return
        parts = words(name)
        if parts and parts[0] in GETTER_VERBS:
            category = self.category(name)
            if category is not None:
                self.emit(_CATEGORY_CODE[category], f"'{name}()'")
        # any other call: what it returns is its own business

    def _qualname(self, func: ast.AST) -> Optional[str]:
        parts = []
        current = func
        while isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            return None
        if current.id in ("locals", "globals", "vars") and not parts:
            if current.id in self.interp.state or current.id in self.interp.scope.locals:
                return None
            return current.id
        held = self.interp.lookup(current.id)
        if held.obj is None or not held.obj.startswith("qual:"):
            return None
        return sql_apis.canonical(".".join([held.obj[5:]] + list(reversed(parts))))

    # ------------------------------------------------------------------ labels
    def labels(self, value: Value, through: str, keys_only: bool = False) -> None:
        for label in _labels(value):
            if label.startswith(_DUMP):
                if not keys_only:
                    self.emit(SQL_DUMP, f"{label[1:]} (through {through})" if label[1:] != through else label[1:])
            elif label.startswith(_EXCEPTION):
                name, _, types = label[1:].partition("\0")
                self.exception(name, tuple(types.split(",")), name, through)
            else:
                category = self.category(label)
                if category is not None and label != through:
                    self.emit(_CATEGORY_CODE[category], f"'{label}' (through {through})")

    def exception(self, name: str, types: Tuple[str, ...], shown: str, through: str = "") -> None:
        found = self.hook.is_db_error(self.analysis, self.interp, types)
        if found is None:
            return
        kind = found[6:] if found.startswith("class:") else found.rsplit(".", 1)[-1]
        via = f" (through {through})" if through and through != name and through != shown else ""
        hint = _exception_hint(found, self.analysis.imported_modules)
        if shown == name:
            self.emit(SQL_EXCEPTION, f"the text of {kind} '{name}'{via}", hint)
        else:
            self.emit(SQL_EXCEPTION, f"'{shown}' of {kind}{via}", hint)


# Exceptions raised through SQLAlchemy carry its statement and parameters, which the
# engine's hide_parameters=True keeps out; a driver's own error text has no such switch.
_HIDE_PARAMETERS_ROOTS = frozenset(("sqlalchemy", "oslo_db", "flask_sqlalchemy", "sqlmodel"))
_HINT_HIDE_PARAMETERS = "log the exception class or a fixed message, and create the engine with hide_parameters=True"
_HINT_DRIVER = "log the exception class (type(exc).__name__) or a fixed message; the driver's text can quote the values"


def _exception_hint(found: str, imported: FrozenSet[str]) -> str:
    if found.startswith("class:"):  # a class of this file: its library is in the imports
        roots = {module.split(".", 1)[0] for module in imported}
        return _HINT_HIDE_PARAMETERS if roots & _HIDE_PARAMETERS_ROOTS else _HINT_DRIVER
    root = sql_apis.canonical(found).lstrip(".").split(".", 1)[0]
    return _HINT_HIDE_PARAMETERS if root in _HIDE_PARAMETERS_ROOTS else _HINT_DRIVER


# --- which functions are worth interpreting ------------------------------------------

# Every SQL3 finding starts from something the source spells out: a name the sensitive-name
# matcher flags (a variable, attribute, key, keyword or getter), a dump (``__dict__``,
# ``vars()``, ``os.environ``, request data) or a handler of a database exception. Values
# also travel through module-level names and object attributes, so those whose assignment
# shows one of these count too. A function whose text shows none cannot give a finding.
_TOKEN = re.compile(r"[A-Za-z_][\w.-]*")
_DUMP_TEXT = re.compile(
    r"__dict__|\benviron\b|\b(?:locals|globals|vars)\s*\(|\bget_secret_value\b|\bDATABASES\b"
    r"|\bdatabase\s*\.\s*\w*connection"
)
_DUMP_WORDS = ("__dict__", "environ", "locals", "globals", "vars", "get_secret_value", "DATABASES", "database")
_REQUEST_DATA_TEXT = re.compile(r"\.\s*(?:" + "|".join(sorted(REQUEST_DATA | REQUEST_DATA_CALLS)) + r")\b")
_BUILTIN_NAMES = frozenset(dir(builtins))
_ATTRIBUTE_READ = re.compile(r"\.\s*([A-Za-z_]\w*)")
# ``.name =`` (also ``+=``, ``.name: int =``; not ``==``, ``<=``, a keyword argument),
# written for the reversed text: "= ... eman."
_REVERSED_ATTRIBUTE_STORE = re.compile(
    r"=(?<![=!<>]=)(?:[-+*/%&|^@]|//|>>|<<|\*\*)?\s*(?:[^=\n:]*:\s*)?(\w+)\s*\.(?!\.)"
)
# How far values are followed from one attribute to the attribute it was assigned from.
_ATTRIBUTE_DEPTH = 6


class _Gate:
    """Decides, from the text of a function, whether its log calls could leak."""

    def __init__(self, hook: "SensitiveLogHook", analysis: FileAnalysis) -> None:
        self.hook = hook
        self.analysis = analysis
        self.matcher = _matcher(analysis.config)
        module = analysis.module_scope
        final: Dict[str, Value] = dict(module.final) if module is not None and module.final else {}
        self._module_final = final
        self.module_names: Set[str] = set(module.locals) if module is not None else set()
        request_names = set(REQUEST_NAMES) | {
            name for name, value in final.items() if value.obj is not None and value.obj[5:] in REQUEST_QUALNAMES
        }
        self._request_words = tuple(sorted(request_names))
        self._request_names = _words_pattern(request_names)
        self._held_words = tuple(
            sorted(name for name, value in final.items() if _labels(value) or value.obj == "exception")
        )
        self._held_names = _words_pattern(self._held_words)
        self._attributes: Dict[str, bool] = {}
        self._class_level: Optional[Dict[str, List[ast.AST]]] = None
        self._stores: Optional[Dict[str, Set[int]]] = None
        self._scopes: List[Tuple[int, int, int]] = []
        self._scope_stores: Dict[int, Dict[str, List[ast.AST]]] = {}

    def passes(self, function: ast.AST) -> bool:
        text = self.analysis.source_of(function)
        return (
            self.leaky_text(text)
            or any(self._attribute_leaks(name, 0) for name in set(_ATTRIBUTE_READ.findall(text)))
            or ("except" in text and self._catches_db_error(function))
        )

    def leaky_text(self, text: str) -> bool:
        # Substring tests first: the expressions confirm the rare hits.
        if any(word in text for word in _DUMP_WORDS) and _DUMP_TEXT.search(text):
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
        mentions = self.matcher.mentions
        return any(mentions(token) for token in set(_TOKEN.findall(text)))

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
        interp: Optional[Interpreter] = None
        for node in walk_statements(function, nested=True):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            if any(name not in self.module_names and name not in _BUILTIN_NAMES for name in names):
                return True  # a local or an attribute of self: known only when the function runs
            if interp is None:
                assert analysis.module_scope is not None
                interp = Interpreter(analysis, analysis.module_scope, dict(self._module_final))
            analysis.silent += 1
            try:
                types = analysis.exception_types(interp, node.type)
            finally:
                analysis.silent -= 1
            if self.hook.is_db_error(analysis, interp, types) is not None:
                return True
        return False


def _words_pattern(names: Iterable[str]) -> "Optional[re.Pattern[str]]":
    names = sorted(names)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b") if names else None


def _assigned(statement: ast.AST) -> List[ast.AST]:
    if isinstance(statement, ast.Assign):
        return statement.targets
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and statement.value is not None:
        return [statement.target]
    return []


def _cleared(value: Value) -> bool:
    """Values that cannot carry a secret: masked, numbers and flags, literals, objects."""
    if value.masked:
        return True
    kind = value.obj
    if kind is None:
        return value.kind in (Kind.CONST, Kind.SAFE)
    if kind in ("dict", "container", "exception") or kind.startswith(("qual:", "instance:")):
        return False
    return True  # numbers, loggers, functions, classes, connections...


def _numeric_spec(spec: ast.AST) -> bool:
    if isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and isinstance(spec.values[0], ast.Constant):
        text = str(spec.values[0].value)
        return bool(re.match(r"^[-+ #0-9,_.]*[bdoxXneEfFgG%]$", text))
    return False
