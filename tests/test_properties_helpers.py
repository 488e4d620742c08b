"""Property tests for private helpers that build SQL from their parameters.

A private helper (``_get_func(self, name)`` running ``"SELECT %s()" % name``) is called
only by its module, so what the module passes it decides: constant or quoted names at
every call make constant SQL (the audit code SQL103 at the helper); one call with a value
of unknown origin, or no call in sight, leaves SQL101 at the helper, where the fix goes.
"""

from __future__ import annotations

import ast
import textwrap
from typing import List, Tuple

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from flake8_sqlsec import config
from flake8_sqlsec.plugin import RawSQLChecker
from flake8_sqlsec.rules import RULES

SINK_MARK = "# <sink>"
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)

# How the helper puts its parameter ``value`` into the statement.
BUILDS = {
    "f-string": 'f"SELECT {value}() FROM dual"',
    "percent": '"SELECT %s() FROM dual" % value',
    "percent dict": '"SELECT %(f)s() FROM dual" % {"f": value}',
    "format": '"SELECT {}() FROM dual".format(value)',
    "concatenation": '"SELECT " + value + "() FROM dual"',
    "join": '" ".join(["SELECT", value, "FROM dual"])',
}
# What the module's calls pass: constants and quoted names...
SAFE_ARGUMENTS = ('"version"', "FUNCTION_NAME", 'connection.ops.quote_name("geos")', "str(42)")
# ... and values of unknown origin.
UNKNOWN_ARGUMENTS = ("name", "self.name", "options['function']", "get_name()")


@pytest.fixture(scope="module", autouse=True)
def _keep_settings():
    saved = config.CURRENT
    yield
    config.CURRENT = saved


def findings(source: str) -> List[Tuple[int, str]]:
    tree = ast.parse(source)
    config.CURRENT = config.Config(selected=frozenset(RULES))
    lines = source.splitlines(True)
    return sorted((line, message.split()[0]) for line, _, message, _ in RawSQLChecker(tree, "t.py", lines).run())


def module(build: str, arguments: List[str], method: bool) -> str:
    """A module with the helper and one caller per argument."""
    statement = BUILDS[build]
    if method:
        callers = "".join(
            f"\n    def caller_{i}(self, name):\n        return self._get_value(cursor, {argument})\n"
            for i, argument in enumerate(arguments)
        )
        return textwrap.dedent(f"""\
            from django.db import connection

            FUNCTION_NAME = "lib_version"


            class Operations:
                def _get_value(self, cursor, value):
                    cursor.execute({statement})  {SINK_MARK}
                    return cursor.fetchone()
            """) + textwrap.indent(callers, "")
    callers = "".join(
        f"\n\ndef caller_{i}(cursor, name):\n    return _get_value(cursor, {argument})\n"
        for i, argument in enumerate(arguments)
    )
    return textwrap.dedent(f"""\
            from django.db import connection

            FUNCTION_NAME = "lib_version"


            def _get_value(cursor, value):
                cursor.execute({statement})  {SINK_MARK}
                return cursor.fetchone()
            """) + callers


def sink_line(source: str) -> int:
    (number,) = [i for i, text in enumerate(source.splitlines(), start=1) if text.rstrip().endswith(SINK_MARK)]
    return number


@settings(max_examples=150, deadline=None, phases=PHASES)
@given(
    st.sampled_from(sorted(BUILDS)),
    st.lists(st.sampled_from(SAFE_ARGUMENTS), min_size=1, max_size=3),
    st.booleans(),
)
def test_a_helper_called_only_with_constants_builds_constant_sql(build, arguments, method) -> None:
    source = module(build, arguments, method)
    assert findings(source) == [(sink_line(source), "SQL103")], source


@settings(max_examples=150, deadline=None, phases=PHASES)
@given(
    st.sampled_from(sorted(BUILDS)),
    st.lists(st.sampled_from(SAFE_ARGUMENTS), max_size=2),
    st.sampled_from(UNKNOWN_ARGUMENTS),
    st.integers(min_value=0, max_value=2),
    st.booleans(),
)
def test_one_call_with_an_unknown_value_keeps_sql101_at_the_helper(build, safe, unknown, where, method) -> None:
    arguments = list(safe)
    arguments.insert(min(where, len(arguments)), unknown)
    source = module(build, arguments, method)
    assert (sink_line(source), "SQL101") in findings(source), source


@pytest.mark.parametrize("build", sorted(BUILDS))
@pytest.mark.parametrize("method", [False, True])
def test_a_helper_without_a_call_in_sight_is_judged_where_it_builds(build: str, method: bool) -> None:
    source = module(build, [], method)
    assert findings(source) == [(sink_line(source), "SQL101")], source


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_a_public_function_is_judged_where_it_builds_whatever_the_module_passes(build: str) -> None:
    source = module(build, ['"version"'], False).replace("_get_value", "get_value")
    assert (sink_line(source), "SQL101") in findings(source), source
