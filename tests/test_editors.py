"""Editor integrations: python-lsp-server over stdio, the VS Code Flake8 extension's way
of running flake8 (in-process, many times in one long-lived process), and the columns
that editors turn into positions."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

from helpers import ROOT, parse_findings, run_flake8

# ---------------------------------------------------------------------------------------
# python-lsp-server
# ---------------------------------------------------------------------------------------

LSP_BUFFER = textwrap.dedent("""\
    import logging
    import sqlite3

    LOG = logging.getLogger(__name__)


    def find(name):
        cur = sqlite3.connect("app.db").cursor()
        cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        return cur.fetchall()


    def login(user, password):
        LOG.info("login %s %s", user, password)
    """)

LSP_FIXED = LSP_BUFFER.replace(
    """cur.execute(f"SELECT * FROM users WHERE name = '{name}'")""",
    """cur.execute("SELECT * FROM users WHERE name = ?", (name,))""",
).replace("""LOG.info("login %s %s", user, password)""", """LOG.info("login %s", user)""")


class LspClient:
    """A minimal language client speaking JSON-RPC with Content-Length framing over pipes."""

    def __init__(self, command: List[str], cwd: Path, log: Path) -> None:
        self._log = open(log, "wb")
        self.process = subprocess.Popen(
            command, cwd=str(cwd), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log
        )
        self.messages: "queue.Queue[Optional[Dict[str, Any]]]" = queue.Queue()
        self.received: List[Dict[str, Any]] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self.messages.put(None)
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self.messages.put(json.loads(stream.read(length).decode("utf-8")))

    def send(self, message: Dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self._next_id += 1
        ident = self._next_id
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == ident and "method" not in m, timeout)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait_for(self, predicate: Callable[[Dict[str, Any]], bool], timeout: float = 60) -> Dict[str, Any]:
        while True:
            try:
                message = self.messages.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no matching message within {timeout}s; received: {self.received}")
            if message is None:
                raise AssertionError(f"the server exited; received: {self.received}")
            self.received.append(message)
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
                continue
            if predicate(message):
                return message

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=20)
                self.notify("exit", None)
                self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._log.close()


def _flake8_executable() -> str:
    """The flake8 script of the interpreter running the tests (pylsp runs it by name)."""
    scripts = Path(sys.executable).parent
    for name in ("flake8", "flake8.exe"):
        if (scripts / name).exists():
            return str(scripts / name)
    found = shutil.which("flake8")
    assert found, "flake8 is not installed next to the interpreter or on PATH"
    return found


def _diagnostics_for(uri: str) -> Callable[[Dict[str, Any]], bool]:
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri


def test_pylsp_publishes_findings_of_an_unsaved_buffer(tmp_path: Path) -> None:
    workspace = tmp_path / "project"
    workspace.mkdir()
    document = workspace / "app.py"  # never written: pylsp sends the buffer on stdin
    uri = document.as_uri()
    client = LspClient([sys.executable, "-m", "pylsp"], cwd=workspace, log=tmp_path / "pylsp.log")
    try:
        settings = {
            "plugins": {
                "flake8": {"enabled": True, "executable": _flake8_executable()},
                "pycodestyle": {"enabled": False},
                "pyflakes": {"enabled": False},
                "mccabe": {"enabled": False},
                "pydocstyle": {"enabled": False},
                "pylint": {"enabled": False},
            }
        }
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": workspace.as_uri(),
                "capabilities": {},
                "initializationOptions": {"pylsp": settings},
            },
        )
        client.notify("initialized", {})
        client.notify(
            "textDocument/didOpen",
            {
                "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": LSP_BUFFER},
            },
        )
        published = client.wait_for(_diagnostics_for(uri))["params"]["diagnostics"]

        by_code = {d["code"]: d for d in published}
        assert sorted(by_code) == ["SQL101", "SQL301"], published
        assert all(d["source"] == "flake8" for d in published)

        sql101 = by_code["SQL101"]
        assert sql101["range"]["start"] == {"line": 8, "character": 8}
        assert sql101["message"] == (
            "SQL101 sql-built-in-execute: SQL built with an f-string reaches "
            "cur.execute(); use ? placeholders and pass the values: execute(\"... WHERE name = ?\", (name,))"
        )

        sql301 = by_code["SQL301"]
        assert sql301["range"]["start"] == {"line": 13, "character": 8}
        assert sql301["message"] == (
            "SQL301 secret-in-log: 'password' is passed to LOG.info(); " "log a masked value or drop it"
        )

        # The editor shows exactly what the command line reports for the same text.
        cli = run_flake8(["-"], "--select=SQL", "--stdin-display-name=app.py", stdin=LSP_BUFFER)
        assert sorted(
            (row - 1, col - 1, f"{code} {text}") for _, row, col, code, text in parse_findings(cli.stdout)
        ) == sorted((d["range"]["start"]["line"], d["range"]["start"]["character"], d["message"]) for d in published)

        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"text": LSP_FIXED}],
            },
        )
        republished = client.wait_for(_diagnostics_for(uri))["params"]["diagnostics"]
        assert republished == []
    finally:
        client.close()


# ---------------------------------------------------------------------------------------
# VS Code Flake8 extension
# ---------------------------------------------------------------------------------------

# The extension's default arguments, quotes included, and its output parser.
VSCODE_FORMAT_ARG = "--format='%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s'"
VSCODE_DIAGNOSTIC = re.compile(r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<message>[^\r\n]*)")

# Runs flake8 the way the extension's server does when the interpreter is its own: the
# module is executed with runpy in the same long-lived process, with argv, stdio and the
# working directory swapped for each run.
VSCODE_SERVER = textwrap.dedent(r"""
    import contextlib, io, json, os, runpy, sys

    def run(argv, cwd, source=None):
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        saved = sys.argv, sys.stdout, sys.stderr, sys.stdin, sys.path[:], os.getcwd()
        os.chdir(cwd)
        sys.argv, sys.stdout, sys.stderr = argv, out, err
        sys.path.insert(0, "")
        if source is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
            sys.stdin.write(source)
            sys.stdin.seek(0)
        try:
            with contextlib.suppress(SystemExit):
                runpy.run_module("flake8", run_name="__main__")
        finally:
            sys.argv, sys.stdout, sys.stderr, sys.stdin, sys.path[:], cwd = saved
            os.chdir(cwd)
        out.seek(0)
        err.seek(0)
        return {"stdout": out.read(), "stderr": err.read()}

    runs = json.loads(sys.argv[1])
    print(json.dumps([run(**spec) for spec in runs]))
    """)

FIRST = textwrap.dedent("""\
    import sqlite3

    TABLE = "users"


    def find(cur, name):
        cur.execute(f"SELECT * FROM {TABLE} WHERE name = '{name}'")


    def count(cur):
        cur.execute(f"SELECT count(*) FROM {TABLE}")
    """)

# The same statements, but here TABLE is a parameter, not the first file's constant.
SECOND = textwrap.dedent("""\
    import sqlite3


    def setup():
        return sqlite3.connect("app.db").cursor()


    def count(cur, TABLE):
        cur.execute(f"SELECT count(*) FROM {TABLE}")
    """)

CLEAN = 'import sqlite3\n\n\ndef find(cur, name):\n    cur.execute("SELECT * FROM users WHERE name = ?", (name,))\n'


def _vscode_runs(runs: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    result = subprocess.run(
        [sys.executable, "-c", VSCODE_SERVER, json.dumps(runs)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(ROOT),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _vscode_diagnostics(stdout: str) -> List[tuple]:
    """The extension's parsing of flake8's output, keeping this plugin's codes."""
    found = []
    for line in stdout.splitlines():
        if line.startswith("'") and line.endswith("'"):
            line = line[1:-1]
        match = VSCODE_DIAGNOSTIC.match(line)
        if match:
            if match["code"].startswith("SQL"):
                found.append((int(match["line"]), int(match["column"]), match["type"], match["code"], match["message"]))
    return found


def _vscode_argv(*args: str) -> List[str]:
    return ["flake8", VSCODE_FORMAT_ARG, *args]


def test_vscode_repeated_runs_in_one_process(tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "first.py").write_text(FIRST, encoding="utf-8")
    (two / "second.py").write_text(SECOND, encoding="utf-8")
    (two / "clean.py").write_text(CLEAN, encoding="utf-8")
    runs = _vscode_runs(
        [
            {"argv": _vscode_argv(str(one / "first.py")), "cwd": str(one)},
            {"argv": _vscode_argv(str(two / "second.py")), "cwd": str(two)},
            {"argv": _vscode_argv(str(two / "clean.py")), "cwd": str(two)},
            # a notebook cell: the text goes on stdin
            {
                "argv": _vscode_argv("--stdin-display-name", str(two / "cell.py"), "-"),
                "cwd": str(two),
                "source": SECOND,
            },
            {"argv": _vscode_argv(str(one / "first.py")), "cwd": str(one)},
        ]
    )
    for run in runs:
        assert run["stderr"] == "", run["stderr"]
    first, second, clean, cell, again = (_vscode_diagnostics(run["stdout"]) for run in runs)

    message = (
        "sql-built-in-execute: SQL built with an f-string reaches cur.execute(); "
        'use ? placeholders and pass the values: execute("... WHERE name = ?", (name,))'
    )
    # In the second file only the table name is unknown: the fix is an allow-list.
    names_message = (
        "sql-built-in-execute: SQL built with an f-string reaches cur.execute(); "
        "take the name from an allow-list mapping (TABLES[name], which raises KeyError for any other)"
    )
    assert first == [(7, 9, "S", "SQL101", message)]
    assert second == [(9, 9, "S", "SQL101", names_message)]
    assert clean == []
    assert cell == second
    assert again == first


def test_vscode_options_of_one_run_do_not_stick(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(
        'from myapp.db import run_query\n\n\ndef f(x):\n    run_query(1, f"DELETE FROM t WHERE a = {x}")\n',
        encoding="utf-8",
    )
    argv = _vscode_argv(str(path))
    runs = _vscode_runs(
        [
            {"argv": argv[:-1] + ["--sqlsec-sinks=myapp.db.run_query:1", str(path)], "cwd": str(tmp_path)},
            {"argv": argv, "cwd": str(tmp_path)},
            {"argv": argv[:-1] + ["--select=SQL101", str(path)], "cwd": str(tmp_path)},
            {"argv": argv, "cwd": str(tmp_path)},
        ]
    )
    configured, plain, narrowed, plain_again = (
        [(row, code) for row, _, _, code, _ in _vscode_diagnostics(run["stdout"])] for run in runs
    )
    assert configured == [(5, "SQL101")]
    assert plain == [(5, "SQL102")]
    assert narrowed == []
    assert plain_again == [(5, "SQL102")]


def _readme_block_with(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        if marker in block:
            return block
    raise AssertionError(f"README has no code block with {marker}")


def _vscode_severity(code: str, code_type: str, severity: Dict[str, str]) -> str:
    """The extension's lookup: the longest prefix of the code, then its first letter."""
    value = None
    while code and value is None:
        value = severity.get(code)
        code = code[:-1]
    return value if value is not None else severity.get(code_type, "Error")


def test_readme_vscode_severity_setting_maps_sql_codes() -> None:
    settings = json.loads(_readme_block_with('"flake8.severity"'))
    severity = settings["flake8.severity"]
    assert _vscode_severity("SQL101", "S", severity) in ("Error", "Warning")
    assert _vscode_severity("SQL301", "S", severity) in ("Error", "Warning")
    assert _vscode_severity("E501", "E", severity) == severity.get("E", "Error")


# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------


def _sql_findings(path: Path) -> List[tuple]:
    result = run_flake8([str(path)], "--select=SQL")
    assert result.returncode in (0, 1), result.stderr
    return [(row, col, code) for _, row, col, code, _ in parse_findings(result.stdout)]


@pytest.mark.parametrize("prefix", ["", "é = 1; ", "名前 = 'データ'; ", "x = '😀😀'; ", "s = 'a\\u00e9😀'; "])
def test_columns_count_characters_from_one(tmp_path: Path, prefix: str) -> None:
    line = f"    {prefix}c.execute(f\"SELECT * FROM t WHERE n = '{{n}}'\")"
    path = tmp_path / "app.py"
    path.write_text(f"import sqlite3\n\n\ndef f(n):\n    c = sqlite3.connect('a')\n{line}\n", encoding="utf-8")
    assert _sql_findings(path) == [(6, line.index("execute") + 1, "SQL101")]


def test_columns_of_a_multiline_statement_with_non_ascii_text(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(
        "import sqlite3\n\n\ndef f(n):\n    c = sqlite3.connect('a')\n"
        '    sql = ("SELECT * FROM t "\n           f"WHERE name = \'ü{n}\'")\n'
        "    ünïcödé = c; ünïcödé.execute(sql)\n",
        encoding="utf-8",
    )
    line = path.read_text(encoding="utf-8").splitlines()[7]
    assert _sql_findings(path) == [(8, line.index("execute") + 1, "SQL101")]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_finding_on_last_line_without_final_newline(tmp_path: Path, newline: str) -> None:
    lines = ["import sqlite3", "", "", "def f(n):", "    sqlite3.connect('a').execute(f'DELETE FROM t WHERE a = {n}')"]
    path = tmp_path / "app.py"
    path.write_bytes(newline.join(lines).encode("utf-8"))
    assert _sql_findings(path) == [(5, lines[4].index("execute") + 1, "SQL101")]


def test_no_finding_points_past_the_end_of_the_file() -> None:
    """Every finding on the case files and the example app lies inside its file."""
    paths = sorted(str(p) for folder in ("tests/cases", "examples") for p in (ROOT / folder).rglob("*.py"))
    result = run_flake8(paths, "--select=SQL", "--extend-select=SQL103,SQL104,SQL203,SQL306,SQL402")
    assert result.returncode in (0, 1), result.stderr
    findings = parse_findings(result.stdout)
    assert findings
    texts: Dict[str, List[str]] = {}
    for path, row, col, code, _ in findings:
        lines = texts.setdefault(path, Path(path).read_text(encoding="utf-8").splitlines())
        assert 1 <= row <= len(lines), (path, row, code)
        assert 1 <= col <= len(lines[row - 1]) + 1, (path, row, col, code)
