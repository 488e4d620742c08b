#!/usr/bin/env python3
# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""dbmaint: small maintenance CLI for the shop's MySQL databases (pymysql, MySQLdb)."""
import argparse
import csv
import os
import string
import sys

import MySQLdb
import pymysql

AUDIT_TABLE = "ops_audit_log"
EXPORT_LIMIT = 10000
USER_QUERY = "SELECT id, email, created_at FROM users WHERE email = %s"
PURGE_TEMPLATE = string.Template("DELETE FROM $table WHERE created_at < '$cutoff'")


def connect(args):
    return pymysql.connect(
        host=args.host,
        user=args.user,
        password=os.environ.get("DBMAINT_PASSWORD", ""),
        database=args.database,
        charset="utf8mb4",
    )


def list_tables(cur):
    cur.execute("SHOW TABLES")
    return {row[0] for row in cur.fetchall()}


def cmd_optimize(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute("OPTIMIZE TABLE %s" % args.table)  # expect: SQL101
        print(cur.fetchall())


def cmd_optimize_checked(args):
    conn = connect(args)
    with conn.cursor() as cur:
        if args.table not in list_tables(cur):
            sys.exit(f"unknown table {args.table!r}; select one of the existing tables")  # ok: SQL102
        cur.execute(f"OPTIMIZE TABLE `{args.table}`")  # ok: SQL101
        print(cur.fetchall())


def cmd_find_user(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute("SELECT id, email, created_at FROM users WHERE email = '%s'" % args.email)  # expect: SQL101
        for row in cur.fetchall():
            print(*row, sep="\t")


def cmd_find_user_safe(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute(USER_QUERY, (args.email,))  # ok: SQL101
        for row in cur.fetchall():
            print(*row, sep="\t")


def cmd_find_user_escaped(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute("SELECT id, email FROM users WHERE email = %s" % conn.escape(args.email))  # ok: SQL101
        print(cur.fetchall())


def cmd_export(args):
    conn = connect(args)
    sql = "SELECT * FROM %s" % args.table
    if args.since:
        sql += " WHERE updated_at >= '%s'" % args.since
    sql += " LIMIT %d" % EXPORT_LIMIT
    with conn.cursor() as cur, open(args.output, "w", newline="") as fh:
        cur.execute(sql)  # expect: SQL101
        writer = csv.writer(fh)
        writer.writerow([d[0] for d in cur.description])
        writer.writerows(cur.fetchall())


def cmd_export_checked(args):
    conn = connect(args)
    with conn.cursor() as cur, open(args.output, "w", newline="") as fh:
        if args.table not in list_tables(cur):
            raise SystemExit("no such table")
        sql = "SELECT * FROM `%s` WHERE updated_at >= %%s LIMIT %d" % (args.table, args.limit)
        cur.execute(sql, (args.since or "1970-01-01",))  # ok: SQL101
        csv.writer(fh).writerows(cur.fetchall())


def cmd_grant(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute(f"GRANT SELECT ON {args.database}.* TO '{args.grantee}'@'%'")  # expect: SQL101
        cur.execute("INSERT INTO " + AUDIT_TABLE + " (actor, action) VALUES (%s, %s)", (args.user, "grant"))  # ok: SQL101
    conn.commit()


def cmd_create_user(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute("CREATE USER %s@%s IDENTIFIED BY %s", (args.grantee, "%", os.environ["NEW_USER_SECRET"]))  # ok: SQL101
    conn.commit()


def cmd_purge(args):
    answer = input(f"Really DELETE FROM {args.table} rows older than {args.before}? [y/N] ")  # ok: SQL102
    if answer.lower() != "y":
        return
    conn = connect(args)
    with conn.cursor() as cur:
        cur.execute(PURGE_TEMPLATE.substitute(table=args.table, cutoff=args.before))  # expect: SQL101
    conn.commit()


def cmd_kill(args):
    conn = MySQLdb.connect(host=args.host, user=args.user, passwd=os.environ.get("DBMAINT_PASSWORD", ""))
    cur = conn.cursor()
    cur.execute("SELECT id FROM information_schema.processlist WHERE user = %s AND time > %s", (args.victim, int(args.older_than)))  # ok: SQL101
    for (thread_id,) in cur.fetchall():
        cur.execute("KILL %d" % thread_id)  # ok: SQL101
    cur.execute("KILL QUERY " + args.thread)  # expect: SQL101


def cmd_stats(args):
    conn = MySQLdb.connect(host=args.host, user=args.user, passwd=os.environ.get("DBMAINT_PASSWORD", ""), db=args.database)
    cur = conn.cursor()
    cur.execute(  # expect: SQL101
        "SELECT table_name, table_rows FROM information_schema.tables "
        "WHERE table_schema = '{}' ORDER BY {} DESC".format(args.database, args.order)
    )
    for name, rows in cur.fetchall():
        print(f"{name:40} {rows}")


def cmd_archive(args):
    conn = connect(args)
    with conn.cursor() as cur:
        cur.callproc("archive_orders", (args.before,))  # ok: SQL101
        cur.execute("CALL archive_orders_for('" + args.shop + "')")  # expect: SQL101
    conn.commit()


def cmd_write_fixup(args):
    with open(args.output, "w") as fh:
        for email in args.emails:
            fh.write(f"UPDATE users SET email_verified = 1 WHERE email = '{email}';\n")  # expect: SQL102
        fh.write("-- generated by dbmaint; review before running\n")


def cmd_write_fixup_ids(args):
    with open(args.output, "w") as fh:
        for user_id in args.ids:
            fh.write("UPDATE users SET email_verified = 1 WHERE id = %d;\n" % int(user_id))  # ok: SQL102


def build_archive_query(shop, before):
    """Used by the cron wrapper, which runs the statement on the replica."""
    return "SELECT * FROM orders WHERE shop = '" + shop + "' AND created_at < '" + before + "'"  # expect: SQL102


def main(argv=None):
    parser = argparse.ArgumentParser(prog="dbmaint")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--user", default="maint")
    parser.add_argument("--database", default="shop")
    sub = parser.add_subparsers(dest="command", required=True)
    opt = sub.add_parser("optimize", help="run OPTIMIZE TABLE on one table")
    opt.add_argument("table")
    opt.set_defaults(func=cmd_optimize_checked)
    exp = sub.add_parser("export", help="select rows from a table into a CSV file")
    exp.add_argument("table")
    exp.add_argument("--since")
    exp.add_argument("--limit", type=int, default=EXPORT_LIMIT)
    exp.add_argument("--output", default="export.csv")
    exp.set_defaults(func=cmd_export_checked)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
