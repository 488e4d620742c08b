# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""Subscriptions service: FastAPI handlers over asyncpg, with an aiosqlite session cache."""
from typing import List, Optional

import aiosqlite
import asyncpg
from fastapi import APIRouter, HTTPException, Query

router = APIRouter(prefix="/subscriptions")

PLANS_TABLE = "billing.plans"
SUBSCRIPTIONS_TABLE = "billing.subscriptions"
NOTIFY_CHANNEL = "subscription_events"
SORT_KEYS = {"started": "started_at", "renews": "renews_at", "plan": "plan_id"}

pool: Optional[asyncpg.Pool] = None
cache_path = "/var/cache/subscriptions/sessions.db"


async def fetch_all(query, *args):
    async with pool.acquire() as conn:
        return await conn.fetch(query, *args)  # expect: SQL104


async def fetch_one(query: str, *args):
    async with pool.acquire() as conn:
        return await conn.fetchrow(query, *args)  # expect: SQL104


@router.get("/by-owner")
async def by_owner(owner: str):
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"SELECT * FROM billing.subscriptions WHERE owner_email = '{owner}'")  # expect: SQL101
    return [dict(r) for r in rows]


@router.get("/by-owner/v2")
async def by_owner_safe(owner: str):
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT * FROM billing.subscriptions WHERE owner_email = $1", owner)  # ok: SQL101
    return [dict(r) for r in rows]


@router.get("/{subscription_id}")
async def get_subscription(subscription_id: int):
    row = await fetch_one(f"SELECT * FROM {SUBSCRIPTIONS_TABLE} WHERE id = $1", subscription_id)  # ok: SQL101
    if row is None:
        raise HTTPException(404, f"no subscription {subscription_id}; select a plan first")  # ok: SQL102
    return dict(row)


@router.get("/count/{table}")
async def count_rows(table: str):
    async with pool.acquire() as conn:
        return await conn.fetchval(f"SELECT count(*) FROM billing.{table}")  # expect: SQL101


@router.get("/batch")
async def batch(ids: List[str] = Query(...)):
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"SELECT * FROM billing.subscriptions WHERE id IN ({','.join(ids)})")  # expect: SQL101
    return [dict(r) for r in rows]


@router.get("/batch/v2")
async def batch_numeric(ids: List[str] = Query(...)):
    id_list = ",".join(str(int(i)) for i in ids)
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"SELECT * FROM billing.subscriptions WHERE id IN ({id_list})")  # ok: SQL101
    return [dict(r) for r in rows]


@router.get("/batch/v3")
async def batch_any(ids: List[int] = Query(...)):
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT * FROM billing.subscriptions WHERE id = ANY($1::bigint[])", ids)  # ok: SQL101
    return [dict(r) for r in rows]


@router.get("/sorted")
async def sorted_subscriptions(sort: str = "started", limit: int = 100):
    if sort not in SORT_KEYS:
        raise HTTPException(400, "unknown sort key")
    column = SORT_KEYS[sort]
    return await fetch_all(f"SELECT * FROM {SUBSCRIPTIONS_TABLE} ORDER BY {column} DESC LIMIT $1", limit)  # ok: SQL101


@router.get("/sorted/raw")
async def sorted_raw(sort: str = "started_at"):
    return await fetch_all(f"SELECT * FROM {SUBSCRIPTIONS_TABLE} ORDER BY {sort} DESC")  # expect: SQL101


@router.post("/bulk")
async def bulk_create(items: List[dict]):
    columns = list(items[0].keys())
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    async with pool.acquire() as conn:
        await conn.executemany(  # expect: SQL101
            f"INSERT INTO billing.subscriptions ({', '.join(columns)}) VALUES ({placeholders})",
            [tuple(item[c] for c in columns) for item in items],
        )


@router.post("/bulk/v2")
async def bulk_create_fixed(items: List[dict]):
    async with pool.acquire() as conn:
        await conn.executemany(  # ok: SQL101
            "INSERT INTO billing.subscriptions (owner_email, plan_id, started_at) VALUES ($1, $2, $3)",
            [(i["owner_email"], int(i["plan_id"]), i["started_at"]) for i in items],
        )


@router.post("/{subscription_id}/plan")
async def change_plan(subscription_id: int, plan_code: str):
    async with pool.acquire() as conn:
        async with conn.transaction():
            plan_id = await conn.fetchval("SELECT id FROM billing.plans WHERE code = $1", plan_code)  # ok: SQL101
            await conn.execute(  # expect: SQL101
                "UPDATE billing.subscriptions SET plan_id = %s, note = '%s' WHERE id = %d" % (plan_id, plan_code, subscription_id)
            )


@router.post("/{subscription_id}/cancel")
async def cancel(subscription_id: int, reason: str):
    async with pool.acquire() as conn:
        await conn.execute("UPDATE billing.subscriptions SET cancelled_at = now(), cancel_reason = $2 WHERE id = $1", subscription_id, reason)  # ok: SQL101
        await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}, 'cancelled'")  # ok: SQL101


async def listen(conn: asyncpg.Connection, channel: str, callback):
    await conn.execute(f"LISTEN {channel}")  # expect: SQL101


async def listen_safe(conn: asyncpg.Connection, channel: str, callback):
    await conn.add_listener(channel, callback)


async def prepared_lookup(conn: asyncpg.Connection, plan_code: str):
    stmt = await conn.prepare("SELECT id, price FROM " + PLANS_TABLE + " WHERE code = $1")  # ok: SQL101
    return await stmt.fetchrow(plan_code)


async def prepared_lookup_dynamic(conn: asyncpg.Connection, column: str):
    stmt = await conn.prepare("SELECT id, " + column + " FROM billing.plans WHERE code = $1")  # expect: SQL101
    return stmt


async def cursor_scan(conn: asyncpg.Connection, region: str):
    async with conn.transaction():
        async for record in conn.cursor(f"SELECT * FROM billing.subscriptions WHERE region = '{region}'"):  # expect: SQL101
            yield record


async def export_csv(conn: asyncpg.Connection, region: str, output):
    await conn.copy_from_query("SELECT * FROM billing.subscriptions WHERE region = $1", region, output=output, format="csv")  # ok: SQL101


async def session_owner(session_id: str):
    async with aiosqlite.connect(cache_path) as db:
        async with db.execute(f"SELECT owner FROM sessions WHERE id = '{session_id}'") as cur:  # expect: SQL101
            row = await cur.fetchone()
    return row[0] if row else None


async def session_owner_safe(session_id: str):
    async with aiosqlite.connect(cache_path) as db:
        async with db.execute("SELECT owner FROM sessions WHERE id = ?", (session_id,)) as cur:  # ok: SQL101
            row = await cur.fetchone()
    return row[0] if row else None


async def expire_sessions(older_than_minutes: str):
    async with aiosqlite.connect(cache_path) as db:
        await db.execute("DELETE FROM sessions WHERE created < datetime('now', '-%s minutes')" % older_than_minutes)  # expect: SQL101
        await db.commit()


def renewal_query(days_ahead):
    return f"SELECT id, owner_email FROM billing.subscriptions WHERE renews_at < now() + interval '{days_ahead} days'"  # expect: SQL102


def renewal_query_safe(days_ahead: int):
    return f"SELECT id, owner_email FROM billing.subscriptions WHERE renews_at < now() + interval '{days_ahead:d} days'"  # ok: SQL102


async def schedule_purge(queue, owner_email):
    await queue.put(f"DELETE FROM billing.subscriptions WHERE owner_email = '{owner_email}'")  # expect: SQL102


async def schedule_purge_safe(queue, owner_email):
    await queue.put(("DELETE FROM billing.subscriptions WHERE owner_email = $1", owner_email))  # ok: SQL102
