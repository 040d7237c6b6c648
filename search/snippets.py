"""Highlighted snippets, the same for every backend: the densest window of matched words, marked up safely."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 90


def _fold(source):
    """Lower case for matching, keeping every character where it was (guides are in simplified Chinese)."""
    folded = source.lower()
    return folded if len(folded) == len(source) else source


def _pattern(terms):
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def best_window(source, terms, length=SNIPPET_LENGTH):
    """The stretch of `source` (about `length` characters) with the most matched words."""
    source = " ".join((source or "").split())
    if len(source) <= length:
        return source
    pattern = _pattern(terms)
    if pattern is None:
        return source[:length] + "…"
    folded = _fold(source)
    starts = [m.start() for m in pattern.finditer(folded)]
    if not starts:
        return source[:length] + "…"
    best, best_count = starts[0], 0
    for i, start in enumerate(starts):
        count = sum(1 for s in starts[i:] if s < start + length)
        if count > best_count:
            best, best_count = start, count
    begin = max(0, min(best - 12, len(source) - length))
    window = source[begin : begin + length]
    return ("…" if begin else "") + window + ("…" if begin + length < len(source) else "")


def highlight(source, terms):
    """`source` as safe HTML with every matched word wrapped in <mark>."""
    pattern = _pattern(terms)
    if pattern is None or not source:
        return escape(source or "")
    folded = _fold(source)
    out, last = [], 0
    for match in pattern.finditer(folded):
        out.append(escape(source[last : match.start()]))
        out.append(f"<mark>{escape(source[match.start() : match.end()])}</mark>")
        last = match.end()
    out.append(escape(source[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def snippet(source, terms, length=SNIPPET_LENGTH):
    """(plain text, highlighted HTML) of the best window of `source`."""
    window = best_window(source, terms, length)
    return window, highlight(window, terms)
