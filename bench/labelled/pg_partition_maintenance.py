# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""Postgres housekeeping jobs: partitions, vacuum, roles (psycopg2 and psycopg 3)."""
import datetime
import logging

import psycopg
import psycopg2
from psycopg import sql as pgsql
from psycopg2 import sql
from psycopg2.extensions import quote_ident
from psycopg2.extras import execute_batch

log = logging.getLogger("pg_maintenance")

PARENT_TABLE = "events"
READONLY_ROLE = "reporting_ro"
VACUUM_CANDIDATES_SQL = """
    SELECT schemaname, relname
    FROM pg_stat_user_tables
    WHERE n_dead_tup > %s
    ORDER BY n_dead_tup DESC
"""


def vacuum_table(conn, schema, table):
    with conn.cursor() as cur:
        cur.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(schema, table)))  # ok: SQL101


def vacuum_table_unsafe(conn, table):
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE %s" % table)  # expect: SQL101


def vacuum_candidates(conn, min_dead_tuples):
    with conn.cursor() as cur:
        cur.execute(VACUUM_CANDIDATES_SQL, (min_dead_tuples,))  # ok: SQL101
        return cur.fetchall()


def create_partition(conn, day):
    name = f"{PARENT_TABLE}_{day:%Y%m%d}"
    start, end = day, day + datetime.timedelta(days=1)
    query = sql.SQL("CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
        sql.Identifier(name), sql.Identifier(PARENT_TABLE), sql.Literal(start), sql.Literal(end)
    )
    with conn.cursor() as cur:
        cur.execute(query)  # ok: SQL101


def create_partition_unsafe(conn, parent, suffix, start, end):
    with conn.cursor() as cur:
        cur.execute(sql.SQL(f"CREATE TABLE IF NOT EXISTS {parent}_{suffix} PARTITION OF {parent} FOR VALUES FROM ('{start}') TO ('{end}')"))  # expect: SQL101


def partition_ddl(parent, day):
    """DDL for one daily partition; the deploy tool runs the returned text."""
    return f"CREATE TABLE {parent}_{day:%Y%m%d} PARTITION OF {parent} FOR VALUES FROM ('{day:%Y-%m-%d}') TO ('{day + datetime.timedelta(days=1):%Y-%m-%d}')"  # expect: SQL102


def partition_ddl_safe(day):
    return f"CREATE TABLE {PARENT_TABLE}_{day:%Y%m%d} PARTITION OF {PARENT_TABLE} FOR VALUES FROM ('{day:%Y-%m-%d}') TO ('{day + datetime.timedelta(days=1):%Y-%m-%d}')"  # ok: SQL102


def drop_old_partitions(conn, names):
    with conn.cursor() as cur:
        for name in names:
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))  # ok: SQL101
            log.info("DROP TABLE %s done", name)


def drop_partition_by_template(conn, name):
    template = "DROP TABLE IF EXISTS {table} CASCADE"
    with conn.cursor() as cur:
        cur.execute(template.replace("{table}", name))  # expect: SQL101


def grant_readonly(conn, role):
    with conn.cursor() as cur:
        cur.execute("GRANT USAGE ON SCHEMA reporting TO " + quote_ident(role, cur))  # ok: SQL101
        cur.execute("GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO " + role)  # expect: SQL101


def set_role(conn, role):
    with conn.cursor() as cur:
        cur.execute("SET ROLE %s" % role)  # expect: SQL101


def set_role_safe(conn, role):
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))  # ok: SQL101


def terminate_backends(conn, dbname):
    with conn.cursor() as cur:
        cur.execute(  # ok: SQL101
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (dbname,),
        )


def archive_rows(conn, table, ids):
    with conn.cursor() as cur:
        execute_batch(cur, "UPDATE %s SET archived = true WHERE id = %%s" % table, [(i,) for i in ids])  # expect: SQL101


def archive_events(conn, ids):
    with conn.cursor() as cur:
        execute_batch(cur, "UPDATE events SET archived = true WHERE id = %s", [(i,) for i in ids])  # ok: SQL101


def mogrified_insert(conn, rows):
    with conn.cursor() as cur:
        values = b",".join(cur.mogrify("(%s, %s)", (r["id"], r["payload"])) for r in rows)
        cur.execute(b"INSERT INTO events_inbox (id, payload) VALUES " + values)  # ok: SQL101


def export_table(conn, table, fh):
    with conn.cursor() as cur:
        cur.copy_expert(f"COPY {table} TO STDOUT WITH CSV HEADER", fh)  # expect: SQL101


def export_table_safe(conn, table, fh):
    with conn.cursor() as cur:
        cur.copy_expert(sql.SQL("COPY {} TO STDOUT WITH CSV HEADER").format(sql.Identifier(table)), fh)  # ok: SQL101


def limit_connections(dsn, role, limit):
    with psycopg.connect(dsn) as conn:
        conn.execute(f"ALTER ROLE {role} CONNECTION LIMIT {int(limit)}")  # expect: SQL101


def limit_connections_safe(dsn, role, limit):
    with psycopg.connect(dsn) as conn:
        conn.execute(pgsql.SQL("ALTER ROLE {} CONNECTION LIMIT {}").format(pgsql.Identifier(role), pgsql.Literal(int(limit))))  # ok: SQL101


def role_exists(dsn, role):
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is not None  # ok: SQL101


def role_members(dsn, role):
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cur:
            cur.execute(  # expect: SQL101
                "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = '{}'".format(role)
            )
            return [r[0] for r in cur.fetchall()]


def run_sql_file(dsn, statement):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(statement)  # expect: SQL104


def run_job(job):
    with psycopg2.connect(job.dsn) as conn, conn.cursor() as cur:
        cur.execute(job.sql, job.params)  # expect: SQL104


def rotate(conn, days):
    today = datetime.date.today()
    for offset in range(int(days)):
        create_partition(conn, today + datetime.timedelta(days=offset))
    log.info("created %d partitions of %s; delete from the old ones is scheduled", int(days), PARENT_TABLE)
    return f"Rotated {PARENT_TABLE}: insert into the new partitions starts {today}"  # ok: SQL102
