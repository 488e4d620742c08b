"""An oslo.config service: options registered in groups, logged when the service starts."""

from oslo_config import cfg
from oslo_log import log as logging

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

database_opts = [cfg.StrOpt("connection", secret=True), cfg.IntOpt("max_pool_size", default=5)]
CONF.register_opts(database_opts, group="database")
CONF.register_opts([cfg.StrOpt("transport_url", secret=True)])


def start(engine):
    LOG.info("database at %s", CONF.database.connection)  # expect: SQL302
    LOG.info("pool of %d", CONF.database.max_pool_size)  # ok
    LOG.info("messaging at %s", CONF.transport_url)  # expect: SQL302
    LOG.debug("service user password %s", CONF.keystone_authtoken.password)  # expect: SQL301
    LOG.debug("service user %s", CONF.keystone_authtoken.username)  # ok
    LOG.info("engine for %s", engine.url)  # ok: a URL object prints without its password


def report_usage(conn, project_id):
    rows = conn.execute("SELECT * FROM quota_usages WHERE project_id = %s", (project_id,))  # expect: SQL103
    LOG.debug("usages %s", rows.fetchall())  # expect: SQL304
    LOG.debug("%d usages for %s", rows.rowcount, project_id)  # ok
