"""One search, start to finish: check the input, understand the query, ask the backend, explain the outcome.

Views and the API call `run_search` and render what it returns; nothing here raises on bad input.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings

from content.facets import Facet, FacetOption
from content.models import Department, HallPage, Topic

from . import elsewhere, querylog, repair, snippets, synonyms, text, vocabulary
from .backends import get_backend
from .documents import FACETS
from .query import parse

FACET_LABELS = {"topic": "主题", "department": "办理部门", "hall": "办理大厅", "audience": "服务对象"}


class QueryTooLong(ValueError):
    pass


@dataclass
class ResultItem:
    kind: str
    code: str
    name: str
    url: str
    score: float
    snippet: str
    snippet_html: str
    name_html: str
    question: str = ""
    question_html: str = ""


@dataclass
class Outcome:
    raw: str
    query: object = None
    total: int = 0
    items: list = field(default_factory=list)
    facets: list = field(default_factory=list)  # content.facets.Facet, option URLs left for the view
    filters: dict = field(default_factory=dict)
    message: str = ""
    suggestion: str = ""
    # Services the centre does not offer that match the query (search.models.ElsewhereService), shown
    # before any result with where to go instead.
    elsewhere: list = field(default_factory=list)
    # When nothing matched every word: the words the shown results were found with (the least
    # informative ones dropped), and the sentence that says so.
    relaxed: list = field(default_factory=list)
    notice: str = ""

    @property
    def understood(self):
        """What the query was also read as, to show beside the results: the editors' synonyms first,
        then what the index taught (abbreviations, 开个X店), then corrected typos; at most six."""
        if self.query is None:
            return []
        words = [e for _name, expansions in self.query.synonyms for e in expansions]
        words += [e for _typed, expansions in self.query.expansions for e in expansions]
        words += [corrected for _typed, corrected in self.query.corrections[:3]]
        return list(dict.fromkeys(words))[:6]

    @property
    def searched(self):
        return self.query is not None and not self.query.is_empty


def max_length():
    return settings.YIMEN_SEARCH_MAX_QUERY_LENGTH


def clean_filters(params):
    """Facet filters from request parameters (a QueryDict): known facets only, a few short values each."""
    filters = {}
    for name in FACETS:
        values = [v.strip() for v in params.getlist(name) if v.strip() and len(v.strip()) <= 64][:10]
        if values:
            filters[name] = list(dict.fromkeys(values))
    return filters


def understand(raw):
    backend = get_backend()
    return parse(raw, synonyms=synonyms.current(), vocabulary=vocabulary.current(backend), max_length=max_length())


def run_search(raw, filters=None, offset=0, limit=None, log=True):
    """Search for `raw` (what the citizen typed); raises QueryTooLong, otherwise always returns an Outcome."""
    raw = raw or ""
    limit = limit or settings.YIMEN_SEARCH_RESULTS_PER_PAGE
    filters = filters or {}
    outcome = Outcome(raw=raw, filters=filters)
    if len(raw) > max_length():
        raise QueryTooLong(f"搜索词不能超过 {max_length()} 个字，请只输入要办的事，例如“低保怎么申请”。")
    if not raw.strip():
        outcome.message = "请输入要办的事或证件名称，例如“低保怎么申请”“孩子上户口”。"
        return outcome
    query = understand(raw)
    outcome.query = query
    if query.is_empty:
        if query.only_stop_words:
            outcome.message = "请再具体一点，说出要办的事，例如“低保怎么申请”“身份证丢了”。"
        else:
            outcome.message = "搜索词里没有可以查找的文字，请输入汉字、拼音或数字。"
        return outcome
    outcome.elsewhere = elsewhere.matching(query.normalized)
    backend = get_backend()
    results = backend.search(query, filters=filters, offset=offset, limit=limit)
    if results.total == 0 and not filters:
        outcome.suggestion = did_you_mean(query, backend)
    if results.total == 0 and repair.index_lost(backend):
        repair.start_rebuild()
        outcome.message = repair.rebuilding_message()
    elif repair.rebuilding():
        outcome.message = repair.rebuilding_message()
    outcome.total = results.total
    outcome.items = [_item(hit, query) for hit in results.hits]
    if offset == 0:
        outcome.relaxed = relaxed_words(query, results.hits, results.common)
        if outcome.relaxed:
            words = "、".join(outcome.relaxed)
            outcome.notice = f"没有找到完全匹配的结果，以下是与“{words}”相关的事项。"
    outcome.facets = _facet_groups(results, filters)
    if log and offset == 0 and not filters:
        querylog.record(query.normalized, results.total, outcome=querylog.outcome_of(outcome))
    return outcome


def relaxed_words(query, hits, common=frozenset()):
    """What the shown results were found with, when some word the citizen typed matched none of them.

    [] when every informative typed word (a dictionary word of two characters or more, not an aspect
    word such as 申请; jieba's guesses such as 改个 say little)
    was matched by a result, directly or through one of its alternatives, or by a longer typed word
    that holds it, or is in most guides (`common`: the backend left it out of the ranking); otherwise the labels of the concepts the results did match, best result first.
    """
    if not hits:
        return []
    matched = {i for hit in hits for i in hit.matched} | set(common)
    labels = [c.label for i, c in enumerate(query.concepts) if i in matched]
    missing = [
        concept.label
        for i, concept in enumerate(query.concepts)
        if i not in matched
        and concept.informative
        and len(concept.label) >= 2
        and text.known_word(concept.label)
        and any(a.origin == "typed" for a in concept.alternatives)
        and not any(concept.label in label for label in labels)
    ]
    if not missing:
        return []
    shown = []
    for i in hits[0].matched:
        label = query.concepts[i].label
        if query.concepts[i].informative and not any(label in other and label != other for other in labels):
            shown.append(label)
    return list(dict.fromkeys(shown or [query.concepts[i].label for i in hits[0].matched]))


def _item(hit, query):
    question, source = "", hit.summary
    if hit.kind == "faq":
        question, _, source = hit.summary.partition("\n")
    plain, html = snippets.snippet(source, query.highlight)
    return ResultItem(
        kind=hit.kind,
        code=hit.code,
        name=hit.name,
        url=hit.url,
        score=round(hit.score, 4),
        snippet=plain,
        snippet_html=html,
        name_html=snippets.highlight(hit.name, query.highlight),
        question=question,
        question_html=snippets.highlight(question, query.highlight),
    )


LABEL_SECONDS = 60.0
_label_cache = {"labels": None, "loaded": 0.0}


def _all_labels():
    """Display names of every topic, department and readable hall, read at most once a minute per process."""
    now = time.monotonic()
    if _label_cache["labels"] is None or now - _label_cache["loaded"] > LABEL_SECONDS:
        _label_cache["labels"] = {
            "topic": {n: n for n in Topic.objects.values_list("name", flat=True)},
            "department": dict(Department.objects.values_list("code", "name")),
            "hall": dict(HallPage.objects.readable().values_list("code", "title")),
        }
        _label_cache["loaded"] = now
    return _label_cache["labels"]


def forget_labels():
    _label_cache["labels"] = None


def _labels(name, values):
    if name == "audience":
        return {v: v for v in values}
    labels = _all_labels()[name]
    if any(v not in labels for v in values):  # something new since the last read
        forget_labels()
        labels = _all_labels()[name]
    return labels


def _facet_groups(results, filters):
    groups = []
    for name in FACETS:
        counts = dict(results.facets.get(name, {}))
        chosen = filters.get(name, [])
        for value in chosen:
            counts.setdefault(value, 0)
        labels = _labels(name, list(counts))
        options = [
            FacetOption(value=value, label=labels[value], count=count, selected=value in chosen, url="")
            for value, count in counts.items()
            if value in labels
        ]
        options.sort(key=lambda o: (-o.count, o.label))
        if options:
            groups.append(Facet(name=name, label=FACET_LABELS[name], options=options))
    return groups


def did_you_mean(query, backend):
    """A nearby query that finds something, when this one found nothing; '' when there is none."""
    vocab = vocabulary.current(backend)
    candidates = []
    typed = "".join(text.CJK_RUN.findall(query.normalized))
    latin = "".join(w for w in query.normalized.split() if w.isascii() and w.isalpha())
    target = text.pinyin(typed) if typed else latin
    if not target:
        return ""
    for term, frequency in vocab.pinyins.items():
        if abs(len(term) - len(target)) <= 2 and term[:1] == target[:1]:
            distance = _distance(term, target, 2)
            if distance <= 2:
                candidates.append((distance, -frequency, term))
    for *_rank, term in sorted(candidates)[:5]:
        for word in sorted(vocab.by_pinyin.get(term, ()), key=lambda w: -vocab.words.get(w, 0)):
            if word == typed:
                continue
            probe = parse(word, synonyms=synonyms.current(), vocabulary=None)
            if backend.search(probe, limit=1).total:
                return word
    return ""


def _distance(a, b, cutoff):
    """Levenshtein distance, giving up (returning cutoff + 1) once it must exceed `cutoff`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > cutoff:
            return cutoff + 1
        previous = current
    return previous[-1]


def suggest(raw, limit=8):
    """As-you-type suggestions: guides and halls whose name, popular name or pinyin starts with what was
    typed, then the best search results; each is {text, name, code, url, kind}."""
    if len(raw or "") > max_length():
        raise QueryTooLong(f"搜索词不能超过 {max_length()} 个字。")
    normalized = text.normalize(raw or "")
    if not normalized:
        return []
    backend = get_backend()
    vocab = vocabulary.current(backend)
    found, seen = [], set()
    for entry, phrase in vocab.complete(normalized.replace(" ", ""), limit=limit):
        seen.add(entry.url)
        found.append({"text": phrase, "name": entry.name, "code": entry.code, "url": entry.url, "kind": entry.kind})
    if len(found) < limit:
        query = parse(raw, synonyms=synonyms.current(), vocabulary=vocab, max_length=max_length())
        if not query.is_empty:
            for hit in backend.search(query, limit=limit).hits:
                url = hit.url.split("#", 1)[0]
                if url not in seen and len(found) < limit:
                    seen.add(url)
                    found.append(
                        {
                            "text": hit.name,
                            "name": hit.name,
                            "code": hit.code,
                            "url": url,
                            "kind": "service" if hit.kind == "faq" else hit.kind,
                        }
                    )
    return found
