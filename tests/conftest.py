import os
import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

# Hypothesis profiles, chosen with the HYPOTHESIS_PROFILE environment variable.
#
# "default" runs every property test with the example count written on it. tox uses it
# for the primary environment (py311).
#
# "ci-matrix" is for the other environments of the tox matrix, which repeat the same
# tests on other interpreters and dependency versions: every property test still runs,
# but with at most CI_MATRIX_EXAMPLES examples, and without the shared example
# database, which the environments would otherwise write to in parallel.
#
# With CI set in the environment (as CI services and `.ci/run` set it), every profile is
# derandomised: the examples follow from each test's own code, so a red run is the same
# run again on any machine, and no example database is read or written.
CI_MATRIX_EXAMPLES = 25

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
DERANDOMIZE = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

if DERANDOMIZE:
    settings.register_profile("default", parent=settings.get_profile("default"), derandomize=True, database=None)
settings.register_profile("ci-matrix", max_examples=CI_MATRIX_EXAMPLES, database=None, derandomize=DERANDOMIZE)
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(config, items):
    """Under "ci-matrix", cap the example count that a test sets with ``@settings``.

    A profile only provides defaults: a count written on the test wins over it. The cap
    is applied to the settings Hypothesis reads when the test starts.
    """
    if PROFILE != "ci-matrix":
        return
    for item in items:
        test = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
        current = getattr(test, "_hypothesis_internal_use_settings", None)
        if current is not None and current.max_examples > CI_MATRIX_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(current, max_examples=CI_MATRIX_EXAMPLES, database=None)
