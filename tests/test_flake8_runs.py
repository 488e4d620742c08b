"""Real ``flake8`` runs: selection defaults, noqa, stdin, configuration errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from helpers import parse_findings, run_flake8

VULNERABLE = textwrap.dedent("""\
    import sqlite3


    def find(name, ident, order):
        cur = sqlite3.connect("app.db").cursor()
        cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        cur.execute("SELECT * FROM users")
        cur.execute(ident)
    """)


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "app.py"
    path.write_text(VULNERABLE, encoding="utf-8")
    return path


def codes(output: str) -> list:
    return sorted((row, code) for _, row, _, code, _ in parse_findings(output) if code.startswith("SQL"))


def test_default_selection_hides_audit_rules(sample: Path) -> None:
    result = run_flake8([str(sample)])
    assert result.returncode == 1, result.stderr
    assert codes(result.stdout) == [(6, "SQL101")]


def test_extend_select_enables_audit_rules(sample: Path) -> None:
    result = run_flake8([str(sample)], "--extend-select=SQL103,SQL104")
    assert codes(result.stdout) == [(6, "SQL101"), (7, "SQL103"), (8, "SQL104")]


def test_message_names_rule_build_site_and_fix(sample: Path) -> None:
    result = run_flake8([str(sample)])
    ((_, row, col, code, text),) = [f for f in parse_findings(result.stdout) if f[3] == "SQL101"]
    assert (row, col) == (6, 9)
    assert text == (
        "sql-built-in-execute: SQL built with an f-string reaches cur.execute(); "
        'use ? placeholders and pass the values: execute("... WHERE name = ?", (name,))'
    )


def test_noqa_silences_one_code(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(VULNERABLE.replace("'{name}'\")", "'{name}'\")  # noqa: SQL101"), encoding="utf-8")
    assert codes(run_flake8([str(path)]).stdout) == []


def test_stdin_with_display_name() -> None:
    result = run_flake8(["-"], "--stdin-display-name=x.py", stdin=VULNERABLE)
    findings = parse_findings(result.stdout)
    assert [(path, row, code) for path, row, _, code, _ in findings if code.startswith("SQL")] == [
        ("x.py", 6, "SQL101")
    ]


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "ok.py"
    path.write_text('import sqlite3\n\n\ndef f(n):\n    sqlite3.connect("a").execute("SELECT ? ", (n,))\n')
    result = run_flake8([str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_extra_sink_option(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text('from myapp.db import run_query\n\n\ndef f(x):\n    run_query(1, f"DELETE FROM t WHERE a = {x}")\n')
    plain = codes(run_flake8([str(path)]).stdout)
    configured = codes(run_flake8([str(path)], "--sqlsec-sinks=myapp.db.run_query:1").stdout)
    assert plain == [(5, "SQL102")]
    assert configured == [(5, "SQL101")]


def test_safe_function_option(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(
        "import sqlite3\nfrom myapp.sql import quote_ident\n\n\ndef f(t):\n"
        "    sqlite3.connect('a').execute(f'SELECT * FROM {quote_ident(t)}')\n"
    )
    assert codes(run_flake8([str(path)]).stdout) == [(6, "SQL101")]
    assert codes(run_flake8([str(path)], "--sqlsec-safe-functions=myapp.sql.quote_ident").stdout) == []


def test_options_read_from_config_file(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        'from myapp.db import run_query\n\n\ndef f(x):\n    run_query(f"DELETE FROM t WHERE a = {x}")\n'
    )
    (tmp_path / "setup.cfg").write_text("[flake8]\nsqlsec-sinks =\n    myapp.db.run_query:0\n")
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=SQL", "app.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "SQL101" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    "option, value",
    [
        ("--sqlsec-sinks", "myapp..run"),
        ("--sqlsec-sinks", ".run:0:1"),
        ("--sqlsec-safe-functions", "1abc"),
        ("--sqlsec-infer", "everything"),
    ],
)
def test_bad_option_value_is_one_clear_line(sample: Path, option: str, value: str) -> None:
    result = run_flake8([str(sample)], f"{option}={value}")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert option in lines[0] and "Traceback" not in result.stderr


def test_non_ascii_line_column(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(
        "import sqlite3\n\n\ndef f(n):\n    c = sqlite3.connect('a')\n"
        '    c.execute(f"SELECT * FROM t WHERE name = \'é{n}\'"); c.execute(f"DELETE FROM t WHERE a = {n}")\n',
        encoding="utf-8",
    )
    findings = [
        (row, col, code) for _, row, col, code, _ in parse_findings(run_flake8([str(path)], "--select=SQL").stdout)
    ]
    line = path.read_text(encoding="utf-8").splitlines()[5]
    assert findings == [(6, 7, "SQL101"), (6, line.index("execute", 20) + 1, "SQL101")]
