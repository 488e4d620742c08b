"""The SQL3 gate: a function whose only calls of interest are log calls is interpreted only
when its text shows where a leak could start, and functions that call no log method are
interpreted without following sensitive values. Neither may ever lose a finding, so every
file and generated program here is analysed twice, gate on and gate off (every function
that logs interpreted, values followed everywhere), and both runs must report exactly the
same."""

from __future__ import annotations

from pathlib import Path
from typing import Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_sqlsec.checks.logs import SensitiveLogHook
from helpers import ROOT, analyse

FILES = sorted(
    [
        *(ROOT / "tests" / "cases").glob("*.py"),
        *(ROOT / "bench" / "labelled").rglob("*.py"),
        *(ROOT / "examples").rglob("*.py"),
    ]
)


def _both_ways(source: str) -> Tuple[list, list, int]:
    """Findings with the gate and without it, and how many more functions ran without."""
    gated = analyse(source)
    ungated = analyse(source, [(SensitiveLogHook, "gated", False)])
    return gated.findings, ungated.findings, ungated.functions_run - gated.functions_run


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_gate_keeps_every_finding_of_the_case_files(path: Path) -> None:
    gated, ungated, _ = _both_ways(path.read_text(encoding="utf-8"))
    assert gated == ungated


def test_gate_skips_functions_that_only_log_plain_values() -> None:
    source = (
        "import logging\n"
        "LOG = logging.getLogger(__name__)\n"
        "def start(name, port):\n"
        "    LOG.info('starting %s on %d', name, port)\n"
        "def stop(name):\n"
        "    try:\n"
        "        halt(name)\n"
        "    except ValueError as e:\n"
        "        LOG.warning('could not stop %s: %s', name, e)\n"
        "def login(user, password):\n"
        "    LOG.debug('login %s %s', user, password)\n"
    )
    gated, ungated, skipped = _both_ways(source)
    assert gated == ungated == [(11, 8, "SQL301", "'password' is passed to LOG.debug()")]
    assert skipped == 2  # start() and stop() could not leak anything


# --- generated programs: a secret, a dump or a database error travels to a log call --------

_SOURCES = [
    'os.environ["DB_PASSWORD"]',
    "settings.API_TOKEN",
    "options.db_password",
    "request.form",
    "row.__dict__",
    "vars(options)",
    '"plain text"',
    "options.name",
    "len(options.password)",
    "mask(options.password)",
]
_HANDLED = ["ValueError", "sqlalchemy.exc.DBAPIError", "db_exc.DBError", "psycopg2.Error", "OSError", "local_errors"]


@st.composite
def _programs(draw) -> str:
    """A module where a value is read in one place and logged in another: through a
    module-level name, an attribute set in another method (maybe through a second
    attribute), a class attribute, or an exception caught by a handler."""
    source = draw(st.sampled_from(_SOURCES))
    module_alias = draw(st.sampled_from(["carry", "DEFAULTS", "_cached"]))
    first, second = draw(st.sampled_from([("stash", "login"), ("_held", "value"), ("conf", "target")]))
    read = draw(
        st.sampled_from(
            [module_alias, f"self.{first}", f"self.{second}", "self.fallback", "item", f"{module_alias}.upper()"]
        )
    )
    handled = draw(st.sampled_from(_HANDLED))
    level = draw(st.sampled_from(["info", "debug", "error", "exception"]))
    nested = draw(st.booleans())
    lines = [
        "import logging, os",
        "import psycopg2",
        "import sqlalchemy.exc",
        "from django.conf import settings",
        "from flask import request",
        "from oslo_db import exception as db_exc",
        "LOG = logging.getLogger(__name__)",
        f"{module_alias} = {source.replace('options', 'settings')}",
        "class Job:",
        f"    fallback = {module_alias}",
        "    def __init__(self, options, row):",
        f"        self.{first} = {source}",
        "    def prepare(self):",
        f"        self.{second} = self.{first}",
        "    def run(self, item):",
        "        local_errors = (psycopg2.Error,)",
        "        try:",
        "            item.save()",
        f"        except {handled} as problem:",
        f"            LOG.{level}('failed: %s', problem)",
    ]
    body = [f"LOG.{level}('value: %s', {read})"]
    if nested:
        lines += ["        def report():", *(f"            {line}" for line in body), "        report()"]
    else:
        lines += [f"        {line}" for line in body]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(_programs())
def test_gate_keeps_every_finding_of_generated_programs(source: str) -> None:
    gated, ungated, _ = _both_ways(source)
    assert gated == ungated, source
