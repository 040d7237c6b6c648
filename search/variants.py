"""Everyday variants of the words people type (data/variants.txt): 户口本 and 户口簿, 丢了 read as 补领."""

from functools import lru_cache
from pathlib import Path

from . import text

VARIANTS_FILE = Path(__file__).resolve().parent / "data" / "variants.txt"


@lru_cache(maxsize=1)
def _tables():
    same, reads_as, standalone = {}, {}, set()
    for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group, _, targets = line.partition(">")
        standalone.update(text.normalize(w[1:]) for w in group.split() if w.startswith("@"))
        group = [text.normalize(w.lstrip("@")) for w in group.split()]
        targets = [text.normalize(w) for w in targets.split()]
        for word in group:
            same.setdefault(word, [])
            same[word].extend(w for w in group if w != word and w not in same[word])
            reads_as.setdefault(word, [])
            reads_as[word].extend(w for w in targets if w != word and w not in reads_as[word])
    freeze = lambda table: {word: tuple(others) for word, others in table.items() if others}  # noqa: E731
    return freeze(same), freeze(reads_as), frozenset(standalone)


def table():
    """{normalised word: (words of the same meaning…)}: the words of one line."""
    return _tables()[0]


def inferences():
    """{normalised word: (what it is read as…)}: what follows a line's `>` (丢了 → 补领), one way only."""
    return _tables()[1]


def found_in(normalized, typed=()):
    """[(phrase, same-meaning words, words it is read as)] for every phrase of the table in the query.

    A phrase marked `@` in the file counts only as a word of its own among the `typed` words (领 in
    怎么领), never inside another word (补 in 补贴)."""
    same, reads_as, standalone = _tables()
    typed = set(typed)
    phrases = sorted(
        (p for p in set(same) | set(reads_as) if p in normalized and (p not in standalone or p in typed)),
        key=lambda p: (-len(p), p),
    )
    return [(p, same.get(p, ()), reads_as.get(p, ())) for p in phrases]


@lru_cache(maxsize=1)
def by_pinyin():
    """{toneless pinyin: (words of the table that sound so)}: buban → 补办, for queries typed in pinyin."""
    found = {}
    same, reads_as, _standalone = _tables()
    for word in set(same) | set(reads_as):
        if text.is_cjk(word) and len(word) >= 2:
            found.setdefault(text.pinyin(word), []).append(word)
    return {sound: tuple(sorted(words)) for sound, words in found.items()}
