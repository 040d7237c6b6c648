"""This app's periodic jobs: the message sweep and the pruning of old task and schedule rows."""

from datetime import time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from .schedule import periodic


@periodic("notifications.sweep", every=settings.NOTIFICATIONS_SWEEP_EVERY)
def sweep_messages(now):
    """Re-queue messages whose task was lost and messages a killed worker left 发送中 (notifications/delivery.py)."""
    from .delivery import sweep

    sweep(now)


@periodic("notifications.prune", daily_at=time(3, 30))
def prune(now):
    """Finished task rows after YIMEN_TASKS_KEEP_DAYS days, schedule runs after 30: each tick leaves one of
    each, 1,440 a day. Messages and their attempts are kept (they are the log of what was sent)."""
    from .models import ScheduledRun

    ScheduledRun.objects.filter(started_at__lt=timezone.now() - timedelta(days=30)).exclude(status="running").delete()
    call_command(
        "prune_db_task_results",
        # As arguments, not keyword options: argparse would check the option's own default ("default", not
        # a database backend here: Wagtail's tasks run at once) when the option is not on the command line.
        "--backend",
        settings.YIMEN_TASKS_BACKEND,
        "--queue-name",
        "*",
        "--min-age-days",
        str(settings.YIMEN_TASKS_KEEP_DAYS),
        verbosity=0,
    )
