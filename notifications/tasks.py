"""The app's django-tasks tasks. Both are thin: the Message and ScheduledRun rows, not the task rows, say what
has been done, so running a task twice or losing one costs nothing but a moment (notifications/delivery.py,
notifications/schedule.py)."""

from django_tasks import task

# Above Wagtail's own tasks (priority 0: search and reference index updates, which an import queues by the
# thousand), so a citizen's SMS does not wait behind a catalog import.
NOTIFY_PRIORITY = 50


@task(priority=NOTIFY_PRIORITY)
def deliver_message(message_id: int):
    from .delivery import deliver

    return deliver(message_id)


@task(priority=NOTIFY_PRIORITY + 10)
def tick():
    from .schedule import tick as run_tick

    return run_tick()
