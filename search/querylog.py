"""Counting what the public searches for, so editors see popular and fruitless searches.

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

from .models import SearchTerm

logger = logging.getLogger(__name__)

_LONG_NUMBER = re.compile(r"\d[\d\s.-]{4,}\d")
_ID_CARD = re.compile(r"\d{17}[\dx]", re.IGNORECASE)


def mask(query):
    """The query with personal numbers replaced by ＊, trimmed to what the log column holds."""
    query = _ID_CARD.sub("＊", query)
    query = _LONG_NUMBER.sub(lambda m: "＊" if len(re.sub(r"\D", "", m.group())) >= 6 else m.group(), query)
    return query.strip()[:100]


def record(query, result_count):
    """Count one search for `query` (already normalised); never lets a logging failure break a search."""
    query = mask(query)
    if not query:
        return
    empty = result_count == 0
    changes = {
        "count": F("count") + 1,
        "zero_result_count": F("zero_result_count") + (1 if empty else 0),
        "last_result_count": result_count,
        "found_nothing": empty,
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
                    last_result_count=result_count,
                    found_nothing=empty,
                )
        except IntegrityError:  # another request created it a moment ago
            SearchTerm.objects.filter(query=query).update(**changes)
            return
        if term.pk % settings.YIMEN_SEARCH_LOG_PRUNE_EVERY == 0:
            prune()
    except DatabaseError:
        logger.warning("搜索记录写入失败：%s", query, exc_info=True)


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
