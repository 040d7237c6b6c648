"""What every search backend offers; the Whoosh and PostgreSQL backends both pass the same tests."""

import functools
from dataclasses import dataclass, field

import numpy

from search import text
from search.documents import FACETS

# How much a match in each field counts; the item name and its popular names count most.
FIELD_WEIGHTS = {
    "name": 6.0,
    "keywords": 5.0,
    "pinyin": 4.0,
    "topics": 2.5,
    "faq": 2.0,
    "conditions": 1.2,
    "materials": 1.0,
    "basis": 0.8,
    "body": 0.5,
}
# An FAQ entry matched only by its own text ranks just above its guide, so the answer is shown.
FAQ_BOOST = 1.1
TEXT_FIELDS = ("name", "keywords", "topics", "faq", "conditions", "materials", "basis", "body")


@dataclass
class Hit:
    key: str
    kind: str
    page_id: int
    code: str
    name: str
    url: str
    score: float
    summary: str = ""
    matched: tuple = ()  # indexes of the query's concepts this hit matched


@dataclass
class SearchResults:
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=lambda: {name: {} for name in FACETS})
    # Indexes of concepts left out of the ranking because every word of theirs is in most documents.
    common: frozenset = frozenset()


def matches_filters(doc_facets, filters, skip=None):
    """True when, for every filtered facet (but `skip`), the document carries one of the chosen values."""
    return all(
        any(value in doc_facets.get(name, ()) for value in values) for name, values in filters.items() if name != skip
    )


# Results scoring under this share of the best one are noise (a lone common word such as 生活).
MIN_RELATIVE_SCORE = 0.1


def narrow(rows, filters, offset, limit):
    """From collapsed (score, reference, facets) rows in rank order: the page, the total and facet counts.

    Rows scoring under MIN_RELATIVE_SCORE of the best are dropped first. A facet's counts are taken over
    the results of all the *other* active filters, so a second topic shows how many items it would add
    rather than zero (the catalog's facets behave the same way).
    """
    if rows:
        floor = rows[0][0] * MIN_RELATIVE_SCORE
        rows = [row for row in rows if row[0] >= floor]
    kept = [row for row in rows if matches_filters(row[2], filters)] if filters else rows
    counts = {name: {} for name in FACETS}
    for name in FACETS:
        bucket = counts[name]
        source = kept if not filters else [row for row in rows if matches_filters(row[2], filters, skip=name)]
        for _score, _reference, facets in source:
            for value in facets[name]:
                bucket[value] = bucket.get(value, 0) + 1
    return kept[offset : offset + limit], len(kept), counts


def concept_scores(concept, per_word, size):
    """One concept's score per document (a dense array of `size`): its best alternative there.

    `per_word` maps each index word to (document numbers, their BM25 scores), two arrays. An
    alternative of one word scores weight × that word's score; one of n words counts only where a
    document holds at least half of them, and then weight × (the sum of their scores) / n, so an
    expansion into a long official name is worth about one word, never more than the words the
    citizen typed.
    """
    best = numpy.zeros(size)
    for alternative in concept.alternatives:
        lists = [per_word[w] for w in alternative.words if w in per_word]
        if not lists:
            continue
        count = len(alternative.words)
        factor = alternative.weight / count
        if count == 1:
            documents, scores = lists[0]  # one word: each document once
            best[documents] = numpy.maximum(best[documents], factor * scores)
            continue
        sums, held = numpy.zeros(size), numpy.zeros(size, dtype=numpy.int16)
        for documents, scores in lists:
            sums[documents] += scores
            held[documents] += 1
        numpy.maximum(best, numpy.where(held >= (count + 1) // 2, factor * sums, 0.0), out=best)
    return best


# How many of the best results are re-ranked by what their name says, and how much a name that holds
# every informative concept of the query adds (× 1 + NAME_BONUS).
RERANK_DEPTH = 50
NAME_BONUS = 0.5


@functools.lru_cache(maxsize=20000)
def name_words(name, keywords=()):
    """The index words and pinyin terms of an item's name and popular names."""
    phrases = [name, *keywords]
    found = set()
    for phrase in phrases:
        found.update(text.words(text.normalize(phrase)))
    found.update(text.pinyin_terms(phrases))
    return frozenset(found)


def rerank_by_name(rows, query, names):
    """Rows (score, reference, facets) best first, the first RERANK_DEPTH re-scored by their names.

    `names(references)` gives {reference: (name, keywords)}. A guide whose name holds what the citizen
    asked for (居民身份证换领、补领 for 身份证补办) goes before one that only mentions it in its
    materials (补领婚姻登记证 asks for the 身份证): its score is multiplied by 1 + NAME_BONUS × the
    share of the query's informative concepts its name holds, each by its best alternative's weight.
    """
    concepts = [c for c in query.concepts if c.informative and not c.context]
    if not rows or not concepts:
        return rows
    head, tail = rows[:RERANK_DEPTH], rows[RERANK_DEPTH:]
    found = names([reference for _score, reference, _facets in head])
    rescored = []
    for score, reference, facets in head:
        name, keywords = found.get(reference, ("", ()))
        words = name_words(name, tuple(keywords))
        held = 0.0
        for concept in concepts:
            best = 0.0
            for alternative in concept.alternatives:
                count = sum(1 for w in alternative.words if w in words)
                if count and count * 2 >= len(alternative.words):
                    best = max(best, alternative.weight * count / len(alternative.words))
            held += best
        rescored.append((score * (1 + NAME_BONUS * held / len(concepts)), reference, facets))
    rescored.sort(key=lambda row: row[0], reverse=True)
    return rescored + tail


class SearchBackend:
    """Index documents and answer parsed queries; every method is safe to call from any process."""

    name = ""

    def search(self, query, filters=None, offset=0, limit=10):
        """SearchResults for a ParsedQuery: one hit per item (a guide and its FAQ count once), best first."""
        raise NotImplementedError

    def index(self, documents, page_ids):
        """Replace everything indexed for `page_ids` with `documents`, in one batch."""
        raise NotImplementedError

    def delete_pages(self, page_ids):
        raise NotImplementedError

    def rebuild(self, documents, progress=None):
        """Index `documents` from scratch; searches keep answering from the old index until the swap."""
        raise NotImplementedError

    def vocabulary_rows(self):
        """(vocabulary.Entry, vocabulary_terms(document)) for every guide and hall."""
        raise NotImplementedError

    def version(self):
        """Anything that changes when the index changes."""
        raise NotImplementedError

    def document_count(self):
        raise NotImplementedError

    def indexed_page_ids(self):
        raise NotImplementedError

    def clear(self):
        raise NotImplementedError


def vocabulary_terms(document):
    """What a document's name and keywords add to the vocabulary, computed once at index time.

    {"words": [...], "word_pinyin": [...] (same order), "pinyin": [...], "prefixes": [[key, shown], ...]}:
    the words (for typo tolerance), the pinyin index terms, and the normalised phrases and their pinyin
    that as-you-type suggestions complete. An FAQ entry adds nothing: its guide already does, and
    repeating the name would rank the entry above it.
    """
    if document.kind == "faq":
        return {"words": [], "word_pinyin": [], "pinyin": [], "prefixes": []}
    phrases = [document.name, *document.keywords]
    words, prefixes = [], []
    for phrase in phrases:
        normalized = text.normalize(phrase)
        words.extend(text.words(normalized))
        runs = text.CJK_RUN.findall(normalized)
        words.extend(run for run in runs if len(run) <= 8)
        prefixes.append([normalized, phrase])
        prefixes.extend([text.pinyin(run), phrase] for run in runs)
    words = [w for w in dict.fromkeys(words) if len(w) >= 2 and text.is_cjk(w)]
    return {
        "words": words,
        "word_pinyin": [text.pinyin(w) for w in words],
        "pinyin": text.pinyin_terms(phrases),
        "prefixes": prefixes,
    }
