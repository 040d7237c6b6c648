from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        # Every process (web, worker, command) knows every app's message templates and periodic jobs
        # before it renders or ticks: apps declare them in `message_templates.py` and `schedules.py`.
        autodiscover_modules("message_templates")
        autodiscover_modules("schedules")
        from . import checks  # noqa: F401 - registers the settings checks
        from .templates import create_template_rows

        post_migrate.connect(create_template_rows, sender=self)
