from django.apps import AppConfig


class ExportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exports"
    verbose_name = "导入导出与打印"

    def ready(self):
        from .printing import receivers  # noqa: F401 — connects the signal receivers
