"""Settings: database URL, logging and the SQLAlchemy engine."""
import logging
import logging.config
import os

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

LOG = logging.getLogger(__name__)

DEBUG = os.environ.get("SHOP_DEBUG") == "1"
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///shop.db")
SQLITE_PATH = os.environ.get("SHOP_SQLITE_PATH", "shop.db")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "DEBUG" if DEBUG else "INFO"},
    "loggers": {
        "sqlalchemy.engine": {"level": "WARNING"},
    },
}


def configure_logging():
    logging.config.dictConfig(LOGGING)


def make_engine():
    LOG.info("connecting to %s", DATABASE_URL)
    return create_engine(DATABASE_URL, echo=True, pool_pre_ping=True)


Session = sessionmaker(bind=make_engine())
