"""From what a citizen typed to weighted index terms: normalise, segment, drop stop words, then read each
typed word's alternatives — the editors' synonyms, everyday variants, abbreviations learned from the
index, general synonyms (同义词词林), the same sound, a one-character typo, pinyin — and what a sentence
such as 开个饭店 means.

A query is a list of *concepts*, one per typed word (or per phrase an expansion read). Each concept
has alternatives: the word as typed and the words it may stand for, each with a weight. The backends
score a concept by its best alternative in a document, never the sum, and an alternative of several
words counts only where the document holds at least half of them, scaled by the share it holds. So an
expansion can stand in for a typed word that no guide uses, but never adds to it, and a weak one (宝宝
read from the span 保报 of 医保报销) cannot lift a guide above those matching what was typed.

Nothing here knows Whoosh or PostgreSQL: both backends take a ParsedQuery.
"""

from dataclasses import dataclass, field

from . import intents, text, variants

# How much each kind of alternative counts next to the word the citizen typed.
# An inference (丢了 read as 补领) is a guess at what is wanted, weaker than a word of the same meaning.
# Pinyin read as the Chinese word it spells (SPELLED) counts nearly as much as the word typed.
TYPED, SYNONYM, VARIANT, INTENT, ABBREVIATION, HOMOPHONE, TYPO, PINYIN_TYPO, GENERAL, INFERRED, SPELLED = (
    1.0,
    0.9,
    0.85,
    0.85,
    0.75,
    0.8,
    0.6,
    0.6,
    0.45,
    0.5,
    0.9,
)
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
# What a context word keeps of its weight (家里, 有人, 今年: words no guide's name or popular name uses, and
# none of their readings either) when other typed words do name a service.
CONTEXT = 0.5
# Longest run of typed characters checked as one possibly mistyped word.
MAX_SPAN = 6
# An alternative of more words than this keeps its first ones (a long official name says it all early).
MAX_WORDS = 6


@dataclass
class Term:
    text: str
    boost: float
    pinyin: bool = False  # matched against the pinyin of names and keywords only


@dataclass
class Alternative:
    words: tuple  # index terms; a document must hold at least half of them
    weight: float
    pinyin: bool = False
    origin: str = "typed"  # typed, synonym, variant, inferred, intent, abbreviation, general, homophone, typo, pinyin


@dataclass
class Concept:
    label: str  # what was typed (or the phrase an intent was read from)
    alternatives: list = field(default_factory=list)
    informative: bool = True  # False for aspect words such as 申请: missing them is no loss
    # True for a word that names no service (家里, 有人): it barely counts in the ranking and the names'
    # re-ranking, but stays a concept, so the relaxed notice still sees what was typed.
    context: bool = False

    def offer(self, words, weight, pinyin=False, origin="typed"):
        words = tuple(dict.fromkeys(w for w in words if w))[:MAX_WORDS]
        if not words:
            return
        for existing in self.alternatives:
            if existing.words == words and existing.pinyin == pinyin:
                if weight > existing.weight:
                    existing.weight, existing.origin = weight, origin
                return
        self.alternatives.append(Alternative(words, weight, pinyin, origin))


@dataclass
class ParsedQuery:
    raw: str
    normalized: str
    concepts: list = field(default_factory=list)
    highlight: list = field(default_factory=list)
    synonyms: list = field(default_factory=list)  # (popular name, [official names]) that applied
    corrections: list = field(default_factory=list)  # (typed, corrected)
    expansions: list = field(default_factory=list)  # (typed, [words it was read as]) beyond the editors' list
    only_stop_words: bool = False

    @property
    def is_empty(self):
        return not self.concepts

    @property
    def terms(self):
        """Every index term of every alternative, with the highest weight it has anywhere."""
        best = {}
        for concept in self.concepts:
            for alternative in concept.alternatives:
                for word in alternative.words:
                    key = (word, alternative.pinyin)
                    best[key] = max(best.get(key, 0.0), alternative.weight)
        return [Term(word, boost, pinyin) for (word, pinyin), boost in best.items()]

    def concept(self, label, informative=True):
        """The concept for `label`, created on first use."""
        for existing in self.concepts:
            if existing.label == label:
                return existing
        created = Concept(label, informative=informative)
        self.concepts.append(created)
        return created

    def mark(self, words):
        for word in words:
            if word not in self.highlight:
                self.highlight.append(word)


def parse(raw, synonyms=(), vocabulary=None, max_length=100):
    """A ParsedQuery for `raw`; `synonyms` is [(popular name, [official names])], normalised."""
    normalized = text.normalize(raw or "")[:max_length]
    query = ParsedQuery(raw=raw or "", normalized=normalized)
    typed = _with_pieces(text.words(normalized))
    with_stops = text.words(normalized, keep_stop_words=True)
    query.only_stop_words = bool(with_stops) and not typed
    for word in typed:
        # An aspect word, or one character on its own (家, 丢): it says little about which service.
        weak = word in WEAK_WORDS or (len(word) == 1 and text.is_cjk(word))
        query.concept(word, informative=not weak).offer([word], WEAK if weak else TYPED)
    query.mark(w for w in typed)
    for name, expansions in synonyms:
        if name and name in normalized:
            query.synonyms.append((name, expansions))
            concept = query.concept(name)
            for expansion in expansions:
                words = text.words(expansion)
                concept.offer(words, SYNONYM, origin="synonym")
                query.mark(words)
    _everyday(query, typed)
    latin = [w for w in typed if text.is_latin(w) and w.isalpha()]
    for word in latin:
        query.concept(word).offer([word], TYPED, pinyin=True)
    if len(latin) > 1:
        query.concept("".join(latin)).offer(["".join(latin)], TYPED, pinyin=True)
    if vocabulary is not None:
        _spelled(query, vocabulary, latin)
        _learned(query, vocabulary, typed)
        _tolerate_typos(query, vocabulary, latin)
        _set_context_aside(query, vocabulary)
    return query


def _names_a_service(alternative, vocabulary):
    """True when a word of `alternative` is a word of some guide's name or popular names."""
    known = vocabulary.pinyins if alternative.pinyin else vocabulary.words
    return any(word in known for word in alternative.words)


def _set_context_aside(query, vocabulary):
    """Context words (家里, 有人, 今年, 到底) count at CONTEXT of their weight.

    A concept is context when none of its alternatives is a word of the names and popular names of the
    index: such a word tells the circumstances (家里有人残疾了), not the service, and where it is rare in
    the guides' texts its BM25 weight would otherwise outrank the words that do name one. Decided from
    the index alone, so it holds for any catalog; when no typed word names a service, nothing changes.
    """
    context = [
        c.informative and not any(_names_a_service(a, vocabulary) for a in c.alternatives) for c in query.concepts
    ]
    if all(context or not c.informative for context, c in zip(context, query.concepts, strict=True)):
        return
    for concept, is_context in zip(query.concepts, context, strict=True):
        if is_context:
            concept.context = True
            for alternative in concept.alternatives:
                alternative.weight *= CONTEXT


def _with_pieces(typed):
    """The typed words, and the dictionary words inside those jieba guessed rather than knew.

    A guessed word (我想查, 想换, 太多报) joins what was asked for with the words around it; no guide
    holds it, so on its own the 查, 换 or 报 in it would be lost. Its pieces are read as typed too.
    """
    found = list(typed)
    stops = text.stop_words()
    for word in typed:
        if len(word) > 1 and text.is_cjk(word) and not text.known_word(word):
            for piece in text.segmenter().cut(word, HMM=False):
                if piece not in stops and piece not in found:
                    found.append(piece)
    return found


def _everyday(query, typed):
    """Everyday variants (户口本 for 户口簿, 丢了 for 遗失) and what a sentence such as 开个饭店 asks for."""
    for phrase, same, reads_as in variants.found_in(query.normalized, typed):
        concept = query.concept(phrase)
        for other in same:
            concept.offer(text.words(other), VARIANT, origin="variant")
        for other in reads_as:
            concept.offer(text.words(other), INFERRED, origin="inferred")
    for phrase, wanted in intents.read(query.normalized):
        concept = query.concept(phrase)
        read_as = []
        for name in wanted:
            words = text.words(name)
            concept.offer(words, INTENT, origin="intent")
            read_as.append(name)
        query.expansions.append((phrase, read_as))


def _spelled(query, vocabulary, latin):
    """Pinyin read as the Chinese words it spells (shenfenzheng → 身份证, buban → 补办): the words of the
    index and of the everyday variants that sound so, with those words' own variants."""
    candidates = [*latin, "".join(latin)] if len(latin) > 1 else latin
    for word in candidates:
        spelled = sorted(vocabulary.by_pinyin.get(word, ()), key=lambda w: -vocabulary.words.get(w, 0))[:3]
        spelled += [w for w in variants.by_pinyin().get(word, ()) if w not in spelled]
        concept = query.concept(word)
        if not spelled:
            # No word of the index or of the variants sounds so: perhaps an abbreviation (wangyueche).
            for short in vocabulary.abbreviations_spelled(word):
                for full in vocabulary.expansions_of(short):
                    concept.offer(text.words(full), SPELLED * ABBREVIATION, origin="pinyin")
                query.mark([short])
            continue
        for chinese in spelled:
            concept.offer(text.words(chinese), SPELLED, origin="pinyin")
            for other in variants.table().get(chinese, ()):
                concept.offer(text.words(other), SPELLED * VARIANT, origin="pinyin")
            for other in variants.inferences().get(chinese, ()):
                concept.offer(text.words(other), SPELLED * INFERRED, origin="pinyin")
        query.mark(spelled)


def _learned(query, vocabulary, typed):
    """What the index itself teaches: abbreviations of its words, and general synonyms it uses.

    Only for whole typed words: 身份 inside 身份证 is not read on its own (词林 would make it 资格).
    """
    candidates = list(typed)
    for run in text.CJK_RUN.findall(query.normalized):
        bounds = sorted(_word_bounds(run))
        # 社保卡 may reach jieba as 社保 + 卡: spans of up to four characters between word bounds too.
        candidates.extend(run[i:j] for i in bounds for j in bounds if 2 <= j - i <= 4)
    candidates = list(dict.fromkeys(candidates))
    whole = [w for w in candidates if not any(w != other and w in other for other in typed)]
    for word in whole:
        if not text.is_cjk(word) or word in WEAK_WORDS or word in text.stop_words():
            continue
        found = []
        for full in vocabulary.expansions_of(word):
            query.concept(word).offer(text.words(full), ABBREVIATION, origin="abbreviation")
            found.append(full)
        for other in vocabulary.general_synonyms(word):
            query.concept(word).offer([other], GENERAL, origin="general")
            found.append(other)
        if found:
            query.expansions.append((word, found))


def _word_bounds(run):
    """Offsets where the dictionary words of `run` start or end (jieba without guessing new words: a
    guessed word such as 迁一到 is usually a typo plus a neighbour)."""
    bounds, offset = {0}, 0
    for piece in text.segmenter().cut(run, HMM=False):
        offset += len(piece)
        bounds.add(offset)
    return bounds


def _tolerate_typos(query, vocabulary, latin):
    """Add the known words a typed span was probably meant to be: same sound, or one character off.

    A span starts and ends where words do: 医保报销 is 医保 + 报销, and its middle 保报 (read baobao,
    like 宝宝) is nobody's typo. Within those bounds a span may join words jieba split a typo into
    (低报 → 低 + 报, meant 低保).
    """
    present = set(query.highlight)
    for run in text.CJK_RUN.findall(query.normalized):
        bounds = _word_bounds(run)
        spans = [
            run[i:j]
            for i in range(len(run))
            for j in range(i + 2, min(len(run), i + MAX_SPAN) + 1)
            if i in bounds and j in bounds
        ]
        for span in spans:
            if span in vocabulary.words or span in text.stop_words():
                continue
            for word in vocabulary.homophones(span)[:2]:
                if word not in present:
                    query.corrections.append((span, word))
                    query.concept(span).offer([word], HOMOPHONE, origin="homophone")
                    query.mark([word])
                    present.add(word)
            if len(span) >= 3:
                for word in vocabulary.near_words(span)[:2]:
                    if word not in present and word not in query.normalized:
                        query.corrections.append((span, word))
                        query.concept(span).offer([word], TYPO, origin="typo")
                        query.mark([word])
                        present.add(word)
    candidates = [*latin, "".join(latin)] if len(latin) > 1 else latin
    for word in candidates:
        for near in vocabulary.near_pinyin(word)[:2]:
            query.corrections.append((word, near))
            query.concept(word).offer([near], PINYIN_TYPO, pinyin=True, origin="pinyin")
