"""A FastAPI app with pydantic settings."""

import logging

from fastapi import FastAPI, HTTPException, Request
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

logger = logging.getLogger(__name__)
app = FastAPI()


class Settings(BaseSettings):
    database_dsn: str
    api_key: SecretStr
    workers: int = 4


settings = Settings()


@app.on_event("startup")
def startup():
    logger.info("database %s", settings.database_dsn)  # expect: SQL302
    logger.info("api key %s", settings.api_key)  # ok: a SecretStr prints as stars
    logger.info("api key %s", settings.api_key.get_secret_value())  # expect: SQL301
    logger.info("workers %s", settings.workers)  # ok


@app.post("/items")
async def create_item(request: Request, session):
    logger.debug("body %s", await request.json())  # expect: SQL304
    logger.debug("session %s", request.cookies.get("session"))  # expect: SQL301
    try:
        session.execute(text("INSERT INTO items (name) VALUES (:name)"), {"name": "x"})  # expect: SQL103
    except IntegrityError as exc:
        raise HTTPException(status_code=409, detail=str(exc))  # expect: SQL305
    return {"ok": True}
