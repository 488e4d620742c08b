"""Messages name the fix in the placeholder style of the API that executes the text.

Real flake8 runs: each snippet is the vulnerable call as people write it with one
driver or ORM; the message must carry that API's own fix, and stay one line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_sqlsec.knowledge import fixes
from helpers import parse_findings, run_flake8

CASES = {
    "sqlite3": (
        """
        import sqlite3

        def find(name):
            cur = sqlite3.connect("app.db").cursor()
            cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        """,
        "SQL101",
        fixes.QMARK.values,
    ),
    "psycopg2": (
        """
        import psycopg2

        def find(name):
            with psycopg2.connect("dbname=app") as conn:
                cur = conn.cursor()
                cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
        """,
        "SQL101",
        fixes.PSYCOPG.values,
    ),
    "pymysql": (
        """
        import pymysql

        def find(conn: pymysql.connections.Connection, name):
            cur = conn.cursor()
            cur.execute("SELECT * FROM users WHERE name = '{}'".format(name))
        """,
        "SQL101",
        fixes.FORMAT.values,
    ),
    "MySQLdb": (
        """
        import MySQLdb

        def find(name):
            cur = MySQLdb.connect(db="app").cursor()
            cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
        """,
        "SQL101",
        fixes.FORMAT.values,
    ),
    "asyncpg": (
        """
        import asyncpg

        async def find(name):
            conn = await asyncpg.connect("postgresql://localhost/app")
            return await conn.fetch(f"SELECT * FROM users WHERE name = '{name}'")
        """,
        "SQL101",
        fixes.NUMERIC_DOLLAR.values,
    ),
    "sqlalchemy": (
        """
        from sqlalchemy import create_engine, text

        engine = create_engine("sqlite://")

        def find(name):
            with engine.connect() as conn:
                return conn.execute(text(f"SELECT * FROM users WHERE name = '{name}'")).all()
        """,
        "SQL101",
        fixes.SQLALCHEMY.values,
    ),
    "django cursor": (
        """
        from django.db import connection

        def find(name):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
        """,
        "SQL101",
        fixes.DJANGO_CURSOR.values,
    ),
    "django raw": (
        """
        from django.db import models

        class User(models.Model):
            name = models.TextField()

        def find(name):
            return User.objects.raw(f"SELECT * FROM app_user WHERE name = '{name}'")
        """,
        "SQL101",
        fixes.DJANGO_RAW.values,
    ),
    "django extra": (
        """
        from app.models import User

        def find(name):
            return User.objects.extra(where=[f"name = '{name}'"])
        """,
        "SQL202",
        fixes.DJANGO_EXTRA.values,
    ),
    "django RawSQL": (
        """
        from django.db.models.expressions import RawSQL

        def annotate(qs, name):
            return qs.annotate(x=RawSQL(f"SELECT 1 WHERE name = '{name}'", ()))
        """,
        "SQL202",
        fixes.DJANGO_EXTRA.values,
    ),
    "sqlalchemy text in where": (
        """
        from sqlalchemy import select, text
        from app.tables import users

        def find(name):
            return select(users).where(text(f"name = '{name}'"))
        """,
        "SQL201",
        fixes.SQLALCHEMY_FRAGMENT.values,
    ),
    "psycopg identifier": (
        """
        import psycopg

        def count(table):
            with psycopg.connect("dbname=app") as conn:
                return conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        """,
        "SQL101",
        fixes.PSYCOPG.identifiers,
    ),
    "sqlite3 identifier": (
        """
        import sqlite3

        def count(table):
            cur = sqlite3.connect("app.db").cursor()
            cur.execute(f"SELECT count(*) FROM {table}")
        """,
        "SQL101",
        fixes.QMARK.identifiers,
    ),
    "wrapper of sqlalchemy": (
        """
        from sqlalchemy import text
        from sqlalchemy.orm import Session

        def run(session: Session, sql):
            return session.execute(text(sql))

        def find(session: Session, name):
            return run(session, f"SELECT * FROM users WHERE name = '{name}'")
        """,
        "SQL101",
        fixes.SQLALCHEMY.values,
    ),
}


@pytest.mark.parametrize("api", sorted(CASES))
def test_message_names_the_fix_of_the_api(tmp_path: Path, api: str) -> None:
    source, code, fix = CASES[api]
    path = tmp_path / "app.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    result = run_flake8([str(path)], "--select=SQL")
    messages = [text for _, _, _, found, text in parse_findings(result.stdout) if found == code]
    assert len(messages) == 1, result.stdout
    assert messages[0].endswith("; " + fix), messages[0]
    assert "\n" not in messages[0]


def test_each_api_gets_its_own_fix() -> None:
    """The cases above do not all end in one text that would pass them trivially."""
    assert len({fix for _, _, fix in CASES.values()}) >= 10


@pytest.mark.parametrize(
    "imports, expected",
    [
        (["sqlite3"], fixes.QMARK),
        (["psycopg2.extras"], fixes.PSYCOPG),
        (["mysql.connector"], fixes.FORMAT),
        (["psycopg2", "pymysql"], fixes.FORMAT),  # both take %s
        (["sqlite3", "psycopg2"], None),  # the cursor could be either
        (["os", "json"], None),
    ],
)
def test_a_cursor_takes_the_style_its_file_imports_agree_on(imports, expected) -> None:
    assert fixes.driver_fix(imports) is expected


def _messages(tmp_path: Path, source: str, code: str) -> list:
    path = tmp_path / "app.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    result = run_flake8([str(path)], "--select=SQL")
    return [(row, text) for _, row, _, found, text in parse_findings(result.stdout) if found == code]


def test_a_driver_error_is_not_told_to_set_hide_parameters(tmp_path: Path) -> None:
    ((_, text),) = _messages(
        tmp_path,
        """
        import logging
        import sqlite3

        LOG = logging.getLogger(__name__)

        def save(conn, row):
            try:
                conn.execute("INSERT INTO t VALUES (?)", (row,))
            except sqlite3.Error as exc:
                LOG.error("insert failed: %s", exc)
        """,
        "SQL303",
    )
    assert "hide_parameters" not in text
    assert text.endswith(
        "log the exception class (type(exc).__name__) or a fixed message; the driver's text can quote the values"
    )


def test_a_sqlalchemy_error_is_told_to_set_hide_parameters(tmp_path: Path) -> None:
    ((_, text),) = _messages(
        tmp_path,
        """
        import logging
        from sqlalchemy.exc import SQLAlchemyError

        LOG = logging.getLogger(__name__)

        def save(session, row):
            try:
                session.add(row)
                session.commit()
            except SQLAlchemyError as exc:
                LOG.error("commit failed: %s", exc)
        """,
        "SQL303",
    )
    assert text.endswith("and create the engine with hide_parameters=True")


def test_every_secret_of_one_call_is_named(tmp_path: Path) -> None:
    ((_, text),) = _messages(
        tmp_path,
        """
        import logging

        LOG = logging.getLogger(__name__)

        def login(user, password, api_token):
            LOG.info("login %s %s %s", user, password, api_token)
        """,
        "SQL301",
    )
    assert "'password' and 'api_token' are passed to LOG.info()" in text


def test_a_fragment_built_on_its_own_line_does_not_cite_that_line(tmp_path: Path) -> None:
    found = _messages(
        tmp_path,
        """
        from sqlalchemy import select, text
        from app.tables import users

        def find(name):
            return select(users).where(text(f"name = '{name}'"))

        def find_built_before(name):
            cond = f"name = '{name}'"
            return select(users).where(text(cond))
        """,
        "SQL201",
    )
    assert [row for row, _ in found] == [6, 10]
    assert "SQL built with an f-string is put into where()" in found[0][1]
    assert "SQL built with an f-string at line 9 is put into where()" in found[1][1]


def test_rule_pages_list_the_fixes_the_checks_emit() -> None:
    """Every backticked fix in a page's fix table is, word for word, a fix the checks use."""
    import re

    from flake8_sqlsec.rules import RULES

    emitted = {
        text for fix in vars(fixes).values() if isinstance(fix, fixes.Fix) for text in (fix.values, fix.identifiers)
    }
    for code in ("SQL101", "SQL201", "SQL202"):
        page = RULES[code].doc()
        table = page.split(f"<!-- fixes:{code} -->", 1)[1].split("\n\n", 1)[0]
        rows = [line.strip("|").split(" | ") for line in table.splitlines() if line.startswith("| ")]
        # the second column is the fix for values (SQL101) or the fix of the row (SQL201/SQL202)
        quoted = [cells[1].strip()[1:-1] for cells in rows[1:] if re.fullmatch(r"`[^`]{40,}`", cells[1].strip())]
        assert quoted, code
        assert [q for q in quoted if q not in emitted] == [], code
