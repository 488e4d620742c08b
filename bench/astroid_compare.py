"""Summaries of the project's other modules: the engine over ``ast`` against astroid.

The design names astroid for inference across modules. flake8-sqlsec reads another
module with ``ast`` and summarises its functions with its own engine
(``engine/other_modules.py``). This script measures both on the modules a corpus run
actually asks about, so the choice rests on numbers:

1. A run of the plugin's analysis over the corpus records which modules its files asked
   about (``function_facts``) and which functions there got a summary.
2. ``ours``: in a fresh process, those modules are summarised as the plugin does it.
3. ``astroid``: in a fresh process, astroid builds the same modules and infers every
   ``return`` of the same functions (``infer()``), the part of a summary it can give: a
   return value it resolves to constant text. Which parameters reach an execution API,
   and whether returned text is built from a parameter, astroid does not say.

Reported per tool: seconds, peak RSS added (MiB), functions summarised, and the facts
decided (ours: constant, safe or built text, a parameter handed back, a parameter that
reaches a sink; astroid: constant text). Needs astroid installed (``pip install
astroid``); it is not a dependency of the plugin.

    python bench/astroid_compare.py /path/to/corpus [/path/to/another]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from typing import Dict, List


def _files(root: str) -> List[str]:
    found = []
    for directory, _, names in os.walk(root):
        found.extend(os.path.join(directory, name) for name in names if name.endswith(".py"))
    return sorted(found)


def _asked(root: str) -> Dict[str, List[str]]:
    """Module path -> the functions summarised there, as a corpus run asks for them."""
    from flake8_sqlsec import config, plugin  # noqa: F401 - registers every family
    from flake8_sqlsec.engine import other_modules
    from flake8_sqlsec.engine.cache import analysis_for, release
    from flake8_sqlsec.rules import RULES
    from flake8_sqlsec.world import LibraryWorld

    settings = config.Config(selected=frozenset(RULES))
    world = LibraryWorld(settings)
    for path in _files(root):
        try:
            with open(path, encoding="utf-8") as stream:
                source = stream.read()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        analysis_for(tree, path, source.splitlines(True), settings, world)
        release(tree)
    asked: Dict[str, List[str]] = {}
    for (module, _, name, _want), facts in other_modules._FACTS.items():  # noqa: SLF001 - measuring it
        if facts is not None and name not in asked.setdefault(module, []):
            asked[module].append(name)
    return {module: sorted(names) for module, names in asked.items() if names}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _ours(asked: Dict[str, List[str]]) -> dict:
    from flake8_sqlsec import config, plugin  # noqa: F401
    from flake8_sqlsec.engine import other_modules
    from flake8_sqlsec.engine.driver import FileAnalysis
    from flake8_sqlsec.engine.values import Kind
    from flake8_sqlsec.rules import RULES
    from flake8_sqlsec.world import LibraryWorld

    settings = config.Config(selected=frozenset(RULES))
    world = LibraryWorld(settings)
    asker = FileAnalysis(ast.parse(""), "", [], settings, world)
    base = _peak_mib()
    started = time.perf_counter()
    facts = functions = 0
    for module, names in asked.items():
        for name in names:
            wrapper = other_modules._summarise(asker, module, name, other_modules.WRAPPERS)  # noqa: SLF001
            returned = other_modules._summarise(asker, module, name, other_modules.RETURNS)  # noqa: SLF001
            if wrapper is None and returned is None:
                continue
            functions += 1
            if wrapper is not None and any(wrapper.followed.values()):
                facts += 1
            returns = returned.returns if returned is not None else None
            if returns is not None and (returns.kind is not Kind.UNKNOWN or returns.passes is not None):
                facts += 1
    return {
        "seconds": time.perf_counter() - started,
        "peak_mib": _peak_mib() - base,
        "functions": functions,
        "facts": facts,
    }


def _astroid(asked: Dict[str, List[str]]) -> dict:
    import astroid
    from astroid import nodes

    manager = astroid.MANAGER
    base = _peak_mib()
    started = time.perf_counter()
    facts = functions = 0
    for module, names in asked.items():
        try:
            tree = manager.ast_from_file(module)
        except Exception:  # noqa: B902 - astroid's own failures count as unknown
            continue
        for name in names:
            owner, _, member = name.partition(".")
            try:
                node = tree[owner]
                if member:
                    node = node[member]
            except (KeyError, TypeError):
                continue
            if not isinstance(node, nodes.FunctionDef):
                continue
            functions += 1
            constant = True
            for ret in node.nodes_of_class(nodes.Return):
                if ret.value is None:
                    continue
                try:
                    inferred = list(ret.value.infer())
                except Exception:  # noqa: B902
                    inferred = []
                if not inferred or not all(isinstance(v, nodes.Const) and isinstance(v.value, str) for v in inferred):
                    constant = False
            facts += constant
    return {
        "seconds": time.perf_counter() - started,
        "peak_mib": _peak_mib() - base,
        "functions": functions,
        "facts": facts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--phase", choices=("asked", "ours", "astroid"), help=argparse.SUPPRESS)
    parser.add_argument("--asked", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "asked":
        print(json.dumps(_asked(args.corpora[0])))
        return
    if args.phase in ("ours", "astroid"):
        with open(args.asked, encoding="utf-8") as stream:
            asked = json.load(stream)
        print(json.dumps((_ours if args.phase == "ours" else _astroid)(asked)))
        return
    import tempfile

    print("| corpus | modules asked | tool | seconds | peak RSS added (MiB) | functions | facts decided |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for corpus in args.corpora:

        def phase(name: str, extra: List[str]) -> str:
            command = [sys.executable, __file__, corpus, "--phase", name, *extra]
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as stream:
            stream.write(phase("asked", []))
            asked_path = stream.name
        with open(asked_path, encoding="utf-8") as stream:
            modules = len(json.load(stream))
        for tool in ("ours", "astroid"):
            result = json.loads(phase(tool, ["--asked", asked_path]))
            print(
                f"| {os.path.basename(corpus.rstrip('/'))} | {modules} | {tool} | {result['seconds']:.3f} "
                f"| {result['peak_mib']:.1f} | {result['functions']} | {result['facts']} |"
            )
        os.unlink(asked_path)


if __name__ == "__main__":
    main()
