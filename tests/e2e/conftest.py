"""Browser tests: one headless Chromium per session, one live server thread, one small portal per test.

Chromium is Debian's /usr/bin/chromium (installed by `./yimen`), driven by Playwright's Python client
through `executable_path`; Playwright's own browser downloads are never used. A missing browser is a
failure, not a skip: the setup installs it, so its absence means the machine is not set up.

Each test is a transactional test with serialized rollback (pytest-django's live_server requires
transactions, so the server thread sees committed data; the rollback restores what the migrations
created, such as Wagtail's root page and groups, after each test's flush).
"""

import os
import threading
from pathlib import Path

from django.conf import settings

import pytest

from tests.e2e.world import build_world

CHROMIUM = Path(os.environ.get("YIMEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000

# With SQLite's in-memory test database, the live server's request threads and the test share one
# connection object (pytest-django passes it to the server). Django's documentation asks that the
# threads never query through it at the same time, so on that database the server handles one
# request at a time, and a test that reads the database while the browser may still be loading
# takes the same lock (`quiet_database`). On PostgreSQL every thread has its own connection.
_ONE_AT_A_TIME = threading.Lock()


class _OneRequestAtATime:
    """WSGI wrapper: the whole response, body included, is produced while holding the lock."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with _ONE_AT_A_TIME:
            response = self.app(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()
        return [body]


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server; serialised on SQLite's in-memory database (see `_ONE_AT_A_TIME`)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    if server.thread.connections_override:
        static_handler = server.thread.static_handler
        server.thread.static_handler = lambda app: _OneRequestAtATime(static_handler(app))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def quiet_database():
    """A context manager for reading the database from the test while the browser is still open."""
    return _ONE_AT_A_TIME if _shares_connection() else _NoLock()


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _shares_connection():
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"找不到浏览器 {CHROMIUM}：浏览器测试需要 Debian 的 chromium 软件包。运行 ./yimen test 会自动安装；"
            "也可以用 YIMEN_CHROMIUM 指定其他 Chromium 的路径。",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves its asyncio loop registered as running in this thread for as long
    # as it is started. Django would then refuse every ORM call of the tests (and of the database
    # setup) as "async"; the code is plain synchronous code between browser steps, so Django's check
    # is lifted exactly while the loop exists.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    # Django keeps its connection objects per contextvars context (asgiref Local), and Playwright's
    # sync API hands control back to this code inside a context of its own. Without this, tests after
    # this point would get fresh connection objects that lack the test-database state Django keeps on
    # the ones made by the database setup (the serialized contents restored after each flush, and on
    # SQLite the in-memory database connection the rest of the suite used).
    opened = {conn.alias: conn for conn in connections.all(initialized_only=True)}
    try:
        with sync_playwright() as playwright:
            for alias, conn in opened.items():
                connections[alias] = conn
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def world(tmp_path, settings):
    """The small portal of world.py, with its own search index and print cache."""
    from search import synonyms, vocabulary
    from search.backends import reset

    settings.YIMEN_SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.YIMEN_PRINT_DIR = tmp_path / "print"
    settings.MEDIA_ROOT = tmp_path / "media"
    reset()
    vocabulary.invalidate()
    synonyms.invalidate()
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield build_world()
    reset()


@pytest.fixture
def context(browser, live_server, world, request):
    """A fresh browser profile (no cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()
    with _ONE_AT_A_TIME:
        pass  # a request the closed page left in flight finishes before the database is flushed


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, save a screenshot of each open page under the test's tmp dir and name it in the report."""
    report = yield
    if report.when == "call" and report.failed and "context" in getattr(item, "funcargs", {}):
        tmp_path = item.funcargs.get("tmp_path") or Path(settings.YIMEN_TEST_TMP)
        for number, open_page in enumerate(item.funcargs["context"].pages):
            path = Path(tmp_path) / f"failure-{item.name}-{number}.png".replace("/", "_")
            try:
                open_page.screenshot(path=str(path), full_page=True)
            except Exception as error:  # noqa: BLE001 - the failure itself must still be reported
                report.sections.append(("screenshot", f"截图失败：{error}"))
            else:
                report.sections.append(("screenshot", f"失败时的页面截图：{path}（{open_page.url}）"))
    return report
