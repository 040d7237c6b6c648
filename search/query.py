"""From what a citizen typed to weighted index terms: normalise, segment, drop stop words, expand
synonyms and popular names, read pinyin, and tolerate a one-character typo in a word.

Nothing here knows Whoosh or PostgreSQL: both backends take a ParsedQuery.
"""

from dataclasses import dataclass, field

from . import text

# How much each kind of term counts next to a word the citizen typed.
TYPED, SYNONYM, HOMOPHONE, TYPO, PINYIN_TYPO = 1.0, 0.9, 0.8, 0.6, 0.6
# Words that say which aspect of a service is wanted, not which service: they count little.
WEAK_WORDS = frozenset(
    {
        "申请",
        "申领",
        "领取",
        "手续",
        "材料",
        "资料",
        "证件",
        "条件",
        "费用",
        "多少钱",
        "时间",
        "地点",
        "地址",
        "电话",
        "时限",
    }
)
WEAK = 0.3
# Longest run of typed characters checked as one possibly mistyped word.
MAX_SPAN = 6


@dataclass
class Term:
    text: str
    boost: float
    pinyin: bool = False  # matched against the pinyin of names and keywords only


@dataclass
class ParsedQuery:
    raw: str
    normalized: str
    terms: list = field(default_factory=list)
    highlight: list = field(default_factory=list)
    synonyms: list = field(default_factory=list)  # (popular name, [official names]) that applied
    corrections: list = field(default_factory=list)  # (typed, corrected)
    only_stop_words: bool = False

    @property
    def is_empty(self):
        return not self.terms

    def add(self, term, boost, pinyin=False, highlight=True):
        for existing in self.terms:
            if existing.text == term and existing.pinyin == pinyin:
                existing.boost = max(existing.boost, boost)
                return
        self.terms.append(Term(term, boost, pinyin))
        if highlight and not pinyin and term not in self.highlight:
            self.highlight.append(term)


def parse(raw, synonyms=(), vocabulary=None, max_length=100):
    """A ParsedQuery for `raw`; `synonyms` is [(popular name, [official names])], normalised."""
    normalized = text.normalize(raw or "")[:max_length]
    query = ParsedQuery(raw=raw or "", normalized=normalized)
    typed = text.words(normalized)
    with_stops = text.words(normalized, keep_stop_words=True)
    query.only_stop_words = bool(with_stops) and not typed
    for word in typed:
        query.add(word, WEAK if word in WEAK_WORDS else TYPED)
    for name, expansions in synonyms:
        if name and name in normalized:
            query.synonyms.append((name, expansions))
            for expansion in expansions:
                # An official name of several words counts, in all, about as much as one typed word.
                words = text.words(expansion)
                for word in words:
                    query.add(word, max(SYNONYM / len(words) ** 0.5, WEAK))
    latin = [w for w in typed if text.is_latin(w) and w.isalpha()]
    for word in latin:
        query.add(word, TYPED, pinyin=True)
    if len(latin) > 1:
        query.add("".join(latin), TYPED, pinyin=True)
    if vocabulary is not None:
        _tolerate_typos(query, vocabulary, latin)
    return query


def _tolerate_typos(query, vocabulary, latin):
    """Add the known words a typed word was probably meant to be: same sound, or one character off."""
    present = set(query.highlight)
    for run in text.CJK_RUN.findall(query.normalized):
        spans = [run[i:j] for i in range(len(run)) for j in range(i + 2, min(len(run), i + MAX_SPAN) + 1)]
        for span in spans:
            if span in vocabulary.words or span in text.stop_words():
                continue
            for word in vocabulary.homophones(span)[:2]:
                if word not in present:
                    query.corrections.append((span, word))
                    query.add(word, HOMOPHONE)
                    present.add(word)
            if len(span) >= 3:
                for word in vocabulary.near_words(span)[:2]:
                    if word not in present and word not in query.normalized:
                        query.corrections.append((span, word))
                        query.add(word, TYPO)
                        present.add(word)
    candidates = [*latin, "".join(latin)] if len(latin) > 1 else latin
    for word in candidates:
        for near in vocabulary.near_pinyin(word)[:2]:
            query.corrections.append((word, near))
            query.add(near, PINYIN_TYPO, pinyin=True)
