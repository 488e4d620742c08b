"""Cases for SQL4: engine and logger settings that write SQL parameters to the log."""
import logging
import logging.config
import os
from logging import DEBUG, INFO, WARNING

import sqlalchemy as sa
from sqlalchemy import create_engine, engine_from_config
from sqlalchemy.ext.asyncio import create_async_engine

LOG = logging.getLogger(__name__)
DEBUG_SQL = os.environ.get("DEBUG_SQL") == "1"
ECHO = True
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///app.db")
ENGINE_OPTIONS = {"pool_size": 5, "hide_parameters": True}

# --- SQL401: echo without hide_parameters --------------------------------------------------

engine = create_engine(DATABASE_URL, echo=True)  # expect: SQL401
quiet_engine = create_engine(DATABASE_URL)  # ok
hidden_engine = create_engine(DATABASE_URL, echo=True, hide_parameters=True)  # ok
debug_engine = create_engine(DATABASE_URL, echo="debug")  # expect: SQL401
no_echo_engine = create_engine(DATABASE_URL, echo=False)  # ok
dev_engine = create_engine(DATABASE_URL, echo=DEBUG_SQL)  # ok
const_engine = create_engine(DATABASE_URL, echo=ECHO)  # expect: SQL401
options_engine = create_engine(DATABASE_URL, echo=True, **ENGINE_OPTIONS)  # ok
explicit_off = create_engine(DATABASE_URL, echo=True, hide_parameters=False)  # expect: SQL401
pool_echo = create_engine(DATABASE_URL, echo_pool=True)  # ok
module_engine = sa.create_engine(DATABASE_URL, echo=True)  # expect: SQL401
async_engine = create_async_engine("postgresql+asyncpg://app@db/app", echo=True)  # expect: SQL401
async_hidden = create_async_engine("postgresql+asyncpg://app@db/app", echo=True, hide_parameters=True)  # ok
multi_line = create_engine(  # expect: SQL401
    DATABASE_URL,
    pool_pre_ping=True,
    echo=True,
)
config_engine = engine_from_config({"sqlalchemy.url": DATABASE_URL, "sqlalchemy.echo": "true"})  # expect: SQL401
config_hidden = engine_from_config(  # ok
    {"sqlalchemy.url": DATABASE_URL, "sqlalchemy.echo": "true", "sqlalchemy.hide_parameters": "true"},
)
config_quiet = engine_from_config({"sqlalchemy.url": DATABASE_URL})  # ok
prefixed = engine_from_config({"db.url": DATABASE_URL, "db.echo": True}, prefix="db.")  # expect: SQL401


def make_engine(url, echo):
    return create_engine(url, echo=echo)  # ok


def make_debug_engine(url):
    return create_engine(url, echo=True, future=True)  # expect: SQL401


class FakeFactory:
    def create_engine(self, url, echo=False):
        return (url, echo)


def not_sqlalchemy(factory: FakeFactory):
    return factory.create_engine(DATABASE_URL, echo=True)  # ok


# --- SQL402: SQL loggers at INFO/DEBUG ----------------------------------------------------------

logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # expect: SQL402
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)  # ok
logging.getLogger("sqlalchemy").setLevel(DEBUG)  # expect: SQL402
logging.getLogger("sqlalchemy.pool").setLevel(logging.DEBUG)  # ok
logging.getLogger("myapp").setLevel(logging.DEBUG)  # ok
logging.getLogger("django.db.backends").setLevel(logging.INFO)  # ok
logging.getLogger("django.db.backends").setLevel("DEBUG")  # expect: SQL402
engine_logger = logging.getLogger("sqlalchemy.engine")
engine_logger.setLevel(INFO)  # expect: SQL402
engine_logger.setLevel(WARNING)  # ok
engine_logger.setLevel(20)  # expect: SQL402
LOG.setLevel(logging.DEBUG)  # ok

LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": "DEBUG"}},  # ok
    "loggers": {
        "django.db.backends": {"handlers": ["console"], "level": "DEBUG"},  # expect: SQL402
        "sqlalchemy.engine": {"handlers": ["console"], "level": "WARNING"},  # ok
        "sqlalchemy": {"level": "DEBUG" if DEBUG_SQL else "WARNING"},  # ok
        "django.request": {"handlers": ["console"], "level": "DEBUG"},  # ok
        "myapp": {"handlers": ["console"], "level": "INFO"},  # ok
    },
}


def configure_logging():
    logging.config.dictConfig(LOGGING)  # ok
    logging.config.dictConfig({  # ok
        "version": 1,
        "loggers": {"sqlalchemy.engine": {"level": logging.INFO}},  # expect: SQL402
    })
    logging.basicConfig(level=logging.DEBUG)  # ok


# --- log calls around engines: SQL3 look-alikes ------------------------------------------------

def connect(url, echo_sql):
    LOG.info("echo is %s", echo_sql)  # ok
    LOG.info("engine %s", engine.url)  # ok
    LOG.info("dialect %s", engine.dialect.name)  # ok
    LOG.info("pool size %s", engine.pool.size())  # ok
    LOG.info("connecting to %s", url)  # ok
    LOG.info("connecting to %s", DATABASE_URL)  # expect: SQL302
    return engine.connect()
