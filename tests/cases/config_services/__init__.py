"""Services as they keep their configuration, requests and rows: an oslo.config service, a
Django project's settings and startup, a Flask app and a FastAPI app (SQL3 cases)."""
