"""The schedule: each period of a job runs once however many ticks race, killed runs are taken over, the tick
chain stays one chain, and start_schedule is idempotent."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from notifications import schedule
from notifications.models import RunStatus, ScheduledRun

from .helpers import run_queued

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, day=4):
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def job(monkeypatch):
    """A registered test job recording the times it ran; the app's own jobs are left out of these tests."""
    runs = []
    monkeypatch.setattr(schedule, "jobs", {})
    schedule.periodic("tests.every_ten", every=timedelta(minutes=10))(runs.append)
    return runs


pytestmark = pytest.mark.django_db


def test_two_ticks_in_one_period_run_the_job_once(job):
    assert schedule.run_due(at(9, 1)) == ["tests.every_ten"]
    assert schedule.run_due(at(9, 1)) == []  # a second worker's tick at the same moment
    assert schedule.run_due(at(9, 9)) == []  # a later tick in the same ten minutes
    assert schedule.run_due(at(9, 10)) == ["tests.every_ten"]
    assert job == [at(9, 1), at(9, 10)]
    assert list(ScheduledRun.objects.filter(job="tests.every_ten").values_list("period_key", "status")) == [
        ("2026-12-04T09:10:00", RunStatus.DONE),
        ("2026-12-04T09:00:00", RunStatus.DONE),
    ]


def test_a_daily_job_runs_from_its_time_once_a_day(monkeypatch):
    runs = []
    monkeypatch.setattr(schedule, "jobs", {})
    schedule.periodic("tests.digest", daily_at=time(8, 0))(runs.append)
    for moment in (at(7, 59), at(8, 0), at(8, 1), at(17, 0), at(7, 0, day=5), at(9, 30, day=5)):
        schedule.run_due(moment)
    assert runs == [at(8, 0), at(9, 30, day=5)]


def test_a_killed_run_is_taken_over_after_its_lease_and_a_failing_one_is_retried(job, settings, monkeypatch):
    settings.YIMEN_SCHEDULE_LEASE = timedelta(minutes=5)
    # A worker claimed 09:00's run and was killed.
    ScheduledRun.objects.create(
        job="tests.every_ten", period_key="2026-12-04T09:00:00", started_at=at(9, 0), lease_until=at(9, 5)
    )
    assert schedule.run_due(at(9, 3)) == []  # still leased
    assert schedule.run_due(at(9, 6)) == ["tests.every_ten"]
    run = ScheduledRun.objects.get(period_key="2026-12-04T09:00:00")
    assert (run.status, run.attempts) == (RunStatus.DONE, 2)

    settings.YIMEN_SCHEDULE_MAX_ATTEMPTS = 2
    calls = []

    def broken(now):
        calls.append(now)
        raise RuntimeError("数据库暂时不可用")

    schedule.periodic("tests.broken", every=timedelta(hours=1))(broken)
    for minute in (0, 1, 2, 3):
        schedule.run_due(at(10, minute))
    assert len(calls) == 2  # the first try and one retry, then it is left failed for this period
    failed = ScheduledRun.objects.get(job="tests.broken")
    assert (failed.status, failed.attempts) == (RunStatus.FAILED, 2)
    assert "数据库暂时不可用" in failed.error


def test_the_tick_queues_the_next_one_once_and_start_schedule_is_idempotent(settings, monkeypatch):
    # Slots of a day (the tick's and the job's), so the real clock cannot cross into the next one mid-test.
    runs = []
    monkeypatch.setattr(schedule, "jobs", {})
    schedule.periodic("tests.daily", every=timedelta(days=1))(runs.append)
    settings.YIMEN_SCHEDULE_TICK = timedelta(days=1)
    call_command("start_schedule", verbosity=0)
    call_command("start_schedule", verbosity=0)
    [first] = schedule.pending_ticks()
    assert first.run_after.year == 9999  # as soon as a worker is free
    assert run_queued() == 1  # the tick ran the job and queued the next tick
    assert len(runs) == 1
    [following] = schedule.pending_ticks()
    assert following.run_after == schedule.slot_start(timezone.now(), timedelta(days=1)) + timedelta(days=1)
    # A tick enqueued twice (start_schedule racing a tick) merges back into one chain.
    schedule.enqueue_tick()
    assert schedule.pending_ticks().count() == 2
    run_queued()
    assert len(runs) == 1  # same period: not run again
    assert list(schedule.pending_ticks()) == [following]


def test_the_apps_own_jobs_are_registered():
    assert schedule.jobs["notifications.sweep"].every == timedelta(seconds=60)
    assert schedule.jobs["notifications.prune"].daily_at == time(3, 30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads racing on one in-memory SQLite database lock it")
@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # like every transactional test here: the next one restores the database from its serialized copy
def test_ticks_racing_in_threads_run_a_period_once(job):
    barrier = threading.Barrier(4)
    ran = []

    def tick():
        barrier.wait()
        ran.extend(schedule.run_due(at(11, 2)))
        connection.close()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert ran == ["tests.every_ten"]
    assert len(job) == 1
    assert DBTaskResult.objects.count() == 0
