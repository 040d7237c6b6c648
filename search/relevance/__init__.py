"""The relevance set: citizens' queries and the items (or services handled elsewhere) they should find.

Queries come in two halves. `queries-tuning.json` holds the ones anybody may look at while changing
search, among them the first 60 written together with the synonyms (`"tuned": true`).
`queries-test.json` is only ever scored: `manage.py search_relevance` refuses to list its misses, and
a query's half is fixed by a hash of its text (`half_of`), so nobody chooses where a query goes and
adding queries never moves old ones. New queries go in with `manage.py search_relevance --add FILE`.

Each query names its catalog: `demo` (demo/sample-catalog.json, 耒阳市三都镇) or `second`
(second/catalog.json, written from another county's public guides: 甘肃省临泽县), and its kind
(colloquial, long, abbreviation, typo, traditional, pinyin, life-event, out-of-scope, relaxation).
An expected `elsewhere:<name>` is a service the centre does not offer (search.models.ElsewhereService),
shown before any result.

Scored with mean reciprocal rank (the first expected answer's rank, over the first 10) and recall@5
(the share of expected answers among the first five).
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from search import text
from search.engine import run_search

HERE = Path(__file__).resolve().parent
HALVES = {"tuning": HERE / "queries-tuning.json", "test": HERE / "queries-test.json"}
CATALOGS = {
    "demo": (
        Path(settings.BASE_DIR) / "demo" / "sample-catalog.json",
        Path(settings.BASE_DIR) / "demo" / "elsewhere.json",
    ),
    "second": (HERE / "second" / "catalog.json", HERE / "second" / "elsewhere.json"),
}
KINDS = (
    "colloquial",
    "long",
    "abbreviation",
    "typo",
    "traditional",
    "pinyin",
    "life-event",
    "out-of-scope",
    "relaxation",
)
DEPTH = 10
ELSEWHERE = "elsewhere:"
DESCRIPTIONS = {
    "tuning": "调优集：修改搜索时可以查看和针对的查询（含最初与同义词一起编写的 60 个）。",
    "test": "检验集：只用于打分，不得查看未命中项或据此调优；每个查询属于哪一半由其文字的散列值决定。",
}


@dataclass
class Judgement:
    query: str
    expected: list
    found: list
    rank: int  # 1-based rank of the first expected answer, 0 when not in the first DEPTH results
    kind: str = ""
    catalog: str = "demo"
    total: int = 0  # results plus services handled elsewhere

    @property
    def reciprocal_rank(self):
        return 1 / self.rank if self.rank else 0.0

    @property
    def recall_at_5(self):
        return len(set(self.expected) & set(self.found[:5])) / len(self.expected)


@dataclass
class Figures:
    count: int
    mrr: float
    recall: float
    by_kind: dict  # kind -> (count, MRR)


def filing_form(query):
    """The form of a query its half is hashed from, frozen so that no later change to how search
    normalises text can move a query between halves: NFKC, lower case, traditional folded to
    simplified (OpenCC t2s), spaces collapsed, as `text.normalize` did when the set was split."""
    query = unicodedata.normalize("NFKC", query).lower()
    query = "".join(ch if ch.isprintable() else " " for ch in query)
    return " ".join(text.fold_traditional(query).split())


def half_of(entry):
    """`tuning` or `test` for a query entry: the tuned ones stay in tuning, the rest by a stable hash."""
    if entry.get("tuned"):
        return "tuning"
    key = f"{entry.get('catalog', 'demo')}:{filing_form(entry['query'])}".encode()
    return "test" if hashlib.sha256(key).digest()[0] % 2 else "tuning"


def load(half="tuning", catalog=None):
    """The queries of one half (or `all`), of one catalog or every catalog."""
    halves = list(HALVES) if half == "all" else [half]
    queries = []
    for name in halves:
        queries.extend(json.loads(HALVES[name].read_text(encoding="utf-8"))["queries"])
    return [q for q in queries if catalog is None or q.get("catalog", "demo") == catalog]


def add(entries):
    """File new query entries into their halves; returns {half: number added, "duplicate": number skipped}."""
    known = {(q.get("catalog", "demo"), filing_form(q["query"])) for q in load("all")}
    added = {name: [] for name in HALVES}
    duplicates = 0
    for entry in entries:
        key = (entry.get("catalog", "demo"), filing_form(entry["query"]))
        if key in known:
            duplicates += 1
            continue
        if entry.get("kind") not in KINDS:
            raise ValueError(f"查询“{entry['query']}”的类别 {entry.get('kind')!r} 不在 {', '.join(KINDS)} 之中")
        known.add(key)
        added[half_of(entry)].append(entry)
    for name, new in added.items():
        if new:
            document = json.loads(HALVES[name].read_text(encoding="utf-8"))
            document["queries"].extend(new)
            HALVES[name].write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {**{name: len(new) for name, new in added.items()}, "duplicate": duplicates}


def answers(outcome):
    """What a search showed, in order: services handled elsewhere first, then the items' codes."""
    return [ELSEWHERE + service.name for service in outcome.elsewhere] + [item.code for item in outcome.items]


def evaluate(queries=None):
    """(MRR, recall@5, [Judgement]) of the active backend over `queries` (the demo's tuning half)."""
    judgements = []
    for entry in queries if queries is not None else load("tuning", catalog="demo"):
        outcome = run_search(entry["query"], limit=DEPTH, log=False)
        found = answers(outcome)[:DEPTH]
        rank = next((i for i, code in enumerate(found, start=1) if code in entry["expected"]), 0)
        judgements.append(
            Judgement(
                entry["query"],
                entry["expected"],
                found,
                rank,
                kind=entry.get("kind", ""),
                catalog=entry.get("catalog", "demo"),
                total=outcome.total + len(outcome.elsewhere),
            )
        )
    figures = figures_of(judgements)
    return figures.mrr, figures.recall, judgements


def figures_of(judgements):
    count = len(judgements) or 1
    by_kind = {}
    for kind in KINDS:
        chosen = [j for j in judgements if j.kind == kind]
        if chosen:
            by_kind[kind] = (len(chosen), sum(j.reciprocal_rank for j in chosen) / len(chosen))
    return Figures(
        count=len(judgements),
        mrr=sum(j.reciprocal_rank for j in judgements) / count,
        recall=sum(j.recall_at_5 for j in judgements) / count,
        by_kind=by_kind,
    )
