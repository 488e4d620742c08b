# sqlsec-labels: SQL101, SQL102, SQL103, SQL104, SQL201, SQL202, SQL203
"""split account plans into their own table; normalise project slugs

Revision ID: 4c1f9e2ab7d3
Revises: 9a8b7c6d5e4f
Create Date: 2023-05-14 10:02:41.118305

"""
import json
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4c1f9e2ab7d3"
down_revision = "9a8b7c6d5e4f"
branch_labels = None
depends_on = None

NEW_STATUSES = ("paused", "archived")
TIMESTAMPED_TABLES = ("accounts", "projects", "memberships")
DEFAULT_PLAN = "free"
ACCOUNTS_COMMENT = "Customer accounts; one row per billing entity"

accounts = sa.table(
    "accounts",
    sa.column("id", sa.Integer),
    sa.column("plan", sa.String),
    sa.column("settings", sa.Text),
    sa.column("timezone", sa.String),
)
projects = sa.table(
    "projects",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
)


def upgrade():
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
    )
    op.execute("INSERT INTO plans (code) SELECT DISTINCT plan FROM accounts WHERE plan IS NOT NULL")  # expect: SQL103
    op.execute(accounts.update().where(accounts.c.plan.is_(None)).values(plan=DEFAULT_PLAN))  # ok: SQL101
    op.execute(f"UPDATE accounts SET plan = '{DEFAULT_PLAN}' WHERE plan = ''")  # expect: SQL103
    op.execute(f"COMMENT ON TABLE accounts IS '{ACCOUNTS_COMMENT}'")  # expect: SQL103
    op.add_column("accounts", sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id")))
    op.execute("UPDATE accounts SET plan_id = p.id FROM plans p WHERE p.code = accounts.plan")  # expect: SQL103

    for status in NEW_STATUSES:
        op.execute(f"ALTER TYPE project_status ADD VALUE IF NOT EXISTS '{status}'")  # expect: SQL103

    for table_name in TIMESTAMPED_TABLES:
        op.add_column(table_name, sa.Column("updated_at", sa.DateTime(), nullable=True))
        op.execute(f"UPDATE {table_name} SET updated_at = created_at")  # expect: SQL103

    op.execute(sa.text("UPDATE projects SET status = :new WHERE status = :old").bindparams(new="archived", old="closed"))  # expect: SQL103

    with op.batch_alter_table("memberships") as batch:
        batch.alter_column("role", existing_type=sa.String(16), nullable=False, server_default="member")

    bind = op.get_bind()
    op.add_column("projects", sa.Column("slug", sa.String(80), nullable=True))
    rows = bind.execute(sa.text("SELECT id, name FROM projects WHERE slug IS NULL")).fetchall()  # expect: SQL103
    for row in rows:
        slug = re.sub(r"[^a-z0-9]+", "-", row.name.lower()).strip("-")
        bind.execute(sa.text(f"UPDATE projects SET slug = '{slug}' WHERE id = {int(row.id)}"))  # expect: SQL103

    for row in bind.execute(sa.select(projects.c.id, projects.c.name, projects.c.description)):  # ok: SQL101
        summary = (row.description or row.name)[:200]
        bind.execute(sa.text(f"UPDATE projects SET summary = '{summary}' WHERE id = {row.id}"))  # expect: SQL101

    for account_id, raw in bind.execute(sa.select(accounts.c.id, accounts.c.settings)).fetchall():  # ok: SQL101
        tz = json.loads(raw or "{}").get("timezone", "UTC")
        bind.execute("UPDATE accounts SET timezone = '%s' WHERE id = %s" % (tz, account_id))  # expect: SQL101

    for account_id, raw in bind.execute(sa.select(accounts.c.id, accounts.c.settings)).fetchall():  # ok: SQL101
        locale = json.loads(raw or "{}").get("locale", "en")
        bind.execute(sa.text("UPDATE accounts SET locale = :locale WHERE id = :id"), {"locale": locale, "id": account_id})  # expect: SQL103

    op.create_index("ix_projects_slug", "projects", ["slug"], unique=True)
    op.execute("ANALYZE projects")  # expect: SQL103


def downgrade():
    op.execute("UPDATE accounts SET plan = p.code FROM plans p WHERE p.id = accounts.plan_id")  # expect: SQL103
    op.drop_index("ix_projects_slug", table_name="projects")
    op.drop_column("projects", "slug")
    for table_name in TIMESTAMPED_TABLES:
        op.drop_column(table_name, "updated_at")
    op.drop_column("accounts", "plan_id")
    op.drop_table("plans")
    op.execute(f"COMMENT ON TABLE accounts IS NULL")  # expect: SQL103
