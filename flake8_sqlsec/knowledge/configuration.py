"""Where services keep their deployment configuration.

Values read from it are chosen by whoever deploys the service, never sent by a client:
SQL built from them is no injection (a quoting slip at most), so the SQL families treat
them as safe text. Their secrets (a DSN's password, a secret key) are the logging
family's, which labels them by name as for any other value.
"""

from __future__ import annotations

# The object kind the world gives configuration values (an attribute, item or ``get()``
# of one is one too).
CONFIGURATION = "configuration"

# Imported objects that are a configuration: Django's settings, oslo.config's CONF (and
# a project's own ``CONF = cfg.CONF`` re-export: any imported name ``CONF``), Flask's and
# Quart's ``current_app.config``.
CONFIGURATION_QUALNAMES = frozenset(
    (
        "django.conf.settings",
        "oslo_config.cfg.CONF",
        "flask.current_app.config",
        "quart.current_app.config",
    )
)
CONFIGURATION_NAMES = frozenset(("CONF",))

# Attributes that hold one, on whatever object: a Django connection's ``settings_dict``,
# a Flask app's ``config``.
CONFIGURATION_ATTRIBUTES = frozenset(("settings_dict",))
APP_CONFIGURATION_ATTRIBUTE = "config"
# ... on an application, by what it is or by the name it is read from.
APP_NAMES = frozenset(("app", "application", "current_app", "flask_app"))

# An engine's ``url`` is the DSN it was configured with (``engine.url.database``).
ENGINE_URL_ATTRIBUTE = "url"
ENGINE_KINDS = frozenset(("sqlalchemy.engine",))

# Methods of a configuration that read a value of it.
CONFIGURATION_READS = frozenset(
    ("get", "copy", "pop", "setdefault", "upper", "lower", "strip", "keys", "values", "items")
)
