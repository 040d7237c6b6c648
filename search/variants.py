"""Everyday variants of the words people type (data/variants.txt): 户口本 and 户口簿, 丢了 read as 补领."""

from functools import lru_cache
from pathlib import Path

from . import text

VARIANTS_FILE = Path(__file__).resolve().parent / "data" / "variants.txt"


@lru_cache(maxsize=1)
def table():
    """{normalised word: (variants…)}: a line's words map to each other, and to what follows its `>`."""
    found = {}
    for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group, _, targets = line.partition(">")
        group = [text.normalize(w) for w in group.split()]
        targets = [text.normalize(w) for w in targets.split()]
        for word in group:
            others = [w for w in group if w != word] + targets
            found.setdefault(word, [])
            found[word].extend(w for w in others if w != word and w not in found[word])
    return {word: tuple(others) for word, others in found.items()}


def found_in(normalized):
    """[(phrase, variants)] for every phrase of the table that occurs in the normalised query, longest first."""
    hits = [(phrase, others) for phrase, others in table().items() if phrase in normalized]
    return sorted(hits, key=lambda hit: -len(hit[0]))
