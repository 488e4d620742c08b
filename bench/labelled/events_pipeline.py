# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""Daily events pipeline: extract from Postgres, stage in DuckDB/Spark, load into ClickHouse."""
import logging
from datetime import datetime, timedelta

import duckdb
import pandas as pd
from clickhouse_driver import Client
from psycopg2.extras import execute_values
from pyspark.sql import SparkSession
from sqlalchemy import create_engine, text

log = logging.getLogger(__name__)

SOURCE_TABLE = "public.events"
STAGING_TABLE = "staging.events_daily"
CH_TABLE = "analytics.events"
DATE_FORMAT = "%Y-%m-%d"


def parse_day(value):
    """Validate a YYYY-MM-DD string and return a date."""
    return datetime.strptime(value, DATE_FORMAT).date()


def extract_window(engine, table, start, end):
    df = pd.read_sql(f"SELECT * FROM {table} WHERE event_date BETWEEN '{start}' AND '{end}'", engine)  # expect: SQL101
    log.info("extracted %d rows from %s", len(df), table)
    return df


def extract_window_safe(engine, start, end):
    return pd.read_sql(  # ok: SQL101
        text(f"SELECT * FROM {SOURCE_TABLE} WHERE event_date BETWEEN :start AND :end"),
        engine,
        params={"start": start, "end": end},
    )


def extract_by_type(conn, event_type):
    return pd.read_sql_query("SELECT id, payload FROM public.events WHERE event_type = %(t)s", conn, params={"t": event_type})  # ok: SQL101


def extract_by_types(conn, event_types):
    quoted = ",".join("'" + t + "'" for t in event_types)
    sql = "SELECT id, payload FROM public.events WHERE event_type IN (" + quoted + ")"
    return pd.read_sql_query(sql, conn)  # expect: SQL101


def extract_query(sql, engine):
    return pd.read_sql(sql, engine)  # expect: SQL104


def customer_query(customer_id):
    """SQL for the per-customer extract, run by extract_query()."""
    return "SELECT * FROM public.events WHERE customer_id = %s" % customer_id  # expect: SQL102


def customer_query_safe(customer_id):
    return "SELECT * FROM public.events WHERE customer_id = %d" % int(customer_id)  # ok: SQL102


def stage_parquet(con: duckdb.DuckDBPyConnection, path, view_name):
    con.execute(f"CREATE OR REPLACE VIEW {view_name} AS SELECT * FROM read_parquet('{path}')")  # expect: SQL101


def stage_parquet_safe(con: duckdb.DuckDBPyConnection, path):
    con.execute("CREATE OR REPLACE TABLE raw_events AS SELECT * FROM read_parquet(?)", [path])  # ok: SQL101


def duckdb_summary(path, column):
    con = duckdb.connect()
    return con.sql(f"SELECT {column}, count(*) AS n FROM read_parquet('{path}') GROUP BY ALL").df()  # expect: SQL101


def duckdb_daily_counts(con, day):
    return con.execute("SELECT event_type, count(*) FROM raw_events WHERE event_date = ? GROUP BY 1", [day]).fetchall()  # ok: SQL101


def spark_partition(spark: SparkSession, table, run_date):
    return spark.sql(f"SELECT * FROM {table} WHERE dt = '{run_date}'")  # expect: SQL101


def spark_partition_checked(spark: SparkSession, run_date):
    day = parse_day(run_date)
    return spark.sql(f"SELECT * FROM warehouse.events WHERE dt = '{day.isoformat()}'")  # ok: SQL101


def spark_partition_args(spark: SparkSession, run_date):
    return spark.sql("SELECT * FROM warehouse.events WHERE dt = :dt", args={"dt": run_date})  # ok: SQL101


def spark_overwrite(spark: SparkSession, target, run_date):
    spark.sql(  # expect: SQL101
        "INSERT OVERWRITE TABLE " + target + " PARTITION (dt='" + run_date + "') "
        "SELECT * FROM staging_events"
    )


def submit_backfill(runner, day):
    runner.submit(
        name="events-backfill",
        sql=f"INSERT INTO warehouse.events_agg SELECT event_type, count(*) FROM warehouse.events WHERE dt = '{day}' GROUP BY event_type",  # expect: SQL102
    )


def submit_backfill_safe(runner, day):
    runner.submit(
        name="events-backfill",
        sql="INSERT INTO warehouse.events_agg SELECT event_type, count(*) FROM warehouse.events WHERE dt = :dt GROUP BY event_type",
        params={"dt": parse_day(day)},
    )


def backfill_job_config(day, target):
    config = {"name": "events-rollup", "retries": 3}
    config["query"] = f"INSERT INTO {target} SELECT event_type, count(*) FROM warehouse.events WHERE dt = '{day}' GROUP BY 1"  # expect: SQL102
    return config


def backfill_job_config_safe(day):
    config = {"name": "events-rollup", "retries": 3}
    config["query"] = f"INSERT INTO {STAGING_TABLE} SELECT event_type, count(*) FROM warehouse.events WHERE dt = %(dt)s GROUP BY 1"  # ok: SQL102
    config["params"] = {"dt": parse_day(day)}
    return config


def load_clickhouse(client: Client, rows):
    client.execute(f"INSERT INTO {CH_TABLE} (ts, name, value) VALUES", rows)  # ok: SQL101


def drop_clickhouse_partition(client: Client, table, partition):
    client.execute(f"ALTER TABLE {table} DROP PARTITION '{partition}'")  # expect: SQL101


def drop_clickhouse_day(client: Client, day):
    client.execute("ALTER TABLE analytics.events DROP PARTITION %(day)s", {"day": parse_day(day)})  # ok: SQL101


def clickhouse_top(client: Client, metric, limit):
    return client.execute(  # expect: SQL101
        "SELECT name, sum({m}) AS total FROM analytics.events GROUP BY name ORDER BY total DESC LIMIT {n}".format(m=metric, n=limit)
    )


def clickhouse_top_safe(client: Client, limit):
    return client.execute(  # ok: SQL101
        "SELECT name, sum(value) AS total FROM analytics.events GROUP BY name ORDER BY total DESC LIMIT {n:d}".format(n=int(limit))
    )


def write_staging(pg_conn, target, rows):
    with pg_conn.cursor() as cur:
        execute_values(cur, f"INSERT INTO {target} (id, payload) VALUES %s", rows)  # expect: SQL101


def write_staging_safe(pg_conn, rows):
    with pg_conn.cursor() as cur:
        execute_values(cur, f"INSERT INTO {STAGING_TABLE} (id, payload) VALUES %s", rows)  # ok: SQL101


def cleanup(engine, days_to_keep):
    cutoff = (datetime.utcnow() - timedelta(days=int(days_to_keep))).strftime(DATE_FORMAT)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM staging.events_daily WHERE event_date < :cutoff"), {"cutoff": cutoff})  # ok: SQL101
    log.info("DELETE FROM %s older than %s finished", STAGING_TABLE, cutoff)


def report(engine, day):
    df = extract_window_safe(engine, day, day)
    print(f"Loaded {len(df)} rows from {SOURCE_TABLE}; select a later day to continue")  # ok: SQL102
    if df.empty:
        raise ValueError(f"no rows to insert into {CH_TABLE} for {day}")  # ok: SQL102
    return df


def main(argv):
    engine = create_engine(argv[1])
    spark = SparkSession.builder.appName("events").getOrCreate()
    day = argv[2]
    report(engine, day)
    spark_partition_checked(spark, day)
