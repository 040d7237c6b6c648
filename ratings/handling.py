"""Storing ratings and closing the follow-up every bad rating opens."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.log_actions import log

from content.models import ServicePage

from .models import FollowUp, FollowUpStatus, Rating


class DuplicateRating(Exception):
    """This page view was rated already."""


def window_for(page, hall):
    """The window at `hall` that handles the guide `page`, when exactly one can be told."""
    if hall is None or not isinstance(page, ServicePage):
        return None
    matching = hall.windows_taking(page, hall.windows.prefetch_related("departments"))
    return matching[0] if len(matching) == 1 else None


def submit_rating(*, page, nonce, score, comment, contact_phone, hall):
    """Store one rating; a bad one opens its follow-up in the same transaction."""
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                page=page,
                page_title=page.title[:255],
                hall=hall,
                window=window_for(page, hall),
                score=score,
                comment=comment,
                contact_phone=contact_phone,
                view_nonce=nonce,
            )
            if rating.is_bad:
                follow_up = FollowUp.objects.create(rating=rating)
                log(follow_up, "ratings.followup.open")
    except IntegrityError as exc:
        if Rating.objects.filter(view_nonce=nonce).exists():
            raise DuplicateRating from exc
        raise
    return rating


@transaction.atomic
def update_follow_up(follow_up, *, data, close, user):
    """Save the handler's 整改/回访/记录; with `close`, mark it done (the form has checked every part is there)."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    for field in ("rectification", "revisit_on", "revisit_result", "record"):
        setattr(follow_up, field, data[field])
    action = "ratings.followup.update"
    if close and follow_up.status != FollowUpStatus.CLOSED:
        follow_up.status = FollowUpStatus.CLOSED
        follow_up.closed_at = timezone.now()
        follow_up.closed_by = user
        action = "ratings.followup.close"
    follow_up.save()
    log(follow_up, action, user=user)
    return follow_up
