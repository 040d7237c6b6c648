from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = "Open311 接口"

    def ready(self):
        from . import checks  # noqa: F401  (each kind's extra["open311"] is checked at start-up)
