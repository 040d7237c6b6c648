"""gunicorn settings for Yimen (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

Every value can be set from the environment, so one file serves a county's single server and each
node of a province's cluster.
"""

import multiprocessing
import os

# Behind the reverse proxy on the same machine; the proxy terminates HTTPS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes: two per core keeps both cores busy while one process waits on the database or Redis.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
# Threads per process answer keep-alive connections and let a slow PDF not block a whole process.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
# A booklet is rendered in the background; no page or PDF of one guide takes anything near this long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart each process after this many requests (plus jitter, so not all at once) to bound memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load Django once, then fork: faster starts, shared memory pages.
preload_app = True
# The X-Forwarded-* headers of these addresses are trusted (the proxy on this machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# JSON lines on standard output/error, for journald or the log collector.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
logger_class = "operations.gunicorn.JsonLogger"
proc_name = "yimen"
wsgi_app = "portal.wsgi:application"
# gunicorn's runtime control socket is one fixed path per user: several instances on one machine
# would take each other's. Nothing here uses it; stop and reload with signals to the pid file.
control_socket_disable = True
# Answers say "Server: yimen", not gunicorn and its version: nothing to look up in a list of flaws.
# gunicorn reads this module-level name each time it starts a response.
import gunicorn.http.wsgi  # noqa: E402

gunicorn.http.wsgi.SERVER = "yimen"
