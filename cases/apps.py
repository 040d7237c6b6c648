from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "群众诉求"

    def ready(self):
        from . import (
            membership,  # noqa: F401  (connects the audit of the handler groups' membership)
            notices,  # noqa: F401  (connects who hears what of each step)
        )
