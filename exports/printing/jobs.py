"""Booklets rendered in the background of the web process that was asked for them.

Why a thread: a booklet takes from seconds to a few minutes, far too long for a request, but the
portal must run under `manage.py runserver` and a plain gunicorn without a task worker the operator
has to start and watch. django-tasks was considered: its database backend needs exactly such a
separate `db_worker` process and its immediate backend would block the request. So the request
creates a Booklet row and, once committed, starts a daemon thread that renders it (the heavy
layout itself runs in worker processes, see exports.printing.booklets) and writes progress to the row;
the admin page polls the row. A semaphore keeps to YIMEN_BOOKLET_CONCURRENCY renders per process,
others wait as "排队中".

If the process dies (a restart, a deploy, runserver reloading), its threads die with it. Each job
records `worker` (host and process id) and a heartbeat; `fail_abandoned()` marks jobs whose process
is gone, or that have not moved for STALE_AFTER, as failed, so nothing stays "正在生成" forever.
"""

import datetime
import logging
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from .booklets import STAGE_ASSEMBLE, STAGE_LAYOUT, STAGE_PREPARE, EmptyBooklet, render_booklet
from .fonts import CJKFontMissing
from .models import Booklet

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=15)
HEARTBEAT_EVERY = 1.0  # seconds between progress writes

# Share of the progress bar each stage fills.
STAGE_SPAN = {STAGE_PREPARE: (0, 10), STAGE_LAYOUT: (10, 90), STAGE_ASSEMBLE: (90, 99)}
STAGE_TEXT = {
    STAGE_PREPARE: "正在准备事项 {done}/{total}",
    STAGE_LAYOUT: "正在排版 {done}/{total} 个事项",
    STAGE_ASSEMBLE: "正在生成目录和页码",
}

_slots = None
_slots_lock = threading.Lock()


def _semaphore():
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, settings.YIMEN_BOOKLET_CONCURRENCY))
        return _slots


def worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def request_booklet(scope, user=None):
    """Record a booklet for `scope` and start rendering it once the row is committed."""
    booklet = Booklet.objects.create(
        hall=scope.hall,
        window=scope.window,
        department=scope.department,
        topic=scope.topic,
        title=scope.title,
        requested_by=user if user is not None and user.is_authenticated else None,
        worker=worker_id(),
        stage="排队中",
    )
    transaction.on_commit(lambda: start(booklet.pk))
    return booklet


def start(booklet_id):
    thread = threading.Thread(target=run, args=(booklet_id,), name=f"booklet-{booklet_id}", daemon=True)
    thread.start()
    return thread


class _Reporter:
    """Writes progress to the job row, at most once a second, as a heartbeat too."""

    def __init__(self, booklet_id):
        self.booklet_id = booklet_id
        self.last = 0.0

    def __call__(self, stage, done, total):
        now = time.monotonic()
        if now - self.last < HEARTBEAT_EVERY and done not in (0, total):
            return
        self.last = now
        low, high = STAGE_SPAN[stage]
        percent = low + (high - low) * done // max(total, 1)
        Booklet.objects.filter(pk=self.booklet_id).update(
            progress=percent,
            stage=STAGE_TEXT[stage].format(done=done, total=total),
            heartbeat_at=timezone.now(),
        )


def run(booklet_id):
    """Render one booklet job; every outcome, including a crash, ends in DONE or FAILED."""
    close_old_connections()
    slots = _semaphore()
    try:
        # Waiting for a slot still beats the heart, so a queued job is never taken for abandoned.
        while not slots.acquire(timeout=30):
            Booklet.objects.filter(pk=booklet_id, status=Booklet.Status.QUEUED).update(heartbeat_at=timezone.now())
        try:
            claimed = Booklet.objects.filter(pk=booklet_id, status=Booklet.Status.QUEUED).update(
                status=Booklet.Status.RUNNING,
                worker=worker_id(),
                started_at=timezone.now(),
                heartbeat_at=timezone.now(),
                stage="开始生成",
            )
            if claimed:
                _render(Booklet.objects.get(pk=booklet_id))
        finally:
            slots.release()
    except Exception as error:  # any failure must reach the editor, not only the log
        logger.exception("打印手册 %s 生成失败", booklet_id)
        _fail(booklet_id, _editor_message(error))
    finally:
        connections.close_all()


def _editor_message(error):
    if isinstance(error, (EmptyBooklet, CJKFontMissing, ValueError)):
        return str(error)
    return f"生成时出现意外错误（{type(error).__name__}: {error}），请联系系统管理员查看服务器日志。"


def _fail(booklet_id, message):
    Booklet.objects.filter(pk=booklet_id).update(
        status=Booklet.Status.FAILED, error=message, finished_at=timezone.now(), stage="失败"
    )


def _render(booklet):
    scope = booklet.scope()
    folder = Path(settings.YIMEN_PRINT_DIR) / "booklets"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part") as handle:
        result = render_booklet(scope, handle, progress=_Reporter(booklet.pk))
        handle.flush()
        handle.seek(0)
        name = f"{booklet.pk}-{slugify(scope.title, allow_unicode=True)[:80] or 'booklet'}.pdf"
        booklet.file.save(name, File(handle), save=False)
    booklet.status = Booklet.Status.DONE
    booklet.progress = 100
    booklet.stage = "已完成"
    booklet.guide_count = result.guide_count
    booklet.page_count = result.page_count
    booklet.file_size = booklet.file.size
    booklet.finished_at = timezone.now()
    booklet.save(
        update_fields=["file", "status", "progress", "stage", "guide_count", "page_count", "file_size", "finished_at"]
    )


def _process_alive(worker):
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None  # another machine: only the heartbeat can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_abandoned():
    """Mark jobs whose process is gone, or that stopped moving, as failed; returns how many."""
    now = timezone.now()
    count = 0
    for booklet in Booklet.objects.active():
        alive = _process_alive(booklet.worker)
        last = booklet.heartbeat_at or booklet.created_at
        if alive is False or now - last > STALE_AFTER:
            _fail(booklet.pk, "生成中断：处理它的服务器进程已经停止（例如重启或更新）。请重新生成。")
            count += 1
    return count
