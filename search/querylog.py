"""Counting what the public searches for, what they saw and whether they opened a result, so editors see
popular and fruitless searches, and searches that found something nobody wanted.

Runs of six or more digits, also when split by spaces, dashes or dots (ID card, phone and account
numbers that people sometimes paste into the box), are masked before anything is stored.

The log is bounded, so a flood of made-up searches cannot grow it without end: `prune` deletes the
terms nobody searched for in `YIMEN_SEARCH_LOG_MAX_DAYS`, then, beyond `YIMEN_SEARCH_LOG_MAX_ROWS`,
the least searched ones (one-off strings go before anything people keep asking for). It runs after
every `YIMEN_SEARCH_LOG_PRUNE_EVERY`-th new term (by row id, so it holds across processes; a few
rows more or less between prunes) and from `manage.py prune_search_log`.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Outcome, SearchTerm

logger = logging.getLogger(__name__)

_LONG_NUMBER = re.compile(r"\d[\d\s.-]{4,}\d")
_ID_CARD = re.compile(r"\d{17}[\dx]", re.IGNORECASE)


def mask(query):
    """The query with personal numbers replaced by ＊, trimmed to what the log column holds."""
    query = _ID_CARD.sub("＊", query)
    query = _LONG_NUMBER.sub(lambda m: "＊" if len(re.sub(r"\D", "", m.group())) >= 6 else m.group(), query)
    return query.strip()[:100]


def outcome_of(outcome):
    """What the citizen saw for an engine.Outcome, as the log keeps it: where to go instead comes first,
    as on the page, then results found only by dropping words, then whether anything was found."""
    if outcome.elsewhere:
        return Outcome.ELSEWHERE
    if outcome.relaxed:
        return Outcome.RELAXED
    return Outcome.RESULTS if outcome.total else Outcome.NONE


def record(query, result_count, outcome=None):
    """Count one search for `query` (already normalised) and what it showed (an `Outcome` value; by default
    results or none, from `result_count`); never lets a logging failure break a search."""
    query = mask(query)
    if not query:
        return
    empty = result_count == 0
    outcome = Outcome(outcome) if outcome else (Outcome.NONE if empty else Outcome.RESULTS)
    elsewhere, relaxed = int(outcome == Outcome.ELSEWHERE), int(outcome == Outcome.RELAXED)
    changes = {
        "count": F("count") + 1,
        "zero_result_count": F("zero_result_count") + (1 if empty else 0),
        "elsewhere_count": F("elsewhere_count") + elsewhere,
        "relaxed_count": F("relaxed_count") + relaxed,
        "last_result_count": result_count,
        "found_nothing": empty,
        "last_outcome": outcome,
        "last_searched_at": timezone.now(),
    }
    try:
        if SearchTerm.objects.filter(query=query).update(**changes):
            return
        try:
            with transaction.atomic():
                term = SearchTerm.objects.create(
                    query=query,
                    count=1,
                    zero_result_count=1 if empty else 0,
                    elsewhere_count=elsewhere,
                    relaxed_count=relaxed,
                    last_result_count=result_count,
                    found_nothing=empty,
                    last_outcome=outcome,
                )
        except IntegrityError:  # another request created it a moment ago
            SearchTerm.objects.filter(query=query).update(**changes)
            return
        if term.pk % settings.YIMEN_SEARCH_LOG_PRUNE_EVERY == 0:
            prune()
    except DatabaseError:
        logger.warning("搜索记录写入失败：%s", query, exc_info=True)


def record_open(query):
    """Count one result opened from the search for `query` (already normalised). Only a search that was
    logged is counted: an open never adds a term to the log. Never fails."""
    query = mask(query)
    if not query:
        return
    try:
        SearchTerm.objects.filter(query=query).update(opened_count=F("opened_count") + 1)
    except DatabaseError:
        logger.warning("搜索记录写入失败（点开）：%s", query, exc_info=True)


@dataclass
class Pruned:
    old: int  # not searched for in max_days
    excess: int  # beyond max_rows
    kept: int


def prune(max_days=None, max_rows=None):
    """Bound the log: delete terms last searched over `max_days` ago, then all but the `max_rows` most searched."""
    max_days = settings.YIMEN_SEARCH_LOG_MAX_DAYS if max_days is None else max_days
    max_rows = settings.YIMEN_SEARCH_LOG_MAX_ROWS if max_rows is None else max_rows
    old, _ = SearchTerm.objects.filter(last_searched_at__lt=timezone.now() - timedelta(days=max_days)).delete()
    kept = SearchTerm.objects.order_by("-count", "-last_searched_at", "-pk").values("pk")[:max_rows]
    excess, _ = SearchTerm.objects.exclude(pk__in=kept).delete()
    return Pruned(old=old, excess=excess, kept=SearchTerm.objects.count())
