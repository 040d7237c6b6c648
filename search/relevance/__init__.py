"""The project's own relevance set: citizens' queries over the demo catalog and the items they should find.

Scored with mean reciprocal rank (the first expected item's rank, over the first 10 results) and
recall@5 (the share of expected items among the first five), by `manage.py search_relevance`.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from search.engine import run_search

QUERIES = Path(__file__).resolve().parent / "queries.json"
DEPTH = 10


@dataclass
class Judgement:
    query: str
    expected: list
    found: list
    rank: int  # 1-based rank of the first expected item, 0 when not in the first DEPTH results

    @property
    def reciprocal_rank(self):
        return 1 / self.rank if self.rank else 0.0

    @property
    def recall_at_5(self):
        return len(set(self.expected) & set(self.found[:5])) / len(self.expected)


def load(path=QUERIES):
    return json.loads(Path(path).read_text(encoding="utf-8"))["queries"]


def evaluate(queries=None):
    """(MRR, recall@5, [Judgement]) of the active backend over the relevance set."""
    judgements = []
    for entry in queries if queries is not None else load():
        found = [item.code for item in run_search(entry["query"], limit=DEPTH, log=False).items]
        rank = next((i for i, code in enumerate(found, start=1) if code in entry["expected"]), 0)
        judgements.append(Judgement(entry["query"], entry["expected"], found, rank))
    count = len(judgements) or 1
    mrr = sum(j.reciprocal_rank for j in judgements) / count
    recall = sum(j.recall_at_5 for j in judgements) / count
    return mrr, recall, judgements
