"""Services the centre does not handle (护照, 驾照, 公积金…): which ones a query asks for, and the demo's list.

A search for one of them finds nothing useful among the centre's guides, or worse, a guide that only
mentions the word; the results page leads with where to go instead. An entry matches when one of its
popular names, or its name, occurs in the normalised query (so traditional characters and full-width
letters match too), or when the query's pinyin spells a popular name: its latin letters, spaces removed,
equal the name's pinyin ("hu zhao", "huzhao"), or a run of its space-separated words does ("ban huzhao"),
or, for a name of three characters or more, they contain it ("banhuzhao" → no, "tiqugongjijin" → 公积金).
Two-character pinyin is never looked for inside other letters: "shigongzheng" is 施工证, not 公证. A
popular name of three characters or more also matches characters that sound the same (房产正, a typo
of 房产证); two-character ones do not (公正 is not 公证).

The live entries are read once per process for a few seconds, like the synonyms, and dropped when an
editor saves or deletes one (receivers.py).
"""

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from . import text
from .cached import Cached
from .models import ElsewhereService

REFRESH_SECONDS = 30.0
MAX_SHOWN = 3
# The pinyin of a popular name this long (in characters) is specific enough to be found inside other letters.
PINYIN_INSIDE = 3

_LATIN_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class _Entry:
    service: ElsewhereService
    phrases: tuple  # (normalised name or popular name, spaces removed; as the editor wrote it)
    pinyins: tuple  # (pinyin of a popular name, length in characters, as the editor wrote it)


def _load():
    entries = []
    for service in ElsewhereService.objects.filter(live=True):
        phrases, pinyins = {}, {}
        for phrase in [service.name, *service.term_list]:
            normalized = text.normalize(phrase).replace(" ", "")
            if normalized:
                phrases.setdefault(normalized, phrase)
        for term in service.term_list:
            normalized = text.normalize(term).replace(" ", "")
            if text.is_cjk(normalized):
                pinyins.setdefault(text.pinyin(normalized), (len(normalized), term))
        entries.append(
            _Entry(
                service=service,
                phrases=tuple(phrases.items()),
                pinyins=tuple((spelled, length, term) for spelled, (length, term) in pinyins.items()),
            )
        )
    return entries


_entries_cache = Cached(_load, REFRESH_SECONDS)


def _entries():
    return _entries_cache.get()


def invalidate():
    _entries_cache.invalidate()


def _spellings(normalized_query):
    """The query's latin letters as pinyin could spell a name: all of them together, and every run of
    whole words (people type spaces between syllables or words, never inside one)."""
    words = _LATIN_WORD.findall(normalized_query)
    latin = "".join(words)
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 8) + 1)}
    return latin, runs | {latin}


def _sounds(compact):
    """The pinyin of every run of three to six Chinese characters in the query: 房产正 sounds like 房产证."""
    found = set()
    for run in text.CJK_RUN.findall(compact):
        for i in range(len(run)):
            for j in range(i + PINYIN_INSIDE, min(len(run), i + 6) + 1):
                found.add(text.pinyin(run[i:j]))
    return found


def _best_match(entry, compact, latin, runs, sounds):
    """(length in characters, word as written) of the longest of the entry's words found in the query."""
    best = max(((len(p), written) for p, written in entry.phrases if p in compact), default=(0, ""))
    for spelled, length, term in entry.pinyins:
        if length <= best[0]:
            continue
        typed = latin and (spelled in runs or (length >= PINYIN_INSIDE and spelled in latin))
        if typed or (length >= PINYIN_INSIDE and spelled in sounds):
            best = (length, term)
    return best


def matching(normalized_query):
    """The live services handled elsewhere that the query (already normalised) asks for, longest match first,
    at most three. Each is a copy of its entry whose `matched` is the popular name (or name) the query used,
    as the editor wrote it: the page says "“护照”不在本中心办理" also for huzhao or 護照."""
    normalized_query = normalized_query or ""
    compact = normalized_query.replace(" ", "")
    if not compact:
        return []
    latin, runs = _spellings(normalized_query)
    sounds = _sounds(compact)
    found = []
    for entry in _entries():
        length, written = _best_match(entry, compact, latin, runs, sounds)
        if length:
            found.append((-length, entry.service.name, entry.service, written))
    found.sort(key=lambda row: row[:2])
    shown = []
    for *_rank, service, written in found[:MAX_SHOWN]:
        service = copy.copy(service)  # the cached entry is shared by every request of the process
        service.matched = written
        shown.append(service)
    return shown


FIELDS = ("where", "address", "phone", "hours", "url", "note")


@dataclass
class Loaded:
    created: int
    updated: int
    unchanged: int


def load_entries(path):
    """Bring the entries of a file ({"entries": [{name, terms, where, address, phone, hours, url, note}]}) into
    the portal: a new name is added, a known name updated to the file; nothing else is touched, so a second
    load changes nothing and the editors' own entries stay. All or nothing; raises ValidationError (in
    Chinese, naming the entry) when an entry is not valid."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = Loaded(created=0, updated=0, unchanged=0)
    with transaction.atomic():
        for number, row in enumerate(document["entries"], start=1):
            name = (row.get("name") or "").strip()
            service = ElsewhereService.objects.filter(name=name).first() or ElsewhereService(name=name)
            before = _values(service) if service.pk else None
            terms = row.get("terms") or []
            service.terms = "\n".join(terms) if isinstance(terms, list) else str(terms)
            for field in FIELDS:
                setattr(service, field, row.get(field) or "")
            try:
                service.full_clean()
            except ValidationError as error:
                messages = "；".join(
                    f"{ElsewhereService._meta.get_field(field).verbose_name}：{''.join(problems)}"
                    for field, problems in error.message_dict.items()
                )
                raise ValidationError(f"第 {number} 条“{name}”：{messages}") from error
            if before is None:
                service.save()
                counts.created += 1
            elif _values(service) != before:
                service.save()
                counts.updated += 1
            else:
                counts.unchanged += 1
    return counts


def _values(service):
    return (service.name, service.terms, *(getattr(service, field) for field in FIELDS))
