"""Counting what the public searches for, so editors see popular and fruitless searches.

Runs of six or more digits, also when split by spaces, dashes or dots (ID card, phone and account
numbers that people sometimes paste into the box), are masked before anything is stored.
"""

import logging
import re

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
                SearchTerm.objects.create(
                    query=query, count=1, zero_result_count=1 if empty else 0, last_result_count=result_count, found_nothing=empty
                )
        except IntegrityError:  # another request created it a moment ago
            SearchTerm.objects.filter(query=query).update(**changes)
    except DatabaseError:
        logger.warning("搜索记录写入失败：%s", query, exc_info=True)
