"""What a release ships: an sdist whose tests run, a wheel with the rule pages, clean metadata.

The distributions are built as a release would build them (``python -m build``, in an
isolated environment), once per test session.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Dict

import pytest

from flake8_sqlsec import __version__
from flake8_sqlsec.rules import RULES
from helpers import ROOT

pytestmark = pytest.mark.slow

# Modules the unpacked sdist runs: the case files through flake8, the rule pages and their
# exploit proofs, selection, fix text and SARIF. Every other module must at least collect.
SDIST_RUNS = [
    "tests/test_cases.py",
    "tests/test_docs.py",
    "tests/test_selection.py",
    "tests/test_fix_text.py",
    "tests/test_sarif.py",
]


# What a build must not read from a working tree (environments, caches, earlier builds).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".tox", ".venv", ".v", ".bench-venvs", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
    ".pytest_cache",
)


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    # A private copy of the tree: setuptools writes its release tree and egg-info into the
    # source directory, and the tox environments run this test at the same time.
    source = tmp_path_factory.mktemp("source") / "flake8-sqlsec"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # setuptools' deprecation warnings (the old licence table among them) must not return
    assert "SetuptoolsDeprecationWarning" not in result.stdout + result.stderr
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="module")
def unpacked(dists: Dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sdist")
    with tarfile.open(dists["sdist"]) as archive:
        archive.extractall(target)
    (root,) = target.iterdir()
    return root


def test_sdist_holds_what_its_tests_and_readers_need(unpacked: Path) -> None:
    for name in [
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "tox.ini",
        "setup.cfg",
        "tests/conftest.py",
        "tests/helpers.py",
        "tests/cases/sql1_raw_sql.py",
        "tests/data/sarif-schema-2.1.0.json",
        "docs/configuration.md",
        "examples/README.md",
        "examples/shop/views.py",
        "bench/run.py",
        "flake8_sqlsec/py.typed",
    ]:
        assert (unpacked / name).is_file(), name
    for code in RULES:
        assert (unpacked / "flake8_sqlsec" / "docs" / f"{code}.md").is_file(), code
    assert not list(unpacked.rglob("__pycache__"))


def test_tests_of_the_unpacked_sdist_run(unpacked: Path) -> None:
    collect = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only"],
        cwd=str(unpacked),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-3000:]
    assert re.search(r"\d{3,} tests collected", collect.stdout), collect.stdout[-500:]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_RUNS],
        cwd=str(unpacked),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert re.search(r"\d+ passed", run.stdout) and "failed" not in run.stdout.splitlines()[-1]


def test_wheel_ships_the_rule_pages_and_typing_marker(dists: Dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata = Parser().parsestr(
            wheel.read(f"flake8_sqlsec-{__version__}.dist-info/METADATA").decode("utf-8")
        )
    assert "flake8_sqlsec/py.typed" in names
    assert {f"flake8_sqlsec/docs/{code}.md" for code in RULES} <= names
    assert f"flake8_sqlsec-{__version__}.dist-info/licenses/LICENSE" in names
    assert metadata["License-Expression"] == "MIT"
    assert not [c for c in metadata.get_all("Classifier") if c.startswith("License ::")]  # PEP 639
    versions = {c.rsplit(" ", 1)[-1] for c in metadata.get_all("Classifier") if "Python :: 3." in c}
    assert versions == {"3.9", "3.10", "3.11", "3.12", "3.13"}
    assert metadata["Requires-Python"] == ">=3.9"
    assert metadata.get_all("Project-URL")
    assert metadata["Author"]


def test_long_description_has_only_absolute_links() -> None:
    """The README is the package index page: a relative link there leads nowhere."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", readme) + re.findall(r'(?:href|src)="([^"]+)"', readme)
    assert targets, "the README has links"
    relative = [t for t in targets if not re.match(r"^(https?:|mailto:|#)", t)]
    assert relative == []
