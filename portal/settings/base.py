"""Settings shared by every environment; each value can be overridden from the environment."""

import contextlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("YIMEN_VAR_DIR", BASE_DIR / "var"))
# VAR_DIR holds the SQLite database, complaint attachments and the secret key by default: a new one is
# open to the portal's user only (an existing one keeps its mode; the start-up check yimen.W002 warns).
# A site that keeps nothing there (PostgreSQL, shared directories) may run from a read-only checkout.
with contextlib.suppress(OSError):
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "content",
    "search",
    "exports",
    "demo",
    "cases",
    "complaints",
    "questions",
    "open311",
    "assistance",
    "ratings",
    "transparency",
    "backups",
    "themes",
    "operations",
    "notifications",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "accounts.apps.PortalUsersConfig",  # wagtail.users with the portal's user and group views
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "operations.headers.PermissionsPolicyMiddleware",
    "operations.csp.AreaCSPMiddleware",
    # Before anything reads the session, the database or the URL: NUL in a request is a 400 (operations/nul.py).
    "operations.nul.RefuseNulMiddleware",
    # Django's, with a database drop while saving the session answered 503 (operations/unavailable.py).
    "operations.unavailable.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A lost database connection answers 503 in Chinese ("nothing was saved" after a form), not 500.
    "operations.unavailable.DatabaseUnavailableMiddleware",
    # Turns a refused login (too many failures, operations/lockout.py) into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost, so cached answers still pass the CSRF, session and security middleware on the way out.
    "operations.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Login lockout (django-axes; operations/lockout.py) ---
# Axes first: it refuses a locked-out client before the password is even checked, so a correct
# password does not get through a lockout either.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Failed logins are counted in the database (shared by every process and server) for one account
# from one client address, and for one client address across all accounts; either count reaching
# its limit within the cool-off period locks that client out until the period has passed since its
# last failure. Unlock early with `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AXES_HANDLER = "operations.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("YIMEN_LOGIN_FAILURES_PER_ACCOUNT", "5"))
YIMEN_LOGIN_FAILURES_PER_CLIENT = int(os.environ.get("YIMEN_LOGIN_FAILURES_PER_CLIENT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("YIMEN_LOGIN_COOLOFF_MINUTES", "30")))
# A successful login leaves the counts alone: one known password must not reset a client's budget.
AXES_RESET_ON_SUCCESS = False
# The client address as the rate limits see it (RATELIMIT_IP_META_KEY), also behind a proxy.
AXES_CLIENT_IP_CALLABLE = "operations.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "operations.lockout.lockout_response"
# Log lines and axes' records name the account and the address (passwords are always masked).
AXES_SENSITIVE_PARAMETERS = []
# Who a locked-out editor can call to be let in at once; shown on the lockout page.
YIMEN_LOCKOUT_CONTACT = os.environ.get("YIMEN_LOCKOUT_CONTACT", "本门户的系统管理员")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "themes" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Let Django itself serve MEDIA_ROOT with DEBUG off: only where no web server does (docs/deploy.md).
YIMEN_SERVE_MEDIA = os.environ.get("YIMEN_SERVE_MEDIA", "0") == "1"

# Public media (images, documents) are read by the web server in front, which runs as another user:
# files 0644, folders 0755, whatever the umask. Complaint attachments are the portal's user's only,
# 0600 and 0700 (complaints/storage.py overrides both).
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "一门 · 政务服务门户"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_USER_DEFAULT_LANGUAGE = "zh-hans"
WAGTAILIMAGES_IMAGE_MODEL = "content.PortalImage"
# The admin's page and snippet search: Wagtail's database backend with Chinese cut into jieba words and
# the synonym list applied (search/wagtail_backend.py), on SQLite and PostgreSQL alike.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# REDIS_URL (e.g. redis://127.0.0.1:6379/0) gives every process one shared cache: the page cache and
# search markers then hold across all gunicorn workers and servers (rate limits: RATELIMIT_USE_CACHE).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yimen",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "yimen",
        }
    }

# Cached anonymous public pages (operations/pagecache.py). Only with a shared cache by default: with
# one cache per process, a publish would clear only the cache of the process that handled it.
YIMEN_PAGE_CACHE = os.environ.get("YIMEN_PAGE_CACHE", "1" if REDIS_URL else "0") == "1"
# Upper bound for what no signal announces (working-day clock, rating and complaint figures).
YIMEN_PAGE_CACHE_SECONDS = int(os.environ.get("YIMEN_PAGE_CACHE_SECONDS", "300"))
# Pages have a cache alias of their own, so they never push out anything else: in Redis under their
# own key prefix, each entry gone after YIMEN_PAGE_CACHE_SECONDS (docs/deploy.md: memory and
# eviction); in process memory at most YIMEN_PAGE_CACHE_MAX_ENTRIES entries.
YIMEN_PAGE_CACHE_ALIAS = "pages"
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "yimen-pages",
        "TIMEOUT": YIMEN_PAGE_CACHE_SECONDS,
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "yimen-pages",
        "TIMEOUT": YIMEN_PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("YIMEN_PAGE_CACHE_MAX_ENTRIES", "2000"))},
    }
# Paths the page cache leaves alone. Every other path's views see only YIMEN_PAGE_CACHE_QUERY_PARAMS
# while the page cache is on, so a view that reads any other query parameter belongs here.
YIMEN_PAGE_CACHE_SKIP_PREFIXES = [
    "/admin/",
    "/documents/",
    "/complaints/",
    "/track/",
    "/questions/",
    "/assistance/",
    "/ratings/",
    "/search/",
    "/api/",
    "/healthz",
    "/static/",
    "/media/",
    "/elder-mode/",  # reads on= and next=
    "/_util/",  # Wagtail's sign-in and password forms for restricted pages (next=)
]
# The query parameters public pages read: pagination, the rating form's thank-you, the catalog's facets
# (content/filters.py ServiceFilter; a test keeps the two in step). Only these make a page's cache
# key: any other (utm_source, a random one) is dropped before the page renders, so it shares the
# entry of the address without it and cannot multiply the entries.
YIMEN_PAGE_CACHE_QUERY_PARAMS = [
    "page",
    "rated",
    "topic",
    "audience",
    "handling",
    "visits",
    "online",
    "free",
    "level",
    "hall",
    "department",
    "item_type",
]
# Cookies that change how a public page renders, with the values that do: each such value gets its
# own cache entry, and any other value shares the entry of no cookie (the page renders the same).
YIMEN_PAGE_CACHE_VARY_COOKIES = {"yimen_elder": ["1"]}

# One JSON object per log line in production (operations/logs.py); plain text here for development.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "operations.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Failed and refused logins ("AXES: ... login failure by ...", "Locking out ...") at any LOG_LEVEL.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Content-Security-Policy (django-csp; operations/csp.py) ---
# Public pages: everything from this origin, no inline script or style, no eval, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin writes inline scripts and styles, shows image previews from blob: and data: URLs,
# and frames its own previews; this policy applies under these prefixes only (staff pages).
YIMEN_ADMIN_CSP_PREFIXES = ["/admin/"]
YIMEN_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The admin would otherwise load avatars from Gravatar and check for Wagtail releases online.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Concurrent test runs on one PostgreSQL server each need their own test database.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}

# --- Backups (backups app) ---
# Where the operator keeps backups, one folder each (`manage.py backup $YIMEN_BACKUP_DIR/20261130`).
# Optional: when set, the start-up check yimen.W004 warns when it or a backup in it is open to others.
YIMEN_BACKUP_DIR = Path(os.environ["YIMEN_BACKUP_DIR"]) if os.environ.get("YIMEN_BACKUP_DIR") else None

# --- Print and open data (exports app) ---
# Guide PDFs are cached here per page revision and finished booklets are kept here. The folder is
# never served as media: the views decide who may read each file.
YIMEN_PRINT_DIR = Path(os.environ.get("YIMEN_PRINT_DIR", VAR_DIR / "print"))
# Booklets one process renders at the same time; the others wait their turn. A booklet of any
# length needs about 1 GB of memory in all (the process and its layout workers).
YIMEN_BOOKLET_CONCURRENCY = int(os.environ.get("YIMEN_BOOKLET_CONCURRENCY", "1"))
# Worker processes that lay out a booklet's parts in parallel; unset means up to two, 0 or 1 lays
# out in the calling thread.
YIMEN_BOOKLET_PROCESSES = (
    int(os.environ["YIMEN_BOOKLET_PROCESSES"]) if os.environ.get("YIMEN_BOOKLET_PROCESSES") else None
)

# --- People and accountability (complaints, ratings, transparency apps) ---
# Complaint attachments live outside MEDIA_ROOT so no web server publishes them; handlers download
# them through the admin.
COMPLAINTS_ATTACHMENT_ROOT = Path(os.environ.get("COMPLAINTS_ATTACHMENT_ROOT", VAR_DIR / "private" / "complaints"))
COMPLAINTS_MAX_ATTACHMENTS = 3
# The largest attachment (a photo straight from a phone; it is scaled down when stored) and the
# largest PDF, which is kept as sent. The form's request limit follows from these.
COMPLAINTS_MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
COMPLAINTS_MAX_PDF_BYTES = 5 * 1024 * 1024
# Attempts per client IP on each public form ("count/period", period s, m, h or d, e.g. "10/10m").
PUBLIC_FORM_RATES = {
    "complaint": os.environ.get("YIMEN_RATE_COMPLAINT", "10/10m"),
    "track": os.environ.get("YIMEN_RATE_TRACK", "20/10m"),
    "rating": os.environ.get("YIMEN_RATE_RATING", "20/10m"),
    "question": os.environ.get("YIMEN_RATE_QUESTION", "10/10m"),
    "assistance": os.environ.get("YIMEN_RATE_ASSISTANCE", "10/10m"),
    "reopen": os.environ.get("YIMEN_RATE_REOPEN", "10/10m"),
    # Service requests POSTed to the Open311 API (open311/), per client IP like the forms; a 12345 hotline
    # integration that sends for many citizens from one address needs a higher rate here.
    "open311": os.environ.get("YIMEN_RATE_OPEN311", "10/10m"),
}
# Working days from the day a case arrives to its deadline (cases.deadlines). Complaints: the same or
# the next day for an ordinary one, a week for a complex one (投诉制度); questions: QUESTIONS_WORKING_DAYS;
# 代办 requests: ASSISTANCE_WORKING_DAYS, by when the station answers how it went (送达 may come later).
COMPLAINTS_WORKING_DAYS = {"ordinary": 1, "complex": 5}
QUESTIONS_WORKING_DAYS = int(os.environ.get("YIMEN_QUESTIONS_WORKING_DAYS", "3"))
ASSISTANCE_WORKING_DAYS = int(os.environ.get("YIMEN_ASSISTANCE_WORKING_DAYS", "5"))
# After a reply was reopened once and found wanting again, the case goes to the centre's head:
# members of this group are told and see it flagged.
CASES_HEAD_GROUP = "中心负责人"
# django-ratelimit keeps its counters in this cache, which every process counts in, so a limit holds
# for the whole site, not per gunicorn worker. Without Redis: files under VAR_DIR (mode 700), shared
# by the processes of this machine, counted under a lock (operations/counters.py). With Redis:
# REDIS_RATELIMIT_URL, by default REDIS_URL's server with the next database number (…/0 → …/1), so
# the counters are kept apart from the cached pages; docs/deploy.md says how to keep Redis from
# evicting them. Behind a proxy, set RATELIMIT_IP_META_KEY to the header that carries the client address.
RATELIMIT_USE_CACHE = "ratelimit"


def _next_redis_database(url):
    """The same Redis server's next database: redis://h:6379/0 → redis://h:6379/1 (no number means 0)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.scheme == "unix" or "db" in query:
        query["db"] = [str(int(query.get("db", ["0"])[0]) + 1)]
        return f"{url.split('?', 1)[0]}?{urlencode(query, doseq=True)}"
    number = parts.path.strip("/")
    return urlunsplit(parts._replace(path=f"/{int(number or 0) + 1}"))


REDIS_RATELIMIT_URL = os.environ.get("REDIS_RATELIMIT_URL") or (_next_redis_database(REDIS_URL) if REDIS_URL else "")
if REDIS_RATELIMIT_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_RATELIMIT_URL,
        "KEY_PREFIX": "yimen-rl",
    }
else:
    CACHES["ratelimit"] = {
        "BACKEND": "operations.counters.SharedFileCache",
        "LOCATION": str(VAR_DIR / "ratelimit-cache"),
        # Live counters (one per client and form in the current window) are only dropped beyond this.
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None

# --- Search (the `search` app) ---------------------------------------------------------------
# "whoosh": an index on disk, for one server; "postgres": PostgreSQL full-text search, for several.
YIMEN_SEARCH_BACKEND = os.environ.get("YIMEN_SEARCH_BACKEND", "whoosh")
YIMEN_SEARCH_INDEX_DIR = Path(os.environ.get("YIMEN_SEARCH_INDEX_DIR", VAR_DIR / "search-index"))
# Longest query accepted, in characters; longer ones get a clear message, not a search.
YIMEN_SEARCH_MAX_QUERY_LENGTH = 100
# Searches allowed per client IP, the results page and the JSON API counted together (search/limits.py,
# django-ratelimit rates); as-you-type suggestions get more. Opened results beyond their rate still lead
# to the page but are not counted in the search log.
YIMEN_SEARCH_API_RATE = os.environ.get("YIMEN_RATE_SEARCH_API", "60/m")
YIMEN_SEARCH_SUGGEST_RATE = os.environ.get("YIMEN_RATE_SEARCH_SUGGEST", "240/m")
YIMEN_SEARCH_OPEN_RATE = os.environ.get("YIMEN_RATE_SEARCH_OPEN", "60/m")
YIMEN_SEARCH_RESULTS_PER_PAGE = 10
# The search log (editors' 搜索记录) keeps terms searched for in the last MAX_DAYS, at most MAX_ROWS of
# them (the most searched); pruned after every PRUNE_EVERY-th new term and by `manage.py prune_search_log`.
YIMEN_SEARCH_LOG_MAX_DAYS = int(os.environ.get("YIMEN_SEARCH_LOG_MAX_DAYS", "365"))
YIMEN_SEARCH_LOG_MAX_ROWS = int(os.environ.get("YIMEN_SEARCH_LOG_MAX_ROWS", "20000"))
YIMEN_SEARCH_LOG_PRUNE_EVERY = 200
# After the index changes, rebuild the word list (typos, suggestions) in a background thread while
# searches go on with the previous one.
YIMEN_SEARCH_BACKGROUND_REFRESH = True

# --- Notifications and background work (notifications app; docs/notifications.md) --------------------


def _durations(text):
    """ "1m,5m,30m,2h" (or bare seconds) as a list of timedeltas."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        unit = part[-1] if part[-1] in units else "s"
        out.append(timedelta(seconds=float(part.rstrip("smhd")) * units[unit]))
    return out


# Background tasks (django-tasks with the django-tasks-db database backend): e-mail and SMS deliveries and
# the schedule's tick wait in the database ("notifications") until a worker (`manage.py db_worker --backend
# notifications`) runs them: `./yimen start` starts one, production runs one as a service (docs/deploy.md,
# "Background worker"). Wagtail's own small tasks (search and reference index updates of the admin, image
# focal points) stay on the immediate backend, as before: they must not wait for a worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# The backend the notifications app and the schedule queue their tasks on.
YIMEN_TASKS_BACKEND = "notifications"
# Finished task rows are pruned after this many days (the daily job notifications.prune).
YIMEN_TASKS_KEEP_DAYS = int(os.environ.get("YIMEN_TASKS_KEEP_DAYS", "7"))
# The schedule: how often the tick runs, how long a run of a periodic job may take before the next tick
# takes it over as killed, and how often a job that raised is tried for the same period.
YIMEN_SCHEDULE_TICK = timedelta(seconds=float(os.environ.get("YIMEN_SCHEDULE_TICK_SECONDS", "60")))
YIMEN_SCHEDULE_LEASE = timedelta(seconds=float(os.environ.get("YIMEN_SCHEDULE_LEASE_SECONDS", "1800")))
YIMEN_SCHEDULE_MAX_ATTEMPTS = int(os.environ.get("YIMEN_SCHEDULE_MAX_ATTEMPTS", "3"))

# Delivery: tries in all, the waits between them (the last repeats), how long a claimed message may be
# 发送中 before the sweep takes it as lost (longer than any send can take: EMAIL_TIMEOUT, SMS_TIMEOUT), how
# long a waiting message may go without being tried before the sweep queues it again, and how often the
# sweep runs.
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("YIMEN_NOTIFY_MAX_ATTEMPTS", "5"))
NOTIFICATIONS_RETRY_DELAYS = _durations(os.environ.get("YIMEN_NOTIFY_RETRY_DELAYS", "1m,5m,30m,2h"))
NOTIFICATIONS_LEASE = timedelta(seconds=float(os.environ.get("YIMEN_NOTIFY_LEASE_SECONDS", "600")))
NOTIFICATIONS_PENDING_GRACE = timedelta(seconds=float(os.environ.get("YIMEN_NOTIFY_PENDING_GRACE_SECONDS", "300")))
NOTIFICATIONS_SWEEP_EVERY = timedelta(seconds=float(os.environ.get("YIMEN_NOTIFY_SWEEP_SECONDS", "60")))
# The right-hand side of the Message-ID of every e-mail (<yimen-message-42@…>).
NOTIFICATIONS_MESSAGE_ID_DOMAIN = os.environ.get("YIMEN_MAIL_DOMAIN", "yimen.localhost")

# E-mail through Django's mail backends: SMTP by default, set from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
# Seconds a worker waits on the mail server before the try counts as failed (and is retried).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "一门政务服务门户 <noreply@yimen.localhost>")

# SMS (notifications/sms.py): the outbox the admin shows (短信发件箱) unless a provider is configured.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.sms.OutboxBackend")
# 阿里云短信服务 (notifications.sms.AliyunBackend): the RAM user's AccessKey, the approved signature (签名) and,
# per template key, the approved template code, as "complaints.received=SMS_123456,cases.reply=SMS_234567".
SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_TEMPLATE_CODES = dict(
    pair.strip().split("=", 1) for pair in os.environ.get("SMS_TEMPLATE_CODES", "").split(",") if "=" in pair
)
SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_REGION = os.environ.get("SMS_REGION", "cn-hangzhou")
SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", "10"))
