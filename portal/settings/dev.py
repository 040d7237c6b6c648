"""Local development (`./yimen start`): DEBUG on, a key that is fixed for this checkout only."""

import os

from .base import *  # noqa: F403
from .base import MIDDLEWARE, VAR_DIR

DEBUG = True


def served_host_port(addr):
    """Host and port of the server `./yimen start` runs, from `addr` as runserver takes it ("8101", "0.0.0.0:8101", "[::1]:8101").

    A server listening on every interface is reached on this machine at 127.0.0.1; from other
    machines it needs SITE_URL.
    """
    host, _, port = addr.rpartition(":")
    if host in ("", "0", "0.0.0.0", "[::]"):  # noqa: S104 — read from YIMEN_ADDR, not listened on here
        host = "127.0.0.1"
    return host, port


# The address runserver really serves on, unless SITE_URL names the public one: the admin link
# load_demo prints, and the links and QR codes of printed guides, lead to this server.
_host, _port = served_host_port(os.environ.get("YIMEN_ADDR", "127.0.0.1:8000"))
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL") or f"http://{_host}:{_port}"
ALLOWED_HOSTS = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    _host,
    *[h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h],
]

# Django answers an unknown address with its English debug page (listing every URL pattern) while
# DEBUG is on; this gives visitors the portal's own Chinese 404 page, as in production.
MIDDLEWARE = [*MIDDLEWARE, "portal.notfound.NotFoundPageMiddleware"]


def _local_secret_key():
    """A random key made once per checkout and kept in var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()

# Without a mail server (EMAIL_HOST or EMAIL_BACKEND in the environment), the worker writes each e-mail it
# sends to a file in var/sent-mail/, so what a citizen would receive can be read there.
if not os.environ.get("EMAIL_BACKEND") and not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "sent-mail"
