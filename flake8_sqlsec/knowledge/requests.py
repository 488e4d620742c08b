"""Where request data comes from: the request objects of the web frameworks, the fields
and methods through which their data is read, and the command line.
"""

from __future__ import annotations

# Attribute names through which request data is read (request.GET, request.args, sys.argv...).
REQUEST_FIELDS = frozenset(
    (
        "GET",
        "POST",
        "args",
        "form",
        "json",
        "values",
        "data",
        "cookies",
        "headers",
        "query_params",
        "params",
        "body",
        "META",
        "request",
        "req",
        "argv",
        "query",
        "path_params",
        "match_info",
        "get_json",
        "get_argument",
    )
)


# Request attributes that are the whole of what a client sent.
REQUEST_DATA = frozenset(
    (
        "headers",
        "cookies",
        "COOKIES",
        "form",
        "json",
        "data",
        "values",
        "args",
        "GET",
        "POST",
        "META",
        "body",
        "environ",
        "query_params",
        "params",
        "media",
        "query",
        "REQUEST",
    )
)

# ... and methods that read the whole body: Flask's ``get_json()``, Starlette's ``json()``
# and ``form()``, aiohttp's ``post()``, ``text()`` and ``read()``.
REQUEST_DATA_CALLS = frozenset(("get_json", "get_data", "json", "body", "form", "post", "text", "read"))

REQUEST_NAMES = frozenset(("request", "req", "_request", "http_request", "flask_request"))

REQUEST_QUALNAMES = frozenset(("flask.request", "quart.request", "bottle.request", "werkzeug.local.request"))

# A request's cookie jars, and the words of the cookies that authenticate: the value of
# ``request.cookies.get("session")`` or ``request.COOKIES["sessionid"]`` is a credential
# whatever the variable is called (Flask's ``session``, Django's ``sessionid`` and
# ``csrftoken``, ``remember_token``, ``auth``, ``jwt``).
COOKIE_JARS = frozenset(("cookies", "COOKIES"))
SESSION_COOKIE_WORDS = ("session", "sess", "auth", "token", "jwt", "remember", "sid", "csrf", "login")
