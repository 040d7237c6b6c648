"""The editors' synonym list, normalised, kept per process for a few seconds and dropped when it changes."""

from . import text
from .cached import Cached
from .models import Synonym

REFRESH_SECONDS = 30.0


def _load():
    pairs = []
    for synonym in Synonym.objects.all():
        term = text.normalize(synonym.term)
        if term:
            pairs.append((term, [text.normalize(e) for e in synonym.expansion_list]))
    pairs.sort(key=lambda pair: (-len(pair[0]), pair[0]))
    return pairs


_pairs = Cached(_load, REFRESH_SECONDS)


def current():
    """[(popular name, [official names])], longest popular names first."""
    return _pairs.get()


def invalidate():
    _pairs.invalidate()
