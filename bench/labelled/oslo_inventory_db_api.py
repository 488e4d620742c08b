# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""SQLAlchemy storage backend of the inventory service (oslo.db enginefacade style)."""

import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import sql
from sqlalchemy.sql import expression

from inventory.common import exception
from inventory.db.sqlalchemy import models

LOG = logging.getLogger(__name__)
_CONTEXT = threading.local()

_SORT_KEYS = ("created_at", "updated_at", "hostname", "uuid", "vcpus")
_SORT_DIRS = ("asc", "desc")
_EXACT_FILTERS = ("project_id", "hostname", "state", "availability_zone")
_REGEX_FILTERS = ("hostname", "display_name")


def _session_for_read():
    return enginefacade.reader.using(_CONTEXT)


def _session_for_write():
    return enginefacade.writer.using(_CONTEXT)


def model_query(context, model, *args, **kwargs):
    read_deleted = kwargs.get("read_deleted", "no")
    query = context.session.query(model, *args)
    if read_deleted == "no":
        query = query.filter(model.deleted == 0)
    return query


def _paginate(query, model, sort_key, sort_dir):
    if sort_key not in _SORT_KEYS:
        raise exception.InvalidSortKey(key=sort_key)
    if sort_dir not in _SORT_DIRS:
        raise exception.InvalidInput(reason="sort_dir must be asc or desc")
    column = getattr(model, sort_key)
    return query.order_by(column.desc() if sort_dir == "desc" else column.asc())  # ok: SQL201


def _paginate_text(query, sort_key, sort_dir):
    return query.order_by(sql.text("%s %s" % (sort_key, sort_dir)))  # expect: SQL201


def _paginate_checked_text(query, sort_key, sort_dir):
    if sort_key not in _SORT_KEYS or sort_dir not in _SORT_DIRS:
        raise exception.InvalidSortKey(key=sort_key)
    return query.order_by(sql.text("%s %s" % (sort_key, sort_dir)))  # ok: SQL201


def _paginate_by_name(query, sort_key):
    return query.order_by(sort_key)  # expect: SQL203


def _exact_filter(query, model, filters):
    for key in _EXACT_FILTERS:
        if key in filters:
            query = query.filter(getattr(model, key) == filters[key])  # ok: SQL201
    return query


def _legacy_exact_filter(query, model, filters):
    for key, value in filters.items():
        query = query.filter(sql.text("%s.%s = :value" % (model.__tablename__, key))).params(value=value)  # expect: SQL201
    return query


def _regex_filter(query, model, filters, dialect_name):
    regexp_op = {"postgresql": "~", "mysql": "REGEXP", "sqlite": "REGEXP"}.get(dialect_name, "LIKE")
    for key in _REGEX_FILTERS:
        if key not in filters:
            continue
        column_attr = getattr(model, key)
        if regexp_op == "LIKE":
            query = query.filter(column_attr.like("%" + str(filters[key]) + "%"))  # ok: SQL201
        else:
            query = query.filter(column_attr.op(regexp_op)(str(filters[key])))  # ok: SQL201
    return query


def _column_filter(query, model, key, value):
    return query.filter(expression.literal_column(f"{model.__tablename__}.{key}") == value)  # expect: SQL201


def _changes_since(query, model, changes_since):
    return query.filter(sql.text(f"{model.__tablename__}.updated_at >= '{changes_since}'"))  # expect: SQL201


def _tag_filter(query, tags):
    tag_list = ",".join("'%s'" % t for t in tags)
    return query.filter(sql.text("id IN (SELECT host_id FROM host_tags WHERE tag IN (%s))" % tag_list))  # expect: SQL201


def _tag_filter_safe(query, tags):
    subq = sa.select(models.HostTag.host_id).where(models.HostTag.tag.in_(list(tags)))
    return query.filter(models.Host.id.in_(subq))


@enginefacade.reader
def host_get_all(context, filters=None, sort_key="created_at", sort_dir="desc", limit=None):
    filters = filters or {}
    query = model_query(context, models.Host)
    query = _exact_filter(query, models.Host, filters)
    query = _paginate(query, models.Host, sort_key, sort_dir)
    if limit is not None:
        query = query.limit(int(limit))
    return query.all()


@enginefacade.reader
def host_count_by_project(context, project_id):
    result = context.session.execute(
        sql.text("SELECT COUNT(*) FROM hosts WHERE project_id = :project_id AND deleted = 0"),  # ok: SQL101
        {"project_id": project_id},
    )
    return result.scalar()


@enginefacade.reader
def host_count_in_zone(context, zone):
    return context.session.scalar(sql.text("SELECT COUNT(*) FROM hosts WHERE availability_zone = '%s' AND deleted = 0" % zone))  # expect: SQL101


@enginefacade.reader
def host_usage(context, group_by):
    cols = [expression.column(group_by), sa.func.sum(models.Host.vcpus)]  # expect: SQL203
    return context.session.query(*cols).group_by(expression.column(group_by)).all()  # expect: SQL203


@enginefacade.writer
def host_destroy(context, host_uuid):
    count = (
        model_query(context, models.Host)
        .filter_by(uuid=host_uuid)
        .update({"deleted": models.Host.id, "deleted_at": timeutils.utcnow()}, synchronize_session=False)
    )
    if not count:
        raise exception.HostNotFound(host=host_uuid)


@enginefacade.writer
def purge_shadow_table(context, table_name, before):
    context.session.execute(sa.text(f"DELETE FROM shadow_{table_name} WHERE deleted_at < '{before}'"))  # expect: SQL101


@enginefacade.writer
def purge_shadow_tables(context, before):
    metadata = sa.MetaData()
    conn = context.session.connection()
    for table in reversed(models.BASE.metadata.sorted_tables):
        shadow = sa.Table("shadow_" + table.name, metadata, autoload_with=conn)
        conn.execute(shadow.delete().where(shadow.c.deleted_at < before))  # ok: SQL101


@enginefacade.writer
def set_session_timeout(context, seconds):
    context.session.execute(sa.text("SET SESSION wait_timeout = %d" % int(seconds)))  # ok: SQL101


def archive_sql(table_name, max_rows):
    """Statement used by the archive_deleted_rows command."""
    return "INSERT INTO shadow_%s SELECT * FROM %s WHERE deleted != 0 LIMIT %d" % (table_name, table_name, max_rows)  # expect: SQL102


@enginefacade.writer
def run_statement(context, statement, params=None):
    try:
        return context.session.execute(sa.text(statement), params or {})  # expect: SQL104
    except db_exc.DBDuplicateEntry:
        LOG.warning("Duplicate entry while running a maintenance statement; select a new key")
        raise


def host_action_message(host, action):
    return "Host %s was updated by %s; delete from the aggregate first" % (host, action)  # ok: SQL102
