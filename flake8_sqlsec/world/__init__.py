"""The world as the knowledge tables describe it: the engine's questions answered.

``LibraryWorld`` implements ``engine.world.World`` from ``knowledge/``: what library
calls return, which objects their attributes and items are, which functions quote, never
return or only show text. The engine asks; nothing here changes the engine's state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

from ..config import Config
from ..engine.cache import memoized
from ..engine.values import (
    HOLE,
    SAFE_NUMBER,
    UNKNOWN,
    Api,
    Imported,
    Kind,
    Obj,
    Ref,
    Shape,
    Value,
    api,
    const,
    imported,
    obj,
    replace,
)
from ..engine.world import World
from ..knowledge import airflow, sql_apis
from ..knowledge.configuration import (
    APP_CONFIGURATION_ATTRIBUTE,
    APP_NAMES,
    CONFIGURATION,
    CONFIGURATION_ATTRIBUTES,
    CONFIGURATION_NAMES,
    CONFIGURATION_QUALNAMES,
    CONFIGURATION_READS,
    ENGINE_KINDS,
    ENGINE_URL_ATTRIBUTE,
)
from ..knowledge.functions import (
    CATALOG_METHODS,
    CATALOG_RECEIVER_WORDS,
    COLUMN_PARAMETER_METHODS,
    COLUMN_TYPE_METHODS,
    COMPILED_PARAMS_WORDS,
    COMPILED_TEXT_SUFFIX,
    COMPILER_METHODS,
    DOUBLED_QUOTES,
    FIELD_NAME_ATTRIBUTES,
    FIELD_NAME_METHODS,
    MODEL_META_ATTRIBUTE,
    MODEL_NAME_ATTRIBUTES,
    NO_RETURN,
    NUMBER_FUNCTIONS,
    OTHER_LANGUAGE_QUOTING,
    PASS_THROUGH_FUNCTIONS,
    QUOTING_FUNCTIONS,
    QUOTING_METHODS,
    QUOTING_NAME_PART,
    TEXT_CLASSES,
    QUOTING_NAMES,
    SAFE_METHODS,
    WRAPPING_QUOTERS,
)
from ..knowledge.loggers import DISPLAY_FUNCTIONS, DISPLAY_METHODS, LOG_METHODS, MESSAGE_METHODS
from ..knowledge.requests import REQUEST_DATA, REQUEST_DATA_CALLS, REQUEST_FIELDS, REQUEST_NAMES, REQUEST_QUALNAMES
from ..knowledge.sql_apis import Sink
from ..knowledge.statements import (
    answers_from_server,
    looks_like_sql,
    selected_columns,
    names_sql_text,
    stored_template_text,
    takes_statement,
)
from .loggers import is_logger_receiver, named_like_logger
from .sinks import resolve_sink
from .names import canonical, kind_from_receiver_name

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.calls import Callee, CallSite
    from ..engine.driver import FileAnalysis

_QUOTED = Value(kind=Kind.SAFE, text=HOLE)
# What the server answers about itself (a connection id, a backend pid, a new row's key).
_SERVER_ANSWER = Value(kind=Kind.SAFE, text=HOLE, names=("answer",))
_SERVER_ROW = Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=_SERVER_ANSWER)
_FETCHES = sql_apis.FETCH_ROW_METHODS | sql_apis.FETCH_ROWS_METHODS | sql_apis.FETCH_VALUE_METHODS


class FromRequest:
    """The label of a value read from what a client sent: a web request's data, the
    command line (``request.args["q"]``, ``request.GET.get("sort")``, ``sys.argv[1]``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FROM_REQUEST"


FROM_REQUEST = FromRequest()
# Methods that read one value of request data (``request.args.get("q")``).
_REQUEST_READS = frozenset(("get", "getlist", "getone", "getall", "get_all", "pop"))


def _from_request(name: str) -> Value:
    return Value(from_input=True, names=(name,), labels=(FROM_REQUEST,))


def _is_request(value: Value) -> bool:
    """The framework's request object, a view's ``request`` parameter, ``self.request``."""
    return value.imported in REQUEST_QUALNAMES or (
        value.from_input and bool(value.names) and value.names[-1] in REQUEST_NAMES
    )


memoized(canonical)


def _request_data(value: Value) -> bool:
    """Read from a web request or the command line (not merely from some parameter)."""
    return value.from_input and any(name in REQUEST_FIELDS for name in value.names)


def _api(kind: Optional[str]) -> Value:
    return api(kind) if kind else UNKNOWN


class LibraryWorld(World):
    def __init__(self, config: Config) -> None:
        self._safe_functions = config.safe_functions

    def is_safe_function(self, name: str) -> bool:
        """Configured with ``--sqlsec-safe-functions`` (by qualified or last name)."""
        safe = self._safe_functions
        return bool(safe) and (name in safe or name.rsplit(".", 1)[-1] in safe)

    # ------------------------------------------------------------------ imports
    def canonical(self, qualname: str) -> str:
        return canonical(qualname)

    def imported(self, qualname: str) -> Value:
        kind = sql_apis.MODULE_OBJECTS.get(qualname)  # from django.db import connection
        return api(kind) if kind is not None else imported(qualname)

    def imported_attribute(self, qualname: str, attr: str) -> Value:
        full = canonical(qualname + "." + attr)
        if _is_configuration(full) or _is_configuration(qualname):
            return _configured(attr)  # settings.DATABASES, CONF.database.connection
        if full in sql_apis.USER_INPUT or qualname in sql_apis.USER_INPUT:
            if full == "sys.argv" or (qualname in REQUEST_QUALNAMES and attr in REQUEST_DATA):
                return _from_request(attr)
            return Value(from_input=True, names=(attr,))
        kind = sql_apis.MODULE_OBJECTS.get(full)
        return api(kind) if kind is not None else imported(full)

    def follows_constant(self, qualname: str) -> bool:
        return not (
            qualname in sql_apis.FACTORIES or qualname in sql_apis.FUNCTION_SINKS or qualname in sql_apis.MODULE_OBJECTS
        )

    # ------------------------------------------------------------------ objects
    def attribute(self, base: Value, attr: str) -> Optional[Value]:
        kind = base.api
        if kind == CONFIGURATION or attr in CONFIGURATION_ATTRIBUTES:
            return _configured(attr)  # connection.settings_dict
        if attr == ENGINE_URL_ATTRIBUTE and kind in ENGINE_KINDS:
            return _configured(attr)  # bind.engine.url.database
        if attr in sql_apis.METADATA_TABLE_ATTRIBUTES and (
            kind == sql_apis.METADATA or (base.obj is None and base.names[-1:] == ("metadata",))
        ):
            return Value(kind=Kind.SAFE, obj=Shape.DICT, keys=_QUOTED, element=UNKNOWN)  # metadata.tables
        if attr == APP_CONFIGURATION_ATTRIBUTE and (kind == "flask.app" or _named_like_app(base)):
            return _configured(attr)  # app.config
        if kind is None and base.obj is None and base.names and FROM_REQUEST not in base.labels:
            kind = kind_from_receiver_name(base.names[-1])  # a parameter named connection
        if kind is not None:
            attrs = sql_apis.ATTRIBUTES.get(kind)
            if attrs and attr in attrs:
                return api(attrs[attr])
        if attr in REQUEST_DATA and _is_request(base):
            return _from_request(attr)  # request.GET, request.args, self.request.POST
        hinted = kind_from_receiver_name(attr)
        if hinted is not None:
            return api(hinted)
        if attr in ("request", "req"):
            return Value(from_input=True, names=(attr,))  # self.request in class-based views
        if kind == sql_apis.BACKEND_FEATURES:
            return _QUOTED  # connection.features.bare_select_suffix: the backend's own text
        if _quoting_method(attr):
            return Value(names=(attr,))  # qn = connections[alias].ops.quote_name: read as such later
        if attr == MODEL_META_ATTRIBUTE:
            return api(sql_apis.MODEL_META)  # model._meta: what the model declares
        if attr in sql_apis.MODEL_CONSTRAINT_LISTS and kind == sql_apis.MODEL_META:
            return Value(kind=Kind.SAFE, obj=Shape.CONTAINER, element=api(sql_apis.MODEL_CONSTRAINT))
        if attr in MODEL_NAME_ATTRIBUTES and kind == sql_apis.MODEL_META:
            return _QUOTED  # model._meta.db_table
        if attr in FIELD_NAME_ATTRIBUTES and _is_model_field(base):
            return _QUOTED  # field.column
        return None

    def receiver_named(self, name: str) -> Optional[Obj]:
        hinted = kind_from_receiver_name(name)
        return Api(hinted) if hinted is not None else None

    def item(self, base: Value) -> Optional[Value]:
        if base.api == CONFIGURATION:
            return _configured(base.names[-1] if base.names else "")  # settings_dict["NAME"]
        if FROM_REQUEST in base.labels:
            return Value(from_input=True, names=base.names, labels=(FROM_REQUEST,))  # request.args["q"]
        kind = sql_apis.SUBSCRIPTS.get(base.api or "")
        return api(kind) if kind is not None else None

    def iterated(self, value: Value) -> Optional[Value]:
        if value.api == CONFIGURATION:
            return _configured(value.names[-1] if value.names else "")  # for name, check in checks.items()
        return None

    def entered(self, value: Value) -> Optional[Value]:
        methods = sql_apis.METHODS.get(value.api or "")
        entry = methods.get("__enter__") if methods else None
        return api(entry) if isinstance(entry, str) else None

    def authoring_object(self, held: Obj) -> bool:
        return isinstance(held, Ref) and held.name in sql_apis.MIGRATION_ONLY

    def authored_parameter(self, method: str, ancestors: Sequence[Ref], name: str, authored: bool) -> Optional[Value]:
        if authored:
            return _configured(name)  # cast_json_column(table, column) calling op.get_bind()
        if method not in airflow.OPERATOR_CONFIGURED_METHODS:
            return None
        for ancestor in ancestors:
            if type(ancestor) is Imported and ancestor.name.startswith(airflow.OPERATOR_PACKAGE):
                if ancestor.name.endswith(airflow.OPERATOR_CLASS_SUFFIXES):
                    return _configured(name)  # SQLColumnCheckOperator(table=...) in a DAG file
        return None

    def annotated(self, qualname: str) -> Optional[Obj]:
        kind = sql_apis.ANNOTATIONS.get(qualname)
        return Api(kind) if kind is not None else None

    # ------------------------------------------------------------------ calls
    def call_result(self, analysis: "FileAnalysis", site: "CallSite") -> Optional[Value]:
        callee = site.callee
        if callee.qualname is not None:
            return self._function_result(site, callee.qualname)
        if callee.method:
            return self._method_result(site)
        held = callee.held
        kind = held.api if held is not None else None
        if kind in sql_apis.CALL_RESULTS:
            return _api(sql_apis.CALL_RESULTS[kind])  # type: ignore[index]
        name = callee.name
        if name in WRAPPING_QUOTERS and any(_request_data(a) for a in site.args):
            return Value(from_input=True)
        if self.is_safe_function(name) or name in QUOTING_NAMES:
            return _QUOTED  # quote_name = connection.ops.quote_name
        if held is not None and any(_quoting_method(read) for read in held.names[:-1]):
            return _QUOTED  # qn = connection.ops.quote_name, then qn(table)
        return None

    def _function_result(self, site: "CallSite", qualname: str) -> Optional[Value]:
        callee, args = site.callee, site.args
        if qualname in NUMBER_FUNCTIONS:
            return SAFE_NUMBER
        last = qualname.rsplit(".", 1)[-1]
        if qualname in OTHER_LANGUAGE_QUOTING:
            # html.escape(), shlex.quote(), urllib's quote(): escaped for another language,
            # the text is what the value was for SQL
            return args[0] if args else UNKNOWN
        if callee.method and last in WRAPPING_QUOTERS and any(_request_data(a) for a in args):
            return Value(from_input=True)  # quote_name() of request data: quotes it, escapes nothing
        if (
            qualname in QUOTING_FUNCTIONS
            or self.is_safe_function(qualname)
            or (callee.method and (last in QUOTING_METHODS or last in QUOTING_NAMES))
        ):
            return _QUOTED
        if qualname in PASS_THROUGH_FUNCTIONS:
            if not args:
                return const("")
            value = args[0]
            if value.obj is Shape.NUMBER:
                return SAFE_NUMBER
            if value.kind in (Kind.CONST, Kind.SAFE, Kind.BUILT):
                return replace(value, obj=None, element=None)
            return replace(
                UNKNOWN,
                params=value.params,
                origins=value.origins,
                names=value.names,
                exc_types=value.exc_types,
                labels=value.labels,
            )
        if qualname in sql_apis.FACTORIES:
            return _api(sql_apis.FACTORIES[qualname])
        if last in airflow.SQL_HOOK_CLASSES and qualname.startswith(airflow.HOOK_MODULE_PREFIXES):
            return _api(sql_apis.AIRFLOW_SQL_HOOK)  # PostgresHook(postgres_conn_id=...)
        sink = sql_apis.FUNCTION_SINKS.get(qualname)
        if sink is not None:
            if sink.role == "composable" and args:
                # psycopg's SQL(): keeps whether its text was built, for the execute it reaches
                return Value(kind=args[0].kind, text=args[0].text, origins=args[0].origins, obj=Api(sink.returns or ""))
            return _api(sink.returns)
        if qualname in sql_apis.MODULE_OBJECTS:
            return _api(sql_apis.MODULE_OBJECTS[qualname])
        if qualname in sql_apis.ANNOTATIONS:
            return _api(sql_apis.ANNOTATIONS[qualname])
        if qualname.rsplit(".", 1)[0] in sql_apis.USER_INPUT:
            if last in REQUEST_DATA_CALLS or last in _REQUEST_READS:
                return _from_request(last)  # request.get_json()
            return Value(from_input=True, names=(last,))
        return None

    def _method_result(self, site: "CallSite") -> Optional[Value]:
        callee = site.callee
        name = callee.name
        receiver = callee.receiver or UNKNOWN
        kind = receiver.api
        if kind == CONFIGURATION and name in CONFIGURATION_READS:
            return _configured(receiver.names[-1] if receiver.names else name)  # options.pop("charset")
        if FROM_REQUEST in receiver.labels and name in _REQUEST_READS:
            return Value(from_input=True, names=receiver.names, labels=(FROM_REQUEST,))  # request.GET.get("q")
        if kind is None and callee.method and name in REQUEST_DATA_CALLS and _is_request(receiver):
            return _from_request(name)  # request.get_json(), request.json()
        if kind is not None:
            if kind in sql_apis.COMPOSING_KINDS:
                return receiver
            entry = sql_apis.METHODS.get(kind, {}).get(name)
            if isinstance(entry, str):
                return api(entry)
            if isinstance(entry, Sink):
                return _api(entry.returns)
        if name in SAFE_METHODS:
            return SAFE_NUMBER
        if name in COLUMN_TYPE_METHODS:
            return _QUOTED  # field.db_type(connection): the column type the backend defines
        if kind == sql_apis.MODEL_CONSTRAINT and name.endswith(sql_apis.BACKEND_SQL_METHOD_SUFFIX):
            return _QUOTED  # connection.ops.deferrable_sql(): what the backend writes
        if name in FIELD_NAME_METHODS and _is_model_field(receiver):
            return _QUOTED  # field.m2m_column_name()
        if name in CATALOG_METHODS and callee.receiver_text.endswith(CATALOG_RECEIVER_WORDS):
            # names the database's catalog answers with (connection.introspection.table_names())
            return Value(kind=Kind.SAFE, obj=Shape.CONTAINER, element=_QUOTED)
        if name in COLUMN_PARAMETER_METHODS:
            return Value(kind=Kind.SAFE, obj=Shape.DICT, element=_QUOTED)
        if name in WRAPPING_QUOTERS and any(_request_data(a) for a in site.args):
            return Value(from_input=True)
        if _quoting_method(name) or self.is_safe_function(name):
            return _QUOTED  # self.quote_name(), self.quote_value(), compiler.quote_name_unless_alias()
        if kind == sql_apis.BACKEND_OPERATIONS and not (
            name in sql_apis.BACKEND_VALUE_METHODS or name.startswith(sql_apis.BACKEND_VALUE_PREFIX)
        ):
            return _QUOTED  # connection.ops.explain_query_prefix(): what the backend writes
        if kind in sql_apis.CALL_RESULTS:
            return _api(sql_apis.CALL_RESULTS[kind])  # type: ignore[index]
        if kind in sql_apis.FLUENT_KINDS:
            return obj(receiver.obj)  # type: ignore[arg-type]  # query builders return query builders
        return None

    def statement_run(self, analysis: "FileAnalysis", site: "CallSite") -> Optional[Value]:
        if site.callee.name not in sql_apis.RUNNING_METHODS:
            return None
        match = resolve_sink(analysis, site)
        if match is None or not match.strong or match.sink.role != "execute":
            return None
        statement, _node = site.arg(match.sink.position, match.sink.keywords)
        return statement if statement is not None else UNKNOWN

    def answer(self, site: "CallSite", statement: Value) -> Optional[Value]:
        name = site.callee.name
        if name not in _FETCHES or statement.kind is not Kind.CONST or statement.obj is not None:
            return None
        if answers_from_server(statement.text):
            return _fetched(name, _SERVER_ROW)  # cur.fetchone()[0] after SELECT pg_backend_pid()
        columns = selected_columns(statement.text)
        if not columns:
            return None
        # after SELECT name, password FROM ...: each column by the name it answers with
        # (unknown text: a client may have stored it)
        places = tuple(Value(names=(column,)) for column in columns)
        return _fetched(name, Value(obj=Shape.CONTAINER, element=UNKNOWN, items=places))

    def unpacked(self, names: Sequence[str], called: str, value: Value) -> Optional[Sequence[Value]]:
        if len(names) != 2 or value.kind is Kind.BUILT or FROM_REQUEST in value.labels:
            return None
        text, params = names[0].lower(), names[1].lower()
        compiled = text.endswith(COMPILED_TEXT_SUFFIX) or called in COMPILER_METHODS or called.endswith("_sql")
        if compiled and any(word in params for word in COMPILED_PARAMS_WORDS):
            return (_QUOTED, UNKNOWN)  # what a compiler wrote, and its parameters
        return None

    def concatenated(self, values: Sequence[Value]) -> Optional[Value]:
        for value in values:
            if value.api in sql_apis.COMPOSING_KINDS:
                return obj(value.obj)  # type: ignore[arg-type]
        return None

    def quotes(self, name: str, method: bool) -> bool:
        if method:
            return name in QUOTING_METHODS
        return name in QUOTING_FUNCTIONS or self.is_safe_function(name)

    def text_class(self, name: str) -> bool:
        return name.rsplit(".", 1)[-1] in TEXT_CLASSES

    def never_returns(self, name: str) -> bool:
        return name in NO_RETURN

    def shows_only(self, analysis: "FileAnalysis", callee: "Callee") -> bool:
        if callee.qualname in DISPLAY_FUNCTIONS:
            return True
        if not callee.method:
            return False
        name, receiver = callee.name, callee.receiver_text
        if name in LOG_METHODS:
            return is_logger_receiver(analysis, callee) or named_like_logger(receiver)
        if name in ("write", "writelines") and receiver.endswith(("stdout", "stderr")):
            return True
        return name in DISPLAY_METHODS or (receiver.endswith("messages") and name in MESSAGE_METHODS)

    # ------------------------------------------------------------------ words
    def names_template(self, name: str) -> bool:
        return names_sql_text(name)

    def takes_statement(self, prefix: str) -> bool:
        return takes_statement(prefix)

    def stored_template(self, name: str) -> Optional[str]:
        return stored_template_text(name)

    def escapes_by_replace(self, old: str, new: str) -> bool:
        return old in DOUBLED_QUOTES and new == old * 2

    def reads_as_sql(self, text: str) -> bool:
        return looks_like_sql(text)


def _is_configuration(qualname: str) -> bool:
    if qualname in CONFIGURATION_QUALNAMES:
        return True
    return qualname.rsplit(".", 1)[-1] in CONFIGURATION_NAMES


def _named_like_app(value: Value) -> bool:
    name = value.names[-1] if value.names else ""
    return name in APP_NAMES or name.endswith("_app")


def _fetched(method: str, row: Value) -> Value:
    """What a fetch method reads from an answer whose rows are ``row``: one value of
    it (``scalar()``), the row (``fetchone()``) or all rows (``fetchall()``)."""
    if method in sql_apis.FETCH_VALUE_METHODS:
        return row.items[0] if row.items else row.element or UNKNOWN
    if method in sql_apis.FETCH_ROW_METHODS:
        return row
    return Value(kind=row.kind, text=HOLE, obj=Shape.CONTAINER, element=row)


def _configured(name: str) -> Value:
    """A value of the deployment's configuration: safe text for SQL, an object whose
    attributes, items and reads are configuration too."""
    return Value(kind=Kind.SAFE, text=HOLE, obj=Api(CONFIGURATION), names=(name,) if name else ())


def _is_model_field(value: Value) -> bool:
    """A model field, by what it is or by the name it was read from (``field``,
    ``new_field``, ``f``, ``pk``)."""
    if value.api == sql_apis.MODEL_FIELD:
        return True
    name = value.names[-1] if value.names else ""
    return name in ("f", "pk") or name == "field" or name.endswith("_field")


def _quoting_method(name: str) -> bool:
    """A method that quotes or escapes for SQL, by its name (``quote_name``,
    ``quote_value``, ``quote_name_unless_alias``, ``identifier_preparer.quote``)."""
    return name in QUOTING_METHODS or name in QUOTING_NAMES or QUOTING_NAME_PART in name
