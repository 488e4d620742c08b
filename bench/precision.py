#!/usr/bin/env python3
"""Line-level precision and recall of flake8-sqlsec, bandit and ruff on annotated files.

Usage::

    python bench/precision.py [DIR_OR_FILE ...] [--codes SQL101,SQL102,...]
                              [--json FILE] [--details] [--no-external]

Default inputs: ``bench/labelled`` and ``tests/cases`` (relative to the repository root).

Annotations (see ``bench/labelled/README.md``):

* ``# expect: SQL101`` / ``# expect: SQL101, SQL203`` -- the line must be reported with
  these codes;
* ``# ok: SQL101`` -- a safe look-alike of the named rule(s): it must not be reported
  (informational: every line without ``# expect:`` must stay clean anyway);
* ``# sqlsec-labels: SQL101, SQL102, ...`` -- the codes the file is labelled for
  exhaustively; findings and expectations of other codes are ignored in that file.
  A file without it is taken to be labelled for every code.

flake8-sqlsec is run through a real ``python -m flake8`` subprocess. bandit (B608, B610,
B611) and ruff (S608, S610, S611) are compared against the lines expected for the
injection rules SQL101/SQL102/SQL201/SQL202, both at their own line ("strict") and after
moving a finding to the expected line of the same statement or of the statement that
uses the variable it was assigned to ("mapped"), since those tools report the string
literal rather than the execution call.

Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = ("bench/labelled", "tests/cases")

DEFAULT_ON = ("SQL101", "SQL102", "SQL201", "SQL202")
INJECTION = DEFAULT_ON  # the lines bandit/ruff are compared against
AUDIT_CODES = ("SQL103", "SQL104", "SQL203", "SQL402")  # selected explicitly so they run

CODE_RE = re.compile(r"\bSQL\d{3}\b")
EXPECT_RE = re.compile(r"#\s*expect:\s*([^#]*)")
OK_RE = re.compile(r"#\s*ok:\s*([^#]*)")
SCOPE_RE = re.compile(r"#\s*sqlsec-labels:\s*([^#]*)")
FLAKE8_FORMAT = "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s"

Line = Tuple[Path, int]  # (file, line)
Pair = Tuple[Path, int, str]  # (file, line, code)


# --------------------------------------------------------------------------------------
# annotations
# --------------------------------------------------------------------------------------
class Annotated:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.expect: Dict[int, Set[str]] = {}
        self.ok: Dict[int, Set[str]] = {}
        self.scope: Optional[Set[str]] = None
        self.source = path.read_text(encoding="utf-8", errors="replace")
        self._parse_comments()
        self.flow = _Flow(self.source)

    def _parse_comments(self) -> None:
        for lineno, comment in _comments(self.source):
            m = EXPECT_RE.match(comment)
            if m:
                self.expect.setdefault(lineno, set()).update(CODE_RE.findall(m.group(1)))
                continue
            m = OK_RE.match(comment)
            if m:
                self.ok.setdefault(lineno, set()).update(CODE_RE.findall(m.group(1)))
                continue
            m = SCOPE_RE.match(comment)
            if m:
                self.scope = (self.scope or set()) | set(CODE_RE.findall(m.group(1)))

    def in_scope(self, code: str) -> bool:
        return self.scope is None or code in self.scope

    @property
    def annotated(self) -> bool:
        return bool(self.expect or self.ok or self.scope is not None)


def _comments(source: str) -> Iterable[Tuple[int, str]]:
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # Broken files (e.g. cases for SQL999): fall back to a plain scan.
        for lineno, text in enumerate(source.splitlines(), 1):
            idx = text.find("#")
            if idx >= 0:
                yield lineno, text[idx:]


# --------------------------------------------------------------------------------------
# statement / assignment flow, used to map bandit and ruff findings
# --------------------------------------------------------------------------------------
class _Stmt:
    __slots__ = ("start", "end", "scope", "loads", "targets")

    def __init__(self, start: int, end: int, scope: int, loads: Set[str], targets: Set[str]):
        self.start, self.end, self.scope, self.loads, self.targets = start, end, scope, loads, targets


def _names(nodes: Iterable[Optional[ast.AST]], ctx: type) -> Set[str]:
    found: Set[str] = set()
    for node in nodes:
        if node is None:
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ctx):
                found.add(sub.id)
    return found


class _Flow:
    """Statement spans of a file and which names each statement reads and assigns."""

    _SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)

    def __init__(self, source: str) -> None:
        self.stmts: List[_Stmt] = []
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return
        self._visit(tree, 0)
        self.stmts.sort(key=lambda s: (s.start, s.end))

    def _visit(self, node: ast.AST, scope: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self._record(child, scope)
            inner = id(child) if isinstance(child, self._SCOPES) else scope
            self._visit(child, inner)

    def _record(self, node: ast.stmt, scope: int) -> None:
        start = node.lineno
        end = getattr(node, "end_lineno", None) or start
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(start, body[0].lineno - 1)  # header only
            header: List[Optional[ast.AST]] = []
            if isinstance(node, (ast.If, ast.While)):
                header = [node.test]
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                header = [node.iter]
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                header = [item.context_expr for item in node.items]
            loads = _names(header, ast.Load)
            targets: Set[str] = set()
            if isinstance(node, (ast.With, ast.AsyncWith)):
                targets = _names([item.optional_vars for item in node.items], ast.Store)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                targets = _names([node.target], ast.Store)
        else:
            loads = _names([node], ast.Load)
            targets = set()
            if isinstance(node, ast.Assign):
                targets = _names(node.targets, ast.Store)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = _names([node.target], ast.Store)
        self.stmts.append(_Stmt(start, end, scope, loads, targets))

    def statement_at(self, line: int) -> Optional[_Stmt]:
        best = None
        for stmt in self.stmts:
            if stmt.start <= line <= stmt.end:
                if best is None or (stmt.end - stmt.start) <= (best.end - best.start):
                    best = stmt
        return best

    def map_line(self, line: int, expected: Set[int]) -> int:
        """Move a finding to the expected line its string most plausibly ends up at."""
        if line in expected:
            return line
        stmt = self.statement_at(line)
        if stmt is None:
            return line
        same = sorted((e for e in expected if stmt.start <= e <= stmt.end), key=lambda e: abs(e - line))
        if same:
            return same[0]
        tracked = set(stmt.targets)
        if not tracked:
            return line
        for later in self.stmts:
            if later.start <= stmt.end or later.scope != stmt.scope:
                continue
            if not (later.loads & tracked):
                continue
            hit = sorted(e for e in expected if later.start <= e <= later.end)
            if hit:
                return hit[0]
            tracked |= later.targets
        return line


# --------------------------------------------------------------------------------------
# tools
# --------------------------------------------------------------------------------------
def _chunks(items: List[Path], size: int = 200) -> Iterable[List[Path]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _run(cmd: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO))


def _key(path: str) -> Path:
    p = Path(path)
    return (p if p.is_absolute() else REPO / p).resolve()


def run_flake8(files: List[Path], notes: List[str]) -> Set[Pair]:
    version = _run([sys.executable, "-m", "flake8", "--version"])
    if version.returncode != 0:
        notes.append("flake8 is not runnable with %s: flake8-sqlsec rows are empty" % sys.executable)
        return set()
    if "sqlsec" not in version.stdout:
        notes.append(
            "flake8-sqlsec is not registered with flake8 (`flake8 --version` does not list it): "
            "its rows show whatever flake8 reports, i.e. nothing"
        )
    select = ",".join(("SQL",) + AUDIT_CODES)
    found: Set[Pair] = set()
    for chunk in _chunks(files):
        proc = _run(
            [sys.executable, "-m", "flake8", "--isolated", "--select", select, "--format", FLAKE8_FORMAT]
            + [str(f) for f in chunk]
        )
        if (
            proc.returncode not in (0, 1)
            or "critical error" in proc.stderr.lower()
            or "failed to load plugin" in proc.stderr.lower()
        ):
            first = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            notes.append(f"flake8 exited {proc.returncode}: {first[:300]}")
        for line in proc.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) < 4 or not parts[1].isdigit():
                continue
            found.add((_key(parts[0]), int(parts[1]), parts[3]))
    return found


def _tool(name: str) -> Optional[List[str]]:
    exe = shutil.which(name)
    if exe:
        return [exe]
    probe = _run([sys.executable, "-m", name, "--version"])
    return [sys.executable, "-m", name] if probe.returncode == 0 else None


def _json_output(name: str, proc: subprocess.CompletedProcess, notes: List[str]):
    """The tool's JSON report, or None (with a note) when the tool did not really run."""
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        why = (proc.stderr.strip().splitlines() or ["no output"])[0][:200]
        notes.append(f"{name} did not run (exit {proc.returncode}: {why}): skipped")
        return None


def run_bandit(files: List[Path], notes: List[str]) -> Optional[Set[Line]]:
    cmd = _tool("bandit")
    if cmd is None:
        notes.append("bandit is not installed: skipped")
        return None
    found: Set[Line] = set()
    for chunk in _chunks(files):
        proc = _run(cmd + ["-q", "-t", "B608,B610,B611", "-f", "json"] + [str(f) for f in chunk])
        data = _json_output("bandit", proc, notes)
        if data is None:
            return None
        for err in data.get("errors", []):
            notes.append(f"bandit could not scan {err.get('filename')}: {err.get('reason')}")
        for result in data.get("results", []):
            found.add((_key(result["filename"]), int(result["line_number"])))
    return found


def run_ruff(files: List[Path], notes: List[str]) -> Optional[Set[Line]]:
    cmd = _tool("ruff")
    if cmd is None:
        notes.append("ruff is not installed: skipped")
        return None
    found: Set[Line] = set()
    for chunk in _chunks(files):
        proc = _run(
            cmd
            + [
                "check",
                "--select",
                "S608,S610,S611",
                "--output-format",
                "json",
                "--isolated",
                "--no-cache",
                "--exit-zero",
            ]
            + [str(f) for f in chunk]
        )
        data = _json_output("ruff", proc, notes)
        if data is None:
            return None
        for item in data:
            if item.get("code") in ("S608", "S610", "S611"):
                found.add((_key(item["filename"]), int(item["location"]["row"])))
    return found


# --------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------
def score(expected: Set, flagged: Set, ok_lines: Set[Line] = frozenset()) -> Dict[str, object]:
    tp, fp, fn = expected & flagged, flagged - expected, expected - flagged
    precision = len(tp) / (len(tp) + len(fp)) if (tp or fp) else None
    recall = len(tp) / (len(tp) + len(fn)) if (tp or fn) else None
    ok_hit = {item[:2] for item in fp} & set(ok_lines)
    return {
        "expected": len(expected),
        "flagged": len(flagged),
        "tp": len(tp),
        "fp": len(fp),
        "fn": len(fn),
        "precision": precision,
        "recall": recall,
        "ok_lines_flagged": len(ok_hit),
        "_fp": sorted(fp, key=str),
        "_fn": sorted(expected - flagged, key=str),
    }


def _fmt(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def collect_files(inputs: List[str]) -> List[Path]:
    files: List[Path] = []
    for raw in inputs:
        path = Path(raw)
        path = path if path.is_absolute() else (Path.cwd() / path)
        if not path.exists():
            alt = REPO / raw
            path = alt if alt.exists() else path
        if path.is_file() and path.suffix == ".py":
            files.append(path.resolve())
        elif path.is_dir():
            files.extend(
                p.resolve() for p in sorted(path.rglob("*.py")) if p.name not in ("__init__.py", "conftest.py")
            )
    seen: Set[Path] = set()
    return [f for f in files if not (f in seen or seen.add(f))]


def evaluate(
    docs: Dict[Path, Annotated],
    raw_findings: Set[Pair],
    bandit: Optional[Set[Line]],
    ruff: Optional[Set[Line]],
    wanted: Optional[Set[str]],
) -> Dict[str, object]:
    """Score every tool on the files in ``docs``."""

    def keep(code: str, doc: Annotated) -> bool:
        return doc.in_scope(code) and (wanted is None or code in wanted)

    # expectations and findings as (file, line, code), within each file's label scope
    exp_pairs: Set[Pair] = {
        (f, ln, c) for f, d in docs.items() for ln, cs in d.expect.items() for c in cs if keep(c, d)
    }
    mine = {p for p in raw_findings if p[0] in docs}
    ignored = {p for p in mine if not keep(p[2], docs[p[0]])}
    found_pairs: Set[Pair] = mine - ignored
    ok_lines: Set[Line] = {(f, ln) for f, d in docs.items() for ln in d.ok}

    def lines(pairs: Iterable[Pair], codes: Optional[Iterable[str]] = None) -> Set[Line]:
        allowed = set(codes) if codes is not None else None
        return {(f, ln) for f, ln, c in pairs if allowed is None or c in allowed}

    def mapped(flagged: Set[Line], expected: Set[Line]) -> Set[Line]:
        by_file: Dict[Path, Set[int]] = {}
        for f, ln in expected:
            by_file.setdefault(f, set()).add(ln)
        return {(f, docs[f].flow.map_line(ln, by_file.get(f, set()))) for f, ln in flagged}

    rows: List[Tuple[str, Dict[str, object]]] = []
    rows.append(("flake8-sqlsec, all codes (line)", score(lines(exp_pairs), lines(found_pairs), ok_lines)))
    rows.append(("flake8-sqlsec, all codes (line+code)", score(exp_pairs, found_pairs, ok_lines)))
    on_codes = [c for c in DEFAULT_ON if wanted is None or c in wanted]
    if on_codes:
        on_exp, on_found = lines(exp_pairs, on_codes), lines(found_pairs, on_codes)
        rows.append(("flake8-sqlsec, default-on (line)", score(on_exp, on_found, ok_lines)))
        rows.append(("flake8-sqlsec, default-on (mapped)", score(on_exp, mapped(on_found, on_exp), ok_lines)))
        # bandit and ruff target injection: compare them with the SQL101/102/201/202 lines
        for name, flagged in (("bandit B608/B610/B611", bandit), ("ruff S608/S610/S611", ruff)):
            if flagged is None:
                continue
            flagged = {item for item in flagged if item[0] in docs}
            rows.append((f"{name} (line)", score(on_exp, flagged, ok_lines)))
            rows.append((f"{name} (mapped)", score(on_exp, mapped(flagged, on_exp), ok_lines)))

    codes = sorted({c for _, _, c in exp_pairs} | {c for _, _, c in found_pairs})
    per_code = [
        (
            code,
            score(
                {p for p in exp_pairs if p[2] == code},
                {p for p in found_pairs if p[2] == code},
                {(f, ln) for f, d in docs.items() for ln, cs in d.ok.items() if code in cs},
            ),
        )
        for code in codes
    ]
    look_alikes: Dict[str, int] = {}
    for d in docs.values():
        for cs in d.ok.values():
            for c in cs:
                if wanted is None or c in wanted:
                    look_alikes[c] = look_alikes.get(c, 0) + 1
    expected_per_code = {c: sum(1 for p in exp_pairs if p[2] == c) for c in codes}
    return {
        "rows": rows,
        "per_code": per_code,
        "look_alikes": look_alikes,
        "expected_per_code": expected_per_code,
        "ignored": len(ignored),
        "internal": sorted(p for p in found_pairs if p[2] == "SQL999"),
    }


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO)) if REPO in path.parents else str(path)


def print_report(title: str, result: Dict[str, object], details: bool) -> None:
    print(f"\n## {title}\n")
    codes = sorted(set(result["expected_per_code"]) | set(result["look_alikes"]))
    print("| code | expected lines | `# ok:` look-alike lines |\n| --- | ---: | ---: |")
    for code in codes:
        print(f"| {code} | {result['expected_per_code'].get(code, 0)} | {result['look_alikes'].get(code, 0)} |")
    header = (
        "| {} | expected | flagged | TP | FP | FN | precision | recall | `ok` lines flagged |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    print("\n" + header.format("tool"))
    for name, s in result["rows"]:
        print(
            f"| {name} | {s['expected']} | {s['flagged']} | {s['tp']} | {s['fp']} | {s['fn']} | "
            f"{_fmt(s['precision'])} | {_fmt(s['recall'])} | {s['ok_lines_flagged']} |"
        )
    print("\n" + header.format("flake8-sqlsec, per code (line+code)"))
    for code, s in result["per_code"]:
        print(
            f"| {code} | {s['expected']} | {s['flagged']} | {s['tp']} | {s['fp']} | {s['fn']} | "
            f"{_fmt(s['precision'])} | {_fmt(s['recall'])} | {s['ok_lines_flagged']} |"
        )
    if result["ignored"]:
        print(
            f"\n{result['ignored']} flake8-sqlsec finding(s) ignored: code outside the file's "
            "`# sqlsec-labels:` scope or outside --codes."
        )
    if result["internal"]:
        print("\nSQL999 internal errors: " + ", ".join(f"{_rel(p[0])}:{p[1]}" for p in result["internal"]))
    if not details:
        return
    for name, s in result["rows"] + [(f"code {c}", s) for c, s in result["per_code"]]:
        if not (s["_fp"] or s["_fn"]):
            continue
        print(f"\n### {title}: {name}\n")
        for label, items in (("false positive", s["_fp"]), ("false negative", s["_fn"])):
            for item in items:
                print(f"- {label}: {_rel(item[0])}:{item[1]}" + (f" {item[2]}" if len(item) > 2 else ""))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "inputs", nargs="*", metavar="DIR", help="directories or files (default: %s)" % ", ".join(DEFAULT_INPUTS)
    )
    parser.add_argument("--codes", help="comma-separated codes to score (default: every code seen)")
    parser.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    parser.add_argument("--details", action="store_true", help="list false positives and false negatives")
    parser.add_argument("--no-external", action="store_true", help="skip bandit and ruff")
    args = parser.parse_args(argv)

    wanted = {c.strip().upper() for c in args.codes.split(",") if c.strip()} if args.codes else None
    if wanted:
        bad = sorted(c for c in wanted if not CODE_RE.fullmatch(c))
        if bad:
            parser.error("--codes takes codes like SQL101: " + ", ".join(bad))
    inputs = args.inputs or [d for d in DEFAULT_INPUTS if (REPO / d).exists()]
    groups = [(raw, collect_files([raw])) for raw in inputs]
    files = collect_files(inputs)
    if not files:
        print("no Python files found in: " + ", ".join(inputs), file=sys.stderr)
        return 2

    notes: List[str] = []
    docs = {f: Annotated(f) for f in files}
    unannotated = [f for f, d in docs.items() if not d.annotated]
    if unannotated:
        notes.append(f"{len(unannotated)} file(s) carry no annotation; any finding there counts as a false positive")
    raw_findings = run_flake8(files, notes)
    bandit = None if args.no_external else run_bandit(files, notes)
    ruff = None if args.no_external else run_ruff(files, notes)

    sections = [(raw, {f: docs[f] for f in group}) for raw, group in groups if group]
    if len(sections) != 1:
        sections.append(("all inputs", docs))
    results = []
    print("# flake8-sqlsec precision/recall")
    print(f"\n{len(files)} file(s) from {', '.join(inputs)}; codes: {', '.join(sorted(wanted)) if wanted else 'all'}.")
    for title, subset in sections:
        result = evaluate(subset, raw_findings, bandit, ruff, wanted)
        results.append((title, len(subset), result))
        print_report(f"{title} ({len(subset)} files)", result, args.details)
    if notes:
        print("\nNotes:")
        for note in notes:
            print(f"- {note}")

    if args.json:

        def clean(s: Dict[str, object]) -> Dict[str, object]:
            return {k: v for k, v in s.items() if not k.startswith("_")}

        payload = {
            "inputs": inputs,
            "codes": sorted(wanted) if wanted else None,
            "notes": notes,
            "sections": {
                title: {
                    "files": n,
                    "rows": {name: clean(s) for name, s in r["rows"]},
                    "per_code": {code: clean(s) for code, s in r["per_code"]},
                    "expected_per_code": r["expected_per_code"],
                    "look_alikes": r["look_alikes"],
                    "ignored_findings": r["ignored"],
                }
                for title, n, r in results
            },
        }
        Path(args.json).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head & co.
        sys.exit(0)
