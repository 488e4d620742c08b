#!/usr/bin/env python3
"""Generate synthetic data-access modules of chosen sizes for the scaling benchmark.

    python bench/gen_scaling.py OUTDIR --lines 1000,10000,100000

writes ``OUTDIR/scale_1000.py``, ``OUTDIR/scale_10000.py`` ... Each module is built by
cycling through a fixed list of templates (repository classes on sqlite3 and psycopg2
cursors, parameterised and f-string queries, queries grown with ``+=`` in loops,
SQLAlchemy ``text()`` and ORM filters, Django ``extra()``/``RawSQL``/``raw()``, logging
calls with secrets, exception handlers, plain helper functions ...), with entity,
table and column names drawn from a seeded random generator. The output is
deterministic for a given seed, and every size starts with the same blocks, so the
time per line can be compared across sizes.

Every module parses, and is clean for pyflakes (no undefined names, no unused
imports), so plain flake8 does its normal amount of work on it. The modules are only
read by linters, never imported: the third-party imports need not be installed.

Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import random
import subprocess
import sys
from pathlib import Path
from string import Template
from typing import Dict, Iterable, List, Sequence, Set, Tuple

ENTITIES = (
    "user",
    "order",
    "invoice",
    "product",
    "customer",
    "payment",
    "shipment",
    "account",
    "ticket",
    "review",
    "supplier",
    "warehouse",
    "coupon",
    "employee",
    "project",
    "task",
    "comment",
    "subscription",
    "device",
    "booking",
)
COLUMNS = (
    "name",
    "email",
    "status",
    "region",
    "title",
    "category",
    "owner",
    "code",
    "label",
    "city",
    "country",
    "currency",
)

# An import is ("", "module") for ``import module``, ("module", "name") for
# ``from module import name`` and ("module", "name as alias") for an alias.
Import = Tuple[str, str]

STDLIB = {"csv", "logging", "sqlite3"}


class Block:
    """One template: its code, the imports it needs and whether it uses ``logger``."""

    def __init__(self, code: str, imports: Iterable[Import] = (), logger: bool = False) -> None:
        self.template = Template(code.strip("\n"))
        self.imports = tuple(imports)
        self.logger = logger

    def render(self, names: Dict[str, str]) -> Tuple[str, Tuple[Import, ...]]:
        imports = tuple((mod, Template(name).substitute(names)) for mod, name in self.imports)
        return self.template.substitute(names), imports


# Placeholders: ${ent} entity (snake case), ${Ent} entity (CamelCase), ${tbl} table,
# ${col}/${col2} two distinct columns, ${n} block number (keeps names unique).
# A literal dollar sign in the generated code is written ``$$``.
TEMPLATES: Sequence[Block] = (
    Block(
        '''
class ${Ent}Repository${n}:
    """Data access for the ${tbl} table."""

    table = "${tbl}"

    def __init__(self, path):
        self.conn = sqlite3.connect(path)

    def get(self, ${ent}_id):
        cur = self.conn.cursor()
        cur.execute("SELECT * FROM ${tbl} WHERE id = ?", (${ent}_id,))
        return cur.fetchone()

    def find_by_${col}(self, value):
        cur = self.conn.cursor()
        cur.execute(f"SELECT * FROM {self.table} WHERE ${col} = '{value}'")
        return cur.fetchall()

    def count(self):
        cur = self.conn.execute(f"SELECT COUNT(*) FROM {self.table}")
        return cur.fetchone()[0]
''',
        [("", "sqlite3")],
    ),
    Block(
        """
def load_${tbl}_${n}(dsn, ${col}):
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT id, ${col} FROM ${tbl} WHERE ${col} = %s",
                (${col},),
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    return rows


def delete_${tbl}_${n}(conn, ids):
    with conn.cursor() as cur:
        cur.execute("DELETE FROM ${tbl} WHERE id IN (%s)" % ",".join(ids))
    conn.commit()
""",
        [("", "psycopg2")],
    ),
    Block("""
def search_${tbl}_${n}(cursor, filters, order=None):
    sql = "SELECT * FROM ${tbl} WHERE 1 = 1"
    params = []
    for key, value in filters.items():
        if value is None:
            continue
        sql += " AND " + key + " = ?"
        params.append(value)
    if order:
        sql += " ORDER BY " + order
    cursor.execute(sql, params)
    return cursor.fetchall()
"""),
    Block("""
def fetch_${tbl}_by_ids_${n}(conn, ids):
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    query = "SELECT * FROM ${tbl} WHERE id IN (" + marks + ")"
    return conn.execute(query, list(ids)).fetchall()


def fetch_${tbl}_by_${col}_${n}(conn, values):
    marks = ", ".join(["?"] * len(values))
    query = f"SELECT id FROM ${tbl} WHERE ${col} IN ({marks})"
    return [row[0] for row in conn.execute(query, values)]
"""),
    Block(
        """
def report_${tbl}_${n}(session, since, region):
    stmt = text(
        "SELECT region, COUNT(*) FROM ${tbl} "
        "WHERE created_at >= :since GROUP BY region"
    )
    totals = session.execute(stmt, {"since": since}).all()
    detail = session.execute(
        text(f"SELECT * FROM ${tbl} WHERE region = '{region}'")
    ).all()
    return totals, detail
""",
        [("sqlalchemy", "text")],
    ),
    Block(
        """
def list_${tbl}_${n}(session, model, sort_key, term):
    query = session.query(model).filter(
        text(f"${col} LIKE '%{term}%'")
    )
    return query.order_by(sort_key).limit(50).all()


def list_${tbl}_by_term_${n}(session, model, term):
    return (
        session.query(model)
        .filter(model.${col}.like("%" + term + "%"))
        .order_by(model.id)
        .all()
    )
""",
        [("sqlalchemy", "text")],
    ),
    Block(
        """
def annotate_${tbl}_${n}(request, days):
    qs = ${Ent}.objects.filter(status="active")
    qs = qs.extra(where=[f"created_at > now() - interval '{days} days'"])
    return qs.annotate(
        score=RawSQL(
            "SELECT COUNT(*) FROM ${tbl}_log WHERE ${ent}_id = %s",
            (request.user.id,),
        )
    )
""",
        [("shop.models", "${Ent}"), ("django.db.models.expressions", "RawSQL")],
    ),
    Block(
        """
def raw_${tbl}_${n}(${col}):
    found = ${Ent}.objects.raw(
        "SELECT * FROM ${tbl} WHERE ${col} = %s", [${col}]
    )
    guessed = ${Ent}.objects.raw(
        "SELECT * FROM ${tbl} WHERE ${col} LIKE '%s%%'" % ${col}
    )
    return list(found) + list(guessed)


def count_${tbl}_${n}(suffix):
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM ${tbl}_{}".format(suffix))
        return cur.fetchone()[0]
""",
        [("shop.models", "${Ent}"), ("django.db", "connection")],
    ),
    Block(
        """
def connect_${ent}_db_${n}(host, user, password):
    logger.info("connecting to %s as %s with %s", host, user, password)
    dsn = f"postgresql://{user}:{password}@{host}/${tbl}"
    logger.debug("dsn=%s", dsn)
    return psycopg2.connect(dsn)
""",
        [("", "psycopg2")],
        logger=True,
    ),
    Block(
        """
def save_${ent}_${n}(conn, ${ent}):
    try:
        conn.execute(
            "INSERT INTO ${tbl} (${col}, ${col2}) VALUES (?, ?)",
            (${ent}["${col}"], ${ent}["${col2}"]),
        )
        conn.commit()
    except sqlite3.IntegrityError as exc:
        logger.warning("duplicate ${ent}: %s", exc)
        return False
    except sqlite3.Error as exc:
        logger.error("insert failed: %s; params=%r", exc, ${ent})
        conn.rollback()
        raise
    return True
""",
        [("", "sqlite3")],
        logger=True,
    ),
    Block("""
def build_${tbl}_query_${n}(columns, where):
    cols = ", ".join(columns)
    return "SELECT {} FROM ${tbl} WHERE {}".format(cols, where)


def describe_${tbl}_${n}(columns):
    return "Report of {} columns from ${tbl}".format(len(columns))
"""),
    Block(
        '''
class ${Ent}Settings${n}:
    """Connection settings for the ${ent} service."""

    def __init__(self, host="localhost", port=5432, debug=False):
        self.host = host
        self.port = port
        self.debug = debug

    @property
    def url(self):
        return f"postgresql://app@{self.host}:{self.port}/${tbl}"

    def engine(self):
        return create_engine(self.url, echo=self.debug, pool_pre_ping=True)

    def debug_engine(self):
        return create_engine(self.url, echo=True)
''',
        [("sqlalchemy", "create_engine")],
    ),
    Block("""
def summarise_${tbl}_${n}(rows, key="${col}"):
    counts = {}
    for row in rows:
        value = row.get(key)
        if value is None:
            continue
        counts[value] = counts.get(value, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"{name}: {count}" for name, count in ordered]
    return "\\n".join(lines)
"""),
    Block("""
def page_${tbl}_${n}(cursor, page, size=20):
    limit = int(size)
    offset = (int(page) - 1) * limit
    cursor.execute(
        f"SELECT * FROM ${tbl} ORDER BY id LIMIT {limit} OFFSET {offset}"
    )
    return cursor.fetchall()
"""),
    Block(
        """
def import_${tbl}_${n}(conn, records):
    rows = [(r["${col}"], r["${col2}"]) for r in records]
    conn.executemany(
        "INSERT INTO ${tbl} (${col}, ${col2}) VALUES (?, ?)", rows
    )
    conn.commit()
    logger.info("imported %d ${tbl}", len(rows))
    return len(rows)
""",
        logger=True,
    ),
    Block(
        """
def frame_${tbl}_${n}(engine, region):
    known = pd.read_sql(
        "SELECT * FROM ${tbl} WHERE region = %(r)s",
        engine,
        params={"r": region},
    )
    other = pd.read_sql_query(
        "SELECT * FROM ${tbl} WHERE region <> '%s'" % region, engine
    )
    return pd.concat([known, other])
""",
        [("", "pandas as pd")],
    ),
    Block("""
class ${Ent}Store${n}:
    TABLE = "${tbl}"
    COLUMNS = ("id", "${col}", "${col2}")

    def __init__(self, conn):
        self.conn = conn

    def all(self):
        cols = ", ".join(self.COLUMNS)
        sql = f"SELECT {cols} FROM {self.TABLE}"
        return self.conn.execute(sql).fetchall()

    def by_${col}(self, value):
        sql = f"SELECT * FROM {self.TABLE} WHERE ${col} = ?"
        return self.conn.execute(sql, (value,)).fetchall()
"""),
    Block(
        """
def upgrade_${tbl}_${n}():
    op.add_column(
        "${tbl}", sa.Column("${col2}_note", sa.Text(), nullable=True)
    )
    op.execute("UPDATE ${tbl} SET ${col2}_note = '' WHERE ${col2}_note IS NULL")


def backfill_${tbl}_${n}(default):
    op.execute(f"UPDATE ${tbl} SET ${col} = '{default}' WHERE ${col} IS NULL")
""",
        [("alembic", "op"), ("", "sqlalchemy as sa")],
    ),
    Block("""
async def fetch_${tbl}_${n}(pool, ${col}, limit=100):
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM ${tbl} WHERE ${col} = $$1 LIMIT $$2", ${col}, limit
        )
        older = await conn.fetch(
            f"SELECT * FROM ${tbl}_archive WHERE ${col} = '{${col}}'"
        )
    return rows + older
"""),
    Block(
        """
def export_${tbl}_${n}(conn, path):
    cur = conn.cursor()
    cur.execute("SELECT * FROM ${tbl}")
    rows = cur.fetchall()
    logger.debug("exporting rows: %s", rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(rows)
    return len(rows)
""",
        [("", "csv")],
        logger=True,
    ),
    Block(
        """
def touch_${tbl}_${n}(db, model, ${col}):
    db.execute_sql("UPDATE ${tbl} SET seen = 1 WHERE ${col} = %s", (${col},))
    cursor = db.execute_sql(
        "SELECT * FROM ${tbl} WHERE ${col} = '%s'" % ${col}
    )
    query = model.select().where(SQL(f"${col} = '{${col}}'"))
    return query, cursor
""",
        [("peewee", "SQL")],
    ),
)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _import_lines(imports: Set[Import], logger: bool) -> List[str]:
    if logger:
        imports = imports | {("", "logging")}
    plain = sorted(name for mod, name in imports if not mod)
    froms: Dict[str, Set[str]] = {}
    for mod, name in imports:
        if mod:
            froms.setdefault(mod, set()).add(name)

    def lines_for(stdlib: bool) -> List[str]:
        out = [f"import {name}" for name in plain if (name.split()[0].split(".")[0] in STDLIB) == stdlib]
        for mod in sorted(froms):
            if (mod.split(".")[0] in STDLIB) != stdlib:
                continue
            names = sorted(froms[mod])
            line = f"from {mod} import {', '.join(names)}"
            if len(line) <= 79:
                out.append(line)
            else:
                out.append(f"from {mod} import (")
                out.extend(f"    {name}," for name in names)
                out.append(")")
        return out

    std, third = lines_for(True), lines_for(False)
    return std + ([""] if std and third else []) + third


def _header(target: int, seed: int, imports: Set[Import], logger: bool) -> List[str]:
    lines = [
        f'"""Generated benchmark module: about {target} lines, seed {seed}.',
        "",
        "Synthetic data-access code used to measure lint time per line.",
        "Regenerate with bench/gen_scaling.py rather than editing by hand.",
        '"""',
    ]
    lines += _import_lines(imports, logger)
    if logger:
        lines += ["", "logger = logging.getLogger(__name__)"]
    return lines


def generate(target: int, seed: int = 0) -> str:
    """Return a module of at least ``target`` lines (the overshoot is under one block)."""
    rng = random.Random(seed)
    imports: Set[Import] = set()
    logger = False
    body: List[str] = []
    header_len = len(_header(target, seed, imports, logger))
    n = 0
    while header_len + len(body) < target:
        block = TEMPLATES[n % len(TEMPLATES)]
        ent = rng.choice(ENTITIES)
        col, col2 = rng.sample(COLUMNS, 2)
        names = {"ent": ent, "Ent": _camel(ent), "tbl": ent + "s", "col": col, "col2": col2, "n": str(n)}
        code, needs = block.render(names)
        if not set(needs) <= imports or (block.logger and not logger):
            imports.update(needs)
            logger = logger or block.logger
            header_len = len(_header(target, seed, imports, logger))
        body += ["", ""] + code.split("\n")
        n += 1
    return "\n".join(_header(target, seed, imports, logger) + body) + "\n"


def _sizes(text: str) -> List[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated line counts, got {text!r}")
    if not sizes or min(sizes) < 50:
        raise argparse.ArgumentTypeError("line counts must be at least 50")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("outdir", type=Path, help="directory to write scale_<N>.py into")
    parser.add_argument(
        "--lines",
        type=_sizes,
        default=[1000, 10000, 100000],
        help="comma-separated target sizes (default 1000,10000,100000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--pyflakes", action="store_true", help="also run 'python -m pyflakes' on each module and fail on any message"
    )
    args = parser.parse_args(argv)

    args.outdir.mkdir(parents=True, exist_ok=True)
    status = 0
    for size in args.lines:
        source = generate(size, args.seed)
        path = args.outdir / f"scale_{size}.py"
        try:
            ast.parse(source, filename=str(path))
        except SyntaxError as exc:  # a template bug; keep the file for inspection
            print(f"{path}: generated code does not parse: {exc}", file=sys.stderr)
            status = 1
        path.write_text(source, encoding="utf-8")
        print(f"{path}: {source.count(chr(10))} lines")
        if args.pyflakes:
            proc = subprocess.run([sys.executable, "-m", "pyflakes", str(path)], capture_output=True, text=True)
            if proc.returncode or proc.stdout.strip() or proc.stderr.strip():
                print(proc.stdout + proc.stderr, end="", file=sys.stderr)
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
