from django import template

from ..models import Question

register = template.Library()


@register.inclusion_tag("questions/includes/guide_questions.html")
def guide_questions(page):
    """群众问答 on a guide: the questions and answers editors published, oldest first, and 我要咨询."""
    if page.pk is None:  # a guide previewed before its first save has no questions yet
        return {"page": page, "questions": []}
    questions = Question.objects.published().filter(service=page).order_by("published_at", "pk")
    return {"page": page, "questions": list(questions)}
