"""Periodic jobs that run by themselves, on top of django-tasks: a small registry and a self-rescheduling tick.

    from datetime import time, timedelta
    from notifications.schedule import periodic

    @periodic("cases.daily_digest", daily_at=time(8, 0))    # once a day, at the first tick from 08:00 (local time)
    def send_daily_digest(now): ...

    @periodic("notifications.sweep", every=timedelta(minutes=1))   # once in each minute of the clock
    def sweep(now): ...

Apps put these in a `schedules.py` module, imported on start-up by NotificationsConfig.ready.

How it holds together:

- **The tick** is a task (notifications.tasks.tick) that first queues the next tick (`run_after` the start of
  the next slot of YIMEN_SCHEDULE_TICK) and then runs every job that is due. Queueing the next tick is itself
  claimed by a unique ScheduledRun row for that slot, written in the same transaction as the task row, so two
  chains of ticks (a tick enqueued twice, `start_schedule` racing a tick) merge back into one.
- **A run** of a job is one period (a day for `daily_at`, a slot of `every` counted from the epoch), claimed
  by inserting ScheduledRun(job, period_key): two workers or two ticks never run the same period twice. A run
  whose worker was killed keeps its row "运行中" past its lease (YIMEN_SCHEDULE_LEASE) and the next tick takes
  it over; a run that raised is tried again on later ticks, up to YIMEN_SCHEDULE_MAX_ATTEMPTS times in all.
- **Starting:** `manage.py start_schedule` queues a tick when none is waiting (`./yimen start` and the
  worker's systemd unit call it); with none waiting and none running, nothing runs.
- A period that passes while no worker runs is not made up later, except the current one: a daily job whose
  worker was down at 08:00 runs when the worker is back the same day.
"""

import logging
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

TICK_JOB = "schedule.tick"


@dataclass(frozen=True)
class Job:
    name: str
    func: object
    every: timedelta | None = None
    daily_at: time | None = None

    def period_key(self, now):
        """The period `now` falls in, or None when the job is not due yet in it (a daily job before its time)."""
        if self.every:
            return slot_key(now, self.every)
        local = timezone.localtime(now)
        if local.time() < self.daily_at:
            return None
        return local.date().isoformat()


jobs = {}


def periodic(name, *, every=None, daily_at=None):
    """Register the decorated function `func(now)` as the periodic job `name`; give `every` or `daily_at`."""
    if (every is None) == (daily_at is None):
        raise TypeError("periodic() 需要 every 或 daily_at 之一。")
    if every is not None and every.total_seconds() < 1:
        raise ValueError("periodic() 的 every 至少为 1 秒。")

    def decorator(func):
        jobs[name] = Job(name, func, every, daily_at)
        return func

    return decorator


def slot_start(now, every):
    seconds = int(every.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)


def slot_key(now, every):
    return timezone.localtime(slot_start(now, every)).strftime("%Y-%m-%dT%H:%M:%S")


def claim(job_name, period_key, now):
    """True when this caller may run `job_name` for `period_key`: it made the run's row, or took over one
    whose worker was killed (lease passed) or that failed and has tries left."""
    from .models import RunStatus, ScheduledRun

    lease_until = now + settings.YIMEN_SCHEDULE_LEASE
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job_name, period_key=period_key, started_at=now, lease_until=lease_until)
        return True
    except IntegrityError:
        pass
    retry = Q(status=RunStatus.RUNNING) | Q(status=RunStatus.FAILED, attempts__lt=settings.YIMEN_SCHEDULE_MAX_ATTEMPTS)
    taken = (
        ScheduledRun.objects.filter(job=job_name, period_key=period_key, lease_until__lt=now)
        .filter(retry)
        .update(status=RunStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, lease_until=lease_until, error="")
    )
    return bool(taken)


def run(job, period_key, now):
    from .models import RunStatus, ScheduledRun

    rows = ScheduledRun.objects.filter(job=job.name, period_key=period_key)
    try:
        job.func(now)
    except Exception:  # noqa: BLE001 - a failing job is recorded and tried again; the others still run
        logger.exception("定时任务 %s（%s）出错", job.name, period_key)
        rows.update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            lease_until=now,  # the tick's time: any later tick may try this period again
            error=traceback.format_exc()[-4000:],
        )
        return False
    rows.update(status=RunStatus.DONE, finished_at=timezone.now())
    return True


def run_due(now=None):
    """Run every registered job that is due at `now` and not yet claimed for its period; returns their names."""
    now = now or timezone.now()
    ran = []
    for job in list(jobs.values()):
        key = job.period_key(now)
        if key is not None and claim(job.name, key, now):
            run(job, key, now)
            ran.append(job.name)
    return ran


def backend():
    from django_tasks import task_backends

    return task_backends[settings.YIMEN_TASKS_BACKEND]


def enqueue_tick(run_after=None):
    from .tasks import tick

    return tick.using(backend=settings.YIMEN_TASKS_BACKEND, run_after=run_after).enqueue()


def chain(now):
    """Queue the tick of the next slot unless another tick already did; True if this call queued it."""
    from .models import RunStatus, ScheduledRun

    next_at = slot_start(now, settings.YIMEN_SCHEDULE_TICK) + settings.YIMEN_SCHEDULE_TICK
    with transaction.atomic():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(
                    job=TICK_JOB,
                    period_key=slot_key(next_at, settings.YIMEN_SCHEDULE_TICK),
                    status=RunStatus.DONE,
                    started_at=now,
                    lease_until=next_at,
                    finished_at=now,
                )
        except IntegrityError:
            return False
        enqueue_tick(run_after=next_at)
    return True


def tick(now=None):
    """One tick: queue the next one first (a job that crashes the worker must not end the chain), then run
    what is due."""
    now = now or timezone.now()
    chain(now)
    return run_due(now)


def pending_ticks():
    """Ticks waiting in the database queue."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import tick as tick_task

    return DBTaskResult.objects.filter(
        backend_name=settings.YIMEN_TASKS_BACKEND, task_path=tick_task.module_path, status="READY"
    )


def start():
    """Queue a tick now unless one is waiting; True if it queued one. Safe to call on every start-up."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(backend(), DatabaseBackend):
        raise RuntimeError(
            f"定时任务需要数据库任务后端（django_tasks_db.DatabaseBackend），{settings.YIMEN_TASKS_BACKEND} 不是。"
        )
    with transaction.atomic():
        if pending_ticks().exists():
            return False
        enqueue_tick()
    return True
