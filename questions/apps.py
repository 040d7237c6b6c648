from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "咨询"

    def ready(self):
        from cases import kinds

        from . import search_documents  # noqa: F401  (published answers are part of their guide in search)
        from .kind import QUESTION

        kinds.register(QUESTION)
