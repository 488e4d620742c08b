"""Which exception types are database errors, by the libraries' exception hierarchies
(``knowledge.db_errors``)."""

from __future__ import annotations

from typing import Optional

from ..knowledge.db_errors import DBAPI_NAMES, DRIVER_ROOTS, NOT_DB_ROOTS, SQLALCHEMY_NO_STATEMENT, STDLIB
from .names import canonical


def known_db_error(qualname: str) -> Optional[bool]:
    """True or False for an exception of a known library, None for one we do not know."""
    q = canonical(qualname)
    root = q.split(".", 1)[0]
    last = q.rsplit(".", 1)[-1]
    if q.startswith("sqlalchemy.exc."):
        return last not in SQLALCHEMY_NO_STATEMENT
    if q.startswith("oslo_db.exception."):
        return last.startswith(("DB", "Db"))
    if q.startswith(("django.db.utils.", "django.db.")) and q.count(".") <= 3:
        return last in DBAPI_NAMES
    if root == "peewee":
        return last.endswith("Error") or last == "PeeweeException"
    if root in DRIVER_ROOTS:
        if root == "mysql" and not q.startswith("mysql.connector"):
            return None
        return (
            last.endswith("Error")
            or last in DBAPI_NAMES
            or any(part in q for part in (".errors.", ".err.", ".exceptions.", "._exceptions."))
        )
    if root in NOT_DB_ROOTS or root in STDLIB or "." not in q:
        return False
    return None
