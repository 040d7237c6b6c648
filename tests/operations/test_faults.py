"""Faults while serving: the search index deleted, the database's connections killed mid-load, the disk
full when an attachment is written. The site keeps answering; a submission that cannot be accepted
gets a clear Chinese message; every complaint a visitor was given a tracking code for is stored."""

import asyncio
import errno
import io
import re
import shutil
import threading
from unittest import mock

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test import Client, override_settings

import pytest
from PIL import Image

from bench.load import Load
from complaints.models import Complaint, ComplaintAttachment
from search import repair
from tests.factories import ServicePageFactory, site_structure
from tests.search.catalog import IndexedGuides

LOAD_SECONDS = 3
HIGH_RATES = {"complaint": "100000/m", "track": "100000/m", "rating": "100000/m"}


def result_urls(response):
    """Where the results page's links lead (they go there through /search/go/, which counts the open)."""
    links = re.findall(r'<a href="(/search/go/[^"]+)"', response.content.decode())
    return [Client().get(link)["Location"] for link in links]


class LostSearchIndex(IndexedGuides):
    def setUp(self):
        super().setUp()
        cache.delete(repair.MARKER)

    def test_the_site_answers_search_explains_and_the_index_rebuilds(self):
        self.assertIn(self.pages["LY-SD-0001"].url, result_urls(self.client.get("/search/", {"q": "低保"})))
        shutil.rmtree(self._index_dir)  # deleted under the running process

        guide = self.client.get(self.pages["LY-SD-0001"].url)
        self.assertEqual(guide.status_code, 200)
        answer = self.client.get("/search/", {"q": "低保"})
        self.assertEqual(answer.status_code, 200)
        self.assertIn("搜索服务正在重建索引", answer.content.decode())

        # In tests the rebuild runs inside that request (YIMEN_SEARCH_BACKGROUND_REFRESH is off).
        again = self.client.get("/search/", {"q": "低保"})
        self.assertIn("/services/ly-sd-0001/", result_urls(again))
        self.assertNotIn("搜索服务正在重建索引", again.content.decode())
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    def test_while_another_process_rebuilds_every_search_says_so(self):
        cache.set(repair.MARKER, True)
        response = self.client.get("/search/", {"q": "低保"})
        self.assertIn("搜索服务正在重建索引", response.content.decode())
        self.assertIn("/services/ly-sd-0001/", result_urls(response))  # the answers it has are still shown
        self.assertEqual(self.client.get("/healthz").json()["checks"]["search"]["error"], "rebuilding")


def _run_load(live_server, guides, **options):
    # SQLite's in-memory test database is one connection shared with the server's threads, which must
    # not query through it at once: one visitor there; four on PostgreSQL.
    visitors = 4 if connection.vendor == "postgresql" else 1
    load = Load(live_server.url, guides, **options)
    # Its own thread and event loop: the browser tests' Playwright keeps a loop running in this one.
    runner = threading.Thread(
        target=lambda: asyncio.run(load.run(LOAD_SECONDS, visitors, {"guide": 2, "complaint": 3}))
    )
    runner.start()
    runner.join(LOAD_SECONDS + 120)
    assert not runner.is_alive(), "the load run must end within its time bound"
    return load


def _assert_nothing_lost(load):
    stored = set(Complaint.objects.filter(description__contains=load.marker).values_list("tracking_code", flat=True))
    accepted = set(load.stats.accepted_codes)
    assert accepted, "some complaints must get through"
    assert accepted <= stored, f"lost: {accepted - stored}"
    assert not load.stats.errors, load.stats.errors  # anything not accepted was refused with a clear message
    return stored


# Live-server tests commit for real; the serialized rollback restores what the migrations created
# (Wagtail's root page, groups) after each test's flush, for the tests that come after.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def live_guides(settings):
    settings.PUBLIC_FORM_RATES = HIGH_RATES
    site_structure()
    pages = [ServicePageFactory() for _ in range(3)]
    for page in pages:
        page.save_revision().publish()
    return [page.url for page in pages]


@live
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no server connections")
def test_database_connections_killed_mid_load(live_server, live_guides):
    """pg_terminate_backend on every server connection of the test database (not this thread's),
    once a second: a dedicated stand-in for a database restart that disturbs no other database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_database()")
        own_pid, database = cursor.fetchone()
    stop, kills = threading.Event(), []

    def killer():
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as admin:
            while not stop.wait(1.0):
                rows = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
                    [database, own_pid],
                ).fetchall()
                kills.append(len(rows))

    thread = threading.Thread(target=killer, daemon=True)
    with override_settings(YIMEN_PAGE_CACHE=False):
        thread.start()
        try:
            load = _run_load(live_server, live_guides)
        finally:
            stop.set()
            thread.join(10)
    assert sum(kills) > 0, "the test must actually have killed connections"
    _assert_nothing_lost(load)


def _png():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(out, format="PNG")
    return ("photo.png", out.getvalue(), "image/png")


@live
def test_disk_full_while_writing_attachments_under_load(live_server, live_guides, settings, tmp_path):
    settings.COMPLAINTS_ATTACHMENT_ROOT = tmp_path / "private"
    real_save = FileSystemStorage._save
    writes = {"n": 0}
    lock = threading.Lock()

    def every_other_write_fails(self, name, content):
        with lock:
            writes["n"] += 1
            full = writes["n"] % 2 == 0
        if full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, name, content)

    with mock.patch.object(FileSystemStorage, "_save", every_other_write_fails):
        load = _run_load(live_server, live_guides, attachment=_png())
    stored = _assert_nothing_lost(load)
    assert load.stats.refused.get("complaint"), "the full disk must have refused some complaints"
    # Every stored complaint has its attachment on disk: none was stored without it.
    attachments = ComplaintAttachment.objects.filter(complaint__tracking_code__in=stored)
    assert attachments.count() == len(stored)
    for attachment in attachments:
        assert (settings.COMPLAINTS_ATTACHMENT_ROOT / attachment.file.name).is_file()


@pytest.mark.django_db
def test_a_database_drop_while_saving_an_existing_session_answers_503(rf):
    """Django reports any database error while updating a session as SessionInterrupted (400)."""
    from unittest import mock

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError
    from django.http import HttpResponse

    from operations.unavailable import SessionMiddleware

    request = rf.post("/complaints/submitted/")
    request.session = SessionStore()
    request.session["code"] = "x"
    request.session.save()
    request.session["code"] = "y"
    middleware = SessionMiddleware(lambda r: HttpResponse("ok"))
    with mock.patch("django.contrib.sessions.models.Session.save", side_effect=OperationalError("server closed")):
        response = middleware.process_response(request, HttpResponse("ok"))
    assert response.status_code == 503
    assert "可能" in response.content.decode()
