from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉举报"

    def ready(self):
        from cases import kinds

        from .kind import COMPLAINT

        kinds.register(COMPLAINT)
