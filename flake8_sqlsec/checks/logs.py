"""SQL3: sensitive data in log calls (SQL301-SQL304), database error text sent to a client
(SQL305, judged in ``responses``), database errors' tracebacks logged (SQL306, audit,
``tracebacks``).

Every part of a log call is inspected (``log_parts.Inspector``): the message when it is
built (f-string, ``str.format()``, ``%``, ``+``), the positional arguments, a dict used
with ``%(name)s``, ``extra=``, and the keyword fields of structlog and loguru (also in
``bind()``). What is judged is the value logged: the variable, attribute, dict key, item
key or keyword that names it, and what the value was read from (``pw =
request.form["password"]``) or built from (``msg = f"... {password}"``), which this hook
labels as the pass follows values. Words in the message literal never count:
``LOG.info("Invalid password")`` is clean.

Values that cannot carry a secret are not reported: numbers and flags (``len(password)``,
``has_password``), literals, and results of masking, hashing and redacting functions.
"""

from __future__ import annotations

import ast
import enum
from typing import Callable, Dict, Iterable, Optional, Set, Tuple

from ..config import Config
from ..rules import codes_of
from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.hooks import Hook, register_hook
from ..engine.interpreter import Interpreter
from ..engine.scopes import all_args, dotted_text
from ..engine.strings import SAME_TEXT_METHODS
from ..engine.summaries import binds_first
from ..engine.values import LocalClass, Ref, Shape, Value, merge_labels, replace
from ..knowledge.db_errors import DB_NAME_HINT, EXC_TEXT, EXCEPTION_PARAMETERS, STDLIB
from ..world.errors import known_db_error
from ..knowledge.log_values import (
    GETTER_VERBS,
    KEYED_READS,
    KEYS_ONLY_FUNCTIONS,
    MASK_LAST_WORDS,
    MASK_NAMES,
    MASK_PREFIXES,
    MODEL_DUMP_FUNCTIONS,
    MODULE_NAMES,
    NO_SECRET_FUNCTIONS,
    NO_SECRET_METHODS,
    RESULT_NAMES,
    RESULT_ROW_METHODS,
    ROW_ATTRIBUTES,
    ROW_FETCH_METHODS,
    SERIALIZED_DATA_ATTRIBUTES,
    SERIALIZER_SUFFIX,
    FETCH_METHODS,
    NUMBER_OR_FLAG_FUNCTIONS,
    SAME_DATA_FUNCTIONS,
    ENCODING_SUFFIXES,
    SAME_DATA_METHODS,
    SECRET_SOURCES,
    SHA_NAME,
)
from ..knowledge.loggers import BIND_FUNCTIONS, BIND_METHODS, LOG_METHODS
from ..knowledge.responses import RESPONSE_CALL_NAMES
from ..knowledge.requests import (
    COOKIE_JARS,
    REQUEST_DATA,
    REQUEST_DATA_CALLS,
    REQUEST_NAMES,
    REQUEST_QUALNAMES,
    SESSION_COOKIE_WORDS,
)
from .sensitive_names import NameMatcher, words
from ..knowledge.secret_words import OTHER_SENSES
from ..knowledge.sql_apis import RUNNING_METHODS
from ..world.loggers import is_log_call
from ..world.responses import is_route
from .log_gate import Gate, calls_a_logger, may_catch_db_error
from .log_labels import (
    SQL_EXCEPTION,
    DbError,
    Dump,
    Label,
    Named,
    Revealed,
    identifier_like,
    labels_of,
    listed,
    matcher,
    tag,
    taggable,
)
from .log_parts import Inspector
from .raw_sql import sink_position
from .responses import response_call, returned_response
from .tracebacks import traceback_call

# (the project's roots, a class of the project) -> whether its ancestors, as the project's
# modules show them, make it a database error.
_PROJECT_DB_ERRORS: Dict[Tuple[Tuple[str, ...], str], bool] = {}

# Methods that give the same data back in another shape: the str methods that reshape
# text, and data methods (``items()``, ``to_dict()``...).
SAME_DATA = SAME_TEXT_METHODS | SAME_DATA_METHODS


class Reading(enum.Enum):
    """What a call does to the data it is given, as far as a log line shows it."""

    MASKED = "masks or hashes it"
    BUILDS_TEXT = "str.format() of it"
    JOINS = "str.join() of it"
    KEYED = "reads a key of it (get, getattr, getenv...)"
    DUMP = "dumps many values (locals(), request.get_json()...)"
    SECRET_VALUE = "reveals a secret (get_secret_value(), getpass(), secrets.token_hex())"
    URL_WITH_PASSWORD = "renders a URL with its password"
    RENDERS_URL = "renders a URL, its password masked"
    NUMBER_OR_FLAG = "gives a number or flag (len(), bool()...)"
    NO_SECRET = "gives what holds no secret (oslo.context's to_policy_values())"
    KEYS_ONLY = "keeps only the keys (sorted(), list()...)"
    SAME_AS_RECEIVER = "gives the receiver's data in another shape"
    SAME_AS_ARGUMENTS = "gives its argument's data in another shape (str(), json.dumps()...)"
    OTHER = "its own business"


@register_hook
class SensitiveLogHook(Hook):
    family = "SQL3"
    codes = codes_of(family)
    candidate_names = frozenset(
        LOG_METHODS | BIND_METHODS | {q.rsplit(".", 1)[-1] for q in BIND_FUNCTIONS} | RESPONSE_CALL_NAMES
    )

    def __init__(self) -> None:
        self._matcher: Optional[NameMatcher] = None
        self._senses_in: Optional[Tuple[object, Dict[str, bool]]] = None  # (tree, word -> other sense)
        self._masking: Dict[str, bool] = {}
        self._db_errors: Dict[Ref, bool] = {}
        self._gate: Optional[Gate] = None
        # function id -> {parameter index: the log call it reaches}: ``log_failure(msg,
        # exc)`` logs what its callers hand it (parameters named for an exception)
        self.log_wrappers: Dict[int, Dict[int, str]] = {}
        # functions marked by response calls or route decorators alone (see ``may_run``)
        self.answers_only: Set[int] = set()

    def followed_functions(self) -> Dict[int, Dict[int, str]]:
        return {function: dict(params) for function, params in self.log_wrappers.items()}

    def refines_values(self, config: Config) -> bool:
        return True

    # Most functions that log cannot leak: only those whose text reads a sensitive name,
    # takes a dump or catches a database error are interpreted (see _Gate).
    gated = True

    def considers(self, function: ast.AST) -> bool:
        return is_route(function)  # what it returns is the response (SQL305)

    def may_run(self, analysis: FileAnalysis, function: ast.AST) -> bool:
        if calls_a_logger(analysis, self, function):
            return True
        # marked by responses or a route's decorator only: it leaks through its answer
        self.answers_only.add(id(function))
        return may_catch_db_error(analysis.source_of(function))

    def worth_running(self, analysis: FileAnalysis, function: ast.AST) -> bool:
        if self._gate is None:
            self._gate = Gate(self, analysis)
        return self._gate.passes(function)

    def finish(self, analysis: FileAnalysis) -> None:
        # The gate refers to the analysis: dropping it leaves no cycle, so the file's tree
        # and values are freed as soon as flake8 is done with them, not at the next full
        # garbage collection.
        self._gate = None

    # ------------------------------------------------------------------ names
    def category(self, analysis: FileAnalysis, identifier: str) -> Optional[str]:
        if self._matcher is None:
            self._matcher = matcher(analysis.config)
        found = self._matcher.classify(identifier)
        if found is not None and self._other_sense(analysis, identifier):
            return None
        return found

    def _other_sense(self, analysis: FileAnalysis, identifier: str) -> bool:
        """A name whose only secret word means something else in this module (``ssn``
        in a storage driver that speaks of serial numbers)."""
        parts = words(identifier)
        ambiguous = [part for part in parts if part in OTHER_SENSES]
        if not ambiguous:
            return False
        matcher_ = self._matcher
        assert matcher_ is not None
        if any(matcher_.classify(part) is not None for part in parts if part not in OTHER_SENSES):
            return False
        senses = self._senses_in
        if senses is None or senses[0] is not analysis.tree:
            senses = self._senses_in = (analysis.tree, {})
        for word in ambiguous:
            if word not in senses[1]:
                senses[1][word] = bool(OTHER_SENSES[word].search(analysis.source))
            if not senses[1][word]:
                return False
        return True

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

    def is_db_error(
        self, analysis: FileAnalysis, lookup: Optional[Callable[[str], Value]], types: Iterable[Ref]
    ) -> Optional[Ref]:
        """The first of the exception types that is a database error, if any (``lookup``
        resolves the first names of a local class's bases; the module's by default)."""
        for ref in types:
            known = self._db_errors.get(ref)
            if known is None:
                known = self._db_error_type(analysis, lookup, ref, 0)
                self._db_errors[ref] = known
            if known:
                return ref
        return None

    def _db_error_type(
        self, analysis: FileAnalysis, lookup: Optional[Callable[[str], Value]], ref: Ref, depth: int
    ) -> bool:
        if depth > 6:
            return False
        if type(ref) is LocalClass:
            if ref.name not in analysis.classes:
                return False
            return any(
                type(base) is not LocalClass and self._db_error_type(analysis, lookup, base, depth + 1)
                for base in analysis.ancestors(ref.name, lookup)
            )
        name = ref.name
        known = known_db_error(name)
        if known is not None:
            return known
        # A class of the project: its ancestors tell, as far as its modules show them.
        if not analysis.config.wants(SQL_EXCEPTION, "SQL305"):
            return False
        if not (
            name.startswith(".") or DB_NAME_HINT.search(name.rsplit(".", 1)[-1]) or name.split(".", 1)[0] not in STDLIB
        ):
            return False
        if name.startswith("."):
            return any(known_db_error(ancestor) for ancestor in analysis.project.ancestors(name))
        # the same class asked about by every file of the project: answered once
        key = (tuple(analysis.project.roots()), name)
        known = _PROJECT_DB_ERRORS.get(key)
        if known is None:
            known = any(known_db_error(ancestor) for ancestor in analysis.project.ancestors(name))
            if len(_PROJECT_DB_ERRORS) > 10_000:
                _PROJECT_DB_ERRORS.clear()
            _PROJECT_DB_ERRORS[key] = known
        return known

    # ------------------------------------------------------------------ following values
    def refine_read(
        self, analysis: FileAnalysis, interp: Interpreter, value: Value, node: ast.AST, identifier: Optional[str]
    ) -> Value:
        if value.masked:
            return value
        if value.obj is Shape.EXCEPTION:
            if isinstance(node, ast.Name) and value.exc_types:
                return tag(value, DbError(node.id, value.exc_types))
            return value
        if isinstance(node, ast.Subscript) and taggable(value):
            cookie = self.session_cookie(interp, node)
            if cookie:
                return tag(value, Revealed(f"the '{cookie}' cookie"))  # request.COOKIES["sessionid"]
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            # ``exc.args[0]``: an item of the text an exception carries
            base = node.value.value
            if node.value.attr in EXC_TEXT and isinstance(base, ast.Name):
                held = interp.lookup(base.id)
                if held.obj is Shape.EXCEPTION and held.exc_types:
                    return tag(value, DbError(f"{base.id}.{node.value.attr}", held.exc_types))
        if isinstance(node, ast.Attribute):
            dump = self.dump_attribute(interp, node, value)
            if dump:
                return tag(value, Dump(dump))
            base = node.value
            if node.attr in EXC_TEXT and isinstance(base, ast.Name):
                held = interp.lookup(base.id)
                if held.obj is Shape.EXCEPTION and held.exc_types:
                    return tag(value, DbError(f"{base.id}.{node.attr}", held.exc_types))
        if identifier is None:
            if isinstance(node, ast.Name):
                identifier = node.id
            elif isinstance(node, ast.Attribute):
                identifier = node.attr
            elif isinstance(node, ast.Subscript):
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and identifier_like(key.value):
                    identifier = key.value
        if identifier is None or not taggable(value):
            return value
        if self.category(analysis, identifier) is not None:
            if (
                isinstance(node, ast.Name)
                and value.imported is not None
                and (value.imported == identifier or identifier in MODULE_NAMES)
            ):
                return value  # ``import secrets``: the module
            return tag(value, Named(identifier))
        return value

    def refine_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite, value: Value) -> Value:
        callee = site.callee
        node = site.node
        if callee.method and callee.name in FETCH_METHODS and (value.items is not None or value.names):
            value = self._named_columns(analysis, value)  # row = cur.fetchone() after SELECT password ...
        reading, what = self.read_call(analysis, interp, node, callee.name, callee.method, callee.qualname)
        if reading is Reading.MASKED or reading is Reading.NO_SECRET:
            return replace(value, masked=True, labels=(), element=None)
        if reading is Reading.KEYED:
            cookie = self.session_cookie(interp, node)
            if cookie and taggable(value):
                return tag(value, Revealed(f"the '{cookie}' cookie"))
            index = 1 if callee.name == "getattr" else 0
            for arg in node.args[index : index + 2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and identifier_like(arg.value):
                    value = self.refine_read(analysis, interp, value, node, arg.value)
            return value
        if reading is Reading.DUMP:
            return tag(value, Dump(what))
        if reading is Reading.SECRET_VALUE:
            return tag(value, Revealed(f"'{callee.qualname or callee.name}()'"))  # value = getpass()
        if reading is Reading.SAME_AS_RECEIVER:
            found = labels_of(callee.receiver) if callee.receiver is not None else ()
            return replace(value, labels=merge_labels(value.labels, found)) if found else value
        if reading is Reading.SAME_AS_ARGUMENTS:
            found: Tuple[Label, ...] = ()
            for arg in site.args[:1]:
                found = merge_labels(found, labels_of(arg))
            for key, arg in site.keywords.items():
                if key is not None and taggable(arg) and self.category(analysis, key) is not None:
                    found = merge_labels(found, (Named(key),))
                found = merge_labels(found, labels_of(arg))
            return replace(value, labels=merge_labels(value.labels, found)) if found else value
        if self.is_getter(analysis, callee.name) and taggable(value):
            return tag(value, Named(callee.name))  # get_password(), build_dsn()
        return value

    def read_call(
        self,
        analysis: FileAnalysis,
        interp: Interpreter,
        node: ast.Call,
        name: str,
        method: bool,
        qualname: Optional[str],
    ) -> Tuple[Reading, str]:
        """What a call does to the data it is given (one reading for following values
        and for inspecting log calls): the reading and, for a dump, what it dumps."""
        func = node.func
        if self.is_masking(analysis, name, qualname):
            return Reading.MASKED, ""
        if method and name in ("format", "format_map"):
            return Reading.BUILDS_TEXT, ""
        if method and name == "join":
            return Reading.JOINS, ""
        if name in KEYED_READS and node.args:
            return Reading.KEYED, ""
        if not method and qualname in ("locals", "globals", "vars"):
            return Reading.DUMP, f"{qualname}({dotted_text(node.args[0]) if node.args else ''})"
        if method and name in REQUEST_DATA_CALLS and self.is_request(interp, func.value):  # type: ignore[attr-defined]
            return Reading.DUMP, f"{dotted_text(func)}()"
        if method and self.reads_rows(interp, func.value, name):  # type: ignore[attr-defined]
            return Reading.DUMP, f"{dotted_text(func)}()"  # cursor.fetchall(), result.first()
        if not method and name in MODEL_DUMP_FUNCTIONS and node.args:
            return Reading.DUMP, f"{name}({dotted_text(node.args[0])})"
        if name == "get_secret_value" or qualname in SECRET_SOURCES:
            return Reading.SECRET_VALUE, ""
        if name in ("render_as_string", "__to_string__"):
            unmasked = any(
                kw.arg == "hide_password" and isinstance(kw.value, ast.Constant) and kw.value.value is False
                for kw in node.keywords
            )
            return (Reading.URL_WITH_PASSWORD if unmasked else Reading.RENDERS_URL), ""
        if not method and name in NUMBER_OR_FLAG_FUNCTIONS:
            return Reading.NUMBER_OR_FLAG, ""
        if (method and name in NO_SECRET_METHODS) or qualname in NO_SECRET_FUNCTIONS:
            return Reading.NO_SECRET, ""
        if name in KEYS_ONLY_FUNCTIONS:
            return Reading.KEYS_ONLY, ""
        if method and name in SAME_DATA:
            return Reading.SAME_AS_RECEIVER, ""
        if not method and name in SAME_DATA_FUNCTIONS or (qualname or "").endswith(ENCODING_SUFFIXES):
            return Reading.SAME_AS_ARGUMENTS, ""
        return Reading.OTHER, ""

    def _named_columns(self, analysis: FileAnalysis, value: Value) -> Value:
        """A fetched row's columns by the names the statement selected them under."""
        if value.items is not None:
            items = tuple(self._named_columns(analysis, item) for item in value.items)
            return replace(value, items=items)
        name = value.names[-1] if value.names else ""
        if name and taggable(value) and self.category(analysis, name) is not None:
            return tag(value, Named(name))
        return value

    def reads_rows(self, interp: Interpreter, receiver: ast.AST, name: str) -> bool:
        """``cursor.fetchall()``, ``result.mappings()``, ``result.first()``: the rows a
        statement answered with, read from a cursor or a result."""
        if name not in ROW_FETCH_METHODS and name not in RESULT_ROW_METHODS:
            return False
        last = dotted_text(receiver).rsplit(".", 1)[-1]
        if last in RESULT_NAMES or (isinstance(receiver, ast.Call) and _runs_a_statement(receiver)):
            return True  # result.all(), conn.execute(q).fetchall()
        if name not in ROW_FETCH_METHODS:
            return False
        held = interp.eval(receiver) if isinstance(receiver, ast.Name) else None
        return (held is not None and held.api == "dbapi.cursor") or "cur" in last.lower()

    def is_getter(self, analysis: FileAnalysis, name: str) -> bool:
        """``get_password()``, ``build_dsn()``: a getter verb, then a sensitive name."""
        parts = words(name)
        return bool(parts) and parts[0] in GETTER_VERBS and self.category(analysis, name) is not None

    def session_cookie(self, interp: Interpreter, node: ast.AST) -> str:
        """``request.cookies.get("session")``, ``request.COOKIES["sessionid"]``: the
        cookie's name when it is one that authenticates; '' otherwise."""
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            jar, key = node.func.value, node.args[0]
        elif isinstance(node, ast.Subscript):
            jar, key = node.value, node.slice
        else:
            return ""
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return ""
        if not (isinstance(jar, ast.Attribute) and jar.attr in COOKIE_JARS and self.is_request(interp, jar.value)):
            return ""
        lower = key.value.lower()
        return key.value if any(word in lower for word in SESSION_COOKIE_WORDS) else ""

    def is_request(self, interp: Interpreter, node: ast.AST) -> bool:
        """An incoming web request: the framework's ``request``, a view's ``request``
        parameter, ``self.request``. A ``req`` or ``response.request`` the code built or got
        back from an HTTP client is its own outgoing traffic, not what a user sent."""
        if isinstance(node, ast.Name):
            held = interp.lookup(node.id)
            if held.imported in REQUEST_QUALNAMES:
                return True
            return node.id in REQUEST_NAMES and (held.from_input or bool(held.params))
        if isinstance(node, ast.Attribute):
            return node.attr in REQUEST_NAMES and isinstance(node.value, ast.Name) and node.value.id == "self"
        return False

    def dump_attribute(self, interp: Interpreter, node: ast.Attribute, value: Optional[Value]) -> str:
        """``request.form``, ``os.environ``, ``obj.__dict__``: the label of the dump, or ''."""
        attr = node.attr
        if attr == "__dict__":
            return dotted_text(node)
        if attr in REQUEST_DATA and self.is_request(interp, node.value):
            return dotted_text(node)
        if attr == "environ" and value is not None and value.imported == "os.environ":
            return "os.environ"
        if attr in ROW_ATTRIBUTES:
            return dotted_text(node)  # row._mapping: every column of the row
        if attr in SERIALIZED_DATA_ATTRIBUTES and dotted_text(node.value).lower().endswith(SERIALIZER_SUFFIX):
            return dotted_text(node)  # serializer.data
        return ""

    # ------------------------------------------------------------------ log calls
    def on_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        callee = site.callee
        if (callee.qualname is not None or callee.receiver_text == "self") and response_call(
            self, analysis, interp, site
        ):
            return
        if callee.name not in self.candidate_names or not is_log_call(analysis, callee):
            self._wrapper_call(analysis, interp, site)
            return
        traceback_call(self, analysis, interp, site)
        inspector = Inspector(self, analysis, interp, site)
        inspector.run()
        label = f"{callee.receiver_text}.{callee.name}()" if callee.method else f"{callee.name}()"
        self._note_wrapper(interp, site, label)
        self._report(analysis, site, inspector, label)

    def on_escape(self, analysis: FileAnalysis, interp: Interpreter, value: Value, node: ast.AST, how: str) -> None:
        if how == "returned" and isinstance(node, ast.Return):
            returned_response(self, analysis, interp, value, node)

    def _note_wrapper(self, interp: Interpreter, site: CallSite, label: str) -> None:
        """A parameter named for an exception, logged: the function logs what it is given."""
        function = interp.scope.node
        if interp.scope.kind != "function" or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        names = [arg.arg for arg in all_args(function.args)]
        for value in list(site.args) + list(site.keywords.values()):
            for owner, index in value.params:
                if owner == id(function) and index < len(names) and names[index] in EXCEPTION_PARAMETERS:
                    self.log_wrappers.setdefault(id(function), {}).setdefault(index, label)

    def _wrapper_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        """A call handing an exception to a function that logs it (of this file, or of
        another module of the project): the log line shows what the call hands over."""
        callee = site.callee
        if not any(
            value.obj is Shape.EXCEPTION and self.is_db_error(analysis, interp.lookup, value.exc_types) is not None
            for value in site.args
        ):
            return  # only a database error is worth following into the helper
        wrapped: Optional[Dict[int, str]] = None
        shift = 0
        local = callee.local_function
        if local is not None:
            wrapped = self.log_wrappers.get(id(local))
            shift = 1 if binds_first(local, site) else 0
        elif callee.qualname is not None:
            # a function of another module (methods inherited from other modules' classes
            # are not asked: their modules are the large ones, and few log what they get)
            facts = analysis.facts_elsewhere((callee.qualname,))
            if facts is not None:
                wrapped = facts.followed.get(self.family)  # type: ignore[assignment]
                shift = facts.bound
        if not wrapped:
            return
        inspector = Inspector(self, analysis, interp, site)
        inner = ""
        for index, logged in sorted(wrapped.items()):
            position = index - shift
            if 0 <= position < len(site.node.args) and not site.starred:
                node, value = site.node.args[position], site.args[position]
                if isinstance(node, ast.Name) and value.obj is Shape.EXCEPTION and value.exc_types:
                    # read where no log call is, the exception carries no label: its types tell
                    inspector.exception(node.id, value.exc_types, node.id)
                else:
                    inspector.expr(node, value)
                inner = inner or logged
        self._report(analysis, site, inspector, f"{callee.label()} → {inner}")

    def _report(self, analysis: FileAnalysis, site: CallSite, inspector: Inspector, label: str) -> None:
        if not inspector.found:
            return
        position = sink_position(site.node)
        for code, whats in inspector.found.items():
            analysis.report(
                code,
                position,
                f"{listed(list(whats))} passed to {label}",
                ("SQL3", code, id(site.node)),
                hint=inspector.hints.get(code, ""),
            )


def _runs_a_statement(call: ast.Call) -> bool:
    """``conn.execute(...)``, ``session.execute(...)``: its result is rows."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in RUNNING_METHODS
