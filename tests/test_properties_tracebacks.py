"""Property tests for SQL306: a database error's traceback written to the log, generated.

Each example is a handler with an ``except`` for an error of one of the libraries and a
log call in one of the ways that write (or do not write) the traceback, under a few
unrelated blocks. A database error's traceback is reported once, at the log call; other
errors, ``exc_info=False`` and files whose engines hide the parameters never are.
"""

from __future__ import annotations

import ast
import textwrap
from typing import List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_sqlsec import config, plugin
from flake8_sqlsec.rules import RULES

PRELUDE = """\
import logging
import sys

import psycopg2
import sqlalchemy.exc
from django.db import DatabaseError
from oslo_db import exception as db_exc

LOG = logging.getLogger(__name__)
"""

DB_ERRORS = ["sqlalchemy.exc.IntegrityError", "db_exc.DBError", "psycopg2.OperationalError", "DatabaseError"]
OTHER_ERRORS = ["ValueError", "KeyError", "OSError", "TimeoutError"]
WRITES = [
    'LOG.exception("saving %s failed", item)',
    'LOG.error("saving %s failed", item, exc_info=True)',
    'LOG.warning("saving failed", exc_info=exc)',
    'LOG.critical("saving failed", exc_info=sys.exc_info())',
    'LOG.log(logging.ERROR, "saving failed", exc_info=1)',
]
QUIET = [
    'LOG.error("saving %s failed", item)',
    'LOG.warning("saving failed", exc_info=False)',
    'LOG.exception("saving failed", exc_info=False)',
    'LOG.info("saving failed: %s", type(exc).__name__)',
]
WRAPPERS = ["{body}", "if item:\n    {body}", "for attempt in range(3):\n    {body}", "with lock:\n    {body}"]
ENGINES = ["", 'engine = sqlalchemy.create_engine("postgresql://db/app", hide_parameters=True)\n']

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _source(engine: str, error: str, call: str, wrapper: str) -> str:
    body = wrapper.replace("{body}", call)
    handler = textwrap.indent(body, "        ")
    return (
        PRELUDE
        + engine
        + "\n\ndef save(session, item, lock):\n    try:\n        session.commit()\n"
        + f"    except {error} as exc:\n{handler}\n        raise\n"
    )


def _sql306_lines(source: str) -> List[int]:
    config.CURRENT = config.Config(selected=frozenset(RULES))
    try:
        tree = ast.parse(source)
        results = list(plugin.SensitiveLogChecker(tree, "app.py", source.splitlines(True)).run())
    finally:
        config.CURRENT = config.Config()
    return [line for line, _col, message, _type in results if message.startswith("SQL306")]


def _call_line(source: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if line.strip().startswith("LOG."))


@SETTINGS
@given(st.sampled_from(DB_ERRORS), st.sampled_from(WRITES), st.sampled_from(WRAPPERS))
def test_a_database_errors_traceback_is_reported_at_the_log_call(error, call, wrapper) -> None:
    source = _source("", error, call, wrapper)
    assert _sql306_lines(source) == [_call_line(source)], source


@SETTINGS
@given(st.sampled_from(DB_ERRORS), st.sampled_from(QUIET), st.sampled_from(WRAPPERS))
def test_log_calls_without_the_traceback_are_never_reported(error, call, wrapper) -> None:
    source = _source("", error, call, wrapper)
    assert _sql306_lines(source) == [], source


@SETTINGS
@given(st.sampled_from(OTHER_ERRORS), st.sampled_from(WRITES), st.sampled_from(WRAPPERS))
def test_tracebacks_of_other_errors_are_never_reported(error, call, wrapper) -> None:
    source = _source("", error, call, wrapper)
    assert _sql306_lines(source) == [], source


@SETTINGS
@given(st.sampled_from(DB_ERRORS), st.sampled_from(WRITES), st.sampled_from(WRAPPERS))
def test_engines_that_hide_the_parameters_quiet_the_file(error, call, wrapper) -> None:
    source = _source(ENGINES[1], error, call, wrapper)
    assert _sql306_lines(source) == [], source
