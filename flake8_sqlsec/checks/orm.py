"""SQL2: string-built filters and query fragments in ORMs (SQL201-SQL204)."""

from __future__ import annotations

import ast
import re
from typing import Dict, Optional

from ..config import Config
from ..rules import codes_of
from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.hooks import Hook, register_hook
from ..engine.interpreter import Interpreter
from ..engine.prefilter import DICT_UNPACK
from ..engine.values import Imported, Kind, Value, Written
from ..knowledge import fixes, sql_apis
from ..knowledge.orm_clauses import (
    BARE_SQL_METHODS,
    CLAUSE_FUNCTIONS,
    CLAUSE_METHODS,
    DJANGO_EXTRA_KEYWORDS,
    DJANGO_KIND_ARGUMENTS,
    DJANGO_LOOKUP_METHODS,
    DJANGO_RAW_METHODS,
    ORDERING_METHODS,
    TEMPLATE_KEYWORD,
)
from ..world import FROM_REQUEST
from ..world.sinks import resolve_sink
from .raw_sql import how_built

# Roles of the catalogue's sinks that put text into a query being built.
_FRAGMENT_ROLES = ("fragment", "django_raw", "text")


def _fragment_sink_names() -> frozenset:
    """The names of the catalogue's fragment constructors (``text``, ``literal_column``...)."""
    names = {q.rsplit(".", 1)[-1] for q, sink in sql_apis.FUNCTION_SINKS.items() if sink.role in _FRAGMENT_ROLES}
    for methods in sql_apis.METHODS.values():
        names.update(n for n, e in methods.items() if isinstance(e, sql_apis.Sink) and e.role in _FRAGMENT_ROLES)
    return frozenset(names)


_SEVERITY_OVER_SQL101 = 4


def _is_text_value(value: Optional[Value]) -> bool:
    return value is not None and value.obj is None


@register_hook
class ORMFragmentHook(Hook):
    family = "SQL2"
    codes = codes_of(family)
    # A built text() written into a clause is SQL201 there, not SQL101; a constant one is
    # no SQL103/SQL104 either (``_clause`` withdraws it), and request data there is SQL204.
    supersedes = ("SQL101", "SQL103", "SQL104", "SQL105")
    # Clause methods that take SQL text or names, fragment constructors, Django escape
    # hatches and functions that take SQL text; ``**{`` marks a dynamic lookup dict
    # (filter(**{key: value})).
    _sql_names = frozenset(
        BARE_SQL_METHODS | ORDERING_METHODS | _fragment_sink_names() | DJANGO_RAW_METHODS | {TEMPLATE_KEYWORD + "="}
    )
    # Names that can lead to SQL203 only (an audit rule): with it unselected, a function
    # is not interpreted for them.
    _identifier_only_names = (
        frozenset({q.rsplit(".", 1)[-1] for q in DJANGO_KIND_ARGUMENTS} | {DICT_UNPACK}) - _sql_names
    )
    candidate_names = _sql_names | _identifier_only_names
    # Clause methods give a finding only through a positional argument (filter(text),
    # order_by(name)); Django's filter(field=value) cannot. from_statement() also takes
    # its statement by keyword.
    positional_names = (BARE_SQL_METHODS | ORDERING_METHODS) - {"from_statement"}
    # Clauses are methods of a query: only ``.filter(`` is judged (``_clause``), a plain
    # ``filter(`` is Python's builtin or a function of the file.
    method_names = BARE_SQL_METHODS | ORDERING_METHODS

    def names(self, config: Config) -> frozenset:
        return self.candidate_names if config.wants("SQL203") else self._sql_names

    def __init__(self) -> None:
        # id(call node) -> the text value of each fragment constructor call seen
        self.fragments: Dict[int, Value] = {}

    def on_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        fragments = self.fragments
        match = resolve_sink(analysis, site)
        node = site.node
        if match is not None and match.sink.role in _FRAGMENT_ROLES:
            value, arg_node = site.arg(match.sink.position, match.sink.keywords)
            if value is None or not _is_text_value(value):
                return
            fragments[id(node)] = value
            if match.sink.role in ("django_raw", "fragment") and _from_request(value):
                self._request_fragment(analysis, node, site.callee.label())
            elif match.sink.role == "django_raw" and value.kind is Kind.BUILT:
                analysis.report(
                    "SQL202",
                    node,
                    f"SQL built {how_built(value, node.lineno)} is put into the query by RawSQL()",
                    ("sink", id(node)),
                    _SEVERITY_OVER_SQL101,
                    hint=fixes.DJANGO_EXTRA.pick(value.text),
                )
            elif match.sink.role == "fragment":
                label = site.callee.label()
                if value.kind is Kind.BUILT:
                    analysis.report(
                        "SQL201",
                        node,
                        f"SQL built {how_built(value, node.lineno)} is put into the query by {label}",
                        ("sink", id(node)),
                        _SEVERITY_OVER_SQL101,
                        hint=_fragment_fix(site.callee.qualname, site.callee.name).pick(value.text),
                    )
                elif value.kind is Kind.UNKNOWN and value.from_input and arg_node is not None:
                    analysis.report(
                        "SQL203", arg_node, f"{label} takes its SQL from a variable", ("ident", id(arg_node))
                    )
            return
        callee = site.callee
        if callee.qualname in DJANGO_KIND_ARGUMENTS:
            keyword, position = DJANGO_KIND_ARGUMENTS[callee.qualname]
            value, arg_node = site.arg(position, (keyword,))
            if (
                value is not None
                and arg_node is not None
                and _is_text_value(value)
                and (value.kind is Kind.BUILT or value.from_input)
            ):
                analysis.report(
                    "SQL203",
                    arg_node,
                    f"{callee.name}({keyword}=...) is taken from a variable",
                    ("ident", id(arg_node)),
                )
        self._template_keyword(analysis, site)
        if callee.method and callee.name in DJANGO_RAW_METHODS:
            self._extra(analysis, site)
        if callee.method and callee.name in DJANGO_LOOKUP_METHODS:
            self._dynamic_lookups(analysis, interp, site)
        if (callee.method and callee.name in CLAUSE_METHODS) or callee.qualname in CLAUSE_FUNCTIONS:
            self._clause(analysis, site, fragments)

    def _clause(self, analysis: FileAnalysis, site: CallSite, fragments: Dict[int, Value]) -> None:
        name = site.callee.name
        django = site.callee.receiver_api == "django.manager"
        for arg_node, value in zip(site.node.args, site.args):
            inner_node = _fragment_call(arg_node, fragments)
            inner = fragments.get(id(inner_node))
            if inner is not None:
                if _from_request(inner):
                    if _called_name(inner_node) == "text":  # its SQL105 is SQL2's here
                        analysis.withdraw(("sink", id(inner_node)))
                        self._request_fragment(analysis, inner_node, f"{name}() as text()")
                elif inner.kind is Kind.BUILT:
                    analysis.report(
                        "SQL201",
                        inner_node,
                        f"SQL built {how_built(inner, inner_node.lineno)} is put into {name}() as text()",
                        ("sink", id(inner_node)),
                        _SEVERITY_OVER_SQL101,
                        hint=(fixes.SQLALCHEMY_NAMES if name in ORDERING_METHODS else fixes.SQLALCHEMY_FRAGMENT).pick(
                            inner.text
                        ),
                    )
                else:
                    # text() written straight into a clause is SQL2's business, not a raw-SQL sink
                    analysis.withdraw(("sink", id(inner_node)))
                continue
            if (
                isinstance(arg_node, ast.Starred)
                or not _is_text_value(value)
                or django
                and name not in ORDERING_METHODS
            ):
                continue
            if value.kind is Kind.BUILT and name in BARE_SQL_METHODS:
                analysis.report(
                    "SQL201",
                    arg_node,
                    f"SQL built {how_built(value, arg_node.lineno)} is given to {name}() as text",
                    ("ident", id(arg_node)),
                    hint=fixes.SQLALCHEMY_FRAGMENT.pick(value.text),
                )
            elif name in ORDERING_METHODS and (value.kind is Kind.BUILT or value.from_input):
                # SQLAlchemy takes a string here as SQL text: built, even around one name
                # (``f"users.{col}"``), it is a string-built fragment; Django reads it as a
                # field name, which it checks. A receiver not known to be either: a name
                # alone is an identifier (SQL203), anything more is SQL text.
                # ``Model.query.order_by(...)``: Flask-SQLAlchemy's query property (a
                # Django queryset's ``.query`` has no such method)
                sqlalchemy = (site.callee.receiver_api or "").startswith("sqlalchemy.") or (
                    site.callee.receiver_text.endswith(".query")
                )
                if (
                    value.kind is Kind.BUILT
                    and not django
                    and (sqlalchemy or not _IDENTIFIER_ONLY.match(value.text.strip()))
                ):
                    analysis.report(
                        "SQL201",
                        arg_node,
                        f"SQL built {how_built(value, arg_node.lineno)} is given to {name}() as text",
                        ("ident", id(arg_node)),
                        hint=fixes.SQLALCHEMY_NAMES.values,
                    )
                else:
                    analysis.report(
                        "SQL203", arg_node, f"{name}() takes a column name from a variable", ("ident", id(arg_node))
                    )

    @staticmethod
    def _request_fragment(analysis: FileAnalysis, node: ast.AST, label: str) -> None:
        analysis.report(
            "SQL204",
            node,
            f"request data is put into the query by {label}",
            ("sink", id(node)),
            _SEVERITY_OVER_SQL101,
        )

    def _extra(self, analysis: FileAnalysis, site: CallSite) -> None:
        for kw in site.node.keywords:
            if kw.arg not in DJANGO_EXTRA_KEYWORDS:
                continue
            value = site.keywords.get(kw.arg)
            if value is None:
                continue
            element = value.element if value.element is not None else value
            if _from_request(element):
                self._request_fragment(analysis, _built_element(kw.value), f"extra({kw.arg}=...)")
                continue
            if element.kind is not Kind.BUILT or not _is_text_value(element):
                continue
            target = _built_element(kw.value)
            analysis.report(
                "SQL202",
                target,
                f"SQL built {how_built(element, target.lineno)} is put into the query by extra({kw.arg}=...)",
                ("sink", id(target)),
                _SEVERITY_OVER_SQL101,
                hint=fixes.DJANGO_EXTRA.pick(element.text),
            )

    def _dynamic_lookups(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        mapping = site.keywords.get(None)
        if mapping is None or mapping.keys is None or mapping.keys.kind in (Kind.CONST, Kind.SAFE):
            return  # constant or allow-listed lookup names
        for kw in site.node.keywords:
            if kw.arg is None and isinstance(kw.value, ast.Dict):
                for key in kw.value.keys:
                    if key is not None and not isinstance(key, ast.Constant):
                        analysis.report(
                            "SQL203",
                            key,
                            f"{site.callee.name}(**{{...}}) takes a lookup name from a variable",
                            ("ident", id(key)),
                        )

    def _template_keyword(self, analysis: FileAnalysis, site: CallSite) -> None:
        value = site.keywords.get(TEMPLATE_KEYWORD)
        if value is None or value.kind is not Kind.BUILT or not _is_text_value(value):
            return
        callee = site.callee
        qualname = callee.qualname or ""
        ancestors = analysis.ancestors(callee.name) if not callee.method and not qualname else ()
        if (
            qualname.startswith("django.db.models")
            or any(type(b) in (Imported, Written) and b.name.startswith("django.db.models") for b in ancestors)
            or (not qualname and callee.name.endswith(("Func", "Aggregate", "Transform", "Expression")))
        ):
            node = next(kw.value for kw in site.node.keywords if kw.arg == TEMPLATE_KEYWORD)
            analysis.report(
                "SQL202",
                node,
                f"SQL built {how_built(value, node.lineno)} is used as an expression template",
                ("sink", id(node)),
                _SEVERITY_OVER_SQL101,
                hint=fixes.DJANGO_TEMPLATE.values,
            )


_IDENTIFIER_ONLY = re.compile(r"^-?[\w.\ufffc]*$")


def _called_name(node: ast.AST) -> str:
    func = node.func if isinstance(node, ast.Call) else None
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _from_request(value: Value) -> bool:
    """Text taken whole from a request (not built from it: that is SQL201/SQL202)."""
    return value.kind is Kind.UNKNOWN and value.obj is None and FROM_REQUEST in value.labels


def _fragment_call(node: ast.AST, fragments: Dict[int, Value]) -> ast.AST:
    """``text(...)`` itself, also when written as ``text(...).bindparams(...)``."""
    current = node
    while (
        id(current) not in fragments
        and isinstance(current, ast.Call)
        and isinstance(current.func, ast.Attribute)
        and isinstance(current.func.value, ast.Call)
    ):
        current = current.func.value
    return current


def _fragment_fix(qualname: Optional[str], name: str) -> fixes.Fix:
    """peewee's SQL() takes params; SQLAlchemy's literal_column()/column()/table() take names."""
    if (qualname or "").startswith("peewee.") or name == "SQL":
        return fixes.PEEWEE
    if name in ("literal_column", "column", "table"):
        return fixes.SQLALCHEMY_NAMES
    return fixes.SQLALCHEMY_FRAGMENT


def _built_element(node: ast.AST) -> ast.AST:
    """The first element of a list/dict display that is not a plain literal."""
    elements = []
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        elements = node.elts
    elif isinstance(node, ast.Dict):
        elements = [v for v in node.values]
    for element in elements:
        if not isinstance(element, ast.Constant):
            return element
    return node
