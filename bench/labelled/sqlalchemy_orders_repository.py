# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""Persistence layer of the orders service (SQLAlchemy 2.0 style, plus a few 1.4 leftovers)."""
from __future__ import annotations

from datetime import date
from typing import Iterable, Optional, Sequence

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()

SORT_COLUMNS = {"created": "created_on", "total": "total", "reference": "reference"}
GROUPINGS = ("status", "channel")
DEFAULT_CHANNEL = "web"


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    email = Column(String(200), unique=True)
    region = Column(String(8))


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customers.id"))
    reference = Column(String(40))
    status = Column(String(16))
    channel = Column(String(16))
    note = Column(String(500))
    total = Column(Numeric(12, 2))
    created_on = Column(Date)


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def customer_by_email(self, email: str):
        row = self.session.execute(text(f"SELECT id, region FROM customers WHERE email = '{email}'")).first()  # expect: SQL101
        return row

    def customer_by_email_safe(self, email: str):
        return self.session.execute(text("SELECT id, region FROM customers WHERE email = :email"), {"email": email}).first()  # ok: SQL101

    def orders_with_status(self, status: str):
        stmt = select(Order).where(text(f"orders.status = '{status}'"))  # expect: SQL201
        return self.session.scalars(stmt).all()

    def orders_with_status_safe(self, status: str):
        stmt = select(Order).where(text("orders.status = :status").bindparams(status=status))  # ok: SQL201
        return self.session.scalars(stmt).all()

    def orders_with_status_orm(self, status: str):
        return self.session.scalars(select(Order).where(Order.status == status)).all()

    def search_notes(self, term: str):
        stmt = select(Order).where(Order.note.like(f"%{term}%"))  # ok: SQL201
        return self.session.scalars(stmt).all()

    def search_notes_raw(self, term: str):
        stmt = select(Order).where(text("orders.note ILIKE '%" + term + "%'"))  # expect: SQL201
        return self.session.scalars(stmt).all()

    def sorted_orders(self, sort: str, direction: str = "asc"):
        stmt = select(Order).order_by(text(f"{sort} {direction}"))  # expect: SQL201
        return self.session.scalars(stmt).all()

    def sorted_orders_safe(self, sort: str, descending: bool = False):
        if sort not in SORT_COLUMNS:
            raise ValueError(f"cannot order by {sort}")
        key = getattr(Order, SORT_COLUMNS[sort])
        stmt = select(Order).order_by(key.desc() if descending else key.asc())  # ok: SQL201
        return self.session.scalars(stmt).all()

    def sorted_by_label(self, sort: str):
        return self.session.scalars(select(Order).order_by(sort)).all()  # expect: SQL203

    def sorted_by_checked_label(self, sort: str):
        if sort not in SORT_COLUMNS.values():
            raise ValueError("unknown sort key")
        return self.session.scalars(select(Order).order_by(sort)).all()  # ok: SQL203

    def tagged_export(self, source_label: str):
        stmt = select(literal_column(f"'{source_label}'").label("source"), Order.id, Order.total)  # expect: SQL201
        return self.session.execute(stmt).all()

    def tagged_export_safe(self):
        stmt = select(literal_column(f"'{DEFAULT_CHANNEL}'").label("source"), Order.id, Order.total)  # ok: SQL201
        return self.session.execute(stmt).all()

    def metric(self, name: str):
        stmt = select(column(name)).select_from(table("order_metrics"))  # expect: SQL203
        return self.session.execute(stmt).scalars().all()

    def metric_total(self, prefix: str):
        stmt = select(func.sum(column(f"{prefix}_total"))).select_from(table("order_metrics"))  # expect: SQL201
        return self.session.execute(stmt).scalar()

    def counts_by(self, grouping: str):
        stmt = select(literal_column(grouping), func.count()).select_from(Order).group_by(literal_column(grouping))  # expect: SQL203
        return self.session.execute(stmt).all()

    def counts_by_checked(self, grouping: str):
        if grouping not in GROUPINGS:
            raise ValueError("bad grouping")
        col = getattr(Order, grouping)
        return self.session.execute(select(col, func.count()).group_by(col)).all()

    def big_customers(self, min_orders: str):
        stmt = (
            select(Order.customer_id, func.count().label("n"))
            .group_by(Order.customer_id)
            .having(text(f"count(*) > {min_orders}"))  # expect: SQL201
        )
        return self.session.execute(stmt).all()

    def big_customers_safe(self, min_orders: int):
        stmt = (
            select(Order.customer_id, func.count().label("n"))
            .group_by(Order.customer_id)
            .having(func.count() > min_orders)  # ok: SQL201
        )
        return self.session.execute(stmt).all()

    def orders_in_region(self, region: str):
        stmt = select(Order).join(
            Customer,
            text(f"customers.id = orders.customer_id AND customers.region = '{region}'"),  # expect: SQL201
        )
        return self.session.scalars(stmt).all()

    def orders_by_ids(self, ids: Sequence[int]):
        stmt = text("SELECT * FROM orders WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))  # ok: SQL101
        return self.session.execute(stmt, {"ids": list(ids)}).all()

    def orders_by_references(self, refs: Iterable[str]):
        in_list = ", ".join("'%s'" % r for r in refs)
        return self.session.execute(text("SELECT * FROM orders WHERE reference IN (%s)" % in_list)).all()  # expect: SQL101

    def orders_between(self, start: date, end: date, channel: Optional[str] = None):
        sql = "SELECT id, total FROM orders WHERE created_on BETWEEN :start AND :end"
        params = {"start": start, "end": end}
        if channel:
            sql += " AND channel = :channel"
            params["channel"] = channel
        return self.session.execute(text(sql), params).all()  # ok: SQL101

    def orders_since(self, since: str, channel: Optional[str] = None):
        sql = "SELECT id, total FROM orders WHERE created_on >= '" + since + "'"
        if channel:
            sql += " AND channel = :channel"
        return self.session.execute(text(sql), {"channel": channel}).all()  # expect: SQL101

    def run_raw(self, sql: str, **params):
        return self.session.execute(text(sql), params).all()  # expect: SQL104

    def refunds_for(self, reference: str):
        return self.run_raw(f"SELECT * FROM refunds WHERE order_reference = '{reference}'")  # expect: SQL101

    def refunds_for_safe(self, reference: str):
        return self.run_raw("SELECT * FROM refunds WHERE order_reference = :ref", ref=reference)

    def set_tenant(self, tenant_schema: str):
        conn = self.session.connection()
        conn.exec_driver_sql(f"SET search_path TO {tenant_schema}, public")  # expect: SQL101

    def set_timeout(self, timeout_ms: int):
        conn = self.session.connection()
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_ms)}")  # ok: SQL101

    def legacy_count(self, status: str):
        # 1.4-era code path kept for the reporting job
        return self.session.query(Order).filter("status = '%s'" % status).count()  # expect: SQL201

    def legacy_count_safe(self, status: str):
        return self.session.query(Order).filter(Order.status == status).count()


def archive_statement(cutoff: str) -> str:
    """DELETE statement handed to the archiver process."""
    return "DELETE FROM orders WHERE status = 'closed' AND created_on < '{}'".format(cutoff)  # expect: SQL102


def archive_statement_safe() -> str:
    return "DELETE FROM orders WHERE status = 'closed' AND created_on < :cutoff"


def describe_failure(reference: str, exc_name: str) -> str:
    return f"Could not update order {reference} ({exc_name}); select it again and retry"  # ok: SQL102
