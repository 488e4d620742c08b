"""Cases for SQL3: secrets, connection details, database errors and dumps in log calls,
and database error text sent to clients (SQL305).

OpenStack-style module: ``LOG`` comes from oslo_log, the standard library's logging is
imported under another name, and the other libraries appear as they do in real code.
"""
import getpass
import hashlib
import json
import logging as std_logging
import os
import secrets
import sqlite3

import keyring
import psycopg2
import psycopg2.errors
import pymysql
import sqlalchemy.exc
import structlog
import webob.exc
from aiohttp import web
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.forms.models import model_to_dict
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from fastapi import APIRouter, HTTPException
from flask_appbuilder.api import BaseApi
from flask import Flask, abort, current_app, jsonify, request
from loguru import logger
from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_utils import strutils
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from sqlalchemy import exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm.exc import NoResultFound

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
audit_log = std_logging.getLogger("audit")
slog = structlog.get_logger()
app = Flask(__name__)

PASSWORD_PLACEHOLDER = "********"
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///app.db")
API_TOKEN_HEADER = "X-Api-Token"


# --- stdlib logging and oslo_log: secrets ----------------------------------------------

def authenticate(username, password, otp_attempts, remember):
    LOG.debug("authenticating %s with password %s", username, password)  # expect: SQL301
    LOG.debug("authenticating %s", username)  # ok
    LOG.info("Invalid password for %s", username)  # ok
    LOG.info("password reset requested for %s", username)  # ok
    LOG.debug("password length %d", len(password))  # ok
    LOG.debug("password given: %s", bool(password))  # ok
    LOG.debug("masked: %s", strutils.mask_password(password))  # ok
    LOG.debug(f"login {username}:{password}")  # expect: SQL301
    LOG.debug("login " + username + " / " + password)  # expect: SQL301
    LOG.debug("login %s / %s" % (username, password))  # expect: SQL301
    LOG.debug("login {} {}".format(username, password))  # expect: SQL301
    LOG.debug("login {user} {pw}".format(user=username, pw=PASSWORD_PLACEHOLDER))  # ok
    LOG.debug("attempts left: %s", otp_attempts)  # ok
    audit_log.info("remember me: %s", remember)  # ok


def change_password(user, old_password, new_password, password_policy, password_reset_url):
    LOG.info("user %s changed password", user.id)  # ok
    LOG.info("policy %s applies", password_policy)  # ok
    LOG.info("reset link: %s", password_reset_url)  # ok
    LOG.debug("old=%s new=%s", old_password, new_password)  # expect: SQL301
    LOG.debug("hash: %s", user.password_hash)  # ok
    LOG.debug("hashed: %s", user.hashed_password)  # ok
    LOG.debug("stored: %s", user.password)  # expect: SQL301
    LOG.debug("same as before: %s", old_password == new_password)  # ok
    LOG.debug("first chars: %s...", new_password[:2])  # ok


def call_api(session, api_key, access_token, token_count, page_token, next_token, token_type):
    LOG.debug("calling with key %s", api_key)  # expect: SQL301
    LOG.debug("bearer %s", access_token)  # expect: SQL301
    LOG.debug("used %d tokens, %s", token_count, token_type)  # ok
    LOG.debug("page %s then %s", page_token, next_token)  # ok
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    LOG.debug("headers: %s", headers)  # expect: SQL301
    LOG.debug("accept: %s", headers["Accept"])  # ok
    LOG.debug("auth: %s", headers["Authorization"])  # expect: SQL301
    LOG.debug("token header is %s", API_TOKEN_HEADER)  # ok
    response = session.get("https://api.example.com/items", headers=headers)
    LOG.info("status %s", response.status_code)  # ok
    return response


def load_settings():
    client_secret = os.environ["OAUTH_CLIENT_SECRET"]
    LOG.info("client secret loaded: %s", client_secret)  # expect: SQL301
    secret = os.getenv("APP_SECRET")
    LOG.info("secret is %s", secret)  # expect: SQL301
    secret_name = os.getenv("SECRET_NAME", "prod/app")
    LOG.info("reading secret %s", secret_name)  # ok
    secret_arn = os.getenv("SECRET_ARN")
    LOG.info("secret arn %s", secret_arn)  # ok
    LOG.info("django key %s", settings.SECRET_KEY)  # expect: SQL301
    LOG.info("debug is %s", settings.DEBUG)  # ok
    return client_secret


def issue_tokens(user, token_factory):
    refresh_token = token_factory.refresh(user)
    message = "issued refresh token %s for %s" % (refresh_token, user.id)
    LOG.info(message)  # expect: SQL301
    summary = "issued tokens for %s" % user.id
    LOG.info(summary)  # ok
    masked = strutils.mask_password(refresh_token)
    LOG.info("issued %s", masked)  # ok
    refresh_token = strutils.mask_password(refresh_token)
    LOG.info("issued %s", refresh_token)  # ok
    LOG.info("token ttl %s", token_factory.refresh_token_ttl)  # ok
    return message


def payment(card_number, cvv, ssn, card_last4, amount):
    LOG.info("charging card %s cvv %s", card_number, cvv)  # expect: SQL301
    LOG.info("charging card ending %s: %s", card_last4, amount)  # ok
    LOG.info("customer ssn %s", ssn)  # expect: SQL301
    LOG.info("amount %.2f", amount)  # ok


def credentials_for(creds, credentials_file, private_key, private_key_path):
    LOG.debug("credentials: %s", creds)  # expect: SQL301
    LOG.debug("reading credentials from %s", credentials_file)  # ok
    LOG.debug("key: %s", private_key)  # expect: SQL301
    LOG.debug("key path: %s", private_key_path)  # ok


def policy_check_failed(context, action):
    # oslo.context's policy values are ids, roles and scope: the token is left out
    LOG.debug("policy failed for %(credentials)s", {"credentials": context.to_policy_values()})  # ok
    credentials = context.to_policy_values()
    LOG.debug("policy %s failed for %s", action, credentials)  # ok
    LOG.debug("policy failed for %(credentials)s", {"credentials": context.credentials})  # expect: SQL301


def mask_dict(params):
    LOG.debug("request params %s", strutils.mask_dict_password(params))  # ok
    LOG.debug("request params %s", json.dumps({"user": params["user"], "password": params["password"]}))  # expect: SQL301
    LOG.debug("request params %s", json.dumps({"user": params["user"], "password": "***"}))  # ok
    LOG.debug("%(user)s logged in", {"user": params["user"], "password": params["password"]})  # ok
    LOG.debug("%(user)s logged in with %(password)s", {"user": params["user"], "password": params["password"]})  # expect: SQL301
    LOG.debug("params %s", {"user": params["user"], "token_count": 3})  # ok


class TokenCache:
    """Not a logger: a cache whose methods happen to be called info() and error()."""

    def info(self, key, value):
        return key, value

    def error(self, key):
        return key


def cache_and_parser(cache: TokenCache, parser, token):
    cache.info("token", token)  # ok
    parser.error("bad token %s" % token)  # ok
    print("token", token)  # ok


# --- the message built elsewhere -------------------------------------------------------

def connect_string(host, user, password):
    dsn = f"host={host} user={user} password={password}"
    LOG.debug("connecting: %s", dsn)  # expect: SQL301, SQL302
    target = f"host={host} user={user}"
    LOG.debug("connecting: %s", target)  # ok
    return psycopg2.connect(dsn)


# --- connection details -----------------------------------------------------------------

def start_engine(database_url, db_url_env):
    LOG.info("database at %s", database_url)  # expect: SQL302
    LOG.info("reading the URL from %s", db_url_env)  # ok
    LOG.info("database at %s", DATABASE_URL)  # expect: SQL302
    url = make_url(database_url)
    LOG.info("database at %s", url.render_as_string(hide_password=True))  # ok
    LOG.info("database at %s", url.render_as_string(hide_password=False))  # expect: SQL302
    LOG.info("database at %s", url.render_as_string())  # ok
    LOG.info("database user %s on %s", url.username, url.host)  # ok
    LOG.info("database password %s", url.password)  # expect: SQL302
    LOG.info("connection %s", CONF.database.connection)  # expect: SQL302
    LOG.info("max pool %s", CONF.database.max_pool_size)  # ok
    LOG.info("databases %s", settings.DATABASES)  # expect: SQL302
    LOG.info("database engine %s", settings.DATABASES["default"]["ENGINE"])  # ok
    LOG.info("default database %s", settings.DATABASES["default"])  # expect: SQL302
    LOG.info("database password %s", settings.DATABASES["default"]["PASSWORD"])  # expect: SQL301
    LOG.info("sqlalchemy uri %s", current_app.config["SQLALCHEMY_DATABASE_URI"])  # expect: SQL302
    LOG.info("masked %s", strutils.mask_password(database_url))  # ok


# --- database exceptions ----------------------------------------------------------------

def save_order(session, order):
    try:
        session.add(order)
        session.commit()
    except exc.IntegrityError as err:
        session.rollback()
        LOG.error("duplicate order: %s", err)  # expect: SQL303
        LOG.error("duplicate order %s", order.id)  # ok
        LOG.error("duplicate order: %s", str(err))  # expect: SQL303
        LOG.error(f"duplicate order: {err!r}")  # expect: SQL303
        LOG.error("failed statement %s", err.statement)  # expect: SQL303
        LOG.error("failed with %s", err.params)  # expect: SQL303
        LOG.error("driver said %s", err.orig)  # expect: SQL303
        reason = err.args[0]
        LOG.error("rejected: %s", reason)  # expect: SQL303
        LOG.error("sqlstate %s", err.orig.pgcode)  # ok
        LOG.error("failed: %s", type(err).__name__)  # ok
        LOG.exception("saving order %s failed", order.id)  # expect: SQL306
        raise
    except sqlalchemy.exc.SQLAlchemyError as err:
        session.rollback()
        detail = f"saving failed: {err}"
        LOG.error(detail)  # expect: SQL303
        LOG.error("saving failed: %s", err.__class__.__name__)  # ok
        raise
    except ValueError as err:
        LOG.error("bad order: %s", err)  # ok
    except OSError as err:
        LOG.error("disk: %s", err)  # ok


def find_order(session, order_id):
    try:
        return session.query_one(order_id)
    except NoResultFound as err:
        LOG.info("no order %s: %s", order_id, err)  # ok
    except sa_exc_alias_missing() as err:  # an unresolvable type: not a database error
        LOG.info("other: %s", err)  # ok
    return None


def sa_exc_alias_missing():
    return LookupError


def oslo_db_api(context, values):
    try:
        return context.session.add(values)
    except db_exc.DBDuplicateEntry as e:
        LOG.warning("duplicate on columns %s", e.columns)  # ok
        LOG.warning("duplicate value %s", e.value)  # expect: SQL303
        LOG.warning("duplicate: %s", e)  # expect: SQL303
    except db_exc.DBDeadlock:
        LOG.warning("deadlock, retrying")  # ok
    return None


def psycopg2_insert(conn, row):
    with conn.cursor() as cur:
        try:
            cur.copy_from(row, "audit")
        except psycopg2.errors.UniqueViolation as e:
            LOG.warning("duplicate: %s", e.diag.message_detail)  # expect: SQL303
            LOG.warning("duplicate on %s", e.diag.constraint_name)  # ok
        except psycopg2.Error as e:
            LOG.error("insert failed: %s", e.pgerror)  # expect: SQL303
            LOG.error("insert failed: %s", e.pgcode)  # ok
            conn.rollback()


def mysql_and_sqlite(conn, path):
    try:
        conn.commit()
    except pymysql.err.OperationalError as e:
        LOG.error("mysql: %s", e.args)  # expect: SQL303
        LOG.error("mysql errno %s", e.args[0] if isinstance(e.args[0], int) else -1)  # expect: SQL303
    try:
        sqlite3.connect(path).close()
    except sqlite3.Error as e:
        LOG.error("sqlite: %s", e)  # expect: SQL303
        LOG.error("sqlite error %s", e.sqlite_errorname)  # ok


class RepositoryError(DatabaseError):
    """A project exception that is a Django database error."""


class ValidationProblem(ValueError):
    """A project exception that is not."""


def django_view(request_, form):
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError as e:
        LOG.warning("could not save: %s", e)  # expect: SQL303
        return JsonResponse({"error": "conflict"}, status=409)
    except RepositoryError as e:
        LOG.warning("repository: %s", e)  # expect: SQL303
    except ValidationProblem as e:
        LOG.warning("invalid: %s", e)  # ok
    return JsonResponse({"ok": True})


# --- session cookies: a credential whatever the variable is called ---------------------


@app.route("/whoami")
def whoami():
    LOG.info("visitor cookie %s", request.cookies.get("session"))  # expect: SQL301
    sid = request.cookies.get("remember_token")
    LOG.debug("remembered %s", sid)  # expect: SQL301
    LOG.info("theme %s", request.cookies.get("theme"))  # ok: a preference
    return "ok"


def django_whoami(request):
    LOG.info("visitor %s", request.COOKIES["sessionid"])  # expect: SQL301
    LOG.info("language %s", request.COOKIES.get("django_language"))  # ok
    return JsonResponse({"ok": True})


# --- tracebacks of database errors (SQL306, audit) ------------------------------------


def archive_orders(session, orders):
    try:
        orders.archive(session)
    except sqlalchemy.exc.OperationalError:
        LOG.error("archiving %d orders failed", len(orders), exc_info=True)  # expect: SQL306
        raise
    except db_exc.DBDeadlock:
        LOG.warning("deadlock while archiving, retrying", exc_info=False)  # ok
    except OSError:
        LOG.exception("archive file unavailable")  # ok: not a database error


# --- the value decides, not the name ---------------------------------------------------


def rotate_credentials(user, tokens, vault):
    entered = getpass.getpass("New password: ")
    LOG.info("rotating for %s with %s", user, entered)  # expect: SQL301
    issued = secrets.token_urlsafe(32)
    LOG.debug("issued %s", issued)  # expect: SQL301
    LOG.debug("issued %d characters", len(issued))  # ok
    LOG.debug("issued %s", hashlib.sha256(issued.encode()).hexdigest()[:8])  # ok
    LOG.info("vault copy %s", keyring.get_password("billing", user))  # expect: SQL301
    token = len(tokens)
    LOG.info("token count %s", token)  # ok: a number, whatever its name
    secret_configured = vault is not None
    LOG.info("secret configured: %s", secret_configured)  # ok: a flag
    password_dir = os.getcwd()
    LOG.info("password dir %s", password_dir)  # ok
    return issued


# --- database errors sent to clients (SQL305) ------------------------------------------

router = APIRouter()


def update_aggregates(req, resource_provider, aggregate_uuids):
    """A placement-style handler: the 409's detail is what the client reads."""
    try:
        resource_provider.set_aggregates(aggregate_uuids)
    except db_exc.DBDuplicateEntry as exc:
        raise webob.exc.HTTPConflict(  # expect: SQL305
            "Update conflict: %(error)s" % {"error": exc}
        )


def create_provider(req, provider):
    try:
        provider.create()
    except db_exc.DBDuplicateEntry as exc:
        LOG.debug("duplicate provider %s: %s", provider.uuid, type(exc).__name__)  # ok
        raise webob.exc.HTTPConflict("Conflicting resource provider %s already exists." % provider.name)  # ok
    except db_exc.DBError as exc:
        explanation = "Database failure: %s" % exc
        raise webob.exc.HTTPInternalServerError(explanation=explanation)  # expect: SQL305


@app.route("/orders", methods=["POST"])
def add_order(db, payload):
    try:
        db.session.add(payload)
        db.session.commit()
    except sqlalchemy.exc.IntegrityError as e:
        db.session.rollback()
        return {"error": str(e.orig)}, 409  # expect: SQL305
    except sqlalchemy.exc.SQLAlchemyError as e:
        db.session.rollback()
        return jsonify(error=str(e)), 500  # expect: SQL305
    return jsonify(ok=True)  # ok


@app.route("/orders/<int:order_id>", methods=["DELETE"])
def delete_order(db, order_id):
    try:
        db.session.delete(db.session.get(order_id))
        db.session.commit()
    except sqlalchemy.exc.OperationalError as e:
        abort(503, description=e.args[0])  # expect: SQL305
    except sqlalchemy.exc.SQLAlchemyError as e:
        error_id = LOG.error("delete failed: %s", type(e).__name__)  # ok
        abort(500, description=f"internal error {error_id}")  # ok
    except ValueError as e:
        abort(400, description=str(e))  # ok: not a database error
    return "", 204


def render_error(e):
    """A helper returning text is no response: what its caller does with it decides."""
    return str(e)  # ok


@router.post("/items")
async def create_item(session, item):
    try:
        session.add(item)
        await session.commit()
    except sqlalchemy.exc.IntegrityError as err:
        message = f"could not save item: {err}"
        raise HTTPException(status_code=400, detail=message)  # expect: SQL305
    except sqlalchemy.exc.DBAPIError as err:
        raise HTTPException(500, "database error: " + str(err.orig))  # expect: SQL305
    return item


def save_profile(request_, form):
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError as e:
        return JsonResponse({"error": str(e)}, status=409)  # expect: SQL305
    except DatabaseError as e:
        messages.error(request_, f"Saving failed: {e}")  # expect: SQL305
        return render(request_, "profile.html", {"form": form, "error": e})  # expect: SQL305
    except ValidationProblem as e:
        return HttpResponseBadRequest(str(e))  # ok
    return JsonResponse({"ok": True})


def api_save(request_, serializer):
    try:
        serializer.save()
    except IntegrityError as e:
        return Response({"detail": e.args}, status=409)  # expect: SQL305
    except DatabaseError as e:
        raise drf_exceptions.APIException(f"storage failed ({e.__class__.__name__})")  # ok
    return Response(serializer.data)


async def aiohttp_handler(request_, pool, repository):
    try:
        async with pool.acquire() as conn:
            await repository.expire_sessions(conn)
    except psycopg2.Error as err:
        raise web.HTTPInternalServerError(text=str(err))  # expect: SQL305
    except psycopg2.errors.UniqueViolation as err:
        raise web.HTTPConflict(text=f"conflict on {err.diag.constraint_name}")  # ok: a name
    return web.json_response({"ok": True})


class CacheRestApi(BaseApi):
    """A Flask-AppBuilder API: ``response_500()`` answers the request with its message."""

    def invalidate(self, db, keys):
        try:
            keys.invalidate(db.session)
            db.session.commit()
        except sqlalchemy.exc.SQLAlchemyError as ex:
            db.session.rollback()
            return self.response_500(str(ex))  # expect: SQL305
        except ValueError as ex:
            return self.response_400(message=str(ex))  # ok
        return self.response(201)


# --- dumps ---------------------------------------------------------------------------------

def checkout(cart, card_number):
    LOG.debug("checkout state %s", locals())  # expect: SQL304
    LOG.debug("checkout state %s", vars(cart))  # expect: SQL304
    LOG.debug("cart %s", cart.__dict__)  # expect: SQL304
    LOG.debug("cart has %d items", len(cart.items))  # ok
    LOG.debug("environment %s", os.environ)  # expect: SQL304
    LOG.debug("environment %s", dict(os.environ))  # expect: SQL304
    LOG.debug("environment variables: %s", sorted(os.environ))  # ok
    LOG.debug("home %s", os.environ.get("HOME"))  # ok
    LOG.debug("has proxy: %s", "HTTP_PROXY" in os.environ)  # ok


@app.post("/signup")
def signup():
    app.logger.info("signup form %s", request.form)  # expect: SQL304
    app.logger.info("signup from %s", request.form.get("email"))  # ok
    app.logger.info("signup with %s", request.form.get("password"))  # expect: SQL301
    app.logger.debug("headers %s", request.headers)  # expect: SQL304
    app.logger.debug("agent %s", request.headers.get("User-Agent"))  # ok
    app.logger.debug("auth %s", request.headers.get("Authorization"))  # expect: SQL301
    current_app.logger.debug("json %s", request.get_json())  # expect: SQL304
    current_app.logger.debug("fields %s", list(request.form.keys()))  # ok
    current_app.logger.debug("cookies %s", request.cookies)  # expect: SQL304
    current_app.logger.debug("path %s", request.path)  # ok
    return {"ok": True}


def django_debug_view(request):
    LOG.debug("POST %s", request.POST)  # expect: SQL304
    LOG.debug("user %s", request.POST.get("username"))  # ok
    LOG.debug("META %s", request.META)  # expect: SQL304
    LOG.debug("method %s", request.method)  # ok
    LOG.debug("session cookie %s", request.COOKIES.get("sessionid"))  # expect: SQL301


# --- structlog and loguru: keyword fields --------------------------------------------------

def structlog_login(username, password, api_token, token_count):
    slog.info("login", user=username, password=password)  # expect: SQL301
    slog.info("login", user=username, password_given=password is not None)  # ok
    slog.info("usage", tokens=token_count, user=username)  # ok
    bound = slog.bind(user=username, api_token=api_token)  # expect: SQL301
    bound.info("request sent")  # ok
    bound = slog.bind(user=username, request_id=os.urandom(8).hex())  # ok
    bound.msg("login", token=api_token)  # expect: SQL301
    structlog.contextvars.bind_contextvars(user=username)  # ok


def loguru_login(username, password, session_token):
    logger.info("login {} {}", username, password)  # expect: SQL301
    logger.info("login {}", username)  # ok
    logger.bind(session_token=session_token).info("session opened")  # expect: SQL301
    logger.bind(user=username).info("session opened")  # ok
    logger.opt(lazy=True).debug("token {}", lambda: session_token)  # ok
    logger.success("login of {user}", user=username)  # ok
    logger.trace("login of {user} {secret}", user=username, secret=session_token)  # expect: SQL301


def extra_fields(username, password):
    LOG.info("login", extra={"user": username, "password": password})  # expect: SQL301
    LOG.info("login", extra={"user": username})  # ok
    LOG.log(std_logging.INFO, "login %s with %s", username, password)  # expect: SQL301
    LOG.log(std_logging.INFO, "login %s", username)  # ok


# --- loggers held by objects ------------------------------------------------------------------

class PaymentService:
    def __init__(self, gateway):
        self.gateway = gateway
        self.log = std_logging.getLogger("payments")

    def charge(self, card_number, amount):
        self.log.info("charging %s", card_number)  # expect: SQL301
        self.log.info("charging %s", amount)  # ok


class Exporter:
    def __init__(self, logger_, stats):
        self.logger = logger_
        self.stats = stats

    def run(self, api_key, rows):
        self.logger.debug("exporting with %s", api_key)  # expect: SQL301
        self.logger.debug("exporting %d rows", len(rows))  # ok
        self.stats.info("api_key", api_key)  # ok


class AuditAdapter(std_logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return msg, kwargs


def adapters(password):
    adapter = AuditAdapter(audit_log, {})
    adapter.info("password %s", password)  # expect: SQL301
    adapter.info("password changed")  # ok
    std_logging.LoggerAdapter(audit_log, {}).warning("pw %s", password)  # expect: SQL301


# --- values that reach the log call from elsewhere in the module ------------------------

_bootstrap = os.environ.get("BOOTSTRAP_PASSWORD")
fallback_value = _bootstrap


def log_fallback(region):
    LOG.info("fallback for %s is %s", region, fallback_value)  # expect: SQL301
    LOG.info("fallback for %s", region)  # ok


class Uploader:
    default_target = DATABASE_URL

    def __init__(self, options):
        self._stash = options.db_password
        self.remote = options.remote

    def prepare(self):
        self.login = self._stash

    def upload(self, name):
        LOG.debug("uploading %s as %s", name, self.login)  # expect: SQL301
        LOG.debug("uploading %s to %s", name, self.remote)  # ok
        LOG.debug("uploading %s into %s", name, self.default_target)  # expect: SQL302


def describe_failure(operation):
    try:
        operation()
    except sqlalchemy.exc.DBAPIError as failure:
        LOG.error("storage failed: %s", failure)  # expect: SQL303
    except ValueError as failure:
        LOG.error("bad value: %s", failure)  # ok


# --- a helper that logs the exception it is handed ------------------------------------


def _log_db_failure(action, exc):
    LOG.warning("%s failed: %s", action, exc)


def _log_failure_kind(action, exc):
    LOG.warning("%s failed: %s", action, type(exc).__name__)


class QuotaRepository:
    def _report(self, error):
        LOG.error("quota update failed: %s", error)

    def reserve(self, session, project_id):
        try:
            statement = sqlalchemy.text("UPDATE quotas SET used = used + 1 WHERE project_id = :p")  # expect: SQL103
            session.execute(statement, {"p": project_id})
        except db_exc.DBDeadlock as error:
            self._report(error)  # expect: SQL303
        except sqlalchemy.exc.OperationalError as exc:
            _log_db_failure("reserve", exc)  # expect: SQL303
            _log_failure_kind("reserve", exc)  # ok
        except ValueError as exc:
            _log_db_failure("reserve", exc)  # ok


# --- the database's state: rows and model instances logged whole (SQL304) -------------


def reconcile(conn, cursor, user, serializer):
    result = conn.execute("SELECT * FROM users WHERE active")  # expect: SQL103
    LOG.debug("active users %s", result.fetchall())  # expect: SQL304
    row = result.fetchone()
    LOG.debug("first %s", dict(row))  # expect: SQL304
    LOG.debug("first %s", row._mapping)  # expect: SQL304
    LOG.debug("first id %s", row[0])  # ok: one column
    LOG.debug("first name %s", row.name)  # ok
    LOG.debug("%d users", len(result.fetchall()))  # ok
    cursor.execute("SELECT * FROM accounts")  # expect: SQL103
    LOG.debug("accounts %s", cursor.fetchmany(10))  # expect: SQL304
    LOG.debug("%s accounts", cursor.rowcount)  # ok
    LOG.info("user %s", model_to_dict(user))  # expect: SQL304
    LOG.info("payload %s", serializer.data)  # expect: SQL304
    LOG.info("errors %s", serializer.errors)  # ok


# --- deployment configuration and request bodies of other frameworks -----------------


class ServiceSettings(BaseSettings):
    database_dsn: str
    api_key: SecretStr


def start(settings_: ServiceSettings):
    LOG.info("database %s", settings_.database_dsn)  # expect: SQL302
    LOG.info("api key %s", settings_.api_key)  # ok: a SecretStr prints as stars
    LOG.info("api key %s", settings_.api_key.get_secret_value())  # expect: SQL301
    LOG.info("messaging at %s", CONF.transport_url)  # expect: SQL302
    LOG.info("workers %s", CONF.api.workers)  # ok
    secret = os.getcwd()
    LOG.info("started in %s", secret)  # ok: a directory, whatever it is called


async def aiohttp_upload(request: web.Request):
    LOG.debug("form %s", await request.post())  # expect: SQL304
    LOG.debug("body %s", await request.text())  # expect: SQL304
    LOG.debug("length %s", request.content_length)  # ok


def verify_client(cursor, client_id):
    cursor.execute("SELECT name, api_token AS credential FROM clients WHERE id = %s", (client_id,))  # expect: SQL103
    row = cursor.fetchone()
    LOG.debug("client %s", row[0])  # ok: the name column
    LOG.debug("client credential %s", row[1])  # expect: SQL301
    cursor.execute("SELECT password_hash FROM users WHERE id = %s", (client_id,))  # expect: SQL103
    LOG.debug("hash %s", cursor.fetchone()[0])  # ok: a hash
    cursor.execute("SELECT session_key FROM sessions WHERE client = %s", (client_id,))  # expect: SQL103
    key = cursor.fetchone()[0]
    LOG.debug("resuming %s", key)  # expect: SQL301
