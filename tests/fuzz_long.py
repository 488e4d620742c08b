"""Long fuzzing run, by hand: ``python tests/fuzz_long.py 10000``.

Runs the generated-program property of ``test_fuzz_programs.py`` for as many examples as
asked (programs from the Python grammar); ``--nodes N`` adds N programs built from
syntax trees, which are slower to generate but closer to real code.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hypothesmith  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

import test_fuzz_programs  # noqa: E402

SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", type=int, nargs="?", default=10_000, help="programs from the grammar")
    parser.add_argument("--nodes", type=int, default=0, help="programs built from syntax trees")
    args = parser.parse_args(argv)

    runs = [("grammar", test_fuzz_programs.fuzz(args.examples), args.examples)]
    if args.nodes:

        @settings(max_examples=args.nodes, deadline=None, suppress_health_check=SUPPRESSED)
        @given(hypothesmith.from_node())
        def from_nodes(source: str) -> None:
            test_fuzz_programs.check_generated(source)

        runs.append(("syntax trees", from_nodes, args.nodes))

    warnings.simplefilter("ignore", SyntaxWarning)  # hypothesmith compiles code like ``1()``
    failed = False
    for name, run, count in runs:
        started = time.perf_counter()
        try:
            run()
        except Exception as exc:  # noqa: B902 - report and go on with the next kind
            failed = True
            print(f"{name}: FAILED after {time.perf_counter() - started:.0f}s: {type(exc).__name__}: {exc}")
        else:
            print(f"{name}: {count} programs, no failure, {time.perf_counter() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
