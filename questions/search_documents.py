"""A guide's published questions and answers are part of the guide in search: each is a document of kind
"faq" that opens the guide at the answer, collapsed with the guide's other hits."""

from content.models import ServicePage
from search.documents import SearchDocument, register_extra

from .models import Question


@register_extra(ServicePage)
def published_questions(pages):
    pages = list(pages.select_related("department").prefetch_related("topics", "service_halls__hall"))
    by_page = {}
    for question in Question.objects.published().filter(service__in=pages).order_by("published_at", "pk"):
        by_page.setdefault(question.service_id, []).append(question)
    for page in pages:
        questions = by_page.get(page.pk)
        if not questions:
            continue
        url = page.get_url() or page.url_path
        facets = {
            "topic": [topic.name for topic in page.topics.all()],
            "department": [page.department.code],
            "hall": [link.hall.code for link in page.service_halls.all()],
            "audience": page.audience,
        }
        for question in questions:
            text = f"{question.public_question}\n{question.public_answer}"
            yield SearchDocument(
                key=f"qa:{page.pk}:{question.pk}",
                kind="faq",
                page_id=page.pk,
                code=page.code,
                name=page.title,
                url=f"{url}#qa-{question.pk}",
                collapse=f"service:{page.code}",
                faq=text,
                summary=text,
                facets=facets,
            )
