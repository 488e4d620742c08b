"""Annotated cases for the raw SQL checks: SQL101, SQL102, SQL103 and SQL104.

This file is linted with every SQL code selected; it is never imported or run.

* A line whose trailing comment is ``expect:`` followed by codes separated by commas
  must produce exactly those findings.
* A line whose trailing comment is ``ok`` is a deliberate safe look-alike and must
  produce none.
* Every other line must produce no finding either.

SQL101/SQL103/SQL104 are reported on the line of the execution API's name, SQL102 on
the line of the interpolation. A statement built on one line and executed on another
is reported once, at the execution API.
"""
import html
import logging
import shlex
import sqlite3
import subprocess
import sys
from string import Template
from urllib.parse import quote

import aiomysql
import aiopg
import aiosqlite
import asyncpg
import cx_Oracle
import dataset
import duckdb
import MySQLdb
import mysql.connector
import oracledb
import pandas as pd
import peewee
import pg8000
import pg8000.native
import psycopg2
import pymssql
import pymysql
import pyodbc
import records
from airflow.models import BaseOperator
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.providers.postgres.hooks.postgres import PostgresHook
from alembic import op
from cassandra.cluster import Cluster
from clickhouse_driver import Client
from django.conf import settings as django_settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from flask import Flask, abort, flash, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from markupsafe import Markup
from psycopg2 import sql
from psycopg2.extras import execute_batch, execute_values
from pyspark.sql import SparkSession
import sqlalchemy
from oslo_config import cfg as oslo_cfg
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.dialects.mysql.base import MySQLDialect
from tortoise import Tortoise

from myapp.jobs import JobRunner, enqueue
from myapp.models import Article
from myapp.queries import load_query
from myapp.tenancy import load_tenants

logger = logging.getLogger(__name__)

DB_PATH = "app.db"
USERS_TABLE = "users"
AUDIT_TABLE = "audit_log"
ARTICLE_TABLE = "blog_article"
USER_COLUMNS = ("id", "name", "created_at")
BASE_QUERY = "SELECT id, name FROM users"
ACTIVE_FILTER = " WHERE active = 1"
REPORT_SQL = "SELECT * FROM __TABLE__ WHERE day = %s"
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, title TEXT);
"""
MONTHLY_SALES = """
    SELECT product_id, SUM(amount) AS total
    FROM sales
    WHERE region = %(region)s  -- bound by the driver
    GROUP BY product_id
"""

app = Flask(__name__)
db = SQLAlchemy(app)
engine = create_engine("postgresql://app@localhost/app")


# --- sqlite3 -------------------------------------------------------------------------


def find_user_by_name(name):
    conn = sqlite3.connect(DB_PATH)
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")  # expect: SQL101
    return cur.fetchone()


def find_user_by_name_safe(name):
    conn = sqlite3.connect(DB_PATH)
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))  # expect: SQL103
    return cur.fetchone()


@app.route("/search")
def search_posts():
    term = request.args.get("q", "")
    conn = sqlite3.connect(DB_PATH)
    query = "SELECT id, title FROM posts WHERE title LIKE '%" + term + "%'"
    rows = conn.execute(query).fetchall()  # expect: SQL101
    return jsonify(rows)


@app.route("/search/safe")
def search_posts_safe():
    term = request.args.get("q", "")
    conn = sqlite3.connect(DB_PATH)
    pattern = f"%{term}%"  # ok
    rows = conn.execute("SELECT id, title FROM posts WHERE title LIKE ?", (pattern,)).fetchall()  # expect: SQL103
    return jsonify(rows)


def search_posts_paged(conn: sqlite3.Connection, term, limit, offset):
    params = {"pattern": f"%{term}%"}  # ok
    query = "SELECT * FROM posts WHERE title LIKE :pattern LIMIT %d OFFSET %d" % (limit, offset)  # ok
    return conn.execute(query, params).fetchall()  # expect: SQL103


def import_scores(conn: sqlite3.Connection, source, rows):
    insert = f"INSERT INTO scores (player, score) VALUES (?, ?)"  # ok
    conn.executemany(insert, rows)  # expect: SQL103
    logger.info(f"Inserted {len(rows)} rows into scores from {source}")  # ok


def cached_user(cache, conn: sqlite3.Connection, uid):
    key = f"select:users:{uid}"  # ok
    row = cache.get(key)
    if row is None:
        row = conn.execute("SELECT * FROM users WHERE id = ?", (uid,)).fetchone()  # expect: SQL103
        cache.set(key, row)
    return row


def read_migration(version):
    filename = f"migrations/update_{version}.sql"  # ok
    with open(filename) as fh:
        return fh.read()


def delete_user(cur: sqlite3.Cursor, user_id: str) -> None:
    cur.execute("DELETE FROM users WHERE id = " + user_id)  # expect: SQL101


def report_column(pool, column):
    # an annotated assignment says what the name holds, as a parameter annotation does
    handle: sqlite3.Connection = pool.acquire()
    handle.executescript(f"SELECT {column} FROM reports")  # expect: SQL101


def archive_user(cur: sqlite3.Cursor, user_id) -> None:
    # str() of an unknown value is not a constant, whatever inference makes of it.
    cur.execute("UPDATE users SET archived = 1 WHERE id = " + str(user_id))  # expect: SQL101


def legacy_update(cur: sqlite3.Cursor, table, value):
    cur.execute(  # expect: SQL101
        "UPDATE %s SET value = '%s'" % (table, value)
    )


def get_page(cur: sqlite3.Cursor, page, size):
    query = f"SELECT id, name FROM users ORDER BY id LIMIT {int(size)} OFFSET {int(page)}"  # ok
    cur.execute(query)  # expect: SQL103
    return cur.fetchall()


def create_tables(conn: sqlite3.Connection, prefix):
    script = ""
    for name in ("users", "posts"):
        script += f"CREATE TABLE IF NOT EXISTS {prefix}_{name} (id INTEGER PRIMARY KEY);\n"
    conn.executescript(script)  # expect: SQL101


def create_schema(conn: sqlite3.Connection):
    conn.executescript(SCHEMA)  # expect: SQL103


def bulk_insert(conn: sqlite3.Connection, table, rows):
    conn.executemany(f"INSERT INTO {table} (name, age) VALUES (?, ?)", rows)  # expect: SQL101


def bulk_insert_users(conn: sqlite3.Connection, rows):
    statement = f"INSERT INTO {USERS_TABLE} (name, age) VALUES (?, ?)"  # ok
    conn.executemany(statement, rows)  # expect: SQL103


def users_by_ids(conn: sqlite3.Connection, ids):
    placeholders = ",".join("?" * len(ids))  # ok
    query = f"SELECT * FROM users WHERE id IN ({placeholders})"  # ok
    return conn.execute(query, ids).fetchall()  # expect: SQL103


def users_by_ids_generator(conn: sqlite3.Connection, ids):
    marks = ",".join("?" for _ in ids)  # ok
    query = "SELECT * FROM users WHERE id IN (" + marks + ")"  # ok
    return conn.execute(query, list(ids)).fetchall()  # expect: SQL103


def users_by_names(conn: sqlite3.Connection, names):
    in_list = ", ".join(f"'{n}'" for n in names)
    return conn.execute(f"SELECT * FROM users WHERE name IN ({in_list})").fetchall()  # expect: SQL101


def active_users(conn: sqlite3.Connection):
    query = BASE_QUERY + ACTIVE_FILTER + " ORDER BY name"  # ok
    return conn.execute(query).fetchall()  # expect: SQL103


def count_users(conn: sqlite3.Connection, table):
    query = f"SELECT COUNT(*) FROM {table}"  # ok
    logger.debug("table %s requested, counting users instead: %s", table, query)
    query = "SELECT COUNT(*) FROM users"
    return conn.execute(query).fetchone()[0]  # expect: SQL103


def lookup(conn: sqlite3.Connection, key, value):
    if key == "id":
        query = "SELECT * FROM users WHERE id = ?"
    else:
        query = f"SELECT * FROM users WHERE {key} = ?"
    return conn.execute(query, (value,)).fetchall()  # expect: SQL101


def region_report(conn: sqlite3.Connection, region):
    conn.execute(query := f"SELECT SUM(total) FROM orders WHERE region = '{region}'")  # expect: SQL101
    logger.debug("report query: %s", query)


def make_counter(db_path):
    conn = sqlite3.connect(db_path)

    def count(table):
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # expect: SQL101

    return count


def make_lookup(conn: sqlite3.Connection):
    return lambda name: conn.execute(f"SELECT id FROM users WHERE name = '{name}'").fetchone()  # expect: SQL101


def build_scores(cur: sqlite3.Cursor, rows):
    query = "INSERT INTO scores (player, score) VALUES "
    values = []
    for player, score in rows:
        values.append(f"('{player}', {score})")
    query += ", ".join(values)
    cur.execute(query)  # expect: SQL101


def build_scores_safe(cur: sqlite3.Cursor, rows):
    row_marks = ", ".join(["(?, ?)"] * len(rows))  # ok
    flat = [value for row in rows for value in row]
    cur.execute("INSERT INTO scores (player, score) VALUES " + row_marks, flat)  # expect: SQL103


def posts_in_order(cur, newest_first):
    direction = "DESC" if newest_first else "ASC"
    query = f"SELECT * FROM posts ORDER BY created_at {direction}"  # ok
    cur.execute(query)  # expect: SQL103


def find_legacy(cur, name):
    cur.execute("SELECT * FROM legacy_users WHERE login = '%s'" % name)  # expect: SQL101


def recent_events(cur: sqlite3.Cursor, limit, batch, ids):
    by_limit = "SELECT * FROM events ORDER BY id DESC LIMIT %d" % limit  # ok
    cur.execute(by_limit)  # expect: SQL103
    by_batch = f"SELECT * FROM events WHERE batch = {batch:d}"  # ok
    cur.execute(by_batch)  # expect: SQL103
    sized = f"SELECT * FROM events ORDER BY id LIMIT {len(ids)}"  # ok
    cur.execute(sized)  # expect: SQL103


class AuditLog:
    TABLE = "audit_log"
    base_query = "SELECT actor, kind FROM audit_log"

    def __init__(self, path):
        self.conn = sqlite3.connect(path)
        self.kind = "login"

    def record(self, actor):
        query = f"INSERT INTO {self.TABLE} (actor, kind) VALUES (?, ?)"  # ok
        self.conn.execute(query, (actor, self.kind))  # expect: SQL103

    def record_unsafe(self, actor):
        self.conn.execute(f"INSERT INTO {self.TABLE} (actor, kind) VALUES ('{actor}', '{self.kind}')")  # expect: SQL101

    def entries(self):
        return self.conn.execute(self.base_query).fetchall()  # expect: SQL103


# --- psycopg2 ------------------------------------------------------------------------


class UserRepository:
    table = "users"

    def __init__(self, dsn):
        self.conn = psycopg2.connect(dsn)
        self.cursor = self.conn.cursor()
        self.queries = {}

    def by_email(self, email):
        self.cursor.execute("SELECT * FROM users WHERE email = '%s'" % email)  # expect: SQL101
        return self.cursor.fetchone()

    def by_email_safe(self, email):
        self.cursor.execute("SELECT * FROM users WHERE email = %s", (email,))  # expect: SQL103
        return self.cursor.fetchone()

    def count(self):
        query = f"SELECT COUNT(*) FROM {self.table}"  # ok
        self.cursor.execute(query)  # expect: SQL103
        return self.cursor.fetchone()[0]

    def rename(self, user_id, new_name):
        with self.conn.cursor() as cur:
            cur.execute("UPDATE users SET name = '{}' WHERE id = {}".format(new_name, user_id))  # expect: SQL101

    def search(self, filters):
        query = "SELECT * FROM users WHERE 1 = 1"
        for column, value in filters.items():
            query += f" AND {column} = %s"
        with self.conn.cursor() as cur:
            cur.execute(query, list(filters.values()))  # expect: SQL101
            return cur.fetchall()

    def remember(self, status):
        self.queries["by_status"] = f"SELECT * FROM users WHERE status = '{status}'"  # expect: SQL102

    def schedule_logout(self, user_id):
        self.pending_sql = "DELETE FROM sessions WHERE user_id = %s" % user_id  # expect: SQL102

    def schedule_logout_safe(self, user_id):
        self.pending = ("DELETE FROM sessions WHERE user_id = %s", (user_id,))  # ok


def invoices_for(cur: psycopg2.extensions.cursor, customer):
    cur.execute("SELECT * FROM invoices WHERE customer = '%(c)s'" % {"c": customer})  # expect: SQL101


def rows_from(conn: psycopg2.extensions.connection, table_name, row_id):
    query = sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table_name))  # ok
    with conn.cursor() as cur:
        cur.execute(query, (row_id,))  # expect: SQL103
        return cur.fetchone()


def rows_from_misused(conn: psycopg2.extensions.connection, table_name):
    with conn.cursor() as cur:
        cur.execute(sql.SQL(f"SELECT * FROM {table_name}"))  # expect: SQL101


def preview_update(cur: psycopg2.extensions.cursor, column, value):
    return cur.mogrify(f"UPDATE settings SET {column} = %s", (value,))  # expect: SQL101


def preview_update_safe(cur: psycopg2.extensions.cursor, value):
    return cur.mogrify("UPDATE settings SET theme = %s", (value,))  # expect: SQL103


def find_by_name_bytes(cur: psycopg2.extensions.cursor, name: bytes):
    cur.execute(b"SELECT id FROM users WHERE name = '" + name + b"'")  # expect: SQL101
    cur.execute(b"SELECT id FROM users WHERE name = %s", (name,))  # expect: SQL103


def copy_rows(conn: psycopg2.extensions.connection, table, rows):
    with conn.cursor() as cur:
        execute_values(cur, f"INSERT INTO {table} (id, name) VALUES %s", rows)  # expect: SQL101
        execute_values(cur, "INSERT INTO archive (id, name) VALUES %s", rows)  # expect: SQL103
        execute_batch(cur, "UPDATE %s SET seen = true WHERE id = %%s" % table, rows)  # expect: SQL101
        execute_batch(cur, "UPDATE users SET name = %s WHERE id = %s", rows)  # expect: SQL103


def monthly_sales(cur: psycopg2.extensions.cursor, region, month):
    query = f"""
        SELECT product_id, SUM(amount) AS total
        FROM sales
        -- one region only
        WHERE region = '{region}'
          AND date_trunc('month', sold_at) = %s
        GROUP BY product_id
    """
    cur.execute(query, (month,))  # expect: SQL101


def monthly_sales_safe(cur, region):
    cur.execute(MONTHLY_SALES, {"region": region})  # expect: SQL103


def purge(cur: psycopg2.extensions.cursor, table, days):
    stmt = Template("DELETE FROM $table WHERE created_at < now() - interval '$days days'").substitute(table=table, days=days)
    cur.execute(stmt)  # expect: SQL101


def purge_users(cur: psycopg2.extensions.cursor, days):
    stmt = Template("DELETE FROM $table WHERE created_at < now() - %s * interval '1 day'").substitute(table=USERS_TABLE)  # ok
    cur.execute(stmt, (days,))  # expect: SQL103


def daily_report(cur: psycopg2.extensions.cursor, table, day):
    cur.execute(REPORT_SQL.replace("__TABLE__", table), (day,))  # expect: SQL101


def daily_audit_report(cur: psycopg2.extensions.cursor, day):
    query = REPORT_SQL.replace("__TABLE__", AUDIT_TABLE)  # ok
    cur.execute(query, (day,))  # expect: SQL103


def fetch_partition(cur: psycopg2.extensions.cursor, params):
    cur.execute("SELECT * FROM events_{year}_{month}".format_map(params))  # expect: SQL101


def fetch_users_formatted(cur: psycopg2.extensions.cursor, user_id):
    query = "SELECT * FROM {table} WHERE id = %s".format(table=USERS_TABLE)  # ok
    cur.execute(query, (user_id,))  # expect: SQL103


def export_columns(cur: psycopg2.extensions.cursor, columns):
    cols = ", ".join(columns)
    cur.execute(f"SELECT {cols} FROM users")  # expect: SQL101


def export_default_columns(cur: psycopg2.extensions.cursor):
    cols = ", ".join(USER_COLUMNS)  # ok
    cur.execute(f"SELECT {cols} FROM users")  # expect: SQL103


def users_in(cur: psycopg2.extensions.cursor, ids):
    query = "SELECT * FROM users WHERE id IN (%s)" % ", ".join(["%s"] * len(ids))  # ok
    cur.execute(query, tuple(ids))  # expect: SQL103


def users_by_name_composed(conn: psycopg2.extensions.connection, name):
    query = sql.SQL("SELECT * FROM users WHERE name = {}").format(sql.Literal(name))  # ok
    with conn.cursor() as cur:
        cur.execute(query)  # expect: SQL103
        return cur.fetchall()


# --- queries that leave the function (SQL102) and helpers that build safely ---------


def build_user_query(order_by):
    return f"SELECT id, name FROM users ORDER BY {order_by}"  # expect: SQL102


def build_delete(table, row_id):
    return "DELETE FROM %s WHERE id = %s" % (table, row_id)  # expect: SQL102


def build_projection(fields):
    return "SELECT " + ", ".join(fields) + " FROM users"  # expect: SQL102


def build_from_template(name):
    return Template("SELECT * FROM $table WHERE deleted = false").substitute(table=name)  # expect: SQL102


def build_profile_queries(user_id):
    return {
        "profile": f"SELECT * FROM profiles WHERE user_id = {user_id}",  # expect: SQL102
        "count": "SELECT COUNT(*) FROM profiles",
    }


build_table_scan = lambda table: f"SELECT * FROM {table}"  # expect: SQL102


def schedule_cleanup(days):
    enqueue("DELETE FROM sessions WHERE created_at < now() - interval '%s days'" % days)  # expect: SQL102


def queue_event(queue, kind):
    queue.put("INSERT INTO events (kind) VALUES ('" + kind + "')")  # expect: SQL102


def audit_trail(user):
    record_statement(f"DELETE FROM sessions WHERE user_name = '{user}'")  # expect: SQL102


def record_statement(statement):
    with open("statements.log", "a") as fh:
        fh.write(statement + "\n")


def build_balance_update(amount, account):
    sql_text = "UPDATE accounts SET balance = {} WHERE id = {}".format(amount, account)  # expect: SQL102
    return sql_text


def build_user_lookup():
    return f"SELECT * FROM {USERS_TABLE} WHERE id = ?"  # ok


def build_in_query(ids):
    return f"SELECT * FROM users WHERE id IN ({', '.join('?' for _ in ids)})"  # ok


def build_limited(limit):
    return "SELECT * FROM users LIMIT %d" % limit  # ok


def build_composed(table_name):
    return sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table_name))  # ok


def build_bound(name):
    return "SELECT * FROM users WHERE name = %s", (name,)  # ok


def build_insert_composed(table_name, columns):
    return sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(  # ok
        sql.Identifier(table_name),
        sql.SQL(", ").join(map(sql.Identifier, columns)),  # ok
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),  # ok
    )


def build_page(limit, offset):
    return "SELECT * FROM users ORDER BY id LIMIT {} OFFSET {}".format(int(limit), int(offset))  # ok


def build_constant_parts():
    return "SELECT id FROM users" + " WHERE active = 1" + " ORDER BY id"  # ok


# --- SQL of unknown origin (SQL104) -------------------------------------------------


def run_sql(cur: sqlite3.Cursor, query: str, params=()):
    cur.execute(query, params)  # expect: SQL104
    return cur.fetchall()


def run_plain(cur, statement):
    cur.execute(statement)  # expect: SQL104


def run_job(cur: sqlite3.Cursor, job):
    cur.execute(job.sql)  # expect: SQL104


def run_named(cur: sqlite3.Cursor, name):
    cur.execute(load_query(name))  # expect: SQL104


class Migrator:
    def __init__(self, dsn):
        self.conn = psycopg2.connect(dsn)

    def apply(self, statement):
        with self.conn.cursor() as cur:
            cur.execute(statement)  # expect: SQL104


async def pg_passthrough(conn: asyncpg.Connection, stmt, *args):
    return await conn.fetch(stmt, *args)  # expect: SQL104


def frame_from(query, con):
    return pd.read_sql(query, con)  # expect: SQL104


# --- asyncpg -------------------------------------------------------------------------


async def get_orders(dsn, customer_id):
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(f"SELECT * FROM orders WHERE customer_id = {customer_id}")  # expect: SQL101
        one = await conn.fetchrow("SELECT * FROM customers WHERE id = $1", customer_id)  # expect: SQL103
        return rows, one
    finally:
        await conn.close()


async def set_status(pool: asyncpg.Pool, table, status):
    async with pool.acquire() as conn:
        await conn.execute("UPDATE " + table + " SET status = $1", status)  # expect: SQL101
        count_sql = f"SELECT COUNT(*) FROM {USERS_TABLE} WHERE status = $1"  # ok
        return await conn.fetchval(count_sql, status)  # expect: SQL103


async def users_by_ids_pg(conn: asyncpg.Connection, ids):
    marks = ", ".join(f"${i:d}" for i in range(1, len(ids) + 1))  # ok
    query = f"SELECT * FROM users WHERE id IN ({marks})"  # ok
    return await conn.fetch(query, *ids)  # expect: SQL103


async def prepare_lookup(conn: asyncpg.Connection, column):
    return await conn.prepare(f"SELECT {column} FROM users WHERE id = $1")  # expect: SQL101


async def export_table(conn: asyncpg.Connection, table, rows):
    await conn.copy_from_query(f"SELECT * FROM {table}", output="export.csv", format="csv")  # expect: SQL101
    await conn.executemany("INSERT INTO exports (name) VALUES ($1)", rows)  # expect: SQL103


async def stream_table(conn: asyncpg.Connection, table):
    async with conn.transaction():
        async for record in conn.cursor(f"SELECT * FROM {table}"):  # expect: SQL101
            yield record


# --- aiosqlite, aiopg, aiomysql ---------------------------------------------------


async def aio_lookup(path, name):
    async with aiosqlite.connect(path) as adb:
        async with adb.execute(f"SELECT id FROM users WHERE name = '{name}'") as cursor:  # expect: SQL101
            return await cursor.fetchone()


async def aio_lookup_safe(path, name):
    async with aiosqlite.connect(path) as adb:
        async with adb.execute("SELECT id FROM users WHERE name = ?", (name,)) as cursor:  # expect: SQL103
            return await cursor.fetchone()


async def aiopg_touch(dsn, table):
    async with aiopg.create_pool(dsn) as pool:
        async with pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.execute(f"UPDATE {table} SET touched_at = now()")  # expect: SQL101
                await cur.execute("SELECT touched_at FROM users WHERE id = %s", (1,))  # expect: SQL103


async def aiomysql_find(name):
    conn = await aiomysql.connect(host="localhost", db="shop")
    async with conn.cursor() as cur:
        await cur.execute("SELECT * FROM products WHERE name = '%s'" % name)  # expect: SQL101
        await cur.execute("SELECT * FROM products WHERE name = %s", (name,))  # expect: SQL103
        return await cur.fetchall()


# --- MySQL drivers -------------------------------------------------------------------


class ProductStore:
    def __init__(self):
        self.conn = pymysql.connect(host="localhost", user="shop", database="shop")

    def price_of(self, sku):
        with self.conn.cursor() as cursor:
            cursor.execute("SELECT price FROM products WHERE sku = '" + sku + "'")  # expect: SQL101
            return cursor.fetchone()

    def price_of_safe(self, sku):
        with self.conn.cursor() as cursor:
            cursor.execute("SELECT price FROM products WHERE sku = %s", (sku,))  # expect: SQL103
            return cursor.fetchone()

    def run_report(self, period):
        with self.conn.cursor() as cursor:
            cursor.callproc(f"report_{period}")  # expect: SQL101


def prices_for(skus):
    conn = pymysql.connect(host="localhost", user="shop", database="shop")
    placeholders = ", ".join(["%s"] * len(skus))  # ok
    query = "SELECT sku, price FROM products WHERE sku IN (%s)" % placeholders  # ok
    with conn.cursor() as cursor:
        cursor.execute(query, skus)  # expect: SQL103
        return cursor.fetchall()


def mysqldb_delete(item_id):
    mdb = MySQLdb.connect(host="localhost", db="inventory")
    c = mdb.cursor()
    c.execute("DELETE FROM items WHERE id = %s" % item_id)  # expect: SQL101
    c.execute("DELETE FROM items WHERE id = %s", (item_id,))  # expect: SQL103
    mdb.commit()


def connector_insert(name, city):
    cnx = mysql.connector.connect(user="app", database="crm")
    cursor = cnx.cursor()
    stmt = "INSERT INTO customers (name, city) VALUES ('{}', '{}')".format(name, city)
    cursor.execute(stmt)  # expect: SQL101
    cursor.execute("INSERT INTO customers (name, city) VALUES (%s, %s)", (name, city))  # expect: SQL103
    cnx.commit()


# --- ODBC, Oracle, SQL Server ------------------------------------------------------


def odbc_staff(conn_str, dept):
    cnxn = pyodbc.connect(conn_str)
    cursor = cnxn.cursor()
    cursor.execute("SELECT name FROM staff WHERE dept = '%s'" % dept)  # expect: SQL101
    cursor.execute("SELECT name FROM staff WHERE dept = ?", dept)  # expect: SQL103
    return cursor.fetchall()


def oracle_employee(emp_id):
    con = cx_Oracle.connect(user="hr", dsn="db.internal/orclpdb")
    cur = con.cursor()
    cur.execute(f"SELECT first_name FROM employees WHERE employee_id = {emp_id}")  # expect: SQL101
    cur.execute("SELECT first_name FROM employees WHERE employee_id = :id", id=emp_id)  # expect: SQL103
    return cur.fetchone()


def oracle_employees(ids):
    con = cx_Oracle.connect(user="hr", dsn="db.internal/orclpdb")
    binds = ", ".join(f":{i:d}" for i in range(1, len(ids) + 1))  # ok
    query = f"SELECT first_name FROM employees WHERE employee_id IN ({binds})"  # ok
    cur = con.cursor()
    cur.execute(query, ids)  # expect: SQL103
    return cur.fetchall()


def oracledb_department(dept):
    with oracledb.connect(user="hr", dsn="db.internal/orclpdb") as ora:
        with ora.cursor() as cursor:
            cursor.execute("SELECT * FROM departments WHERE name = '" + dept + "'")  # expect: SQL101
            cursor.execute("SELECT * FROM departments WHERE name = :name", {"name": dept})  # expect: SQL103
            return cursor.fetchall()


def odbc_staff_in(conn_str, depts):
    cnxn = pyodbc.connect(conn_str)
    query = "SELECT name FROM staff WHERE dept IN ({})".format(",".join("?" * len(depts)))  # ok
    return cnxn.execute(query, *depts).fetchall()  # expect: SQL103


def gather_stats_block(owner, table):
    """A PL/SQL block built for a job queue: a statement like any other."""
    return f"BEGIN DBMS_STATS.GATHER_TABLE_STATS('{owner}', '{table}'); END;"  # expect: SQL102


def purge_block(days):
    block = "BEGIN purge_sessions(:days); END;"  # ok
    return block, {"days": days}


def tsql_purge(days):
    return "EXEC dbo.purge_sessions @days = " + str(days)  # expect: SQL102


def mssql_orders(customer):
    conn = pymssql.connect(server="db.internal", user="app", database="orders")
    cursor = conn.cursor(as_dict=True)
    cursor.execute("SELECT * FROM orders WHERE customer = '%s'" % customer)  # expect: SQL101
    cursor.execute("SELECT * FROM orders WHERE customer = %s", customer)  # expect: SQL103
    return cursor.fetchall()


# --- analytical stores ---------------------------------------------------------------


def duck_summary(path, column):
    con = duckdb.connect(path)
    con.execute(f"SELECT {column}, COUNT(*) FROM events GROUP BY {column}")  # expect: SQL101
    return con.execute("SELECT COUNT(*) FROM events WHERE kind = ?", [column]).fetchone()  # expect: SQL103


def duck_sample(path, n):
    con = duckdb.connect(path)
    query = "SELECT * FROM events USING SAMPLE {} ROWS".format(int(n))  # ok
    return con.execute(query).fetchall()  # expect: SQL103


def clickhouse_hits(site):
    client = Client("clickhouse.internal")
    client.execute(f"SELECT count() FROM hits WHERE site = '{site}'")  # expect: SQL101
    return client.execute("SELECT count() FROM hits WHERE site = %(site)s", {"site": site})  # expect: SQL103


def cassandra_events(user_id):
    cluster = Cluster(["10.0.0.1"])
    cass = cluster.connect("analytics")
    cass.execute(f"SELECT * FROM events WHERE user_id = {user_id}")  # expect: SQL101
    return cass.execute("SELECT * FROM events WHERE user_id = %s", (user_id,))  # expect: SQL103


def spark_daily(day):
    spark = SparkSession.builder.appName("daily").getOrCreate()
    spark.sql(f"SELECT * FROM logs WHERE day = '{day}'").show()  # expect: SQL101
    spark.sql("SELECT * FROM logs WHERE day = :day", args={"day": day}).show()  # expect: SQL103


def load_prices(con, ticker):
    df = pd.read_sql(f"SELECT * FROM prices WHERE ticker = '{ticker}'", con)  # expect: SQL101
    same = pd.read_sql_query("SELECT * FROM prices WHERE ticker = %(t)s", con, params={"t": ticker})  # expect: SQL103
    df.to_sql(f"prices_{ticker}", con, if_exists="replace")  # ok
    return same


# --- SQLAlchemy and Flask-SQLAlchemy ------------------------------------------------


def sa_search(name):
    with engine.connect() as conn:
        conn.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))  # expect: SQL101
        conn.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name})  # expect: SQL103
        conn.exec_driver_sql("SELECT * FROM users WHERE name = '%s'" % name)  # expect: SQL101
        conn.exec_driver_sql("SELECT * FROM users WHERE name = %s", (name,))  # expect: SQL103


def sa_user(uid):
    stmt_text = f"SELECT * FROM {USERS_TABLE} WHERE id = :id"  # ok
    with engine.connect() as conn:
        return conn.execute(text(stmt_text), {"id": uid}).first()  # expect: SQL103


def sa_session_counts(session: Session, table):
    total = session.scalar(text("SELECT COUNT(*) FROM " + table))  # expect: SQL101
    names = session.scalars(text("SELECT name FROM users WHERE active = :a").bindparams(a=True)).all()  # expect: SQL103
    return total, names


def partition_statement(year):
    return text(f"SELECT * FROM events_{year}")  # expect: SQL101


@app.route("/users/<name>")
def flask_user(name):
    rows = db.session.execute(text(f"SELECT * FROM users WHERE name = '{name}'")).all()  # expect: SQL101
    same = db.session.execute(text("SELECT * FROM users WHERE name = :n"), {"n": name}).all()  # expect: SQL103
    return jsonify(rows=len(rows), same=len(same))


def flask_reindex(table):
    with db.engine.begin() as conn:
        conn.exec_driver_sql("REINDEX TABLE " + table)  # expect: SQL101
        conn.exec_driver_sql("REINDEX TABLE users")  # expect: SQL103


# --- Django --------------------------------------------------------------------------


def django_orders(request):
    status = request.GET.get("status")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, total FROM shop_order WHERE status = '{status}'")  # expect: SQL101
        cursor.execute("SELECT id, total FROM shop_order WHERE status = %s", [status])  # expect: SQL103
        return cursor.fetchall()


def django_article(author):
    raw_sql = f"SELECT * FROM {ARTICLE_TABLE} WHERE author = %s"  # ok
    orm = Article.objects.filter(author=author)  # ok
    return list(Article.objects.raw(raw_sql, [author])) + list(orm)  # expect: SQL103


def django_replica_count(table):
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM %s" % table)  # expect: SQL101
        return cursor.fetchone()[0]


def django_raw(author):
    unsafe = Article.objects.raw(f"SELECT * FROM blog_article WHERE author = '{author}'")  # expect: SQL101
    safe = Article.objects.raw("SELECT * FROM blog_article WHERE author = %s", [author])  # expect: SQL103
    return list(unsafe) + list(safe)


# --- peewee --------------------------------------------------------------------------

pw_db = peewee.SqliteDatabase("app.db")


class Account(peewee.Model):
    name = peewee.CharField()

    class Meta:
        database = pw_db


def peewee_accounts(name, sort):
    pw_db.execute_sql(f"UPDATE account SET name = '{name}' WHERE id = 1")  # expect: SQL101
    pw_db.execute_sql("UPDATE account SET name = ? WHERE id = 1", (name,))  # expect: SQL103
    unsafe = Account.raw("SELECT * FROM account ORDER BY %s" % sort)  # expect: SQL101
    safe = Account.raw("SELECT * FROM account WHERE name = ?", name)  # expect: SQL103
    native = Account.select().where(Account.name == name)  # ok
    partial = Account.select().where(Account.name.contains(name))  # ok
    return list(unsafe) + list(safe) + list(native) + list(partial)


# --- alembic migration ---------------------------------------------------------------

revision = "3f2a1c9b7d10"
down_revision = "1b9e77c0a4d2"


def upgrade():
    op.execute("UPDATE users SET active = true WHERE active IS NULL")  # expect: SQL103
    for tenant in load_tenants():
        op.execute(f"ALTER TABLE {tenant}.users ADD COLUMN verified boolean")  # expect: SQL101
        op.create_index(f"ix_{tenant}_users_verified", "users", ["verified"], schema=tenant)  # ok


def downgrade():
    op.execute("ALTER TABLE users DROP COLUMN verified")  # expect: SQL103


# --- Tortoise, records, dataset ----------------------------------------------------


async def tortoise_stats(table):
    conn = Tortoise.get_connection("default")
    rows = await conn.execute_query(f"SELECT COUNT(*) FROM {table}")  # expect: SQL101
    same = await conn.execute_query("SELECT COUNT(*) FROM users WHERE id > $1", [0])  # expect: SQL103
    await conn.execute_script("VACUUM ANALYZE " + table)  # expect: SQL101
    return rows, same


def records_customers(url, country):
    rdb = records.Database(url)
    rows = rdb.query(f"SELECT * FROM customers WHERE country = '{country}'")  # expect: SQL101
    safe = rdb.query("SELECT * FROM customers WHERE country = :country", country=country)  # expect: SQL103
    return rows.all(), safe.all()


def dataset_posts(url, tag):
    ddb = dataset.connect(url)
    result = ddb.query("SELECT * FROM posts WHERE tag = '" + tag + "'")  # expect: SQL101
    bound = ddb.query("SELECT * FROM posts WHERE tag = :tag", tag=tag)  # expect: SQL103
    rows = ddb["posts"].find(tag=tag)  # ok
    return list(result), list(bound), list(rows)


# --- look-alikes that are not SQL or never reach a database ------------------------


def run_jobs(n, name):
    runner = JobRunner()
    runner.execute(f"job-{n}")  # ok
    runner.execute(f"nightly-export-{name}")  # ok


class BackupTask:
    def __init__(self):
        self.runner = JobRunner()

    def run(self, name, day):
        self.runner.execute(f"backup --target {name} --day {day}")  # ok
        self.runner.execute("rotate-logs")  # ok


def dump_table(table_name, dbname):
    subprocess.run(["pg_dump", "--table", f"public.{table_name}", dbname], check=True)  # ok


def apply_migration_file(dbname, version):
    subprocess.run(["psql", "--dbname", dbname, "--file", f"migrations/{version}.sql"], check=True)  # ok


def notify_cart(n, name):
    logger.info(f"Deleted from the cart: {n} items")  # ok
    logger.info("select returned %d rows" % n)  # ok
    print(f"Could not update {name}")  # ok
    flash(f"Please select from the menu, {name}")  # ok
    flash(f"Update your profile, {name}")  # ok
    flash("Insert coin to continue, " + name)  # ok


def report_progress(table, n, name):
    logger.info(f"Inserted {n} rows into {table}")  # ok
    logger.warning(f"DELETE FROM {table} skipped: {n} rows are locked")  # ok
    message = f"Could not update {name}"  # ok
    flash(message)
    if n < 0:
        raise RuntimeError(f"INSERT INTO {table} failed after {n} attempts")  # ok


def selection_summary(names):
    return "Selected: " + ", ".join(names)  # ok


def greeting(name, shop):
    return Template("Hello $name, your order from $shop has shipped").substitute(name=name, shop=shop)  # ok


def slug(title):
    return title.lower().replace(" ", "-")  # ok


def cart_message(n):
    return f"Deleted from the cart: {n} items"  # ok


def profile_message(name):
    return f"Update your profile, {name}"  # ok


def debug_statement(table, uid):
    logger.debug(f"SELECT * FROM {table} WHERE id = {uid}")  # ok
    print("about to run: SELECT * FROM %s" % table)  # ok


def refuse(table, name):
    if not name:
        raise ValueError(f"Could not delete from {table}: row is locked")  # ok
    raise LookupError("SELECT * FROM {} returned nothing".format(table))  # ok


# --- tables named with English words: a statement's shape, not its words, decides -----


def lookup_in_it(v):
    send_to_worker(f"SELECT id, name FROM it WHERE x = '{v}'")  # expect: SQL102


def touch_it(v):
    return f"UPDATE it SET a = 1 WHERE id = {v}"  # expect: SQL102


def purge_the(v):
    q = f"DELETE FROM the WHERE id = {v}"  # expect: SQL102
    return q


def fill_this(v):
    return f"INSERT INTO this (a, b) VALUES ({v}, 1)"  # expect: SQL102


def select_one_message(item):
    return f"Select one from the list, {item}"  # ok


def where_you_like(place):
    return f"select all from the list where you like: {place}"  # ok


# --- methods and class attributes inherited from a class of the file ------------------


class SqliteStore:
    table = "events"

    def __init__(self, path):
        self.conn = sqlite3.connect(path)

    def run(self, statement):
        return self.conn.execute(statement)  # expect: SQL104


class EventStore(SqliteStore):
    def by_kind(self, kind):
        return self.run(f"SELECT * FROM events WHERE kind = '{kind}'")  # expect: SQL101

    def count(self):
        return self.run(f"SELECT COUNT(*) FROM {self.table}")  # expect: SQL103


# --- conditions made of constants: the dead branch gives nothing ----------------------


def dead_branch(cur, name):
    num = 86
    if 7 * 42 - num > 200:
        query = "SELECT * FROM users WHERE name = ?"
    else:
        query = f"SELECT * FROM users WHERE name = '{name}'"  # ok
    cur.execute(query, (name,))  # expect: SQL103


def live_branch(cur, name):
    num = 106
    if 7 * 42 - num > 200:
        query = "SELECT * FROM users WHERE name = ?"
    else:
        query = f"SELECT * FROM users WHERE name = '{name}'"
    cur.execute(query)  # expect: SQL101


def dead_alternative(cur, name):
    query = f"SELECT * FROM t WHERE n = '{name}'" if 2 > 3 else "SELECT * FROM t WHERE n = ?"
    cur.execute(query, (name,))  # expect: SQL103


def flag_from_a_loop(cur, rows, name):
    # a name set in a loop may hold more than its first pass shows: never folded there
    done = False
    for row in rows:
        if done:
            cur.execute(f"DELETE FROM t WHERE n = '{name}'")  # expect: SQL101
        done = True


# --- helpers of the file: what they return is followed ---------------------------------


def placeholders(n):
    return ", ".join("?" * n)


def by_column(column):
    return f"SELECT * FROM users WHERE {column} = ?"


def open_cursor():
    return sqlite3.connect("app.db").cursor()


def users_by_ids(ids, column, name):
    cur = open_cursor()
    cur.execute(f"SELECT * FROM users WHERE id IN ({placeholders(len(ids))})", ids)  # expect: SQL103
    cur.execute(f"SELECT * FROM users WHERE id IN ({('?, ' * len(ids))[:-2]})", ids)  # expect: SQL103
    cur.execute(by_column("email"), (name,))  # expect: SQL103
    cur.execute(by_column(column), (name,))  # expect: SQL101


class ReportStore:
    def __init__(self):
        self.conn = sqlite3.connect("reports.db")

    def _build_query(self, table):
        return f"SELECT * FROM {table}"

    def rows(self, table):
        query = self._build_query(table)
        return self.conn.execute(query).fetchall()  # expect: SQL101

    def users(self):
        return self.conn.execute(self._build_query("users")).fetchall()  # expect: SQL103


# --- request data as the whole statement (SQL105) --------------------------------------


def run_report():
    conn = sqlite3.connect("reports.db")
    return conn.execute(request.args["query"]).fetchall()  # expect: SQL105


def run_saved_statement():
    statement = request.form.get("statement")
    conn = sqlite3.connect("reports.db")
    return conn.execute(statement).fetchall()  # expect: SQL105


def console_view(request):
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(request.POST.get("sql", ""))  # expect: SQL105
    cur.execute("SELECT * FROM notes WHERE title = ?", (request.POST.get("title", ""),))  # expect: SQL103


def run_script():
    sqlite3.connect("app.db").executescript(sys.argv[1])  # expect: SQL105


def pg8000_native_report(age):
    # pg8000's native interface runs SQL with run(), not a cursor's execute()
    conn = pg8000.native.Connection("postgres", password="secret")
    conn.run("SELECT name FROM users WHERE age = " + age)  # expect: SQL101
    conn.run("SELECT name FROM users WHERE age = :age", age=age)  # expect: SQL103


def pg8000_legacy_report(age):
    conn = pg8000.connect(user="postgres", password="secret")
    conn.run("SELECT name FROM users WHERE age = %s" % age)  # expect: SQL101
    conn.cursor().execute("SELECT name FROM users WHERE age = %s", (age,))  # expect: SQL103


# --- allow-lists checked for every element, or with a default ---------------------

REPORT_COLUMNS = frozenset({"region", "total", "month"})


def report_columns(conn):
    wanted = request.args.getlist("column")
    if not all(column in REPORT_COLUMNS for column in wanted):
        abort(400)
    return conn.execute(f"SELECT {', '.join(wanted)} FROM sales").fetchall()  # expect: SQL103


def report_columns_any(conn):
    wanted = request.args.getlist("column")
    if any(column not in REPORT_COLUMNS for column in wanted):
        raise ValueError("unknown column")
    return conn.execute(f"SELECT {', '.join(wanted)} FROM sales").fetchall()  # expect: SQL103


def report_columns_subset(conn):
    wanted = request.args.getlist("column")
    if not set(wanted) <= REPORT_COLUMNS:
        raise ValueError("unknown column")
    return conn.execute(f"SELECT {', '.join(wanted)} FROM sales").fetchall()  # expect: SQL103


def report_columns_backwards(conn):
    wanted = request.args.getlist("column")
    if not all(column in wanted for column in REPORT_COLUMNS):
        # checks the allow-list against the request, not the request against it
        raise ValueError("missing column")
    return conn.execute(f"SELECT {', '.join(wanted)} FROM sales").fetchall()  # expect: SQL101


def report_order(conn):
    order = request.args.get("order", "month")
    order = order if order in REPORT_COLUMNS else "month"
    return conn.execute(f"SELECT * FROM sales ORDER BY {order}").fetchall()  # expect: SQL103


# --- escaping made for another language is no SQL escaping ---------------------------


def escaped_for_html(cur):
    name = request.args["name"]
    cur.execute(f"SELECT * FROM users WHERE name = '{html.escape(name)}'")  # expect: SQL101
    cur.execute(f"SELECT * FROM users WHERE name = '{quote(name)}'")  # expect: SQL101
    cur.execute(f"SELECT * FROM users WHERE name = '{shlex.quote(name)}'")  # expect: SQL101
    cur.execute(f"SELECT * FROM {psycopg2.extensions.quote_ident(name, cur)}")  # expect: SQL103


# --- text an ORM compiler wrote, and its quoting methods --------------------------------


class SchemaEditor:
    """Django-style schema editor: templates filled with quoted names, quoted values and
    the (sql, params) pairs its compiler returns."""

    sql_update_with_default = "UPDATE %(table)s SET %(column)s = %(default)s WHERE %(column)s IS NULL"
    sql_alter_table_comment = "COMMENT ON TABLE %(table)s IS %(comment)s"

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)  # expect: SQL104

    def quote_name(self, name):
        return self.connection.ops.quote_name(name)

    def quote_value(self, value):
        raise NotImplementedError("subclasses quote with the driver")

    def alter_table_comment(self, model, comment):
        self.execute(  # expect: SQL103
            self.sql_alter_table_comment
            % {"table": self.quote_name(model._meta.db_table), "comment": self.quote_value(comment)}
        )

    def update_with_default(self, model, field, compiler):
        default_sql, params = compiler.compile(field.db_default)
        self.execute(  # expect: SQL103
            self.sql_update_with_default
            % {"table": self.quote_name(model._meta.db_table), "column": self.quote_name(field.column), "default": default_sql},
            params,
        )

    def update_with_user_default(self, model, field, default):
        self.execute(  # expect: SQL101
            self.sql_update_with_default
            % {"table": self.quote_name(model._meta.db_table), "column": self.quote_name(field.column), "default": default},
        )


def compiled_where(compiler, cursor, node, table):
    where_sql, where_params = compiler.compile(node)
    cursor.execute(  # expect: SQL103
        f"SELECT * FROM {compiler.quote_name_unless_alias(table)} WHERE {where_sql}", where_params
    )


def pair_from_a_builder_of_the_file(cursor, user):
    sql, params = _user_query(user)
    cursor.execute(sql, params)  # expect: SQL101


def _user_query(user):
    return f"SELECT * FROM users WHERE name = '{user}'", []


# --- names a model declares, and names the database's catalog answers with ------------


class SpatialSchemaEditor(SchemaEditor):
    sql_drop_spatial_index = "DROP TABLE idx_%(table)s_%(column)s"
    sql_copy = "INSERT INTO %s (%s) SELECT %s FROM %s"
    sql_default = "ALTER TABLE %(table)s ALTER COLUMN %(column)s SET DEFAULT %(default)s"

    def remove_spatial_index(self, model, field):
        self.execute(  # expect: SQL103
            self.sql_drop_spatial_index % {"table": model._meta.db_table, "column": field.column}
        )

    def copy_through_table(self, old_field, new_field):
        self.execute(  # expect: SQL103
            self.sql_copy
            % (
                self.quote_name(new_field.remote_field.through._meta.db_table),
                ", ".join(["id", new_field.m2m_column_name(), new_field.m2m_reverse_name()]),
                ", ".join(["id", old_field.m2m_column_name(), old_field.m2m_reverse_name()]),
                self.quote_name(old_field.remote_field.through._meta.db_table),
            )
        )

    def set_literal_default(self, model, field, default):
        self.execute(  # expect: SQL103
            self.sql_default
            % {
                "table": self.quote_name(model._meta.db_table),
                "column": self.quote_name(field.column),
                "default": self.prepare_default(default),
            }
        )

    def drop_by_name(self, table, column):
        self.execute(self.sql_drop_spatial_index % {"table": table, "column": column})  # expect: SQL101


def check_constraints(connection):
    with connection.cursor() as cursor:
        for table_name in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table_name)
            for column_name, (referenced_column, referenced_table) in relations.items():
                cursor.execute(  # expect: SQL103
                    "SELECT `%s` FROM `%s` LEFT JOIN `%s` ON `%s` = `%s`"
                    % (column_name, table_name, referenced_table, column_name, referenced_column)
                )


def count_every_table(engine):
    inspector = sqlalchemy.inspect(engine)
    with engine.connect() as connection:
        for name in inspector.get_table_names():
            connection.exec_driver_sql(f'SELECT count(*) FROM "{name}"')  # expect: SQL103


def count_tables_named(engine, names):
    with engine.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'SELECT count(*) FROM "{name}"')  # expect: SQL101


# --- private helpers judged by what the module passes them -----------------------------


class PostGISOperations:
    """A helper that puts its parameter into the statement, called only with constants."""

    def __init__(self, connection):
        self.connection = connection

    def _get_postgis_func(self, func):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT %s()" % func)  # expect: SQL103
            return cursor.fetchone()[0]

    def postgis_lib_version(self):
        return self._get_postgis_func("postgis_lib_version")

    def postgis_geos_version(self):
        return self._get_postgis_func("postgis_geos_version")


class ReportQueries:
    """The same helper, once called with a value of unknown origin."""

    def __init__(self, connection):
        self.connection = connection

    def _count(self, table):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM %s" % table)  # expect: SQL101
            return cursor.fetchone()[0]

    def users(self):
        return self._count("users")

    def any_table(self, table):
        return self._count(table)


class OrphanHelper:
    """No call in the module: its callers are not in sight, so the text is judged here."""

    def _run_function(self, cursor, func):
        cursor.execute("SELECT %s()" % func)  # expect: SQL101


class TestDatabaseCreation:
    """Methods returning constant text, and a dict of quoted and constant parts."""

    def __init__(self, connection):
        self.connection = connection

    def sql_table_creation_suffix(self):
        return ""

    def _execute_create_test_db(self, cursor, parameters):
        cursor.execute("CREATE DATABASE %(dbname)s %(suffix)s" % parameters)  # expect: SQL103

    def create_test_db(self, cursor, name):
        test_db_params = {
            "dbname": self.connection.ops.quote_name(name),
            "suffix": self.sql_table_creation_suffix(),
        }
        cursor.execute("DROP DATABASE IF EXISTS %(dbname)s" % test_db_params)  # expect: SQL103
        self._execute_create_test_db(cursor, test_db_params)


class ColumnSQL:
    """A generator's yields joined into the statement."""

    def __init__(self, connection):
        self.connection = connection

    def _iter_column_sql(self, field):
        yield self.connection.ops.quote_name(field.column)
        yield "NOT NULL" if not field.null else "NULL"

    def _iter_user_parts(self, user):
        yield "name"
        yield user

    def add_column(self, cursor, field):
        cursor.execute("ALTER TABLE t ADD COLUMN " + " ".join(self._iter_column_sql(field)))  # expect: SQL103

    def select_user(self, cursor, user):
        cursor.execute("SELECT * FROM t WHERE " + " = ".join(self._iter_user_parts(user)))  # expect: SQL101


# --- a backend's own text, and settings checked before they are kept --------------------

ISOLATION_LEVELS = {"read committed", "repeatable read", "serializable"}


class MySQLWrapper:
    def __init__(self, settings):
        options = settings["OPTIONS"].copy()
        level = options.pop("isolation_level", "read committed")
        if level:
            level = level.lower()
            if level not in ISOLATION_LEVELS:
                raise ValueError("invalid isolation level")
        self.isolation_level = level
        self.charset = options.pop("charset", "utf8")

    def init_connection_state(self, cursor):
        if self.isolation_level:
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL %s" % self.isolation_level.upper())  # expect: SQL103
        cursor.execute("SET NAMES %s" % self.charset)  # expect: SQL101


class OracleFeatures:
    def __init__(self, connection):
        self.connection = connection

    @property
    def bare_select_suffix(self):
        return " FROM DUAL"

    def supports_long_varchar(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT CAST('a' AS VARCHAR2(4001))" + self.bare_select_suffix)  # expect: SQL103


def unique_constraint_check(connection, table):
    suffix = connection.features.bare_select_suffix
    deferrable = connection.ops.deferrable_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1{suffix}")  # expect: SQL103
        cursor.execute(f'ALTER TABLE "t" ADD CONSTRAINT "u" UNIQUE ("a"){deferrable}')  # expect: SQL103
        cursor.execute(f"SELECT 1 FROM {table}{suffix}")  # expect: SQL101


class AlterColumnEditor(SchemaEditor):
    """Builders that return (sql, params) pairs in tuples, and constraints the model declares."""

    sql_alter_column = "ALTER TABLE %(table)s %(changes)s"
    sql_alter_column_type = "ALTER COLUMN %(column)s TYPE %(type)s"
    sql_create_table = "CREATE TABLE %(table)s (%(definition)s)"

    def _alter_column_type_sql(self, model, new_field, new_type):
        return (self.sql_alter_column_type % {"column": self.quote_name(new_field.column), "type": new_type}, []), []

    def alter_field(self, model, new_field):
        new_type = new_field.db_parameters(connection=self.connection)["type"]
        fragment, other_actions = self._alter_column_type_sql(model, new_field, new_type)
        sql, params = fragment
        self.execute(  # expect: SQL103
            self.sql_alter_column % {"table": self.quote_name(model._meta.db_table), "changes": sql}, params
        )

    def alter_field_to(self, model, new_field, new_type):
        fragment, other_actions = self._alter_column_type_sql(model, new_field, new_type)
        sql, params = fragment
        self.execute(  # expect: SQL101
            self.sql_alter_column % {"table": self.quote_name(model._meta.db_table), "changes": sql}, params
        )

    def create_constrained_table(self, model):
        constraints = [constraint.constraint_sql(model, self) for constraint in model._meta.constraints]
        self.execute(  # expect: SQL103
            self.sql_create_table
            % {"table": self.quote_name(model._meta.db_table), "definition": ", ".join(constraints)}
        )


class SelectCompiler:
    """An ORM compiler: (sql, params) pairs in loops and conditionals, a from clause
    returned with its parameters, and what the backend's operations write."""

    def __init__(self, query, connection):
        self.query = query
        self.connection = connection

    def compile(self, node):
        return node.as_sql(self, self.connection)

    def get_from_clause(self):
        result, params = [], []
        for alias, clause in tuple(self.query.alias_map.items()):
            clause_sql, clause_params = self.compile(clause)
            result.append(clause_sql)
            params.extend(clause_params)
        return result, params

    def as_sql(self):
        result, params = ["SELECT"], []
        out_cols = []
        for _, (s_sql, s_params), alias in self.query.select:
            out_cols.append(s_sql)
            params.extend(s_params)
        result.append(", ".join(out_cols))
        from_, f_params = self.get_from_clause()
        result += ["FROM", *from_]
        where, w_params = self.compile(self.query.where) if self.query.where is not None else ("", [])
        if where:
            result.append("WHERE %s" % where)
        ordering = [o_sql for _, (o_sql, o_params, _) in self.query.order_by]
        if ordering:
            result.append("ORDER BY %s" % ", ".join(ordering))
        result.extend(self.connection.ops.force_group_by())
        result.insert(0, self.connection.ops.explain_query_prefix("text"))
        return " ".join(result), tuple(params + f_params + w_params)

    def execute_sql(self):
        sql, params = self.as_sql()
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)  # expect: SQL103


def user_filter(user):
    return f"SELECT * FROM users WHERE name = '{user}'", []


def run_user_filter(cursor, user):
    pair = user_filter(user)
    cursor.execute(pair[0], pair[1])  # expect: SQL101


# --- the deployment's configuration is chosen by who deploys, not sent by a client --------


def create_test_database(cursor):
    charset = connection.settings_dict["TEST"]["CHARSET"]
    name = connection.ops.quote_name(connection.settings_dict["TEST"]["NAME"])
    cursor.execute("CREATE DATABASE %s CHARACTER SET %s" % (name, charset))  # expect: SQL103
    cursor.execute(f"SET search_path TO {django_settings.REPORTING_SCHEMA}")  # expect: SQL103
    cursor.execute(f"SET statement_timeout = {oslo_cfg.CONF.database.statement_timeout}")  # expect: SQL103
    cursor.execute(f"SELECT * FROM {request.args['table']}")  # expect: SQL101


def set_database_charset(bind):
    op.execute("ALTER DATABASE `%s` DEFAULT CHARACTER SET utf8" % bind.engine.url.database)  # expect: SQL103


def empty_shadow_tables(engine, exceptions):
    metadata = sqlalchemy.MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as conn:
        for table in metadata.tables:
            if table.startswith("shadow_") and table not in exceptions:
                conn.exec_driver_sql("DELETE FROM %s" % table)  # expect: SQL103
        for table in exceptions:
            conn.exec_driver_sql("DELETE FROM %s" % table)  # expect: SQL101


def first_row_of_sheet(conn, url, name):
    quoted = url.replace('"', '""')
    conn.execute(f'SELECT * FROM "{quoted}" LIMIT 1')  # expect: SQL103
    conn.execute(f"SELECT * FROM `{name.replace('`', '``')}` LIMIT 1")  # expect: SQL103
    conn.execute(f'SELECT * FROM "{name.replace("-", "_")}" LIMIT 1')  # expect: SQL101


def purge_tables(app, db):
    schema = app.config.get("ARCHIVE_SCHEMA", "archive")
    db.session.execute(text(f"TRUNCATE {schema}.events"))  # expect: SQL103


class SQLiteWrapper(BaseDatabaseWrapper):
    """``settings_dict`` is the base class's: the connection's configured settings."""

    def get_connection_params(self):
        kwargs = {"database": self.settings_dict["NAME"], "timeout": 5, **self.settings_dict["OPTIONS"]}
        mode = kwargs.pop("transaction_mode", None)
        self.transaction_mode = mode.upper() if mode else None
        return kwargs

    def begin(self, cursor):
        cursor.execute(f"BEGIN {self.transaction_mode}")  # expect: SQL103


def pop_from_the_request(cursor, request):
    options = {"order": "name", **request.GET}
    cursor.execute("SELECT * FROM t ORDER BY %s" % options.pop("order"))  # expect: SQL101


# --- a stored format template, its text out of sight -------------------------------------


class Dialect:
    """Airflow-style dialect: the statement formats come from the connection's settings."""

    def __init__(self, hook):
        self.hook = hook

    @property
    def insert_statement_format(self):
        return self.hook.insert_statement_format

    def generate_insert_sql(self, table, values):
        placeholders = ",".join(["%s"] * len(values))
        return self.insert_statement_format.format(table, placeholders)  # expect: SQL102

    def generate_escaped_insert_sql(self, table, values):
        placeholders = ",".join(["%s"] * len(values))
        return self.insert_statement_format.format(self.hook.connection.ops.quote_name(table), placeholders)

    def render(self, statement):
        return statement.format(comments=False)


# --- Apache Airflow: SQL hooks and operators -------------------------------------------


def load_partition(table, day):
    hook = PostgresHook(postgres_conn_id="warehouse")
    rows = hook.get_records(f"SELECT * FROM {table} WHERE day = '{day}'")  # expect: SQL101
    hook.run("DELETE FROM staging WHERE day = %(day)s", parameters={"day": day})  # expect: SQL103
    frame = hook.get_pandas_df(sql="SELECT * FROM staging WHERE day = " + day)  # expect: SQL101
    cursor = hook.get_conn().cursor()
    cursor.execute("SELECT count(*) FROM %s" % table)  # expect: SQL101
    return rows, frame


def refresh_view(schema):
    return SQLExecuteQueryOperator(  # expect: SQL101
        task_id="refresh",
        conn_id="warehouse",
        sql=f"REFRESH MATERIALIZED VIEW {schema}.daily",
    )


cleanup = SQLExecuteQueryOperator(  # expect: SQL103
    task_id="cleanup", conn_id="warehouse", sql="DELETE FROM staging WHERE day < '{{ ds }}'"
)



class NullCountCheck(BaseOperator):
    # An operator is built in a DAG file: its constructor's arguments are the DAG's
    # configuration, written by its author.
    template = "SELECT COUNT(*) FROM {table} WHERE {column} IS NULL {clause}"

    def __init__(self, *, table, columns, partition_clause=None, **kwargs):
        super().__init__(**kwargs)
        self.table = table
        self.columns = columns
        self.partition_clause = partition_clause
        self.sql = f"SELECT {', '.join(columns)} FROM {table}"  # ok

    def _generate_sql(self):
        def clause(column):
            if self.partition_clause:
                return f"AND {self.partition_clause}"
            return ""

        return " UNION ALL ".join(  # ok
            self.template.format(table=self.table, column=column, clause=clause(column))
            for column, checks in self.columns.items()
        )

    def execute(self, context):
        hook = PostgresHook(postgres_conn_id="warehouse")
        day = context["params"]["day"]
        hook.run(f"DELETE FROM {self.table} WHERE day = '{day}'")  # expect: SQL101


# --- The server's own answers, functions defined in a body, EXPLAIN of a statement -----


def cancel_backend(conn):
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")  # expect: SQL103
    pid = cur.fetchone()[0]
    cur.execute(f"SELECT pg_cancel_backend({pid})")  # expect: SQL103


def mark_seen(conn, name):
    cur = conn.cursor()
    cur.execute("INSERT INTO visits (name) VALUES (%s) RETURNING id", (name,))  # expect: SQL103
    new_id = cur.fetchone()[0]
    cur.execute(f"UPDATE visits SET seen = 1 WHERE id = {new_id}")  # expect: SQL103


def copy_first_name(conn):
    cur = conn.cursor()
    cur.execute("SELECT name FROM users LIMIT 1")  # expect: SQL103
    name = cur.fetchone()[0]  # what a client stored: second-order injection
    cur.execute(f"SELECT * FROM orders WHERE customer = '{name}'")  # expect: SQL101


class MySQLSpec:
    @classmethod
    def get_cancel_query_id(cls, cursor, query):
        cursor.execute("SELECT CONNECTION_ID()")  # expect: SQL103
        row = cursor.fetchone()
        return row[0]

    @classmethod
    def cancel_query(cls, cursor, query, cancel_query_id):
        cursor.execute(f"KILL CONNECTION {cancel_query_id}")  # expect: SQL103

    @classmethod
    def get_owner(cls, cursor):
        cursor.execute("SELECT owner FROM jobs LIMIT 1")  # expect: SQL103
        return cursor.fetchone()[0]

    @classmethod
    def reassign(cls, cursor, owner):
        cursor.execute(f"UPDATE jobs SET owner = '{owner}'")  # expect: SQL101


def report(conn, column):
    def where(name):
        return f"WHERE {name} = %s"

    cur = conn.cursor()
    cur.execute(f"SELECT * FROM visits {where('name')}", (column,))  # expect: SQL103
    cur.execute(f"SELECT * FROM visits {where(column)}", ("x",))  # expect: SQL101


def estimate_cost(cursor, statement):
    cursor.execute(f"EXPLAIN (TYPE IO, FORMAT JSON) {statement}")  # expect: SQL104
    sql = f"EXPLAIN ANALYZE {statement}"
    cursor.execute(sql)  # expect: SQL104
    cursor.execute(f"EXPLAIN SELECT * FROM visits WHERE name = '{statement}'")  # expect: SQL101


UUID_BY_DIALECT = {MySQLDialect: "UNHEX(REPLACE(UUID(), '-', ''))", "postgresql": "gen_random_uuid()"}


def assign_uuids(bind):
    for dialect, function in UUID_BY_DIALECT.items():
        op.execute(f"UPDATE slices SET uuid = {function}")  # expect: SQL103


def fail_check(records, fail):
    query = "SELECT id, total FROM visits WHERE day = %s"
    fail(f"Check failed.\nQuery:\n{query}\nResults:\n{records}")  # ok: a message that shows it


def cast_text_column_to_json(table, column):
    # A helper of the migration scripts: alembic's op works only inside a migration,
    # so its arguments are the scripts' own.
    conn = op.get_bind()
    conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb"))  # expect: SQL103


# --- a value checked to be an object of a class is not a caller's text -------------------
from .compiler import InsertUnnest  # noqa: E402


class BulkInsertOperations:
    def bulk_insert_sql(self, fields, placeholder_rows):
        if isinstance(placeholder_rows, InsertUnnest):
            return f"SELECT * FROM {placeholder_rows}"  # ok: an InsertUnnest renders itself
        return "SELECT * FROM (%s)" % " UNION ALL ".join(placeholder_rows)  # expect: SQL102

    def copy_rows(self, cursor, source):
        if isinstance(source, (InsertUnnest, int)):
            cursor.execute(f"INSERT INTO archive SELECT * FROM {source}")  # expect: SQL103
        if isinstance(source, str):
            cursor.execute(f"INSERT INTO archive SELECT * FROM {source}")  # expect: SQL101
        if isinstance(source, (list, tuple)):
            cursor.execute("DELETE FROM archive WHERE id IN (%s)" % ", ".join(source))  # expect: SQL101
        if isinstance(source, Markup):
            cursor.execute(f"DELETE FROM archive WHERE note = '{source}'")  # expect: SQL101


class Label(str):
    pass


def delete_labelled(cursor, label):
    if isinstance(label, Label):
        cursor.execute(f"DELETE FROM archive WHERE label = '{label}'")  # expect: SQL101
