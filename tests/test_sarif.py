"""``flake8 --format=sarif``: valid SARIF 2.1.0, rule metadata from the registry, regions
that match flake8's own output, and no source text in the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import jsonschema
from flake8 import __version__ as flake8_version
import pytest

from flake8_sqlsec import __version__
from flake8_sqlsec.rules import RULES
from flake8_sqlsec.sarif import artifact_location, level_for
from helpers import FORMAT, parse_findings

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

SECRET = "s3cr3t-Passw0rd-4417"

APP = f"""\
import logging
import sqlite3

LOG = logging.getLogger(__name__)
API_PASSWORD = "{SECRET}"


def find(name):
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM users WHERE pw = '{SECRET}' AND name = '{{name}}'")
    cur.execute("SELECT * FROM users")
    return cur.fetchall()


def build(order):
    return "SELECT * FROM users ORDER BY %s" % order


def login(user, password):
    LOG.info("login %s %s {SECRET}", user, password)
    LOG.debug("key %s", API_PASSWORD)
"""


def run_flake8(cwd: Path, *args: str, stdin: str = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        cwd=str(cwd),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def validate(log: Dict[str, Any]) -> None:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    validator_class(SCHEMA).validate(log)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg" / "sub dir").mkdir(parents=True)
    (tmp_path / "pkg" / "sub dir" / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "pkg" / "ok.py").write_text("import os\n\nVALUE = os.sep\n", encoding="utf-8")
    return tmp_path


@pytest.fixture()
def sarif(project: Path) -> Dict[str, Any]:
    result = run_flake8(project, "--format=sarif", "--max-line-length=79", "pkg")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def run_of(log: Dict[str, Any]) -> Dict[str, Any]:
    (run,) = log["runs"]
    return run


def results_by_code(log: Dict[str, Any]) -> Dict[str, List[Dict[str, Any]]]:
    found: Dict[str, List[Dict[str, Any]]] = {}
    for result in run_of(log)["results"]:
        found.setdefault(result["ruleId"], []).append(result)
    return found


def test_output_is_valid_sarif(sarif: Dict[str, Any]) -> None:
    validate(sarif)
    assert sarif["version"] == "2.1.0"
    assert run_of(sarif)["columnKind"] == "unicodeCodePoints"


def test_driver_is_flake8_with_the_plugin_as_extension(sarif: Dict[str, Any]) -> None:
    tool = run_of(sarif)["tool"]
    assert (tool["driver"]["name"], tool["driver"]["version"]) == ("flake8", flake8_version)
    assert [(e["name"], e["version"]) for e in tool["extensions"]] == [("flake8-sqlsec", __version__)]


def test_every_registry_rule_is_described(sarif: Dict[str, Any]) -> None:
    rules = {rule["id"]: rule for rule in run_of(sarif)["tool"]["driver"]["rules"]}
    for code, rule in RULES.items():
        entry = rules[code]
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"] == rule.description
        # The whole rule page travels with the log; no link to a page that may not exist.
        assert entry["help"]["markdown"] == rule.doc()
        assert entry["help"]["markdown"].startswith(f"# {code} {rule.name}\n")
        assert f"python -m flake8_sqlsec {code}" in entry["help"]["text"]
        assert "helpUri" not in entry
        assert entry["defaultConfiguration"]["enabled"] is rule.default_enabled
        if rule.cwe:
            tags = entry["properties"]["tags"]
            assert "security" in tags and set(rule.cwe) <= set(tags)
            assert entry["properties"]["security-severity"] == f"{rule.security_severity:.1f}"
            float(entry["properties"]["security-severity"])
    assert "CWE-89" in rules["SQL101"]["properties"]["tags"]
    assert rules["SQL101"]["properties"]["security-severity"] == "9.0"
    assert "CWE-532" in rules["SQL301"]["properties"]["tags"]
    assert "CWE-532" in rules["SQL401"]["properties"]["tags"]


def test_other_plugins_codes_get_a_minimal_rule(sarif: Dict[str, Any]) -> None:
    run = run_of(sarif)
    rules = run["tool"]["driver"]["rules"]
    codes = {result["ruleId"] for result in run["results"]}
    assert {"E501", "SQL101"} <= codes
    assert [rule["id"] for rule in rules if rule["id"] not in RULES] == sorted(codes - set(RULES))
    assert {"id": "E501"} in rules
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_security_severity(project: Path) -> None:
    result = run_flake8(project, "--format=sarif", "--extend-select=SQL103", "pkg")
    found = results_by_code(json.loads(result.stdout))
    assert {r["level"] for r in found["SQL101"]} == {"error"}  # 9.0
    assert {r["level"] for r in found["SQL102"]} == {"error"}  # 7.0
    assert {r["level"] for r in found["SQL103"]} == {"warning"}  # 2.0
    assert {r["level"] for r in found["E501"]} == {"note"}
    assert level_for("SQL301") == "error"
    assert level_for("SQL303") == "warning"
    assert level_for("W291") == "note"


def test_regions_match_flake8_text_output(project: Path, sarif: Dict[str, Any]) -> None:
    text = run_flake8(project, f"--format={FORMAT}", "--max-line-length=79", "pkg")
    expected = sorted(
        (path.replace("\\", "/"), row, col, code) for path, row, col, code, _ in parse_findings(text.stdout)
    )
    seen = []
    for result in run_of(sarif)["results"]:
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        region = physical["region"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert region["endLine"] == region["startLine"]
        assert region["endColumn"] == region["startColumn"] + 1
        uri = physical["artifactLocation"]["uri"]
        seen.append((uri.replace("%20", " "), region["startLine"], region["startColumn"], result["ruleId"]))
    assert sorted(seen) == expected
    assert "pkg/sub%20dir/app.py" in {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_of(sarif)["results"]
    }


def test_message_is_flake8_text(sarif: Dict[str, Any]) -> None:
    (sql101,) = results_by_code(sarif)["SQL101"]
    assert sql101["message"]["text"] == (
        "sql-built-in-execute: SQL built with an f-string reaches cur.execute(); "
        'use ? placeholders and pass the values: execute("... WHERE name = ?", (name,))'
    )
    assert sql101["locations"][0]["physicalLocation"]["region"]["startLine"] == 10


def test_no_source_text_in_the_report(project: Path) -> None:
    result = run_flake8(project, "--format=sarif", "--show-source", "--extend-select=SQL103,SQL104", "pkg")
    log = json.loads(result.stdout)
    validate(log)
    assert SECRET not in result.stdout
    for result_ in run_of(log)["results"]:
        region = result_["locations"][0]["physicalLocation"]["region"]
        assert "snippet" not in region
        assert "contextRegion" not in result_["locations"][0]["physicalLocation"]


def test_output_file_is_replaced_not_appended(project: Path) -> None:
    target = project / "reports" / "flake8.sarif"
    for _ in range(2):
        result = run_flake8(project, "--format=sarif", f"--output-file={target}", "pkg")
        assert result.stdout == ""
    validate(json.loads(target.read_text(encoding="utf-8")))


def test_statistics_and_benchmark_keep_the_json_whole(project: Path) -> None:
    result = run_flake8(project, "--format=sarif", "--statistics", "--benchmark", "--count", "pkg")
    head, _, tail = result.stdout.rpartition("}")
    log = json.loads(head + "}")  # --count prints the total after the document
    validate(log)
    assert tail.strip().isdigit()


def test_clean_run_has_no_results(project: Path) -> None:
    result = run_flake8(project, "--format=sarif", "pkg/ok.py")
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    validate(log)
    assert run_of(log)["results"] == []


def test_stdin_uses_the_display_name(project: Path) -> None:
    result = run_flake8(project, "--format=sarif", "--select=SQL", "--stdin-display-name=src/app.py", "-", stdin=APP)
    log = json.loads(result.stdout)
    validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_of(log)["results"]}
    assert uris == {"src/app.py"}


def test_files_outside_the_current_directory_get_absolute_uris(tmp_path: Path) -> None:
    base = tmp_path / "base"
    outside = tmp_path / "elsewhere" / "m.py"
    assert artifact_location(str(outside), str(base)) == {"uri": outside.as_uri()}
    assert artifact_location(str(base / "a" / "b.py"), str(base)) == {"uri": "a/b.py", "uriBaseId": "%SRCROOT%"}


def _fingerprints(project: Path) -> List[Tuple[str, int, str]]:
    result = run_flake8(project, "--format=sarif", "--select=SQL", "pkg")
    log = json.loads(result.stdout)
    validate(log)
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"]["flake8-sqlsec/v1"],
        )
        for r in run_of(log)["results"]
    ]


def test_fingerprints_survive_moving_and_reindenting_the_code(project: Path) -> None:
    app = project / "pkg" / "sub dir" / "app.py"
    before = _fingerprints(project)
    assert len({fingerprint for *_, fingerprint in before}) == len(before) >= 4
    moved = APP.replace("LOG = logging.getLogger(__name__)\n", "LOG = logging.getLogger(__name__)\n\n# note\nX = 1\n")
    moved = moved.replace("def build(order):\n    return", "def build(order):\n    if order:\n        return")
    app.write_text(moved, encoding="utf-8")
    after = _fingerprints(project)
    assert [line for _, line, _ in after] != [line for _, line, _ in before]  # the findings moved
    assert sorted((code, fp) for code, _, fp in after) == sorted((code, fp) for code, _, fp in before)


def test_fingerprints_tell_identical_lines_apart_and_change_with_the_line(project: Path) -> None:
    app = project / "pkg" / "sub dir" / "app.py"
    twice = '    LOG.info("login %s %s", user, password)\n'
    app.write_text(APP + "\n\ndef login_again(user, password):\n" + twice + twice, encoding="utf-8")
    sql301 = [fp for code, _, fp in _fingerprints(project) if code == "SQL301"]
    assert len(sql301) == len(set(sql301)) == 3
    app.write_text(APP, encoding="utf-8")
    first = {(code, line): fp for code, line, fp in _fingerprints(project)}
    app.write_text(APP.replace('"login %s %s', '"user %s logged in with %s'), encoding="utf-8")
    changed = {(code, line): fp for code, line, fp in _fingerprints(project)}
    login_line = APP.splitlines().index('    LOG.info("login %s %s ' + SECRET + '", user, password)') + 1
    assert changed[("SQL301", login_line)] != first[("SQL301", login_line)]
    assert changed[("SQL101", 10)] == first[("SQL101", 10)]


def test_stdin_results_have_fingerprints(project: Path) -> None:
    result = run_flake8(project, "--format=sarif", "--stdin-display-name=pkg/app.py", "-", stdin=APP)
    log = json.loads(result.stdout)
    validate(log)
    assert run_of(log)["results"]
    assert all(r["partialFingerprints"]["flake8-sqlsec/v1"] for r in run_of(log)["results"])
