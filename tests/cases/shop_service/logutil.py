"""Logging helpers of the service: the views hand them what they caught."""

import logging

LOG = logging.getLogger(__name__)


def log_failure(message, exc):
    LOG.error("%s: %s", message, exc)


def log_failure_class(message, exc):
    LOG.error("%s: %s", message, type(exc).__name__)
