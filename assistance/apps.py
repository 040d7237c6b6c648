from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = "帮办代办"

    def ready(self):
        from cases import kinds

        from .kind import ASSISTANCE

        kinds.register(ASSISTANCE)
