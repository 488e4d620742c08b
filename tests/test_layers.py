"""The package's layers keep their one-way flow (docs/architecture.md).

knowledge/ is data and imports nothing of the package; the engine knows Python only and
imports neither the knowledge nor the world nor the checks; the world answers the engine
from the knowledge; the checks judge what the engine tells them and never change its
state.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flake8_sqlsec"

# layer -> the parts of the package its modules may import
ALLOWED = {
    "knowledge": {"knowledge"},
    "engine": {"engine", "config", "rules"},
    "world": {"world", "engine", "knowledge", "config", "rules"},
    "checks": {"checks", "engine", "world", "knowledge", "config", "rules"},
}


def _modules(layer: str) -> List[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


def _package_imports(path: Path) -> Iterator[Tuple[int, str]]:
    """(line, first part under flake8_sqlsec) of every import of the package in a module."""
    layer = path.parent.name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module and node.module.startswith("flake8_sqlsec."):
                    yield node.lineno, node.module.split(".")[1]
                continue
            if node.level == 1:  # from . import x / from .x import y: the module's own layer
                yield node.lineno, layer
                continue
            parts = (node.module or "").split(".")
            if parts[0]:
                yield node.lineno, parts[0]
            else:  # from .. import config
                for alias in node.names:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("flake8_sqlsec."):
                    yield node.lineno, alias.name.split(".")[1]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_what_they_build_on(layer: str) -> None:
    modules = _modules(layer)
    assert modules, layer
    wrong = [
        f"{path.relative_to(PACKAGE)}:{line} imports {target}"
        for path in modules
        for line, target in _package_imports(path)
        if target not in ALLOWED[layer]
    ]
    assert wrong == []


def _stores_into(tree: ast.AST, roots: Tuple[str, ...]) -> Iterator[Tuple[int, str]]:
    """Assignments to an attribute of ``analysis``/``interp`` (also ``self.analysis.x``)."""
    for node in ast.walk(tree):
        targets: List[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if not isinstance(target, (ast.Attribute, ast.Subscript)):
                continue
            base = target.value
            while isinstance(base, ast.Attribute) and base.attr not in roots:
                base = base.value
            name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
            if name in roots:
                yield node.lineno, ast.unparse(target)


@pytest.mark.parametrize("path", _modules("checks"), ids=lambda p: p.name)
def test_checks_never_change_the_engine_state(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert list(_stores_into(tree, ("analysis", "interp"))) == []


def test_the_scan_sees_a_store_into_the_engine() -> None:
    tree = ast.parse("def f(self, analysis):\n    analysis.silent += 1\n    self.interp.state['x'] = 1\n")
    assert [line for line, _ in _stores_into(tree, ("analysis", "interp"))] == [2, 3]


@pytest.mark.parametrize("layer", ["engine", "world", "checks", "knowledge"])
def test_no_module_is_over_700_lines(layer: str) -> None:
    long = {p.name: n for p in _modules(layer) if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700}
    assert long == {}
