"""The Django project's app: what it logs when it starts and when it serves."""

import logging

from django.apps import AppConfig
from django.conf import settings
from django.forms.models import model_to_dict

logger = logging.getLogger(__name__)


class ShopConfig(AppConfig):
    name = "shop"

    def ready(self):
        logger.info("databases %s", settings.DATABASES)  # expect: SQL302
        logger.info("database password %s", settings.DATABASES["default"]["PASSWORD"])  # expect: SQL301
        logger.info("database %s", settings.DATABASES["default"]["NAME"])  # ok
        logger.debug("secret key %s", settings.SECRET_KEY)  # expect: SQL301
        logger.info("debug is %s", settings.DEBUG)  # ok


def profile(request, user):
    logger.debug("POST %s", request.POST)  # expect: SQL304
    logger.debug("session %s", request.COOKIES.get("sessionid"))  # expect: SQL301
    logger.debug("user %s", model_to_dict(user))  # expect: SQL304
    logger.debug("user %s", user.pk)  # ok
