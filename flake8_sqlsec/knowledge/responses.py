"""What reaches an HTTP client (SQL305): the calls whose arguments become a response
body or the error page an exception turns into, and the decorators of functions whose
return value is the response.

A pattern is a qualified name as the file's imports give it; one ending in ``*`` stands
for every name that starts so (``webob.exc.HTTP*``: ``HTTPConflict``,
``HTTPBadRequest``...). Only the arguments named here are read: the status, the headers,
a redirect's cookies are not the body.
"""

from __future__ import annotations

from typing import FrozenSet, Optional, Tuple

# Every positional argument, or every keyword argument.
EVERY_POSITION = -1
EVERY_KEYWORD = None

_WEBOB_BODY = frozenset(("detail", "comment", "explanation", "body", "json_body", "text", "json"))

# (pattern, positional arguments sent, keyword arguments sent)
RESPONSE_SINKS: Tuple[Tuple[str, Tuple[int, ...], Optional[FrozenSet[str]]], ...] = (
    # webob and Pyramid (OpenStack services): HTTPConflict(detail, headers, comment, ...)
    ("webob.exc.HTTP*", (0,), _WEBOB_BODY),
    ("webob.Response", (0,), _WEBOB_BODY),
    ("webob.response.Response", (0,), _WEBOB_BODY),
    ("pyramid.httpexceptions.HTTP*", (0,), _WEBOB_BODY),
    ("pyramid.response.Response", (0,), _WEBOB_BODY),
    # Flask, Quart and Werkzeug
    ("flask.jsonify", (EVERY_POSITION,), EVERY_KEYWORD),
    ("flask.json.jsonify", (EVERY_POSITION,), EVERY_KEYWORD),
    ("quart.jsonify", (EVERY_POSITION,), EVERY_KEYWORD),
    ("flask.make_response", (0,), frozenset()),
    ("quart.make_response", (0,), frozenset()),
    ("flask.abort", (1,), frozenset(("description",))),
    ("quart.abort", (1,), frozenset(("description",))),
    ("werkzeug.exceptions.abort", (1,), frozenset(("description",))),
    ("flask.Response", (0,), frozenset(("response",))),
    ("werkzeug.Response", (0,), frozenset(("response",))),
    ("werkzeug.wrappers.Response", (0,), frozenset(("response",))),
    ("werkzeug.exceptions.*", (0,), frozenset(("description",))),
    # Django and Django REST framework
    ("django.http.HttpResponse*", (0,), frozenset(("content",))),
    ("django.http.response.HttpResponse*", (0,), frozenset(("content",))),
    ("django.http.JsonResponse", (0,), frozenset(("data",))),
    ("django.http.response.JsonResponse", (0,), frozenset(("data",))),
    # a ValidationError's messages are shown on the form or the admin page
    ("django.core.exceptions.ValidationError", (0,), frozenset(("message",))),
    ("django.forms.ValidationError", (0,), frozenset(("message",))),
    ("rest_framework.response.Response", (0,), frozenset(("data",))),
    ("rest_framework.exceptions.*", (0,), frozenset(("detail",))),
    ("rest_framework.serializers.ValidationError", (0,), frozenset(("detail",))),
    # pages and messages shown to the user
    ("django.shortcuts.render", (2,), frozenset(("context",))),
    ("django.contrib.messages.error", (1,), frozenset(("message",))),
    ("django.contrib.messages.warning", (1,), frozenset(("message",))),
    ("django.contrib.messages.info", (1,), frozenset(("message",))),
    ("django.contrib.messages.add_message", (2,), frozenset(("message",))),
    ("flask.render_template", (), EVERY_KEYWORD),
    ("flask.flash", (0,), frozenset(("message",))),
    # FastAPI and Starlette: HTTPException(status_code, detail)
    ("fastapi.HTTPException", (1,), frozenset(("detail",))),
    ("fastapi.exceptions.HTTPException", (1,), frozenset(("detail",))),
    ("starlette.exceptions.HTTPException", (1,), frozenset(("detail",))),
    ("fastapi.Response", (0,), frozenset(("content",))),
    ("fastapi.responses.*", (0,), frozenset(("content",))),
    ("starlette.responses.*", (0,), frozenset(("content",))),
    # aiohttp: the exceptions and Response take keywords only
    ("aiohttp.web.json_response", (0,), frozenset(("data", "text", "body"))),
    ("aiohttp.web.Response", (), frozenset(("text", "body"))),
    ("aiohttp.web.HTTP*", (), frozenset(("text", "body", "reason"))),
    ("aiohttp.web_exceptions.HTTP*", (), frozenset(("text", "body", "reason"))),
    # Falcon: HTTPError(status, title, description), HTTPBadRequest(title=, description=)
    ("falcon.HTTPError", (1, 2), frozenset(("title", "description"))),
    ("falcon.HTTP*", (), frozenset(("title", "description"))),
    # Tornado sends ``reason`` in the status line (``log_message`` is only logged)
    ("tornado.web.HTTPError", (), frozenset(("reason",))),
)

# Methods a view class inherits from its framework that answer the request, called on
# ``self``: Flask-AppBuilder's ``BaseApi.response_400(message=...)`` and the others.
RESPONSE_METHODS = {
    **{
        f"response_{status}": ((0,), frozenset(("message",)))
        for status in (400, 401, 403, 404, 409, 410, 422, 500, 502, 503)
    },
    "response": ((), EVERY_KEYWORD),
}

# Decorators (the last part of the decorator's name) that make a function's return value
# the response: Flask, Quart, FastAPI, aiohttp and Sanic routes, and error handlers.
ROUTE_DECORATORS = frozenset(
    ("route", "get", "post", "put", "patch", "delete", "api_route", "errorhandler", "exception_handler")
)

# Call names that mark a function worth interpreting for SQL305: the last part of each
# pattern above, the HTTP exception classes spelled out (a pattern's ``*`` cannot mark).
RESPONSE_CALL_NAMES = frozenset(
    {pattern.rsplit(".", 1)[-1] for pattern, _, _ in RESPONSE_SINKS if not pattern.endswith("*")}
    | (set(RESPONSE_METHODS) - {"response"})  # a decorator's name too (``@wsgi.response(202)``)
    | {
        "HttpResponse",
        "HttpResponseBadRequest",
        "HttpResponseServerError",
        "HttpResponseNotFound",
        "HttpResponseForbidden",
        "HTTPBadRequest",
        "HTTPConflict",
        "HTTPInternalServerError",
        "HTTPNotFound",
        "HTTPForbidden",
        "HTTPServiceUnavailable",
        "HTTPUnprocessableEntity",
        "HTTPUnprocessableContent",
        "HTTPError",
        "BadRequest",
        "Conflict",
        "InternalServerError",
        "UnprocessableEntity",
        "APIException",
        "ParseError",
        "NotFound",
        "PermissionDenied",
        "JSONResponse",
        "PlainTextResponse",
        "HTMLResponse",
        "ORJSONResponse",
        "UJSONResponse",
        # a Flask handler rolls the session back before it answers (``return {...}, 500``)
        "rollback",
        # the decorators that are rare names elsewhere (``get``, ``post``... are not):
        # a file defining routes is interpreted, and its routes with it
        "route",
        "api_route",
        "errorhandler",
        "exception_handler",
    }
)
