"""Engine and logger settings that write SQL parameters to the log (SQL4): the engine
factories and where their settings are, the SQL loggers and the levels at which they log
statements with their parameters."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

# Engine factories and the argument that holds a configuration dict (engine_from_config).
ENGINE_FACTORIES: Dict[str, Optional[int]] = {
    "sqlalchemy.create_engine": None,
    "sqlalchemy.ext.asyncio.create_async_engine": None,
    "sqlalchemy.ext.asyncio.engine.create_async_engine": None,
    "sqlalchemy.engine_from_config": 0,
    "sqlalchemy.ext.asyncio.async_engine_from_config": 0,
    "sqlalchemy.ext.asyncio.engine.async_engine_from_config": 0,
}
# SQL loggers and the levels at which they write statements with their parameters.
SQL_LOGGERS: Dict[str, Tuple[str, ...]] = {
    "sqlalchemy": ("INFO", "DEBUG"),
    "sqlalchemy.engine": ("INFO", "DEBUG"),
    "sqlalchemy.engine.Engine": ("INFO", "DEBUG"),
    "sqlalchemy.engine.base.Engine": ("INFO", "DEBUG"),
    "django.db.backends": ("DEBUG",),
}
LEVEL_NUMBERS = {10: "DEBUG", 20: "INFO"}
GET_LOGGER = frozenset(("logging.getLogger", "oslo_log.log.getLogger"))
TRUE_TEXTS = frozenset(("True", "1", "true", "debug", "yes", "on"))
