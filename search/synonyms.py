"""The editors' synonym list, normalised, kept per process for a few seconds and dropped when it changes."""

import threading
import time

from . import text
from .models import Synonym

REFRESH_SECONDS = 30.0

_lock = threading.Lock()
_cache = {"pairs": None, "loaded": 0.0}


def current():
    """[(popular name, [official names])], longest popular names first."""
    with _lock:
        if _cache["pairs"] is not None and time.monotonic() - _cache["loaded"] < REFRESH_SECONDS:
            return _cache["pairs"]
    pairs = []
    for synonym in Synonym.objects.all():
        term = text.normalize(synonym.term)
        if term:
            pairs.append((term, [text.normalize(e) for e in synonym.expansion_list]))
    pairs.sort(key=lambda pair: (-len(pair[0]), pair[0]))
    with _lock:
        _cache.update(pairs=pairs, loaded=time.monotonic())
    return pairs


def invalidate():
    with _lock:
        _cache.update(pairs=None, loaded=0.0)
