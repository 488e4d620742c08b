"""Loggers: the methods that write a log line or bind fields to later lines, the logging
functions, the names and classes that are loggers; and the calls that only show text to
a person (print, warnings, flash, the logging functions), where SQL text is not run.
"""

from __future__ import annotations

# Methods that write a log line. ``log`` takes the level first and the message second.
LOG_METHODS = frozenset(
    (
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "log",
        "trace",
        "success",
        "msg",
    )
)

# Methods whose keywords become fields of every later line (structlog, loguru).
BIND_METHODS = frozenset(("bind", "new"))

# Functions of the logging module that log to the root logger.
LOG_FUNCTIONS = frozenset(
    "logging." + name for name in ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log")
)

# Functions whose keywords become fields of later lines.
BIND_FUNCTIONS = frozenset(
    (
        "structlog.contextvars.bind_contextvars",
        "structlog.threadlocal.bind_threadlocal",
    )
)

# Imported names that are loggers themselves (``from loguru import logger``).
LOGGER_QUALNAMES = frozenset(("loguru.logger", "logging.root", "logging"))

# Base classes that make a class of the file a logger.
LOGGER_CLASSES = frozenset(
    (
        "logging.Logger",
        "logging.LoggerAdapter",
        "structlog.stdlib.BoundLogger",
        "structlog.BoundLogger",
        "oslo_log.log.KeywordArgumentAdapter",
    )
)

# Calls that show text to a person: SQL text passed to them is not executed.
DISPLAY_FUNCTIONS = frozenset(
    (
        "print",
        "warnings.warn",
        "click.echo",
        "click.secho",
        "pytest.fail",
        "flash",
        "flask.flash",
        "typer.echo",
        "logging.debug",
        "logging.info",
        "logging.warning",
        "logging.warn",
        "logging.error",
        "logging.exception",
        "logging.critical",
        "logging.fatal",
        "logging.log",
        "pprint.pprint",
        "sys.exit",
        "tqdm.tqdm.write",
        "rich.print",
    )
)

# Methods that show text to a person on any receiver (click's echo, unittest's skipTest,
# Django admin's message_user...).
DISPLAY_METHODS = frozenset(("echo", "fail", "skipTest", "warn", "add_message", "message_user"))

# Methods of Django's ``messages`` that show text to a person.
MESSAGE_METHODS = frozenset(("error", "info", "warning", "success", "debug"))
