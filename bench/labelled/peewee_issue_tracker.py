# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""Data access for a small issue tracker built on peewee + SQLite."""
import datetime

from peewee import (
    SQL,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
    fn,
)

db = SqliteDatabase("tracker.db", pragmas={"journal_mode": "wal", "foreign_keys": 1})

ISSUE_ORDERINGS = {"created": "created", "priority": "priority", "title": "title"}
OPEN_STATES = ("new", "triaged", "in_progress")


class BaseModel(Model):
    class Meta:
        database = db


class Project(BaseModel):
    key = CharField(unique=True)
    name = CharField()


class Issue(BaseModel):
    project = ForeignKeyField(Project, backref="issues")
    title = CharField()
    body = TextField(default="")
    state = CharField(default="new")
    priority = IntegerField(default=3)
    assignee = CharField(null=True)
    created = DateTimeField(default=datetime.datetime.now)


def search_titles(term):
    return list(Issue.raw("SELECT * FROM issue WHERE title LIKE '%%%s%%'" % term))  # expect: SQL101


def search_titles_safe(term):
    return list(Issue.raw("SELECT * FROM issue WHERE title LIKE ?", f"%{term}%"))  # ok: SQL101


def search_titles_orm(term):
    return list(Issue.select().where(Issue.title.contains(term)))  # ok: SQL201


def delete_project_issues(project_id):
    db.execute_sql(f"DELETE FROM issue WHERE project_id = {project_id}")  # expect: SQL101


def delete_project_issues_safe(project_id):
    db.execute_sql("DELETE FROM issue WHERE project_id = ?", (project_id,))  # ok: SQL101


def delete_project_issues_numeric(project_id):
    db.execute_sql("DELETE FROM issue WHERE project_id = %d" % int(project_id))  # ok: SQL101


def issues_titled(title):
    return list(Issue.select().where(SQL(f"lower(title) = '{title.lower()}'")))  # expect: SQL201


def issues_titled_safe(title):
    return list(Issue.select().where(SQL("lower(title) = ?", [title.lower()])))  # ok: SQL201


def recent_issues(days):
    return list(Issue.select().where(SQL("created > datetime('now', '-%s days')" % days)))  # expect: SQL201


def recent_issues_safe(days):
    return list(Issue.select().where(SQL("created > datetime('now', ?)", [f"-{int(days)} days"])))  # ok: SQL201


def issues_ordered(field, descending=False):
    if field not in ISSUE_ORDERINGS:
        raise ValueError(f"cannot order issues by {field}")
    column = getattr(Issue, ISSUE_ORDERINGS[field])
    return list(Issue.select().order_by(column.desc() if descending else column))  # ok: SQL201


def issues_ordered_raw(ordering):
    return list(Issue.select().order_by(SQL(ordering + " DESC")))  # expect: SQL201


def label_issues(tag):
    query = Issue.select(Issue.id, Issue.title, SQL(f"'{tag}'").alias("tag"))  # expect: SQL201
    return list(query.dicts())


def open_issue_counts(project_key):
    return list(
        Issue.select(Issue.state, fn.COUNT(Issue.id).alias("n"))
        .join(Project)
        .where((Project.key == project_key) & (Issue.state.in_(OPEN_STATES)))
        .group_by(Issue.state)
    )


def assignee_workload(assignee):
    cursor = db.execute_sql(  # expect: SQL101
        "SELECT state, count(*) FROM issue WHERE assignee = '" + assignee + "' GROUP BY state"
    )
    return dict(cursor.fetchall())


def assignee_workload_safe(assignee):
    cursor = db.execute_sql("SELECT state, count(*) FROM issue WHERE assignee = ? GROUP BY state", (assignee,))  # ok: SQL101
    return dict(cursor.fetchall())


def bulk_reassign(old, new):
    with db.atomic():
        Issue.update(assignee=new).where(Issue.assignee == old).execute()
        db.execute_sql("UPDATE issue SET assignee = '%s' WHERE assignee = '%s'" % (new, old))  # expect: SQL101


def run_report(sql, params=()):
    return db.execute_sql(sql, params).fetchall()  # expect: SQL104


def report_for_state(state):
    return run_report("SELECT project_id, count(*) FROM issue WHERE state = '{}' GROUP BY project_id".format(state))  # expect: SQL101


def report_for_state_safe(state):
    return run_report("SELECT project_id, count(*) FROM issue WHERE state = ? GROUP BY project_id", (state,))


def report_sql(owner):
    return "SELECT i.id, i.title FROM issue i JOIN project p ON p.id = i.project_id WHERE p.name = '" + owner + "'"  # expect: SQL102


def vacuum():
    db.execute_sql("VACUUM")
    print(f"VACUUM finished at {datetime.datetime.now():%H:%M}; delete from the backup folder by hand")  # ok: SQL102


def close_stale(days):
    cutoff = datetime.datetime.now() - datetime.timedelta(days=int(days))
    updated = Issue.update(state="closed").where((Issue.created < cutoff) & (Issue.state.in_(OPEN_STATES))).execute()
    return f"Closed {updated} issues; select them under the closed filter"  # ok: SQL102
