from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the portal in production: health endpoint, shared page cache, JSON logs, CSP per area."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "operations"
    verbose_name = "运行维护"

    def ready(self):
        from . import checks, private_files, receivers  # noqa: F401 - register the checks, connect the receivers
