"""Unit tests for the building blocks of the analysis: SQL shape detection, format-string
parsing, the value lattice, the catalogue's name handling and option parsing."""

from __future__ import annotations

import argparse
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_sqlsec import config
from flake8_sqlsec.knowledge import sql_apis
from flake8_sqlsec.engine import strings, values
from flake8_sqlsec.world import names as world_names
from flake8_sqlsec.knowledge import statements as sqlshape
from flake8_sqlsec.engine.values import HOLE, UNKNOWN, Kind, Origin, Value, const, interpolate, join
from flake8_sqlsec.rules import RULES

H = HOLE


@pytest.fixture(autouse=True)
def _keep_settings():
    saved = config.CURRENT
    yield
    config.CURRENT = saved


# --- sqlshape.looks_like_sql ------------------------------------------------------------

STATEMENTS = [
    # SELECT
    "SELECT id, name FROM users WHERE id = 1",
    "select * from users",
    "SELECT DISTINCT country FROM users",
    "SELECT COUNT(*) FROM orders",
    "SELECT u.* FROM users u",
    "SELECT a.id, b.name FROM a JOIN b ON a.id = b.id",
    "SELECT FROM users",  # PostgreSQL: an empty select list
    f"SELECT FROM {H} WHERE id = 1",
    "SELECT price * qty AS total FROM orders",
    "SELECT id, CASE WHEN a THEN 1 ELSE 2 END FROM t",
    "SELECT * FROM users WHERE id IN (SELECT user_id FROM orders)",
    "SELECT id FROM public.users",
    'SELECT id FROM "Users"',
    "SELECT id FROM `users`",
    "SELECT id FROM [users]",
    "SELECT id FROM users;",
    "  select id from users  ",
    "SELECT\n  id,\n  name\nFROM users\nWHERE active = 1",
    "\n    SELECT product_id, SUM(amount) AS total\n    FROM sales\n    GROUP BY product_id\n",
    "SELECT id -- the key\nFROM users",
    "SELECT /* every column */ * FROM users",
    "-- leading comment\nSELECT id FROM users",
    "SELECT * FROM users\n-- only active ones\nWHERE active = 1",
    "select name from users where id = %s",
    "SELECT name FROM users WHERE id = :id",
    "SELECT name FROM users WHERE id = $1",
    "SELECT name FROM users WHERE id = ?",
    "SELECT * FROM %s",
    "SELECT * FROM %(table)s",
    "SELECT {} FROM users",
    "SELECT * FROM {table}",
    f"SELECT * FROM {H} WHERE id = 1",
    f"SELECT {H} FROM users",
    f"SELECT * FROM users WHERE name = '{H}'",
    f"SELECT {H}, {H} FROM {H}",
    # INSERT
    "INSERT INTO users (id, name) VALUES (1, 'a')",
    "insert into users values (?, ?)",
    "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)",
    "INSERT INTO archive SELECT * FROM users",
    f"INSERT INTO {H} (id) VALUES (?)",
    f"INSERT INTO events (kind) VALUES ('{H}')",
    "INSERT INTO scores (player, score)\nVALUES (%s, %s)",
    # UPDATE
    "UPDATE users SET name = 'x' WHERE id = 1",
    "update users set active = 0",
    f"UPDATE {H} SET name = ?",
    f"UPDATE users SET {H} WHERE id = 1",
    "UPDATE users\n   SET name = %s\n WHERE id = %s",
    # DELETE
    "DELETE FROM users WHERE id = 1",
    "DELETE FROM users",
    "delete from sessions where created_at < now()",
    f"DELETE FROM {H}",
    f"DELETE FROM users WHERE id = {H}",
    "/* header */ DELETE FROM users WHERE id = 1",
    # MERGE
    "MERGE INTO target t USING source s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.v = s.v",
    f"MERGE INTO {H} USING staging ON a = b WHEN MATCHED THEN DELETE",
    # CREATE
    "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY)",
    "CREATE INDEX ix_users_name ON users (name)",
    "CREATE UNIQUE INDEX CONCURRENTLY ix_u ON users (email)",
    "CREATE OR REPLACE VIEW active_users AS SELECT * FROM users",
    "CREATE TEMP TABLE scratch (id int)",
    f"CREATE TABLE {H} (id INT)",
    (
        "\nCREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT);\n"
        "CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, title TEXT);\n"
    ),
    # ALTER
    "ALTER TABLE users ADD COLUMN age INT",
    "ALTER TABLE IF EXISTS users RENAME TO people",
    f"ALTER TABLE {H} DROP COLUMN age",
    f"ALTER TABLE {H}.users ADD COLUMN verified boolean",
    # DROP
    "DROP TABLE IF EXISTS users",
    "DROP TABLE users CASCADE",
    "DROP INDEX ix_users_name",
    "DROP VIEW active_users;",
    f"DROP TABLE {H}",
    # TRUNCATE
    "TRUNCATE TABLE users",
    "TRUNCATE users CASCADE",
    "TRUNCATE TABLE users RESTART IDENTITY",
    f"TRUNCATE TABLE {H}",
    # WITH
    "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent",
    "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM t) SELECT n FROM t",
    "WITH gone AS (DELETE FROM users WHERE id = 1 RETURNING *) SELECT count(*) FROM gone",
    f"WITH x AS (SELECT * FROM {H}) SELECT * FROM x",
    "with\n  recent as (\n    select * from orders\n  )\nselect * from recent",
    # EXPLAIN
    "EXPLAIN SELECT * FROM users",
    "EXPLAIN ANALYZE SELECT * FROM users",
    "EXPLAIN QUERY PLAN SELECT * FROM users",
    f"EXPLAIN SELECT * FROM {H}",
    # SAVEPOINT
    "SAVEPOINT sp1",
    "RELEASE SAVEPOINT sp1",
    "ROLLBACK TO SAVEPOINT sp1",
    f"SAVEPOINT {H}",
    # PRAGMA
    "PRAGMA foreign_keys = ON",
    "PRAGMA table_info(users)",
    "PRAGMA journal_mode",
    f"PRAGMA {H}",
    f"PRAGMA table_info({H})",
    # others the detector knows
    "VACUUM",
    "GRANT SELECT ON users TO reporting",
    "CALL refresh_stats(1)",
    "COPY users FROM STDIN",
    "SET search_path TO app",
    "LOCK TABLE users",
]

PROSE = [
    "Please select from the menu",
    "Update your profile",
    "Deleted from the cart: 3 items",
    "select returned %d rows",
    "Select one item from the list",
    "Insert into the database failed",
    "drop me a line",
    f"Please select from the menu, {H}",
    f"Update your profile, {H}",
    f"Deleted from the cart: {H} items",
    f"select returned {H} rows",
    f"Select one item from the list: {H}",
    f"Insert into the database failed for {H}",
    f"drop me a line at {H}",
    "Could not update the record",
    f"Could not update {H}",
    f"Could not delete from {H}: row is locked",
    "Select a file from your computer",
    "Select an option from the menu",
    "Select your plan from the options below",
    "Select all from the list",
    "select which one from the menu",
    "You can select from these options",
    "We will select the best from the candidates",
    "Update the settings from the panel",
    "Update your profile to set a new password",
    "Please update the table",
    "Delete from your history",
    "Please delete from the list any duplicates",
    "Insert coin to continue",
    "Create a table of contents",
    "Create an account",
    "Drop the table from the list",
    "Drop us a line",
    "Truncate the text",
    "Truncate table names longer than 10",
    "Alter your settings",
    "Merge into the traffic using the left lane",
    "With love from Paris",
    "Explain why",
    "Savepoint reached",
    "Selected: a, b",
    "update: done",
    "Hello, please update your settings",
    f"Hello {H}, your order from {H} has shipped",
    "select from the menu below",
    f"please select from {H}",
    "Select from menu",
    "select",
    "SELECT",
    "from users",
    "create table",
    "",
    "x",
    H,
]


@pytest.mark.parametrize("text", STATEMENTS)
def test_statements_look_like_sql(text: str) -> None:
    assert sqlshape.looks_like_sql(text)


@pytest.mark.parametrize("text", PROSE)
def test_prose_does_not_look_like_sql(text: str) -> None:
    assert not sqlshape.looks_like_sql(text)


@pytest.mark.parametrize("text", STATEMENTS)
def test_statement_shape_survives_surrounding_whitespace_and_comments(text: str) -> None:
    assert sqlshape.looks_like_sql("\n\n  " + text + "\n")
    assert sqlshape.looks_like_sql("-- generated\n" + text)
    assert sqlshape.looks_like_sql("/* generated */\n" + text)


_PROSE_OPENERS = [
    "Please select",
    "Select",
    "select",
    "Update",
    "Please update",
    "Delete",
    "Insert",
    "Drop",
    "We select",
    "You can delete",
    "Could not update",
    "Truncate",
]
_PROSE_DETERMINERS = ["the", "your", "this", "that", "these", "those", "some", "any", "every", "my", "our"]
_PROSE_NOUNS = ["item", "items", "file", "record", "menu", "list", "profile", "cart", "options", "row"]
_PROSE_LINKS = ["from", "into", "in", "on", "to", "with"]


@settings(max_examples=150, deadline=None)
@given(
    opener=st.sampled_from(_PROSE_OPENERS),
    det1=st.sampled_from(_PROSE_DETERMINERS),
    noun1=st.sampled_from(_PROSE_NOUNS),
    link=st.sampled_from(_PROSE_LINKS),
    det2=st.sampled_from(_PROSE_DETERMINERS),
    noun2=st.sampled_from(_PROSE_NOUNS),
    tail=st.sampled_from(["", ".", "!", f": {H}", f", {H}", f" for {H}"]),
)
def test_generated_prose_sentences_are_not_sql(opener, det1, noun1, link, det2, noun2, tail) -> None:
    sentence = f"{opener} {det1} {noun1} {link} {det2} {noun2}{tail}"
    assert not sqlshape.looks_like_sql(sentence), sentence


_IDENT = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(
    lambda s: s
    not in {
        "the",
        "your",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "each",
        "every",
        "no",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "one",
        "ones",
        "all",
        "both",
        "either",
        "neither",
        "another",
        "other",
        "others",
        "it",
        "them",
        "him",
        "me",
        "us",
        "you",
        "we",
        "they",
        "there",
        "here",
        "my",
        "our",
        "their",
        "his",
        "her",
        "its",
        "an",
        "from",
        "where",
        "select",
        "set",
        "into",
        "values",
        "as",
        "on",
        "using",
        "with",
        "by",
        "order",
        "group",
        "table",
        "view",
        "index",
        "to",
        "distinct",
        "top",
        "only",
        "if",
        "not",
        "exists",
        "cascade",
        "join",
    }
)


@settings(max_examples=150, deadline=None)
@given(
    table=_IDENT,
    column=_IDENT,
    other=_IDENT,
    hole_at=st.integers(0, 3),
    shape=st.sampled_from(
        [
            "SELECT {c}, {o} FROM {t} WHERE {c} = 1",
            "SELECT * FROM {t} ORDER BY {c}",
            "INSERT INTO {t} ({c}, {o}) VALUES (?, ?)",
            "UPDATE {t} SET {c} = %s WHERE {o} = %s",
            "DELETE FROM {t} WHERE {c} = :value",
            "CREATE TABLE IF NOT EXISTS {t} ({c} INTEGER)",
            "ALTER TABLE {t} ADD COLUMN {c} TEXT",
            "DROP TABLE IF EXISTS {t}",
            "TRUNCATE TABLE {t}",
        ]
    ),
)
def test_generated_statements_with_identifiers_and_holes_look_like_sql(table, column, other, hole_at, shape) -> None:
    names = [table, column, other]
    if hole_at < 3:
        names[hole_at] = H
    text = shape.format(t=names[0], c=names[1], o=names[2])
    assert sqlshape.looks_like_sql(text), text
    assert sqlshape.looks_like_sql(text.lower()), text
    assert sqlshape.looks_like_sql(text.replace(" ", "\n  ")), text


# Table names that are English words or SQL keywords, as real schemas have them
# (`it`, `the`, `data`, `key`, `status`, `action`...). SQLite decides which are legal
# unquoted identifiers: each candidate must create a table there.
_WORD_CANDIDATES = sorted(
    set(sqlshape._PROSE_WORDS)
    | set(
        """
    data key value name status action level type text date time year month comment
    position role user users password session owner source target content file files
    item items list menu cart profile record records event events plan plans log logs
    account accounts temp view index count sum min max first last next prior rank row
    rows work task tasks query result results version history settings option options
    """.split()
    )
)


def _legal_table_names(candidates):
    import sqlite3

    legal = []
    connection = sqlite3.connect(":memory:")
    for word in candidates:
        try:
            connection.execute(f"CREATE TABLE {word} (id INTEGER)")
            connection.execute(f"SELECT id FROM {word} WHERE id = 1")
            connection.execute(f"DROP TABLE {word}")
        except sqlite3.Error:
            continue
        legal.append(word)
    connection.close()
    return legal


WORD_TABLES = _legal_table_names(_WORD_CANDIDATES)


def test_word_table_names_are_legal_and_include_english_function_words() -> None:
    assert {"it", "the", "this", "your", "data", "key", "status"} <= set(WORD_TABLES)
    assert "where" not in WORD_TABLES and "select" not in WORD_TABLES  # SQLite refuses these


@settings(max_examples=300, deadline=None)
@given(
    table=st.sampled_from(WORD_TABLES),
    hole=st.sampled_from([H, "%s", "?", ":value", "$1"]),
    shape=st.sampled_from(
        [
            "SELECT id, name FROM {t} WHERE x = '{v}'",
            "SELECT * FROM {t} WHERE id IN ({v})",
            "SELECT a.id FROM {t} a WHERE a.x = {v}",
            "SELECT * FROM {t} ORDER BY {v}",
            "SELECT * FROM {t} JOIN users u ON u.id = {v}",
            "SELECT * FROM {t} LIMIT {v}",
            "UPDATE {t} SET a = 1 WHERE id = {v}",
            "UPDATE {t} SET a = {v}",
            "DELETE FROM {t} WHERE id = {v}",
            "INSERT INTO {t} (a, b) VALUES ({v}, 1)",
            "INSERT INTO {t} VALUES ({v})",
            "CREATE TABLE {t} (id INTEGER PRIMARY KEY, v TEXT DEFAULT {v})",
            "DROP TABLE IF EXISTS {t}; SELECT {v}",
        ]
    ),
)
def test_statements_on_tables_named_with_words_look_like_sql(table, hole, shape) -> None:
    text = shape.format(t=table, v=hole)
    assert sqlshape.looks_like_sql(text), text
    assert sqlshape.looks_like_sql(text.lower()), text


# --- strings: format-string parsing -----------------------------------------------------


@pytest.mark.parametrize(
    "template, expected",
    [
        ("SELECT %s", [(0, False)]),
        ("LIMIT %d OFFSET %d", [(0, True), (1, True)]),
        ("%s = %d", [(0, False), (1, True)]),
        ("%i %o %u %x %X %e %E %f %F %g %G", [(i, True) for i in range(11)]),
        ("%r %a %c %b", [(i, False) for i in range(4)]),
        ("%5.2f", [(0, True)]),
        ("%-10s|%+05d", [(0, False), (1, True)]),
        ("%*d", [(0, True)]),
        ("%ld", [(0, True)]),
        ("%(name)s %(n)d", [("name", False), ("n", True)]),
        ("%(n)-5d", [("n", True)]),
        ("100%% sure", []),
        ("%%s is literal", []),
        ("%%%s", [(0, False)]),
        ("no placeholders", []),
    ],
)
def test_percent_placeholders(template, expected) -> None:
    assert strings.percent_placeholders(template) == expected


def test_percent_text_fills_placeholders_in_order() -> None:
    assert strings.percent_text("SELECT %s FROM %s WHERE a = %d", ["x", H, "1"]) == f"SELECT x FROM {H} WHERE a = 1"
    assert strings.percent_text("100%% of %(t)s", ["users"]) == "100% of users"


@given(st.lists(st.sampled_from(["%s", "%d", "%r", "%x", "%%", "%5.1f", "abc ", " "]), max_size=12))
def test_percent_placeholders_agree_with_python(pieces) -> None:
    template = "".join(pieces)
    found = strings.percent_placeholders(template)
    expected = [p for p in pieces if p not in ("%%", "abc ", " ")]
    assert [key for key, _ in found] == list(range(len(expected)))
    assert [numeric for _, numeric in found] == [p[-1] in "dxf" for p in expected]


@pytest.mark.parametrize(
    "template, expected",
    [
        ("SELECT {}", [("SELECT ", 0, False)]),
        ("{} {}", [("", 0, False), (" ", 1, False)]),
        ("{0} {1} {0}", [("", 0, False), (" ", 1, False), (" ", 0, False)]),
        ("{name}", [("", "name", False)]),
        ("{x.attr} {y[0]}", [("", "x", False), (" ", "y", False)]),
        ("{:d}", [("", 0, True)]),
        ("{n:,}", [("", "n", True)]),
        ("{n:_}", [("", "n", True)]),
        ("{n:.2f}", [("", "n", True)]),
        ("{n:%}", [("", "n", True)]),
        ("{n:#x}", [("", "n", True)]),
        ("{n:05d}", [("", "n", True)]),
        ("{n:n}", [("", "n", True)]),
        ("{s:s}", [("", "s", False)]),
        ("{s:>10}", [("", "s", False)]),
        ("{s!r}", [("", "s", False)]),
        ("{s:c}", [("", "s", False)]),
    ],
)
def test_format_fields(template, expected) -> None:
    fields = [f for f in strings.format_fields(template) if f[1] is not None]
    assert fields == expected


def test_format_fields_keeps_literal_text_and_escaped_braces() -> None:
    fields = strings.format_fields("SELECT * FROM t WHERE j = '{{}}' AND id = {}")
    literal = "".join(text for text, _, _ in fields)
    assert literal == "SELECT * FROM t WHERE j = '{}' AND id = "
    assert [key for _, key, _ in fields if key is not None] == [0]


@pytest.mark.parametrize("template", ["{", "}", "{0", "SELECT {a", "{!}"])
def test_format_fields_of_broken_template_is_none(template) -> None:
    assert strings.format_fields(template) is None


@pytest.mark.parametrize(
    "spec, numeric",
    [
        ("d", True),
        ("05d", True),
        (",", True),
        ("_", True),
        (",d", True),
        (".2f", True),
        ("e", True),
        ("%", True),
        ("x", True),
        ("#o", True),
        ("b", True),
        ("n", True),
        ("G", True),
        ("", False),
        ("s", False),
        (">10", False),
        ("c", False),
        ("10", False),
        ("r", False),
    ],
)
def test_is_numeric_spec(spec, numeric) -> None:
    assert strings.is_numeric_spec(spec) is numeric


@given(
    st.sampled_from(["d", "x", "f", "e", "%", "b", "o", "n", "g"]),
    st.from_regex(r"[+ #0]?[0-9]{0,3}(\.[0-9]{1,2})?", fullmatch=True),
)
def test_numeric_specs_only_format_numbers(conv, prefix) -> None:
    spec = prefix + conv
    if conv in "dxbon" and "." in prefix:
        return  # not a valid spec for integers
    assert strings.is_numeric_spec(spec)
    with pytest.raises((ValueError, TypeError)):
        format("'; DROP TABLE users; --", spec)


# --- values: the lattice ------------------------------------------------------------------

_KINDS = st.sampled_from(list(Kind))
_ORIGINS = st.frozensets(
    st.builds(
        Origin,
        st.integers(1, 50),
        st.integers(0, 20),
        st.sampled_from(["an f-string", "concatenation"]),
        st.integers(0, 5),
    ),
    max_size=2,
)
_VALUES = st.builds(
    Value,
    kind=_KINDS,
    text=st.text(alphabet="ab \ufffc", max_size=6),
    origins=_ORIGINS,
    obj=st.sampled_from([None, None, "number", "dbapi.cursor"]),
    from_input=st.booleans(),
)


def test_join_built_wins() -> None:
    built = Value(kind=Kind.BUILT, text=f"SELECT {H}", origins=frozenset({Origin(3, 4, "an f-string", 1)}))
    for other in (const("SELECT 1"), values.SAFE_NUMBER, UNKNOWN):
        for result in (join(built, other), join(other, built)):
            assert result.kind is Kind.BUILT
            assert result.text == built.text
            assert result.origins == built.origins


def test_join_with_none_and_itself() -> None:
    a = const("x")
    assert join(a, None) is a
    assert join(None, a) is a
    assert join(None, None) == UNKNOWN
    assert join(a, a) is a


def test_join_keeps_longer_text_on_a_tie() -> None:
    assert join(const("SELECT 1"), const("SELECT id FROM users")).text == "SELECT id FROM users"


@given(_VALUES, _VALUES)
def test_join_is_an_upper_bound(a, b) -> None:
    result = join(a, b)
    assert result.kind == max(a.kind, b.kind)
    assert result.origins == a.origins | b.origins
    assert result.from_input == (a.from_input or b.from_input)
    assert join(b, a).kind == result.kind
    if a.kind != b.kind:
        assert result.text == (a if a.kind > b.kind else b).text


@given(_VALUES, _VALUES, _VALUES)
def test_join_kind_is_associative(a, b, c) -> None:
    assert join(join(a, b), c).kind == join(a, join(b, c)).kind


def _interp(template, *parts):
    return interpolate(template, tuple(parts), "text", "an f-string", 7, 3, 99)


def test_interpolate_constants_stay_constant() -> None:
    result = _interp(const("SELECT "), const("1"))
    assert result.kind is Kind.CONST
    assert not result.origins


def test_interpolate_safe_part_is_safe() -> None:
    assert _interp(const("LIMIT "), values.SAFE_NUMBER).kind is Kind.SAFE


@pytest.mark.parametrize("part_kind", [Kind.UNKNOWN, Kind.BUILT])
def test_interpolate_unknown_or_built_part_builds(part_kind) -> None:
    part = Value(kind=part_kind)
    result = _interp(const("SELECT * FROM "), part)
    assert result.kind is Kind.BUILT
    assert Origin(7, 3, "an f-string", 99) in result.origins


def test_interpolate_template_only_unknown_stays_unknown() -> None:
    result = _interp(UNKNOWN, const(" LIMIT 1"))
    assert result.kind is Kind.UNKNOWN
    assert not result.origins


def test_interpolate_built_template_keeps_its_origins() -> None:
    earlier = Origin(2, 0, "concatenation", 5)
    template = Value(kind=Kind.BUILT, origins=frozenset({earlier}))
    result = _interp(template, const(" LIMIT 1"))
    assert result.kind is Kind.BUILT
    assert result.origins == frozenset({earlier})


@given(_VALUES, st.lists(_VALUES, max_size=4))
def test_interpolate_builds_exactly_when_a_part_is_not_seen(template, parts) -> None:
    result = _interp(template, *parts)
    unsafe = any(p.kind >= Kind.UNKNOWN for p in parts)
    if unsafe:
        assert result.kind is Kind.BUILT
        assert Origin(7, 3, "an f-string", 99) in result.origins
    else:
        assert result.kind == (
            Kind.SAFE if template.kind is Kind.CONST and any(p.kind is Kind.SAFE for p in parts) else template.kind
        )
    for part in parts:
        assert part.origins <= result.origins
    assert result.from_input == (template.from_input or any(p.from_input for p in parts))


def test_interpolate_bounds_text() -> None:
    result = interpolate(const(""), (), "x" * (values.MAX_TEXT + 100), "concatenation", 1, 0, 1)
    assert len(result.text) == values.MAX_TEXT


# --- catalogue: canonical names and receiver names ----------------------------------------


@pytest.mark.parametrize(
    "spelling, canonical",
    [
        ("sqlalchemy.sql.expression.text", "sqlalchemy.text"),
        ("sqlalchemy.sql.text", "sqlalchemy.text"),
        ("sqlalchemy.sql.elements.TextClause", "sqlalchemy.TextClause"),
        ("sqlalchemy.sql.expression.literal_column", "sqlalchemy.literal_column"),
        ("sqlalchemy.future.select", "sqlalchemy.select"),
        ("sqlalchemy.engine.create_engine", "sqlalchemy.create_engine"),
        ("sqlalchemy.engine.create.create_engine", "sqlalchemy.create_engine"),
        ("sqlalchemy.engine.base.Engine", "sqlalchemy.engine.Engine"),
        ("sqlalchemy.orm.session.sessionmaker", "sqlalchemy.orm.sessionmaker"),
        ("sqlalchemy.orm.scoping.scoped_session", "sqlalchemy.orm.scoped_session"),
        ("sqlmodel.Session", "sqlalchemy.orm.Session"),
        ("sqlmodel.sql.expression.select", "sqlalchemy.select"),
        ("sqlmodel.text", "sqlalchemy.text"),
        ("sqlmodel.engine.base.Engine", "sqlalchemy.engine.Engine"),
        ("django.db.models.expressions.RawSQL", "django.db.models.RawSQL"),
        ("django.db.models.functions.datetime.Trunc", "django.db.models.functions.Trunc"),
        ("pandas.io.sql.read_sql", "pandas.read_sql"),
        ("pandas.io.sql.read_sql_query", "pandas.read_sql_query"),
        ("pyspark.sql.session.SparkSession", "pyspark.sql.SparkSession"),
        ("mysql.connector.connection.MySQLConnection", "mysql.connector.MySQLConnection"),
        ("flask_sqlalchemy.extension.SQLAlchemy", "flask_sqlalchemy.SQLAlchemy"),
        ("sqlite3.connect", "sqlite3.connect"),
        ("psycopg2.extras.execute_values", "psycopg2.extras.execute_values"),
        ("myapp.db.run", "myapp.db.run"),
    ],
)
def test_canonical(spelling, canonical) -> None:
    assert world_names.canonical(spelling) == canonical


def test_every_canonical_catalogue_name_is_a_fixed_point() -> None:
    names = (
        set(sql_apis.FACTORIES)
        | set(sql_apis.FUNCTION_SINKS)
        | set(sql_apis.ANNOTATIONS)
        | set(sql_apis.MODULE_OBJECTS)
    )
    moved = sorted(n for n in names if world_names.canonical(n) != n)
    # Catalogue entries are looked up after canonical(); an entry that canonical() rewrites
    # could never be found.
    lost = [n for n in moved if world_names.canonical(n) not in names]
    assert not lost


_SEGMENTS = st.sampled_from(
    [
        "sqlalchemy",
        "sql",
        "expression",
        "elements",
        "orm",
        "engine",
        "base",
        "session",
        "create",
        "future",
        "sqlmodel",
        "pandas",
        "io",
        "read_sql",
        "django",
        "db",
        "models",
        "text",
        "select",
        "Session",
        "x",
    ]
)


@given(st.lists(_SEGMENTS, min_size=1, max_size=6))
def test_canonical_is_idempotent(segments) -> None:
    name = ".".join(segments)
    once = world_names.canonical(name)
    assert world_names.canonical(once) == once


@pytest.mark.parametrize(
    "name, kind",
    [
        ("cursor", "dbapi.cursor"),
        ("cur", "dbapi.cursor"),
        ("Cursor", "dbapi.cursor"),
        ("dbCursor", "dbapi.cursor"),
        ("read_cursor", "dbapi.cursor"),
        ("session", "sqlalchemy.session"),
        ("db_session", "sqlalchemy.session"),
        ("dbsession", "sqlalchemy.session"),
        ("engine", "sqlalchemy.engine"),
        ("read_engine", "sqlalchemy.engine"),
        ("spark", "spark.session"),
        ("objects", "django.manager"),
        ("op", "alembic.op"),
    ],
)
def test_kind_from_receiver_name(name, kind) -> None:
    assert world_names.kind_from_receiver_name(name) == kind


@pytest.mark.parametrize("name", ["conn", "connection", "read_conn", "con", "db", "database", "pool", "cnx"])
def test_connection_like_receiver_names_are_database_objects(name) -> None:
    kind = world_names.kind_from_receiver_name(name)
    assert kind is not None
    assert "execute" in sql_apis.METHODS[kind]


@pytest.mark.parametrize(
    "name", ["logger", "runner", "result", "request", "self", "data", "recursor", "messages", "", "_", "__"]
)
def test_other_receiver_names_have_no_kind(name) -> None:
    assert world_names.kind_from_receiver_name(name) is None


# --- config: option parsing ----------------------------------------------------------------


def test_split() -> None:
    assert config._split(None) == []
    assert config._split("") == []
    assert config._split("a, b\nc,,") == ["a", "b", "c"]
    assert config._split(["a", " b ", "", "  "]) == ["a", "b"]


@pytest.mark.parametrize(
    "raw, sink",
    [
        ("myapp.db.run", config.SinkOption("myapp.db.run", False, 0, None)),
        ("run_query", config.SinkOption("run_query", False, 0, None)),
        ("myapp.db.run:2", config.SinkOption("myapp.db.run", False, 2, None)),
        ("myapp.db.run:sql", config.SinkOption("myapp.db.run", False, None, "sql")),
        (".raw_query", config.SinkOption("raw_query", True, 0, None)),
        (".raw_query:1", config.SinkOption("raw_query", True, 1, None)),
        (".raw_query:statement", config.SinkOption("raw_query", True, None, "statement")),
    ],
)
def test_parse_sinks(raw, sink) -> None:
    assert config._parse_sinks("--sqlsec-sinks", [raw]) == (sink,)


@pytest.mark.parametrize(
    "raw",
    [
        ".",
        "..run",
        ".a.b",
        "pkg..run",
        "1pkg.run",
        "pkg.run-x",
        "pkg.run:",
        "pkg.run:1x",
        "pkg.run:-1",
        "pkg.run:a.b",
        ":0",
        "pkg run",
    ],
)
def test_parse_sinks_rejects(raw) -> None:
    with pytest.raises(config.ConfigError) as info:
        config._parse_sinks("--sqlsec-sinks", ["ok.name", raw])
    message = str(info.value)
    assert "--sqlsec-sinks" in message
    assert repr(raw) in message
    assert "\n" not in message


def test_parse_names() -> None:
    assert config._parse_names("--sqlsec-safe-functions", ["pkg.sql.quote_ident", ".quote", "clean"]) == frozenset(
        {"pkg.sql.quote_ident", "quote", "clean"}
    )


@pytest.mark.parametrize("option", ["--sqlsec-safe-functions", "--sqlsec-logger-names", "--sqlsec-masking-functions"])
@pytest.mark.parametrize("raw", ["1abc", "a-b", "pkg..x", "a b", "pkg.", "x()"])
def test_parse_names_rejects(option, raw) -> None:
    with pytest.raises(config.ConfigError) as info:
        config._parse_names(option, [raw])
    assert option in str(info.value)
    assert repr(raw) in str(info.value)


def test_parse_regexes() -> None:
    (pattern,) = config._parse_regexes("--sqlsec-sensitive-names", ["pass(word)?"])
    assert pattern.search("DB_PASSWORD")  # case-insensitive


@pytest.mark.parametrize("option", ["--sqlsec-sensitive-names", "--sqlsec-safe-names"])
@pytest.mark.parametrize("raw", ["(", "a[", "*x", "(?P<x"])
def test_parse_regexes_rejects(option, raw) -> None:
    with pytest.raises(config.ConfigError) as info:
        config._parse_regexes(option, [raw])
    assert option in str(info.value)
    assert "regular expression" in str(info.value)


@pytest.mark.parametrize(
    "values_, level", [([], "project"), (["off"], "off"), (["local"], "local"), (["project"], "project")]
)
def test_parse_infer(values_, level) -> None:
    assert config._parse_infer("--sqlsec-infer", values_) == level


@pytest.mark.parametrize("values_", [["all"], ["Off"], ["off", "local"], [""]])
def test_parse_infer_rejects(values_) -> None:
    with pytest.raises(config.ConfigError) as info:
        config._parse_infer("--sqlsec-infer", values_)
    assert "--sqlsec-infer" in str(info.value)
    assert "off, local, project" in str(info.value)


def test_config_error_is_a_one_line_exit() -> None:
    error = config.ConfigError("--sqlsec-sinks", "x:y:z", "because")
    assert isinstance(error, SystemExit)
    assert error.code == "flake8-sqlsec: invalid value for --sqlsec-sinks: 'x:y:z': because"


def test_configure_reads_every_option() -> None:
    options = argparse.Namespace(
        sqlsec_sinks="myapp.db.run:sql,.raw_query",
        sqlsec_safe_functions=["quote_ident"],
        sqlsec_infer="off",
        sqlsec_sensitive_names="pin",
        sqlsec_safe_names="",
        sqlsec_logger_names="audit",
        sqlsec_masking_functions="mask",
    )
    settings_ = config.configure(options)
    assert config.CURRENT is settings_
    assert settings_.extra_sinks == (
        config.SinkOption("myapp.db.run", False, None, "sql"),
        config.SinkOption("raw_query", True, 0, None),
    )
    assert settings_.safe_functions == frozenset({"quote_ident"})
    assert settings_.infer == "off"
    assert [p.pattern for p in settings_.sensitive_names] == ["pin"]
    assert settings_.safe_names == ()
    assert settings_.logger_names == frozenset({"audit"})
    assert settings_.masking_functions == frozenset({"mask"})
    # Without flake8's own selection options, everything is analysed.
    assert settings_.selected == frozenset(RULES)


def test_configure_defaults_for_missing_options() -> None:
    settings_ = config.configure(argparse.Namespace())
    assert settings_.extra_sinks == ()
    assert settings_.infer == "project"


@pytest.mark.parametrize(
    "dest, flag, raw",
    [
        ("sqlsec_sinks", "--sqlsec-sinks", "pkg..run"),
        ("sqlsec_safe_functions", "--sqlsec-safe-functions", "not-a-name"),
        ("sqlsec_infer", "--sqlsec-infer", "everything"),
        ("sqlsec_sensitive_names", "--sqlsec-sensitive-names", "(unclosed"),
        ("sqlsec_logger_names", "--sqlsec-logger-names", "9lives"),
    ],
)
def test_configure_error_names_the_option(dest, flag, raw) -> None:
    before = config.CURRENT
    with pytest.raises(config.ConfigError) as info:
        config.configure(argparse.Namespace(**{dest: raw}))
    assert flag in str(info.value)
    assert config.CURRENT is before


def test_register_adds_each_option_to_its_family() -> None:
    class Manager:
        def __init__(self) -> None:
            self.flags = []

        def add_option(self, flag, **kwargs) -> None:
            assert kwargs["parse_from_config"] is True
            self.flags.append((flag, kwargs["comma_separated_list"]))

    by_family = {}
    for family in ("SQL1", "SQL2", "SQL3", "SQL4", "SQL9"):
        manager = Manager()
        config.register(manager, family)
        by_family[family] = manager.flags
    registered = [flag for flags in by_family.values() for flag, _ in flags]
    assert sorted(registered) == sorted(spec.flag for spec in config.OPTIONS)
    assert len(set(registered)) == len(registered)
    assert ("--sqlsec-infer", False) in by_family["SQL1"]
    assert ("--sqlsec-sinks", True) in by_family["SQL1"]


def test_every_option_flag_is_well_formed() -> None:
    for spec in config.OPTIONS:
        assert re.fullmatch(r"--sqlsec-[a-z-]+", spec.flag)
        assert spec.attr in config.Config.__dataclass_fields__


def test_config_wants() -> None:
    settings_ = config.Config(selected=frozenset({"SQL101"}))
    assert settings_.wants("SQL101")
    assert settings_.wants("SQL999", "SQL101")
    assert not settings_.wants("SQL102")
    assert not settings_.wants()
    default = config.Config()
    assert not default.wants("SQL103") and default.wants("SQL101")


# --- a match on a constant takes one case (Python 3.10 syntax, so not in a case file) ----

MATCH_ON_CONSTANT = """
import sqlite3


def constant_match(cur, name):
    match "ABC"[1]:
        case "A":
            query = f"SELECT * FROM t WHERE n = '{name}'"
        case "B":
            query = "SELECT * FROM t WHERE n = ?"
        case _:
            query = f"DELETE FROM t WHERE n = '{name}'"
    cur.execute(query, (name,))
"""


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements need Python 3.10")
def test_a_match_on_a_constant_takes_only_its_case() -> None:
    from helpers import analyse

    assert [(line, code) for line, _, code, _ in analyse(MATCH_ON_CONSTANT).findings] == [(13, "SQL103")]
    live = MATCH_ON_CONSTANT.replace('"ABC"[1]', '"ABC"[0]')
    assert [(line, code) for line, _, code, _ in analyse(live).findings] == [(13, "SQL101")]
