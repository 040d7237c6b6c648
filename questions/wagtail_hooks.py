from wagtail import hooks

from .admin_views import QuestionViewSet


@hooks.register("register_admin_viewset")
def register_question_viewset():
    return QuestionViewSet()
