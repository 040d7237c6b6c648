"""PostgreSQL full-text search, for sites that run several web servers against one database.

Text is cut by the same jieba code as the Whoosh index, then stored as space-separated words in a
weighted tsvector with the 'simple' configuration (A: name, keywords and their pinyin; B: topics and
FAQ; C: conditions and materials; D: basis and the rest) under a GIN index. A rebuild runs in one
transaction, so other servers keep answering from the old rows until it commits.
"""

import itertools
import json
import re

from django.db import connection, transaction

from search import text
from search.models import SearchEntry
from search.vocabulary import Entry

from .base import (
    FAQ_BOOST,
    MIN_RELATIVE_SCORE,
    Hit,
    SearchBackend,
    SearchResults,
    narrow,
    rerank_by_name,
    vocabulary_terms,
)

# ts_rank weights for D, C, B, A.
RANK_WEIGHTS = "{0.08, 0.2, 0.4, 1.0}"
_UNSAFE = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_INSERT = """
INSERT INTO search_searchentry
    (key, page_id, kind, code, collapse, name, url, summary, keywords, terms, facets, vector)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
    setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')
    || setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D'))
"""


def _segmented(*parts, once=False):
    """The words of `parts`, space-separated; with `once`, each word a single time (names and popular
    names: several that repeat a word say what people call the item, not that it is more about it)."""
    words = []
    for part in parts:
        words.extend(_UNSAFE.sub(" ", w) for w in text.analyse(part or ""))
    if once:
        words = list(dict.fromkeys(words))
    return " ".join(words)


def _row(document):
    terms = vocabulary_terms(document)
    pinyins = terms["pinyin"]
    own_name = "" if document.kind == "faq" else document.name
    return (
        document.key,
        document.page_id,
        document.kind,
        document.code,
        document.collapse,
        document.name[:500],
        document.url[:1000],
        document.summary,
        "\n".join(document.keywords),
        json.dumps(terms, ensure_ascii=False),
        json.dumps(document.facets, ensure_ascii=False),
        _segmented(own_name, *document.keywords, once=True) + " " + " ".join(pinyins),
        _segmented(" ".join(document.topics), document.faq),
        _segmented(document.conditions, document.materials),
        _segmented(document.basis, document.body),
    )


def _lexemes(alternative):
    """An alternative's words as tsquery lexemes (pinyin only against names and keywords, weight A)."""
    lexemes = []
    for word in alternative.words:
        for piece in _UNSAFE.sub(" ", word).split():
            lexemes.append(f"'{piece}':A" if alternative.pinyin else f"'{piece}'")
    return list(dict.fromkeys(lexemes))


def _at_least_half(lexemes):
    """A tsquery true where at least half of `lexemes` occur (any ⌈n/2⌉ of them)."""
    needed = (len(lexemes) + 1) // 2
    return " | ".join("(" + " & ".join(group) + ")" for group in itertools.combinations(lexemes, needed))


def _tsquery(terms):
    lexemes = []
    for term in terms:
        for piece in _UNSAFE.sub(" ", term.text).split():
            lexemes.append(f"'{piece}':A" if term.pinyin else f"'{piece}'")
    return " | ".join(dict.fromkeys(lexemes))


class PostgresBackend(SearchBackend):
    name = "postgres"

    def _names(self, entry_ids):
        """{entry id: (name, popular names)} of some rows."""
        rows = SearchEntry.objects.filter(id__in=entry_ids).values_list("id", "name", "keywords")
        return {entry_id: (name, tuple(k for k in keywords.split("\n") if k)) for entry_id, name, keywords in rows}

    def _matched(self, query, entry_ids):
        """{entry id: indexes of the concepts it matches}, for the rows of one page."""
        if not entry_ids:
            return {}
        tests, params = [], []
        for concept in query.concepts:
            lexemes = [lexeme for a in concept.alternatives for lexeme in _lexemes(a)]
            tests.append("vector @@ to_tsquery('simple', %s)" if lexemes else "false")
            if lexemes:
                params.append(" | ".join(dict.fromkeys(lexemes)))
        params.append(list(entry_ids))
        sql = f"SELECT id, {', '.join(tests)} FROM search_searchentry WHERE id = ANY(%s)"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0]: tuple(i for i, hit in enumerate(row[1:]) if hit) for row in cursor.fetchall()}

    def _insert(self, documents, progress=None):
        rows = []
        with connection.cursor() as cursor:
            for document in documents:
                rows.append(_row(document))
                if progress:
                    progress(document)
                if len(rows) >= 200:
                    cursor.executemany(_INSERT, rows)
                    rows = []
            if rows:
                cursor.executemany(_INSERT, rows)

    def index(self, documents, page_ids):
        documents = list(documents)
        ids = {int(i) for i in page_ids} | {d.page_id for d in documents}
        with transaction.atomic():
            SearchEntry.objects.filter(page_id__in=ids).delete()
            self._insert(documents)

    def delete_pages(self, page_ids):
        SearchEntry.objects.filter(page_id__in=[int(i) for i in page_ids]).delete()

    def rebuild(self, documents, progress=None, catch_up=None):
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            self._insert(documents, progress)

    def clear(self):
        SearchEntry.objects.all().delete()

    def version(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM search_searchentry")
            return tuple(cursor.fetchone())

    def document_count(self):
        return SearchEntry.objects.count()

    def indexed_page_ids(self):
        return set(SearchEntry.objects.values_list("page_id", flat=True).distinct())

    def vocabulary_rows(self):
        rows = SearchEntry.objects.exclude(kind="faq").values_list("kind", "code", "name", "url", "keywords", "terms")
        for kind, code, name, url, keywords, terms in rows.iterator(chunk_size=2000):
            if terms and (terms.get("words") or terms.get("prefixes")):
                entry = Entry(kind=kind, code=code, name=name, url=url, keywords=[k for k in keywords.split("\n") if k])
                yield entry, terms

    def search(self, query, filters=None, offset=0, limit=10):
        """Each concept's best alternative per row, summed, ranked and cut in one statement.

        The same model as the Whoosh backend (`base.concept_scores`): an alternative of n words counts
        only on rows holding at least half of them, as weight / n times their ts_rank.
        """
        if query.is_empty:
            return SearchResults()
        concept_sql, params = [], []
        for concept in query.concepts:
            alternatives = []
            for alternative in concept.alternatives:
                lexemes = _lexemes(alternative)
                if not lexemes:
                    continue
                weight = float(alternative.weight) / len(lexemes)
                rank = f"{weight} * ts_rank('{RANK_WEIGHTS}', vector, to_tsquery('simple', %s), 1)"
                if len(lexemes) == 1:
                    alternatives.append(rank)
                    params.append(lexemes[0])
                else:
                    alternatives.append(f"CASE WHEN vector @@ to_tsquery('simple', %s) THEN {rank} ELSE 0 END")
                    params.extend([_at_least_half(lexemes), " | ".join(lexemes)])
            if alternatives:
                concept_sql.append(f"GREATEST({', '.join(alternatives)})" if len(alternatives) > 1 else alternatives[0])
        rank_sql = concept_sql or ["0"]
        params.append(_tsquery(query.terms))
        sql = f"""
            SELECT kept.id, entry.facets, kept.score FROM (
                SELECT id, score, max(score) OVER () AS top FROM (
                    SELECT DISTINCT ON (collapse) id, score FROM (
                        SELECT id, collapse,
                            ({" + ".join(rank_sql)}) * (CASE WHEN kind = 'faq' THEN {FAQ_BOOST} ELSE 1.0 END) AS score
                        FROM search_searchentry WHERE vector @@ to_tsquery('simple', %s)
                    ) AS matched ORDER BY collapse, score DESC, id
                ) AS best
            ) AS kept JOIN search_searchentry AS entry ON entry.id = kept.id
            WHERE kept.score >= kept.top * {MIN_RELATIVE_SCORE}
            ORDER BY kept.score DESC, kept.id
        """  # noqa: S608 - only numbers and placeholders are formatted into the statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        ranked = [
            (score, entry_id, facets if isinstance(facets, dict) else json.loads(facets))
            for entry_id, facets, score in rows
        ]
        ranked = rerank_by_name(ranked, query, self._names)
        page, total, facets = narrow(ranked, filters or {}, offset, limit)
        entries = SearchEntry.objects.in_bulk([entry_id for _score, entry_id, _facets in page])
        matched = self._matched(query, [entry_id for _score, entry_id, _facets in page])
        hits = [
            Hit(
                key=entries[entry_id].key,
                kind=entries[entry_id].kind,
                page_id=entries[entry_id].page_id,
                code=entries[entry_id].code,
                name=entries[entry_id].name,
                url=entries[entry_id].url,
                score=float(score),
                summary=entries[entry_id].summary,
                matched=matched.get(entry_id, ()),
            )
            for score, entry_id, _facets in page
        ]
        return SearchResults(total=total, hits=hits, facets=facets)
