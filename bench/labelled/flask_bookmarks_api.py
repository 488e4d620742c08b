# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""HTTP API of the bookmarks service: a small Flask blueprint over sqlite3."""
import sqlite3

from flask import Blueprint, abort, current_app, g, jsonify, request

bp = Blueprint("bookmarks", __name__, url_prefix="/api/bookmarks")

BOOKMARKS_TABLE = "bookmarks"
SORTABLE = {"created_at", "title", "visits"}
EDITABLE = ("title", "url", "notes")
PAGE_SIZE = 50


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def query_db(sql, args=(), one=False):
    """Run a statement and return all rows (or the first one)."""
    cur = get_db().execute(sql, args)  # expect: SQL104
    rows = cur.fetchall()
    cur.close()
    return (rows[0] if rows else None) if one else rows


@bp.route("/search")
def search():
    term = request.args.get("q", "")
    rows = get_db().execute(  # expect: SQL101
        f"SELECT id, url, title FROM bookmarks WHERE title LIKE '%{term}%' ORDER BY visits DESC"
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.route("/search/v2")
def search_v2():
    term = request.args.get("q", "")
    rows = get_db().execute(  # ok: SQL101
        "SELECT id, url, title FROM bookmarks WHERE title LIKE ? ORDER BY visits DESC",
        (f"%{term}%",),
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.route("/")
def list_bookmarks():
    owner = int(request.args["owner"])
    sort = request.args.get("sort", "created_at")
    if sort not in SORTABLE:
        abort(400, description="unknown sort column")
    direction = "DESC" if request.args.get("desc") else "ASC"
    sql = f"SELECT * FROM {BOOKMARKS_TABLE} WHERE owner_id = ? ORDER BY {sort} {direction} LIMIT {PAGE_SIZE}"
    rows = get_db().execute(sql, (owner,)).fetchall()  # ok: SQL101
    return jsonify([dict(r) for r in rows])


@bp.route("/recent")
def recent():
    order = request.args.get("order", "created_at DESC")
    sql = "SELECT id, url FROM bookmarks ORDER BY " + order
    rows = get_db().execute(sql).fetchall()  # expect: SQL101
    return jsonify([dict(r) for r in rows])


@bp.route("/by-ids")
def by_ids():
    ids = [int(i) for i in request.args.getlist("id")]
    marks = ",".join("?" for _ in ids)
    rows = get_db().execute(f"SELECT * FROM bookmarks WHERE id IN ({marks})", ids).fetchall()  # ok: SQL101
    return jsonify([dict(r) for r in rows])


@bp.route("/by-tag")
def by_tag():
    tags = request.args.getlist("tag")
    tag_list = ", ".join(f"'{t}'" for t in tags)
    query = "SELECT b.* FROM bookmarks b JOIN tags t ON t.bookmark_id = b.id WHERE t.name IN (%s)" % tag_list
    rows = get_db().execute(query).fetchall()  # expect: SQL101
    return jsonify([dict(r) for r in rows])


@bp.route("/<int:bookmark_id>", methods=["PATCH"])
def update_bookmark(bookmark_id):
    changes = request.get_json()
    assignments = ", ".join(f"{col} = ?" for col in changes)
    get_db().execute(  # expect: SQL101
        f"UPDATE bookmarks SET {assignments} WHERE id = ?",
        [*changes.values(), bookmark_id],
    )
    get_db().commit()
    return "", 204


@bp.route("/<int:bookmark_id>/fields", methods=["PATCH"])
def update_bookmark_fields(bookmark_id):
    changes = {k: v for k, v in request.get_json().items() if k in EDITABLE}
    if not changes:
        abort(400, description="nothing to update")
    assignments = ", ".join(f"{col} = ?" for col in changes)
    get_db().execute(f"UPDATE bookmarks SET {assignments} WHERE id = ?", [*changes.values(), bookmark_id])  # ok: SQL101
    get_db().commit()
    return "", 204


@bp.route("/top")
def top():
    limit = request.args.get("limit", 10, type=int)
    rows = get_db().execute("SELECT url, visits FROM bookmarks ORDER BY visits DESC LIMIT %d" % limit).fetchall()  # ok: SQL101
    return jsonify([dict(r) for r in rows])


@bp.route("/page/<int:page>")
def page(page):
    offset = int(page) * PAGE_SIZE
    rows = get_db().execute(f"SELECT * FROM bookmarks ORDER BY id LIMIT {PAGE_SIZE} OFFSET {offset}").fetchall()  # ok: SQL101
    return jsonify([dict(r) for r in rows])


@bp.route("/<int:bookmark_id>", methods=["DELETE"])
def delete_bookmark(bookmark_id):
    cur = get_db().execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))  # ok: SQL101
    get_db().commit()
    if cur.rowcount == 0:
        abort(404, description=f"No bookmark {bookmark_id} to delete from your list")  # ok: SQL102
    current_app.logger.debug(f"DELETE FROM bookmarks WHERE id = {bookmark_id} done")  # ok: SQL102
    return "", 204


@bp.route("/admin/columns/<name>")
def table_columns(name):
    rows = get_db().execute(f"PRAGMA table_info({name})").fetchall()  # expect: SQL101
    return jsonify([r["name"] for r in rows])


@bp.route("/admin/columns-checked/<name>")
def table_columns_checked(name):
    known = {row[0] for row in get_db().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if name not in known:
        abort(404)
    rows = get_db().execute(f'PRAGMA table_info("{name}")').fetchall()  # ok: SQL101
    return jsonify([r["name"] for r in rows])


@bp.route("/owner/<login>")
def owner_bookmarks(login):
    user = query_db("SELECT id FROM users WHERE login = ?", (login,), one=True)
    if user is None:
        abort(404, description=f"select a different user: {login} is unknown")  # ok: SQL102
    return jsonify([dict(r) for r in query_db("SELECT * FROM bookmarks WHERE owner_id = ?", (user["id"],))])


@bp.route("/owner-by-email")
def owner_by_email():
    email = request.args["email"]
    user = query_db(f"SELECT id, login FROM users WHERE email = '{email}'", one=True)  # expect: SQL101
    return jsonify(dict(user) if user else {})


def export_query(owner_login):
    """Statement that the nightly exporter runs for one user."""
    return "SELECT b.url, b.title FROM bookmarks b JOIN users u ON u.id = b.owner_id WHERE u.login = '%s'" % owner_login  # expect: SQL102


def export_query_safe():
    """Same export, with the login bound by the exporter."""
    return "SELECT b.url, b.title FROM bookmarks b JOIN users u ON u.id = b.owner_id WHERE u.login = ?"


@bp.route("/stats")
def stats():
    period = request.args.get("period", "7")
    rows = get_db().execute(  # expect: SQL101
        "SELECT date(created_at) AS day, count(*) AS n FROM bookmarks "
        "WHERE created_at > date('now', '-" + period + " days') GROUP BY day"
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.route("/stats/v2")
def stats_v2():
    days = request.args.get("period", 7, type=int)
    rows = get_db().execute(  # ok: SQL101
        "SELECT date(created_at) AS day, count(*) AS n FROM bookmarks "
        "WHERE created_at > date('now', ?) GROUP BY day",
        (f"-{days} days",),
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.route("/import", methods=["POST"])
def import_bookmarks():
    items = request.get_json()
    db = get_db()
    db.executemany(  # ok: SQL101
        "INSERT INTO bookmarks (owner_id, url, title) VALUES (?, ?, ?)",
        [(int(i["owner"]), i["url"], i.get("title")) for i in items],
    )
    db.commit()
    current_app.logger.info("Inserted %d rows into %s", len(items), BOOKMARKS_TABLE)
    return jsonify({"message": f"Imported {len(items)} bookmarks; update the page to see them"})  # ok: SQL102
