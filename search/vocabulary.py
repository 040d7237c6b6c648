"""The words of item names and keywords, for typo tolerance, 'did you mean' and as-you-type suggestions.

Built from what the active backend holds (each document stores the words, pinyin and phrases of its
name and keywords, computed when it was indexed), kept once per process and refreshed when the index
changes.
"""

import bisect
import functools
import itertools
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from . import general, text

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0
MAX_WORD = 8
# A typed word jieba knows this well (its dictionary frequency) is a word of its own, not an abbreviation,
# unless the dictionary itself marks it as one (part of speech `j`, 简称).
ORDINARY_FREQUENCY = 100
# A name is also read as phrases of up to this many consecutive words, so that an abbreviation of a phrase
# inside a long official name (网约车 in 网络预约出租汽车驾驶员证核发) is learned too.
PHRASE_PARTS = 5
MAX_PHRASE = 12


@dataclass
class Entry:
    """A suggestion target: a guide or a hall."""

    kind: str
    code: str
    name: str
    url: str
    keywords: list


@dataclass
class Vocabulary:
    words: dict = field(default_factory=dict)  # word -> number of entries using it
    by_pinyin: dict = field(default_factory=dict)  # pinyin -> {words}
    deletions: dict = field(default_factory=dict)  # word with one character removed -> {words}
    pinyins: dict = field(default_factory=dict)  # pinyin term -> frequency
    pinyin_deletions: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    prefixes: list = field(default_factory=list)  # sorted (phrase, entry index, shown phrase)
    abbreviations: dict = field(default_factory=dict)  # 医保 -> {医疗保险, 医疗保障, …}
    abbreviation_pinyin: dict = field(default_factory=dict)  # wangyueche -> {网约车}

    @classmethod
    def build(cls, rows):
        """rows: iterable of (Entry, vocabulary terms) as `backends.base.vocabulary_terms` made them."""
        vocab = cls()
        words, pinyins, by_pinyin, prefixes = vocab.words, vocab.pinyins, vocab.by_pinyin, vocab.prefixes
        for entry, terms in rows:
            index = len(vocab.entries)
            vocab.entries.append(entry)
            for word, sound in zip(terms["words"], terms["word_pinyin"], strict=True):
                if word in words:
                    words[word] += 1
                else:
                    words[word] = 1
                    by_pinyin.setdefault(sound, set()).add(word)
            for term in terms["pinyin"]:
                pinyins[term] = pinyins.get(term, 0) + 1
            prefixes.extend((key, index, shown) for key, shown in terms["prefixes"])
        for word in words:
            if 3 <= len(word) <= MAX_WORD:
                for variant in _deletions(word):
                    vocab.deletions.setdefault(variant, set()).add(word)
        for word in words:
            if 3 <= len(word) <= MAX_WORD:
                for abbreviation in _abbreviations(word):
                    vocab.abbreviations.setdefault(abbreviation, set()).add(word)
        phrases = {tuple(text.segmenter().cut(w, HMM=False)) for w in words if len(w) >= 5}
        for parts in phrases | _name_phrases(vocab.entries):
            phrase = "".join(parts)
            for abbreviation in _head_kept(parts):
                if abbreviation not in words:
                    vocab.abbreviations.setdefault(abbreviation, set()).add(phrase)
        for abbreviation in vocab.abbreviations:
            # Character by character: an abbreviation is read so, and each character's pinyin is cached.
            sound = "".join(text.pinyin(character) for character in abbreviation)
            vocab.abbreviation_pinyin.setdefault(sound, set()).add(abbreviation)
        for term in pinyins:
            if len(term) >= 5:
                for variant in _deletions(term):
                    vocab.pinyin_deletions.setdefault(variant, set()).add(term)
        prefixes.sort()
        return vocab

    def near_words(self, word):
        """Known words one edit (substitution, insertion, deletion) away from `word`, most used first."""
        if len(word) < 3 or word in self.words:
            return []
        # "低保怎" is the known word 低保 plus a stray character, not a typo of 低保金.
        if any(word[i : i + len(word) - 1] in self.words for i in range(2)):
            return []
        found = set(self.deletions.get(word, ()))
        for variant in _deletions(word):
            found.update(self.deletions.get(variant, ()))
            if variant in self.words and len(variant) >= 3:
                found.add(variant)
        found = {w for w in found if w != word and _one_edit(word, w)}
        return sorted(found, key=lambda w: (-self.words[w], w))

    def expansions_of(self, typed):
        """Words of the index that `typed` abbreviates (医保 → 医疗保险), most used first.

        `typed` is the first characters of consecutive parts of such a word (社会·保障·卡 → 社保卡). It
        must not be a word of the index itself, nor a common word of its own (jieba knows 人民 well; it
        marks 医保 as an abbreviation), which keeps ordinary words from being read as abbreviations.
        """
        if not 2 <= len(typed) <= 4 or typed in self.words or _ordinary(typed):
            return []
        return sorted(self.abbreviations.get(typed, ()), key=lambda w: (-self.words.get(w, 0), len(w), w))[:3]

    def abbreviations_spelled(self, sound):
        """Abbreviations learned from the index that `sound` spells (wangyueche → 网约车), for pinyin that
        spells no word of the index itself."""
        return sorted(w for w in self.abbreviation_pinyin.get(sound, ()) if self.expansions_of(w))[:2]

    def general_synonyms(self, typed):
        """Words of the index that 同义词词林 gives as true synonyms of `typed`, most used first."""
        found = set()
        for group in general.groups_by_word().get(typed, ()):
            found.update(w for w in group if w != typed and w in self.words)
        return sorted(found, key=lambda w: (-self.words[w], w))[:3]

    def homophones(self, word):
        """Known words written differently but read the same (the commonest typing mistake in Chinese)."""
        if len(word) < 2 or word in self.words:
            return []
        return sorted(
            (w for w in self.by_pinyin.get(text.pinyin(word), ()) if w != word), key=lambda w: (-self.words[w], w)
        )

    def near_pinyin(self, term):
        """Known pinyin terms one edit away, for a misspelt romanisation such as `hukuo` or `qianyii`."""
        if len(term) < 5 or term in self.pinyins:
            return []
        found = set(self.pinyin_deletions.get(term, ()))
        for variant in _deletions(term):
            found.update(self.pinyin_deletions.get(variant, ()))
            if variant in self.pinyins:
                found.add(variant)
        found = {t for t in found if t != term and _one_edit(term, t)}
        return sorted(found, key=lambda t: (-self.pinyins[t], t))

    def complete(self, prefix, limit=8):
        """Entries whose name, keyword or their pinyin starts with `prefix`, names first, each entry once."""
        if not prefix:
            return []
        start = bisect.bisect_left(self.prefixes, (prefix,))
        seen, exact_name, others = set(), [], []
        for phrase, index, shown in self.prefixes[start:]:
            if not phrase.startswith(prefix):
                break
            if index in seen:
                continue
            entry = self.entries[index]
            (exact_name if shown == entry.name else others).append((index, shown))
            seen.add(index)
            if len(seen) >= limit * 4:
                break
        ordered = sorted(exact_name, key=lambda p: len(self.entries[p[0]].name)) + sorted(
            others, key=lambda p: len(p[1])
        )
        result, used = [], set()
        for index, shown in ordered:
            if index not in used:
                used.add(index)
                result.append((self.entries[index], shown))
        return result[:limit]


def _parts(word):
    """The parts an abbreviation takes first characters from: jieba's words, four-character ones halved."""
    parts = []
    frequencies = text.segmenter().FREQ
    for piece in text.segmenter().cut(word, HMM=False):
        if len(piece) == 4 and frequencies.get(piece[:2]) and frequencies.get(piece[2:]):
            parts.extend((piece[:2], piece[2:]))
        else:
            parts.append(piece)
    return parts


def _abbreviations(word):
    """Every abbreviation of `word` by first characters of two or more consecutive parts."""
    parts = _parts(word)
    found = set()
    for start in range(len(parts)):
        for end in range(start + 2, min(len(parts), start + 4) + 1):
            if all(len(p) >= 2 for p in parts[start : end - 1]):
                found.add("".join(p[0] for p in parts[start:end]))
    found.discard(word)
    return found


@functools.lru_cache(maxsize=50000)
def _head_kept(parts):
    """Short forms of the phrase of `parts` (its dictionary words, in order) that keep its first and last
    characters and one or two in between, in order, every part giving at least one: the first character
    names the thing, the last its kind (个体工商户 → 个体户, 网络·预约·出租汽车 → 网约车). Three or four
    characters, at least two fewer than the phrase; 养老保险·丧葬·补助金 gives no 养老金, as 丧葬 would
    give nothing."""
    phrase = "".join(parts)
    owner = [number for number, part in enumerate(parts) for _char in part]
    found = set()
    for size in (1, 2):
        if len(phrase) < size + 4:
            continue
        for middle in itertools.combinations(range(1, len(phrase) - 1), size):
            chosen = (0, *middle, len(phrase) - 1)
            if {owner[i] for i in chosen} == set(range(len(parts))):
                found.add("".join(phrase[i] for i in chosen))
    return frozenset(found)


def _name_phrases(entries):
    """Runs of two to PHRASE_PARTS consecutive dictionary words (as tuples of them) in the names, not
    the popular names, of `entries`, at most MAX_PHRASE characters: where a long official name holds
    the phrase people shorten."""
    found = set()
    for run in {run for entry in entries for run in text.CJK_RUN.findall(text.normalize(entry.name))}:
        parts = tuple(text.segmenter().cut(run, HMM=False))
        for start in range(len(parts)):
            for end in range(start + 2, min(len(parts), start + PHRASE_PARTS) + 1):
                if sum(len(part) for part in parts[start:end]) <= MAX_PHRASE:
                    found.add(parts[start:end])
    return found


@functools.lru_cache(maxsize=1)
def _dictionary_abbreviations():
    """The words jieba's own dictionary tags as abbreviations (简称, part of speech `j`)."""
    tagged = set()
    with text.segmenter().get_dict_file() as lines:
        for line in lines:
            fields = line.decode("utf-8").split()
            if len(fields) == 3 and fields[2] == "j":
                tagged.add(fields[0])
    return frozenset(tagged)


def _ordinary(word):
    """A word of everyday language: jieba knows it well and does not tag it 简称. The portal's own
    dictionary words (个体户, 社保卡) are service terms, never ordinary, whatever frequency they were given."""
    if word in text.domain_words():
        return False
    return text.segmenter().FREQ.get(word, 0) >= ORDINARY_FREQUENCY and word not in _dictionary_abbreviations()


def _deletions(word):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a, b):
    """True when a and b differ by one substitution, insertion, deletion or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            i = diffs[0]
            return a[i] == b[i + 1] and a[i + 1] == b[i]
        return len(diffs) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


_lock = threading.Lock()
_cache = {"vocabulary": None, "version": None, "checked": 0.0, "backend": None, "building": False}


def _build(backend, version):
    vocabulary = Vocabulary.build(backend.vocabulary_rows())
    with _lock:
        _cache.update(vocabulary=vocabulary, version=version, backend=backend, building=False)
    return vocabulary


def _build_in_background(backend, version):
    try:
        _build(backend, version)
    except Exception:
        logger.exception("搜索词表重建失败")
        with _lock:
            _cache["building"] = False
    finally:
        connection.close()


def current(backend):
    """The vocabulary of `backend`'s index.

    The first call builds it; afterwards a changed index (checked every few seconds) is rebuilt in a
    background thread while searches go on with the previous vocabulary, so publishing a page never
    makes a citizen wait for the whole word list to be rebuilt.
    """
    now = time.monotonic()
    with _lock:
        vocabulary = _cache["vocabulary"] if _cache["backend"] is backend else None
        if vocabulary is not None and (now - _cache["checked"] < REFRESH_SECONDS or _cache["building"]):
            return vocabulary
        _cache["checked"] = now
    version = backend.version()
    if vocabulary is None:
        return _build(backend, version)
    background = getattr(settings, "YIMEN_SEARCH_BACKGROUND_REFRESH", True)
    with _lock:
        if version == _cache["version"] or _cache["building"]:
            return vocabulary
        _cache["building"] = background
    if not background:
        return _build(backend, version)
    threading.Thread(target=_build_in_background, args=(backend, version), daemon=True).start()
    return vocabulary


def mark_stale():
    """Check the index version on the next search (called after this process wrote to the index)."""
    with _lock:
        _cache["checked"] = 0.0


def invalidate():
    """Forget the cached vocabulary: the next search rebuilds it (called after this process writes the index)."""
    with _lock:
        _cache.update(vocabulary=None, version=None, checked=0.0, building=False)
