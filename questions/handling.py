"""What only questions do beyond the case core (cases.handling): publishing an answer on its guide and making
it one of the guide's 常见问题. Both need the asker's consent and an editor's approval."""

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from cases import handling
from cases.handling import HandlingError
from content.models import FAQ
from operations.receivers import invalidate
from search.indexing import sync_pages

from .kind import QUESTION
from .models import Question


def submit_question(*, about, category, text, publish_consent, contact, token, **extra):
    """Store a question exactly once per form token; returns (question, created)."""
    fields = {**about, **contact, "category": category, "text": text, "publish_consent": publish_consent, **extra}
    return handling.store_once(QUESTION, fields, token=token, user=extra.get("recorded_by"))


def _reindex(question):
    """The guide shows the question (page cache) and finds it (search index) only after the change commits."""
    page_id = question.service_id
    if page_id:
        transaction.on_commit(lambda: sync_pages([page_id]))
    invalidate()


@transaction.atomic
def publish(question, *, public_question, public_answer, user):
    """Show the question and its answer on the guide (and in search), as the editor worded them."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.publish_consent:
        raise HandlingError("提问人没有同意公开，不能公开这条咨询。")
    if question.replied_at is None:
        raise HandlingError("请先答复，再公开问答。")
    if question.service_id is None:
        raise HandlingError("这条咨询没有对应的办事指南，无法公开在指南上；请先在“交办”中确认事项。")
    question.public_question = public_question
    question.public_answer = public_answer
    question.published_at = question.published_at or timezone.now()
    question.published_by = user
    question.save(update_fields=["public_question", "public_answer", "published_at", "published_by"])
    log(question, QUESTION.action("publish"), user=user, data={"service": question.service_id})
    _reindex(question)
    return question


@transaction.atomic
def unpublish(question, *, user):
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.published_at is None:
        raise HandlingError("这条问答没有公开。")
    question.published_at = None
    question.save(update_fields=["published_at"])
    log(question, QUESTION.action("unpublish"), user=user)
    _reindex(question)
    return question


@transaction.atomic
def make_faq(question, *, user):
    """Add the published question and answer to the guide's 常见问题 in one action.

    A new revision of the guide is saved with the FAQ added; it is published at once when the guide has no
    other unpublished changes and the editor may publish it, otherwise it waits as a draft for review so
    nobody else's unfinished edits go live with it. Returns (page, published).
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.published_at is None:
        raise HandlingError("请先公开问答（需提问人同意和编辑批准），再转为常见问题。")
    if question.faq_created_at is not None:
        raise HandlingError("这条问答已经转为常见问题。")
    page = question.service.specific
    draft = page.get_latest_revision_as_object()
    draft.faqs.add(
        FAQ(question=question.public_question, answer=question.public_answer, sort_order=len(draft.faqs.all()))
    )
    may_publish = page.permissions_for_user(user).can_publish()
    publish_now = may_publish and not page.has_unpublished_changes
    revision = draft.save_revision(user=user, log_action=True)
    if publish_now:
        revision.publish(user=user)
    question.faq_created_at = timezone.now()
    question.save(update_fields=["faq_created_at"])
    log(question, QUESTION.action("faq"), user=user, data={"page": page.pk, "published": publish_now})
    return page, publish_now
