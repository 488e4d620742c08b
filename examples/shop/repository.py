"""Data access for products and orders, written with SQLAlchemy."""
import logging

import sqlalchemy.exc
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

LOG = logging.getLogger(__name__)

metadata = MetaData()

products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("category", String(50), nullable=False),
    Column("price", Numeric(10, 2), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created", DateTime, nullable=False, server_default=func.now()),
)

RECENT_ORDERS = text(
    "SELECT id, status, created FROM orders"
    " WHERE customer_id = :customer_id"
    " ORDER BY created DESC LIMIT :limit"
)


def products_in_category(session: Session, category: str):
    stmt = (
        select(products)
        .where(products.c.category == category)
        .order_by(products.c.price)
    )
    return session.execute(stmt).all()


def products_matching(session: Session, category: str, term: str):
    stmt = (
        select(products)
        .where(products.c.category == category)
        .where(text(f"name LIKE '%{term}%'"))
    )
    return session.execute(stmt).all()


def recent_orders(session: Session, customer_id: int, limit: int = 10):
    params = {"customer_id": customer_id, "limit": limit}
    return session.execute(RECENT_ORDERS, params).all()


def place_order(session: Session, customer_id: int) -> int:
    try:
        result = session.execute(
            orders.insert().values(customer_id=customer_id, status="new")
        )
        session.commit()
    except sqlalchemy.exc.SQLAlchemyError as exc:
        session.rollback()
        LOG.error("query failed: %s", exc)
        raise
    return result.inserted_primary_key[0]


def cancel_order(session: Session, order_id: int) -> None:
    try:
        session.execute(
            orders.update()
            .where(orders.c.id == order_id)
            .values(status="cancelled")
        )
        session.commit()
    except sqlalchemy.exc.SQLAlchemyError:
        session.rollback()
        LOG.exception("could not cancel order %s", order_id)
        raise


def purge_statement(table: str) -> str:
    """The statement the nightly clean-up job runs for one table."""
    return f"DELETE FROM {table} WHERE status = 'cancelled'"
