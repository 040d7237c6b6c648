"""The default backend: a Whoosh index on disk with a jieba tokenizer.

Layout under `YIMEN_SEARCH_INDEX_DIR`: `current` is a symbolic link to the directory that holds the
live index (`index-<time>`). A rebuild fills a new directory and then replaces the link in one
rename, so searches never see a half-built index; writers check the link after taking Whoosh's
write lock and retry on the new directory when a rebuild swapped it under them.
"""

import logging
import math
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings

import numpy
from whoosh import columns, index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.reading import TermNotFound

from search import text
from search.vocabulary import Entry

from .base import (
    FAQ_BOOST,
    FIELD_WEIGHTS,
    MIN_RELATIVE_SCORE,
    Hit,
    SearchBackend,
    SearchResults,
    concept_scores,
    narrow,
    rerank_by_name,
    vocabulary_terms,
)

logger = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT = 60.0
# Written into every index directory; an index of another format is replaced by an empty one (and a
# warning asks for `rebuild_search_index`) instead of failing every search.
FORMAT = "yimen-whoosh-4"
FORMAT_FILE = "yimen-format"


SECTION = "\x1e"  # separates the weighted sections of the `text` field; normalize() never leaves one
# The sections of the `text` field, in order, and how much one occurrence of a word counts in each.
SECTIONS = ("name", "keywords", "pinyin", "topics", "faq", "conditions", "materials", "basis", "body")
# Sections where a word counts once however often it recurs: several popular names that all say 养老保险
# tell that people call the item so, not that it is more about 养老保险 than one that says it once.
ONCE = frozenset({"name", "keywords", "pinyin"})
# BM25 over the weighted counts: a high K1 keeps a name match worth several body matches.
K1, B = 6.0, 0.4
# A word found in more than this share of documents adds nothing when rarer words are also typed.
COMMON_SHARE = 0.2


class WeightedChineseTokenizer(Tokenizer):
    """Cuts each section of a document with jieba and gives every word its section's weight (BM25F).

    One posting per word and document, whose weight is the sum of the section weights of its
    occurrences, keeps a query to a handful of posting lists however many sections a guide has.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        number = 0
        for section, part in zip(SECTIONS, value.split(SECTION), strict=False):
            weight = FIELD_WEIGHTS[section]
            words = part.split() if section == "pinyin" else text.words(text.normalize(part))
            if section in ONCE:
                words = dict.fromkeys(words)
            for word in words:
                token.text = word
                token.boost = weight
                token.stopped = False
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = start_pos + number
                number += 1
                yield token


def schema():
    return Schema(
        key=ID(stored=True, unique=True),
        page_id=ID(stored=True),
        kind=ID(stored=True),
        code=ID(stored=True),
        url=STORED(),
        summary=STORED(),
        meta=COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
        suggest=COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
        name=STORED(),
        text=TEXT(analyzer=WeightedChineseTokenizer(), phrase=False),
    )


def _fields(document):
    terms = vocabulary_terms(document)
    facets = document.facets
    sections = {
        "name": "" if document.kind == "faq" else document.name,
        "keywords": "\n".join(document.keywords),
        "pinyin": " ".join(terms["pinyin"]),
        "topics": " ".join(document.topics),
        "faq": document.faq,
        "conditions": document.conditions,
        "materials": document.materials,
        "basis": document.basis,
        "body": document.body,
    }
    parts = [" ".join((sections[name] or "").replace(SECTION, " ").split()) for name in SECTIONS]
    length = sum(len(part) for part in parts) + 1
    boost = FAQ_BOOST if document.kind == "faq" else 1.0
    return {
        "key": document.key,
        "page_id": str(document.page_id),
        "kind": document.kind,
        "code": document.code,
        "url": document.url,
        "summary": document.summary,
        "meta": (
            document.collapse,
            *(tuple(facets[name]) for name in ("topic", "department", "hall", "audience")),
            length,
            boost,
        ),
        "suggest": (document.kind, document.code, document.name, document.url, tuple(document.keywords), terms)
        if terms["words"] or terms["prefixes"]
        else None,
        "name": document.name,
        "text": SECTION.join(parts),
    }


def _postings(reader, term):
    """(document numbers, weights) of one term in one segment as arrays, read a whole block at a time,
    deleted documents left out."""
    try:
        matcher = reader.postings("text", term)
    except TermNotFound:
        return EMPTY, EMPTY_WEIGHTS
    leaf = getattr(matcher, "child", matcher)
    if hasattr(leaf, "_read_ids") and hasattr(leaf, "_next_block"):
        ids, weights = [], []
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids[leaf._i :])
            weights.extend(leaf._weights[leaf._i :])
            leaf._next_block()
    else:
        pairs = list(matcher.items_as("weight"))
        ids, weights = [d for d, _w in pairs], [w for _d, w in pairs]
    ids, weights = numpy.asarray(ids, dtype=numpy.int64), numpy.asarray(weights, dtype=numpy.float64)
    if reader.has_deletions() and len(ids):
        kept = ~numpy.isin(ids, numpy.fromiter(reader.deleted_docs_set, dtype=numpy.int64))
        ids, weights = ids[kept], weights[kept]
    return ids, weights


EMPTY = numpy.zeros(0, dtype=numpy.int64)
EMPTY_WEIGHTS = numpy.zeros(0)


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, root=None):
        self.root = Path(root or settings.YIMEN_SEARCH_INDEX_DIR)
        self._lock = threading.RLock()
        self._dir = None
        self._ix = None
        self._searcher = None
        self._meta = (None, None)
        self._suggest = (None, None)
        self._segment_meta = {}

    # Where the live index is -------------------------------------------------------------

    @property
    def link(self):
        return self.root / "current"

    def _live_dir(self):
        try:
            live = self.root / os.readlink(self.link)
        except FileNotFoundError:
            return self._create_empty()
        marker = live / FORMAT_FILE
        if not marker.exists() or marker.read_text().strip() != FORMAT:
            logger.warning("搜索索引 %s 的格式已过时，已换成空索引；请运行 manage.py rebuild_search_index。", live)
            return self._create_empty()
        return live

    def _create_empty(self):
        self.root.mkdir(parents=True, exist_ok=True)
        fresh = self._new_dir()
        index.create_in(str(fresh), schema())
        self._point_at(fresh)
        return self.root / os.readlink(self.link)

    def _new_dir(self):
        path = self.root / f"index-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        (path / FORMAT_FILE).write_text(FORMAT)
        return path

    def _point_at(self, directory):
        """Make `directory` the live index in one atomic rename; another process may have won the race."""
        temporary = self.root / f".current-{uuid.uuid4().hex}"
        os.symlink(directory.name, temporary)
        os.replace(temporary, self.link)

    def _index(self):
        live = self._live_dir()
        with self._lock:
            if self._ix is None or live != self._dir:
                self._ix = index.open_dir(str(live))
                self._dir = live
                self._searcher = None
            return self._ix

    def _current_searcher(self):
        ix = self._index()
        with self._lock:
            if self._searcher is None:
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                # A fresh searcher, not `refresh()`: Whoosh-Reloaded's reader reuse brings back the old
                # segments after a merge, and with them documents that were deleted.
                self._searcher = ix.searcher()
            return self._searcher

    # Writing -------------------------------------------------------------------------------

    def _write(self, operation):
        """Run `operation(writer)` on the live index under Whoosh's lock, following a concurrent swap."""
        while True:
            directory = self._live_dir()
            ix = index.open_dir(str(directory))
            writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
            if self._live_dir() != directory:
                writer.cancel()
                continue
            try:
                operation(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return

    def index(self, documents, page_ids):
        documents = list(documents)
        ids = {str(i) for i in page_ids} | {str(d.page_id) for d in documents}

        def operation(writer):
            for page_id in ids:
                writer.delete_by_term("page_id", page_id)
            for document in documents:
                writer.add_document(**_fields(document))

        self._write(operation)

    def delete_pages(self, page_ids):
        def operation(writer):
            for page_id in page_ids:
                writer.delete_by_term("page_id", str(page_id))

        self._write(operation)

    def clear(self):
        self.rebuild([])

    def rebuild(self, documents, progress=None, catch_up=None):
        """Fill a new directory, catch up with changes made meanwhile, then swap the link.

        `catch_up(backend_writer_add, started)` re-indexes what changed while the new index was being
        built; it runs while the old index's write lock is held, so no update can slip between.
        """
        started = time.time()
        self.root.mkdir(parents=True, exist_ok=True)
        fresh = self._new_dir()
        ix = index.create_in(str(fresh), schema())
        writer = ix.writer(limitmb=256)
        try:
            for document in documents:
                writer.add_document(**_fields(document))
                if progress:
                    progress(document)
        except BaseException:
            writer.cancel()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        writer.commit(optimize=True)
        old_dir = self._live_dir() if os.path.lexists(self.link) else None
        old_writer = index.open_dir(str(old_dir)).writer(timeout=WRITE_LOCK_TIMEOUT) if old_dir else None
        try:
            if catch_up is not None:
                catch_up(_DirectoryBackend(self, fresh), started)
            self._point_at(fresh)
        finally:
            if old_writer is not None:
                old_writer.cancel()
        self._remove_old_dirs(keep={fresh.name, old_dir.name if old_dir else ""})
        return fresh

    def _remove_old_dirs(self, keep):
        """Drop index directories older than the one just replaced (a slow reader may still use that one)."""
        for path in self.root.glob("index-*"):
            if path.name not in keep and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    # Reading -------------------------------------------------------------------------------

    def version(self):
        ix = self._index()
        return (str(self._dir), ix.latest_generation())

    def document_count(self):
        return self._current_searcher().doc_count()

    def indexed_page_ids(self):
        return {int(fields["page_id"]) for fields in self._current_searcher().all_stored_fields()}

    def vocabulary_rows(self):
        searcher = self._current_searcher()
        for reader, _base in searcher.reader().leaf_readers():
            deleted = reader.deleted_docs_set if reader.has_deletions() else ()
            for docnum, value in enumerate(self._segment_column(reader, "suggest")):
                if value is not None and docnum not in deleted:
                    kind, code, name, url, keywords, terms = value
                    yield Entry(kind=kind, code=code, name=name, url=url, keywords=list(keywords)), terms

    def _segment_column(self, reader, column):
        """A segment's column values, read once per process (segments never change once written)."""
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = (str(self._dir), segment.segment_id(), column) if segment is not None else None
        values = self._segment_meta.get(key) if key else None
        if values is None:
            values = (
                list(reader.column_reader(column)) if reader.has_column(column) else [None] * reader.doc_count_all()
            )
            if key:
                self._segment_meta[key] = values
        return values

    def _metadata(self, searcher):
        """Per-document (collapse key, facets…, length, boost), length norms, boosts and facet rows,
        cached per segment."""
        if self._meta[0] is searcher:
            return self._meta[1]
        combined, live = [], set()
        for reader, _offset in searcher.reader().leaf_readers():
            combined.extend(self._segment_column(reader, "meta"))
            if hasattr(reader, "segment") and reader.segment() is not None:
                live.add(reader.segment().segment_id())
        for key in list(self._segment_meta):
            if key[1] not in live:
                del self._segment_meta[key]
        lengths = [meta[5] for meta in combined if meta is not None]
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        # BM25's length normalisation, K1 · (1 − B + B · length / average), once per document.
        norms = numpy.array([K1 * (1 - B + B * meta[5] / average) if meta is not None else K1 for meta in combined])
        boosts = numpy.array([meta[6] if meta is not None else 1.0 for meta in combined])
        # Each document's facets as the rows of `narrow` carry them, built once rather than per search.
        facets = [
            {"topic": meta[1], "department": meta[2], "hall": meta[3], "audience": meta[4]}
            if meta is not None
            else None
            for meta in combined
        ]
        result = (combined, norms, boosts, facets)
        self._meta = (searcher, result)
        return result

    def search(self, query, filters=None, offset=0, limit=10):
        """BM25 over the weighted `text` field, computed here from the posting blocks.

        Whoosh's own matchers cost several Python calls per posting and document; adding up scores
        block by block is what keeps a 10,000-guide search within tens of milliseconds.
        """
        if query.is_empty:
            return SearchResults()
        filters = filters or {}
        with self._lock:
            searcher = self._current_searcher()
            metadata, norms, boost, facet_rows = self._metadata(searcher)
            reader = searcher.reader()
            # Document frequencies count deleted documents until a merge purges them, so N must count
            # them too: with N < f the idf turns negative and a small, often-edited index ranks nothing.
            documents = max(searcher.doc_count_all(), 1)
            scores, by_concept, common = self._score(reader, query, documents, norms)
            ranked = _ranked(scores, boost)
            seen, rows = set(), []
            for score, docnum in ranked:
                key = metadata[docnum][0]
                if key not in seen:
                    seen.add(key)
                    rows.append((score, docnum, facet_rows[docnum]))
            rows = rerank_by_name(rows, query, lambda docnums: self._names(searcher, docnums))
            page, total, facets = narrow(rows, filters, offset, limit)
            hits = []
            for score, docnum, _facets in page:
                fields = searcher.stored_fields(docnum)
                hits.append(
                    Hit(
                        key=fields["key"],
                        kind=fields["kind"],
                        page_id=int(fields["page_id"]),
                        code=fields.get("code", ""),
                        name=fields["name"],
                        url=fields["url"],
                        score=float(score),
                        summary=fields.get("summary", ""),
                        matched=tuple(i for i, found in enumerate(by_concept) if found[docnum] > 0),
                    )
                )
        return SearchResults(total=total, hits=hits, facets=facets, common=common)

    def _names(self, searcher, docnums):
        """{docnum: (name, popular names)}; an FAQ entry's name is its guide's."""
        with self._lock:
            if self._suggest[0] is not searcher:
                combined = []
                for reader, _offset in searcher.reader().leaf_readers():
                    combined.extend(self._segment_column(reader, "suggest"))
                self._suggest = (searcher, combined)
            suggest = self._suggest[1]
        found = {}
        for docnum in docnums:
            value = suggest[docnum] if docnum < len(suggest) else None
            found[docnum] = (value[2], value[4]) if value is not None else (searcher.stored_fields(docnum)["name"], ())
        return found

    def _score(self, reader, query, documents, norms):
        """BM25 per word from the posting blocks, then each concept's best alternative per document.

        Returns {docnum: score}, per concept {docnum: what it added}, and the concepts left out because
        all their words are common: a word found in more than COMMON_SHARE of the documents adds
        nothing when rarer words are also asked for (the re-ranking by names still sees it: 身份证 is in
        most guides' materials and in the names of a few).
        """
        words = {w for concept in query.concepts for alternative in concept.alternatives for w in alternative.words}
        frequencies = {w: reader.doc_frequency("text", w) for w in words}
        present = {w: f for w, f in frequencies.items() if f}
        rare = {w: f for w, f in present.items() if f <= COMMON_SHARE * documents}
        used = rare or present
        leaves = reader.leaf_readers()
        size = len(norms)
        per_word = {}
        for word, frequency in used.items():
            idf = math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)) * (K1 + 1)
            parts = [(ids + base, weights) for leaf, base in leaves for ids, weights in [_postings(leaf, word)]]
            ids = numpy.concatenate([p[0] for p in parts]) if parts else EMPTY
            weights = numpy.concatenate([p[1] for p in parts]) if parts else EMPTY_WEIGHTS
            per_word[word] = (ids, idf * weights / (weights + norms[ids]))
        common = frozenset(
            i
            for i, concept in enumerate(query.concepts)
            if all(w in present and w not in used for a in concept.alternatives for w in a.words)
        )
        scores, by_concept = numpy.zeros(size), []
        for concept in query.concepts:
            found = concept_scores(concept, per_word, size)
            scores += found
            by_concept.append(found)
        return scores, by_concept, common


def _ranked(scores, boosts):
    """[(score × boost, docnum)] best first (ties: the higher docnum), of what passes the relative floor."""
    candidates = numpy.flatnonzero(scores)
    if not len(candidates):
        return []
    values = scores[candidates]
    # Only what can pass the relative floor is ranked (FAQ_BOOST ≥ 1 bounds any boost).
    candidates = candidates[values >= values.max() * MIN_RELATIVE_SCORE / FAQ_BOOST]
    boosted = scores[candidates] * boosts[candidates]
    keep = boosted >= boosted.max() * MIN_RELATIVE_SCORE
    candidates, boosted = candidates[keep], boosted[keep]
    order = numpy.lexsort((-candidates, -boosted))
    return list(zip(boosted[order].tolist(), candidates[order].tolist(), strict=True))


class _DirectoryBackend:
    """Writes straight into a not-yet-live index directory (used by the rebuild's catch-up)."""

    def __init__(self, backend, directory):
        self.backend = backend
        self.directory = directory

    def index(self, documents, page_ids):
        ix = index.open_dir(str(self.directory))
        writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
        for page_id in {str(i) for i in page_ids} | {str(d.page_id) for d in documents}:
            writer.delete_by_term("page_id", page_id)
        for document in documents:
            writer.add_document(**_fields(document))
        writer.commit()

    def indexed_page_ids(self):
        with index.open_dir(str(self.directory)).searcher() as searcher:
            return {int(fields["page_id"]) for fields in searcher.all_stored_fields()}
