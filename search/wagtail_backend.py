"""Wagtail's own search (the admin's page search, snippet lists, choosers) made to understand Chinese.

Wagtail's database backend hands text to SQLite FTS5 or PostgreSQL full-text search, which both take a
run of Chinese characters for one word: 居民身份证换领 is indexed as that one word, so 身份证 finds
nothing. This backend keeps the database backend of the connection (SQLite, PostgreSQL, MySQL or the
plain fallback) and changes only the words on both sides, with the portal's own analyser:

- every indexed value reaches the index cut into jieba words (search.text, the same cut as the portal's
  search), so 身份证, 换领 and 居民 are words of that title;
- every Chinese query word must match either itself or, when the query cut it as one longer word, all of
  the words it is made of (生活保障 matches a title cut as 最低 / 生活 / 保障);
- a popular name from the editors' synonym list (低保) also finds its official names (最低生活保障).

Text without Chinese characters reaches the index and the query exactly as before.
Select it with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}``; after
switching, ``manage.py wagtail_update_index`` re-cuts what is already indexed.
"""

import copy
from functools import cache

from django.utils.functional import Promise

from modelsearch.backends import database
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText

from . import synonyms, text

# --- Index side ----------------------------------------------------------------------------------


def cut_text(value):
    """`value` normalised, each run of Chinese characters replaced by its jieba words (with sub-words)."""
    normalized = text.normalize(value)
    return text.CJK_RUN.sub(lambda m: f" {' '.join(text.words(m.group(), keep_stop_words=True))} ", normalized).strip()


def cut_value(value):
    """A search field's value with its text cut; lists and dicts (StreamField content) item by item."""
    if isinstance(value, str | Promise):
        return cut_text(str(value))
    if isinstance(value, list | tuple):
        return [cut_value(item) for item in value]
    if isinstance(value, dict):
        return {key: cut_value(item) for key, item in value.items()}
    return value


class _CutSource:
    """What Wagtail's indexer reads of an object (its pk and search fields), with every text value cut."""

    def __init__(self, obj):
        self.obj = obj
        self.pk = obj.pk

    def get_search_fields(self):
        return [_cut_field(field) for field in self.obj.get_search_fields()]


def _unwrap(obj):
    return obj.obj if isinstance(obj, _CutSource) else obj


def _cut_field(field):
    """A copy of a model's search field that reads the real object and hands the indexer cut text."""
    if isinstance(field, SearchField | AutocompleteField):
        cut = copy.copy(field)
        cut.get_value = lambda obj: cut_value(field.get_value(_unwrap(obj)))
        return cut
    if isinstance(field, RelatedFields):
        cut = copy.copy(field)
        cut.fields = [_cut_field(sub_field) for sub_field in field.fields]
        cut.get_value = lambda obj: field.get_value(_unwrap(obj))
        return cut
    return field


class ChineseIndexMixin:
    def add_items(self, model, objs):
        super().add_items(model, [_CutSource(obj) for obj in objs])


# --- Query side ----------------------------------------------------------------------------------


def _word_query(word):
    """One jieba word of the query: the word itself, or all of its sub-words when they cover it."""
    parts = [w for w in text.words(word, keep_stop_words=True) if w != word]
    covered = set()
    for part in parts:
        start = word.find(part)
        covered.update(range(start, start + len(part)))
    if parts and len(covered) == len(word):
        return Or([PlainText(word), And([PlainText(part) for part in parts])])
    return PlainText(word)


def _phrase_query(phrase):
    """All the words of `phrase` (Chinese or not), each as `_word_query` allows."""
    words = text.words(phrase, for_search=False, keep_stop_words=True)
    if not words:
        return None
    queries = [_word_query(w) if text.is_cjk(w) else PlainText(w) for w in words]
    return queries[0] if len(queries) == 1 else And(queries)


def _term_query(term):
    """One whitespace-separated term typed: its words, or the same with a popular name put as official."""
    variants = [term]
    for name, expansions in synonyms.current():
        if name in term:
            variants.extend(term.replace(name, expansion) for expansion in expansions)
    queries = [q for q in (_phrase_query(v) for v in dict.fromkeys(variants)) if q is not None]
    if not queries:
        return PlainText(term)
    return queries[0] if len(queries) == 1 else Or(queries)


def chinese_query(query, operator=None):
    """The same search query with every Chinese term turned into jieba words and synonyms.

    Queries without Chinese characters come back unchanged. A quoted phrase with Chinese in it matches
    its words in any order (the cut index keeps no reliable word order for phrases).
    """
    if isinstance(query, str):
        query = PlainText(query, operator=operator or PlainText.DEFAULT_OPERATOR)
    if isinstance(query, PlainText | Phrase):
        normalized = text.normalize(query.query_string)
        if not text.CJK_RUN.search(normalized):
            return query
        if isinstance(query, Phrase):
            return _phrase_query(normalized) or query
        terms = [_term_query(term) for term in normalized.split()]
        if len(terms) == 1:
            return terms[0]
        return And(terms) if query.operator == "and" else Or(terms)
    if isinstance(query, And | Or):
        return type(query)([chinese_query(sub, operator) for sub in query.subqueries])
    if isinstance(query, Not):
        return Not(chinese_query(query.subquery, operator))
    if isinstance(query, Boost):
        return Boost(chinese_query(query.subquery, operator), query.boost)
    return query


class ChineseQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if query != "" and query is not None:
            query = chinese_query(query, kwargs.get("operator"))
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


# --- The backend ---------------------------------------------------------------------------------


@cache
def _chinese_backend_class(base):
    index_class = type(f"Chinese{base.index_class.__name__}", (ChineseIndexMixin, base.index_class), {})
    return type(f"Chinese{base.__name__}", (ChineseQueryMixin, base), {"index_class": index_class})


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The database backend Wagtail would pick for this connection, cutting Chinese into words."""
    return _chinese_backend_class(type(database.SearchBackend(params)))(params)
