"""``flake8 --format=sarif``: the findings of a flake8 run as one SARIF 2.1.0 log.

The log has one run whose driver is flake8 itself; flake8-sqlsec is listed as an
extension. ``rules[]`` holds every rule of the registry plus a minimal entry (the id)
for each code of another plugin that appears in the results, so other plugins' findings
(E501, F401, ...) are reported too.

Results carry a region (line and column, as flake8 prints them) and a message, never a
snippet of the source: a rule that flags secrets in log calls must not copy the secret
into the report. Each rule's help is its whole page, shipped in the package, as Markdown
(code scanning shows it with the alert).

``partialFingerprints`` identify a finding across edits: a hash of the rule, the file,
the flagged line's text with its white space folded, and which of the identical ones in
the file it is, so inserting or deleting lines above it, or re-indenting it, keeps the
identity, and dashboards do not reopen the finding.
"""

from __future__ import annotations

import json
import linecache
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Tuple
from urllib.parse import quote

import flake8
from flake8.formatting.base import BaseFormatter

from . import __version__
from .rules import RULES, Rule

if TYPE_CHECKING:  # pragma: no cover
    from flake8.violation import Violation

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FLAKE8_URI = "https://flake8.pycqa.org/"
PROJECT_URI = "https://pypi.org/project/flake8-sqlsec/"
FINGERPRINT = "flake8-sqlsec/v1"
_SPACE = re.compile(r"\s+")


def level_for(code: str) -> str:
    """SARIF level: "error" from security-severity 7.0 up, "warning" below, "note" for other plugins."""
    rule = RULES.get(code)
    if rule is None:
        return "note"
    return "error" if rule.security_severity >= 7.0 else "warning"


def rule_descriptor(rule: Rule) -> Dict[str, Any]:
    descriptor: Dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.hint[:1].upper()}{rule.hint[1:]}. The rule's page: python -m flake8_sqlsec {rule.code}",
            "markdown": rule.doc(),
        },
        "defaultConfiguration": {"enabled": rule.default_enabled, "level": level_for(rule.code)},
    }
    if rule.cwe:  # SQL999, the plugin's own failure, is not a security finding
        descriptor["properties"] = {
            # "CWE-89" as written in the registry, and the form GitHub code scanning links
            "tags": ["security", *rule.cwe, *(f"external/cwe/cwe-{cwe.split('-')[1]}" for cwe in rule.cwe)],
            "security-severity": f"{rule.security_severity:.1f}",
        }
    return descriptor


def artifact_location(filename: str, base: str) -> Dict[str, str]:
    """A URI relative to ``base`` (the current directory) with forward slashes.

    Files outside ``base`` (or on another drive) get an absolute ``file:`` URI instead.
    """
    path = os.path.abspath(filename)
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        relative = None
    if relative is None or relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(relative.replace(os.sep, "/"), safe="/"), "uriBaseId": SRCROOT}


class SarifFormatter(BaseFormatter):
    """Collects every reported violation and writes the SARIF log when flake8 stops."""

    def after_init(self) -> None:
        self._violations: List[Violation] = []

    def start(self) -> None:
        # One JSON document per file: truncate instead of appending like the base class.
        if self.filename:
            os.makedirs(os.path.dirname(os.path.abspath(self.filename)), exist_ok=True)
            self.output_fd = open(self.filename, "w", encoding="utf-8")

    def handle(self, error: Violation) -> None:
        self._violations.append(error)

    def format(self, error: Violation) -> None:
        return None

    def show_source(self, error: Violation) -> None:
        return None

    def show_statistics(self, statistics: Any) -> None:
        """Statistics would break the JSON document; the results already hold them."""

    def show_benchmarks(self, benchmarks: Any) -> None:
        """Benchmarks would break the JSON document."""

    def stop(self) -> None:
        self._write(json.dumps(self.log(), indent=2, ensure_ascii=False))
        self._violations = []
        super().stop()

    def log(self) -> Dict[str, Any]:
        """The SARIF log for the violations handled so far."""
        base = os.getcwd()
        rules = [rule_descriptor(rule) for rule in RULES.values()]
        index = {rule.code: number for number, rule in enumerate(RULES.values())}
        for code in sorted({error.code for error in self._violations} - set(index)):
            index[code] = len(rules)
            rules.append({"id": code})
        fingerprints = _fingerprints(self._violations, base)
        results = [
            self._result(error, index[error.code], base, fingerprint)
            for error, fingerprint in zip(self._violations, fingerprints)
        ]
        return {
            "$schema": SCHEMA_URI,
            "version": SARIF_VERSION,
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "flake8",
                            "version": flake8.__version__,
                            "informationUri": FLAKE8_URI,
                            "rules": rules,
                        },
                        "extensions": [
                            {"name": "flake8-sqlsec", "version": __version__, "informationUri": PROJECT_URI},
                        ],
                    },
                    "originalUriBaseIds": {SRCROOT: {"uri": Path(base).as_uri().rstrip("/") + "/"}},
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }

    @staticmethod
    def _result(error: Violation, rule_index: int, base: str, fingerprint: str) -> Dict[str, Any]:
        line = max(int(error.line_number), 1)
        column = max(int(error.column_number), 1)
        return {
            "ruleId": error.code,
            "ruleIndex": rule_index,
            "level": level_for(error.code),
            "message": {"text": error.text},
            "partialFingerprints": {FINGERPRINT: fingerprint},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(error.filename, base),
                        # flake8 does not know where the flagged code ends: one character.
                        "region": {"startLine": line, "startColumn": column, "endLine": line, "endColumn": column + 1},
                    }
                }
            ],
        }


def _line_text(error: "Violation") -> str:
    line = error.physical_line
    if line is None and error.filename not in ("stdin", "-"):
        line = linecache.getline(error.filename, int(error.line_number))
    return _SPACE.sub(" ", line or "").strip()


def _fingerprints(violations: List["Violation"], base: str) -> List[str]:
    """One stable identity per violation: (rule, file, folded line text, k-th such)."""
    seen: Dict[Tuple[str, str, str], int] = {}
    result = [""] * len(violations)

    def position(i: int) -> Tuple[str, int, int]:
        return violations[i].filename, violations[i].line_number, violations[i].column_number

    # Imported here: flake8 imports every formatter at start-up, and hashlib's OpenSSL
    # library would add megabytes to every run that never writes SARIF.
    import hashlib

    for i in sorted(range(len(violations)), key=position):
        error = violations[i]
        uri = artifact_location(error.filename, base)["uri"]
        key = (error.code, uri, _line_text(error))
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8", "surrogatepass")).hexdigest()
        result[i] = digest[:32]
    return result
