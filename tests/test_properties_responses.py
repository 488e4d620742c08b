"""Property tests for SQL305: a database error's text sent to a client, generated.

Each example is one handler module: a ``try`` around a database call, an ``except`` for a
database error of one of the libraries, and a response of one of the frameworks built
from the exception in one of the ways Python allows (directly, through a variable,
under unrelated blocks). The text of the exception must be reported once, at the
response; fixed messages, the exception's class name or codes, and exceptions that are
no database errors never are.
"""

from __future__ import annotations

import ast
import textwrap
from typing import List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_sqlsec import config, plugin
from flake8_sqlsec.rules import RULES

PRELUDE = """\
import psycopg2
import sqlalchemy.exc
import webob.exc
from aiohttp import web
from django.db import IntegrityError as DjangoIntegrityError
from django.http import JsonResponse
from fastapi import APIRouter, HTTPException
from flask import Flask, abort, jsonify
from oslo_db import exception as db_exc
from rest_framework.response import Response

app = Flask(__name__)
router = APIRouter()


"""

# (decorator line or "", the except clause's type)
ERRORS = [
    "sqlalchemy.exc.IntegrityError",
    "sqlalchemy.exc.SQLAlchemyError",
    "db_exc.DBDuplicateEntry",
    "db_exc.DBError",
    "psycopg2.Error",
    "DjangoIntegrityError",
    "(ValueError, sqlalchemy.exc.DBAPIError)",
]
NOT_DB_ERRORS = ["ValueError", "KeyError", "OSError", "Exception"]

# how the exception's text is made: {e} is the exception's name
TEXTS = [
    "{e}",
    "str({e})",
    "repr({e})",
    'f"failed: {{{e}}}"',
    '"failed: %s" % {e}',
    '"failed: %(error)s" % {{"error": {e}}}',
    '"failed: {{}}".format({e})',
    '"failed: " + str({e})',
    "str({e}.orig)",
    "{e}.args[0]",
]
SAFE_TEXTS = [
    '"the request conflicts with the stored data"',
    "type({e}).__name__",
    '"failed: %s" % type({e}).__name__',
    'f"failed ({{{e}.__class__.__name__}})"',
    'getattr({e}, "code", "unknown")',
]

# a statement that sends {text} to the client, and the decorator its function needs
RESPONSES = [
    ("raise webob.exc.HTTPConflict({text})", ""),
    ("raise webob.exc.HTTPBadRequest(explanation={text})", ""),
    ("return jsonify(error={text})", ""),
    ('return jsonify({{"error": {text}}}), 500', ""),
    ('return {{"error": {text}}}, 409', '@app.route("/items", methods=["POST"])'),
    ("return {text}, 500", '@app.route("/items", methods=["POST"])'),
    ("abort(409, description={text})", ""),
    ("raise HTTPException(status_code=409, detail={text})", ""),
    ("raise HTTPException(500, {text})", '@router.post("/items")'),
    ('return JsonResponse({{"error": {text}}}, status=409)', ""),
    ('return Response({{"detail": {text}}}, status=409)', ""),
    ("raise web.HTTPConflict(text={text})", ""),
]

WRAPPERS = [
    "{body}",
    "if flag:\n    {body}",
    "for attempt in range(3):\n    {body}",
    "with lock:\n    {body}",
]


def _handler(error: str, text: str, response: Tuple[str, str], via_variable: bool, wrapper: str) -> str:
    statement, decorator = response
    text = text.format(e="exc")
    if via_variable:
        lines = f"message = {text}\n" + statement.format(text="message")
    else:
        lines = statement.format(text=text)
    body = wrapper.replace("{body}", lines.replace("\n", "\n    " if wrapper != "{body}" else "\n"))
    handler = (
        f"{decorator}\n" if decorator else ""
    ) + "def handler(session, item, flag, lock):\n    try:\n        session.add(item)\n        session.commit()\n"
    handler += f"    except {error} as exc:\n" + textwrap.indent(body, "        ") + "\n"
    handler += '    return {"ok": True}\n'
    return PRELUDE + handler


def _sql305_lines(source: str) -> List[int]:
    config.CURRENT = config.Config(selected=frozenset(RULES))
    try:
        tree = ast.parse(source)
        results = list(plugin.SensitiveLogChecker(tree, "handlers.py", source.splitlines(True)).run())
    finally:
        config.CURRENT = config.Config()
    return [line for line, _col, message, _type in results if message.startswith("SQL305")]


def _response_line(source: str) -> int:
    """The line of the response statement (the one after ``message = ...`` if any)."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("except "))
    for number in range(start + 1, len(lines)):
        stripped = lines[number].strip()
        if stripped.startswith(("raise", "return", "abort")):
            return number + 1
    raise AssertionError(source)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    st.sampled_from(ERRORS),
    st.sampled_from(TEXTS),
    st.sampled_from(RESPONSES),
    st.booleans(),
    st.sampled_from(WRAPPERS),
)
def test_database_error_text_sent_to_a_client_is_reported_once_at_the_response(
    error, text, response, via_variable, wrapper
) -> None:
    source = _handler(error, text, response, via_variable, wrapper)
    assert _sql305_lines(source) == [_response_line(source)], source


@SETTINGS
@given(
    st.sampled_from(ERRORS),
    st.sampled_from(SAFE_TEXTS),
    st.sampled_from(RESPONSES),
    st.booleans(),
    st.sampled_from(WRAPPERS),
)
def test_fixed_messages_and_class_names_are_never_reported(error, text, response, via_variable, wrapper) -> None:
    source = _handler(error, text, response, via_variable, wrapper)
    assert _sql305_lines(source) == [], source


@SETTINGS
@given(
    st.sampled_from(NOT_DB_ERRORS),
    st.sampled_from(TEXTS),
    st.sampled_from(RESPONSES),
    st.booleans(),
    st.sampled_from(WRAPPERS),
)
def test_errors_that_are_not_database_errors_are_never_reported(error, text, response, via_variable, wrapper) -> None:
    source = _handler(error, text, response, via_variable, wrapper)
    assert _sql305_lines(source) == [], source


@pytest.mark.parametrize("code", ["SQL303", "SQL305"])
def test_each_rule_keeps_to_its_own_sink(code: str) -> None:
    """A log call is SQL303's, a response SQL305's: the same exception text in both
    gives one finding of each, and deselecting one code hides only its own."""
    source = PRELUDE + textwrap.dedent("""\
        import logging
        LOG = logging.getLogger(__name__)

        def handler(session, item):
            try:
                session.commit()
            except sqlalchemy.exc.IntegrityError as exc:
                LOG.error("commit failed: %s", exc)
                raise webob.exc.HTTPConflict(str(exc))
        """)
    config.CURRENT = config.Config(selected=frozenset({code}))
    try:
        tree = ast.parse(source)
        results = list(plugin.SensitiveLogChecker(tree, "handlers.py", source.splitlines(True)).run())
    finally:
        config.CURRENT = config.Config()
    found = [message.split(" ", 1)[0] for _line, _col, message, _type in results]
    assert found == [code]
