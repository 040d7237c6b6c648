from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉举报"

    def ready(self):
        from . import membership  # noqa: F401  (connects the audit of 投诉处理人员 membership)
