"""A Django project's settings module."""

import logging
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": os.environ.get("DB_PASSWORD", ""),
    }
}
DEBUG = False

logger = logging.getLogger(__name__)
logger.info("database %s as %s", DATABASES["default"]["NAME"], DATABASES["default"]["USER"])  # ok
logger.debug("databases %s", DATABASES)  # expect: SQL302
logger.debug("password %s", DATABASES["default"]["PASSWORD"])  # expect: SQL301
