"""SQL3: the parts of one log call, walked for what they hold (``Inspector``)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, FrozenSet, Optional, Tuple

from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.interpreter import Interpreter
from ..engine.scopes import dotted_name, dotted_text
from ..engine.strings import percent_placeholders
from ..engine.values import LocalClass, Ref, Shape, Value
from ..knowledge.db_errors import EXC_SAFE, EXC_TEXT
from ..knowledge.log_values import (
    DATABASE_OPTION_CONNECTIONS,
    FIELD_VALUE_ATTRIBUTES,
    KEYS_ONLY_FUNCTIONS,
    MODULE_NAMES,
    NOT_FIELDS,
    NO_SECRET_METHODS,
    NUMBER_OR_FLAG_FUNCTIONS,
    URL_FUNCTIONS,
    URL_WORDS,
)
from .sensitive_names import SECRET, mentions_secret, words
from .log_labels import (
    CATEGORY_CODE,
    SQL_CONNECTION,
    SQL_DUMP,
    SQL_EXCEPTION,
    SQL_SECRET,
    DbError,
    Dump,
    Named,
    Revealed,
    call_name,
    cleared,
    exception_hint,
    identifier_like,
    labels_of,
    numeric_spec,
)

if TYPE_CHECKING:  # pragma: no cover
    from .logs import SensitiveLogHook


class Inspector:
    """Walks the parts of one log call and collects the first leak of each rule."""

    def __init__(self, hook: "SensitiveLogHook", analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
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
        return self.analysis.peek(self.interp, node)

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
        if isinstance(node, ast.Constant) or known is not None and cleared(known):
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
                    if spec is not None and numeric_spec(spec):
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
        category = self.category(key) if identifier_like(key) else None
        if category is None:
            self.expr(node, known)
            return
        if isinstance(node, ast.Constant) or self._named_excluded(node):
            return
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            return  # {"token": token[:4]}
        if isinstance(node, ast.Call):
            name = call_name(node)
            if (
                name in KEYS_ONLY_FUNCTIONS
                or name in NUMBER_OR_FLAG_FUNCTIONS
                or (isinstance(node.func, ast.Attribute) and name in NO_SECRET_METHODS)
                or self.hook.is_masking(self.analysis, name, self.analysis.qualname_of(self.interp, node.func))
            ):
                return
        value = known if known is not None else self.value_of(node)
        if cleared(value):
            return
        self.emit(CATEGORY_CODE[category], f"'{key}'")
        self.expr(node, value)  # also what else it holds (a database exception, a dump)

    def _named_excluded(self, node: ast.AST) -> bool:
        """``{"token": token_count}``: the value's own name says it is not the secret."""
        identifier = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        return identifier is not None and self.category(identifier) is None and mentions_secret(identifier)

    def name(self, node: ast.Name, known: Optional[Value], keys_only: bool = False) -> None:
        value = known if known is not None else self.value_of(node)
        if cleared(value):
            return
        category = self.category(node.id)
        if category is not None and not (
            value.imported is not None and (value.imported == node.id or node.id in MODULE_NAMES)
        ):
            if not (keys_only and value.obj is Shape.DICT):
                self.emit(CATEGORY_CODE[category], f"'{node.id}'")
        self.labels(value, node.id, keys_only)

    def attribute(self, node: ast.Attribute, known: Optional[Value], keys_only: bool = False) -> None:
        attr = node.attr
        value = known
        if attr == "environ" and value is None:
            value = self.value_of(node)
        dump = self.hook.dump_attribute(self.interp, node, value)
        if dump:
            if not keys_only:
                self.emit(SQL_DUMP, dump)
            return
        dotted = dotted_name(node)
        if dotted:
            root, *chain = dotted.split(".")
            held = self.interp.lookup(root)
            if held.obj is Shape.EXCEPTION:
                if chain[0] in EXC_TEXT and chain[-1] not in EXC_SAFE and held.exc_types:
                    self.exception(root, held.exc_types, dotted)
                return
        if (
            attr in DATABASE_OPTION_CONNECTIONS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "database"
        ):
            self.emit(SQL_CONNECTION, f"'{dotted_text(node)}'")  # oslo.config CONF.database.connection
            return
        identifier = attr
        if attr in FIELD_VALUE_ATTRIBUTES and isinstance(node.value, ast.Attribute):
            identifier = node.value.attr  # WTForms form.password.data
        category = self.category(identifier)
        if category is None:
            if value is not None:
                self.labels(value, dotted_text(node), keys_only)
            return
        value = value if value is not None else self.value_of(node)
        if cleared(value):
            return
        if category == SECRET and attr == "password" and self._url_like(node.value):
            self.emit(SQL_CONNECTION, f"'{dotted_text(node)}'")
            return
        self.emit(CATEGORY_CODE[category], f"'{dotted_text(node)}'")

    def _url_like(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            return call_name(node) in URL_FUNCTIONS
        identifier = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return any(word in URL_WORDS for word in words(identifier))

    def subscript(self, node: ast.Subscript, known: Optional[Value]) -> None:
        cookie = self.hook.session_cookie(self.interp, node)
        if cookie:
            self.emit(SQL_SECRET, f"the '{cookie}' cookie")
            return
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            category = self.category(key.value) if identifier_like(key.value) else None
            if category is None:
                base = node.value
                if (base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")) == "DATABASES":
                    # settings.DATABASES["default"]: one database's settings, password included
                    self.emit(SQL_CONNECTION, f"'{dotted_text(base)}[{key.value!r}]'")
                return  # os.environ["HOME"], request.form["email"]
            value = known if known is not None else self.value_of(node)
            if cleared(value):
                return
            self.emit(CATEGORY_CODE[category], f"'{key.value}'")
            return
        if isinstance(key, ast.Slice):
            return  # token[:4]: a few characters, the usual way to mask
        if isinstance(key, ast.Constant) and type(key.value) is int:
            item = known if known is not None else self.value_of(node)
            if item.labels:
                self.labels(item, f"{dotted_text(node.value)}[{key.value}]")  # row[1], selected as password
                return
        self.expr(node.value, keys_only=True)  # row[0], environ[key]: one item of a dump, not the dump

    def call(self, node: ast.Call, known: Optional[Value], keys_only: bool = False) -> None:
        func = node.func
        name = call_name(node)
        method = isinstance(func, ast.Attribute)
        reading, what = self.hook.read_call(
            self.analysis, self.interp, node, name, method, self.analysis.qualname_of(self.interp, func)
        )
        Reading = type(reading)
        if reading in (Reading.MASKED, Reading.NUMBER_OR_FLAG, Reading.NO_SECRET, Reading.RENDERS_URL):
            return
        if reading is Reading.BUILDS_TEXT:
            if not isinstance(func.value, ast.Constant):  # type: ignore[attr-defined]
                self.expr(func.value)  # type: ignore[attr-defined]
            for arg in node.args:
                self.expr(arg)
            self.keywords(node)
        elif reading is Reading.JOINS:
            for arg in node.args[:1]:
                self.expr(arg)
        elif reading is Reading.KEYED:
            cookie = self.hook.session_cookie(self.interp, node)
            if cookie:
                self.emit(SQL_SECRET, f"the '{cookie}' cookie")
                return
            index = 1 if name == "getattr" else 0
            for arg in node.args[index : index + 2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and identifier_like(arg.value):
                    category = self.category(arg.value)
                    if category is not None:
                        value = known if known is not None else self.value_of(node)
                        if not cleared(value):
                            self.emit(CATEGORY_CODE[category], f"'{arg.value}'")
                        return
            if name == "getattr" and len(node.args) > 2:
                self.expr(node.args[2])
        elif reading is Reading.DUMP:
            if not keys_only:
                self.emit(SQL_DUMP, what)
        elif reading is Reading.SECRET_VALUE:
            self.emit(SQL_SECRET, f"'{dotted_text(func)}()'")
        elif reading is Reading.URL_WITH_PASSWORD:
            self.emit(SQL_CONNECTION, f"{dotted_text(func)}(hide_password=False)")
        elif reading is Reading.KEYS_ONLY:
            for arg in node.args[:1]:
                self.expr(arg, keys_only=True)
        elif reading is Reading.SAME_AS_RECEIVER:
            self.expr(func.value, keys_only=keys_only)  # type: ignore[attr-defined]
        elif reading is Reading.SAME_AS_ARGUMENTS:
            for arg in node.args[:1]:
                self.expr(arg)
            self.keywords(node)
        elif self.hook.is_getter(self.analysis, name):
            category = self.category(name)
            self.emit(CATEGORY_CODE[category], f"'{name}()'")  # type: ignore[index]
        # any other call: what it returns is its own business

    def keywords(self, node: ast.Call) -> None:
        for kw in node.keywords:
            if kw.arg is None:
                self.expr(kw.value)
            else:
                self.pair(kw.arg, kw.value)

    # ------------------------------------------------------------------ labels
    def labels(self, value: Value, through: str, keys_only: bool = False) -> None:
        for label in labels_of(value):
            if type(label) is Dump:
                if not keys_only:
                    self.emit(SQL_DUMP, f"{label.what} (through {through})" if label.what != through else label.what)
            elif type(label) is DbError:
                self.exception(label.shown, label.types, label.shown, through)
            elif type(label) is Revealed:
                self.emit(SQL_SECRET, f"{label.call} (through {through})")
            elif type(label) is Named:
                category = self.category(label.identifier)
                if category is not None and label.identifier != through:
                    self.emit(CATEGORY_CODE[category], f"'{label.identifier}' (through {through})")

    def exception(self, name: str, types: Tuple[Ref, ...], shown: str, through: str = "") -> None:
        found = self.hook.is_db_error(self.analysis, self.interp.lookup, types)
        if found is None:
            return
        kind = found.name if type(found) is LocalClass else found.name.rsplit(".", 1)[-1]
        via = f" (through {through})" if through and through != name and through != shown else ""
        hint = exception_hint(found, self.analysis.imported_modules)
        if shown == name:
            self.emit(SQL_EXCEPTION, f"the text of {kind} '{name}'{via}", hint)
        else:
            self.emit(SQL_EXCEPTION, f"'{shown}' of {kind}{via}", hint)
