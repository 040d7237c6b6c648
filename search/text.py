"""Chinese text as the search index sees it: normalised, segmented by jieba, stop words out, pinyin.

Index and query go through the same functions, so a word is cut the same way on both sides.
jieba's dictionary is loaded once per process (about a second), on first use, with its cache file
in `JIEBA_CACHE_DIR`; `jieba.analyse` is never imported (it costs another two seconds).
"""

import logging
import os
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).resolve().parent
DOMAIN_DICTIONARY = HERE / "data" / "dictionary.txt"
STOP_WORDS_FILE = HERE / "data" / "stopwords.txt"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(f"[{_CJK}]+|[a-z0-9]+(?:[.-][a-z0-9]+)*")
_LATIN = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_CJK_ONLY = re.compile(f"^[{_CJK}]+$")

_lock = threading.Lock()
_segmenter = None


def segmenter():
    """The process-wide jieba tokenizer with the portal's domain words, loaded on first use."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                import jieba  # lazily: a tenth of a second that only indexing and searching need, not every command

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                cache_dir = os.environ.get("JIEBA_CACHE_DIR")
                if cache_dir:
                    Path(cache_dir).mkdir(parents=True, exist_ok=True)
                    tokenizer.tmp_dir = cache_dir
                    tokenizer.cache_file = "jieba.cache"
                tokenizer.initialize()
                tokenizer.load_userdict(str(DOMAIN_DICTIONARY))
                _segmenter = tokenizer
    return _segmenter


@lru_cache(maxsize=1)
def _converter():
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars():
    """Characters that OpenCC would change when folding traditional Chinese to simplified."""
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        if len(source) == 1 and targets and targets.split()[0] != source:
            chars.add(source)
    return frozenset(chars)


@lru_cache(maxsize=1)
def stop_words():
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def domain_words():
    """The words of the portal's own dictionary (低保, 个体户, 社保卡): terms of government services."""
    lines = DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split()[0] for line in lines if line.strip() and not line.startswith("#"))


_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# An age written in Chinese numerals (六十岁, 八十多了, 七十五周岁): people type it so, guides write 60周岁.
_AGE = re.compile(
    r"(?<![第\d])((?:[一二两三四五六七八九]?十[一二三四五六七八九]?)|一百(?:零[一二三四五六七八九])?)(?=多|来|余|岁|周岁)"
)


def _age(match):
    numeral = match.group(1)
    if numeral.startswith("一百"):
        return str(100 + (_DIGITS.get(numeral[-1], 0) if len(numeral) > 2 else 0))
    tens, _, ones = numeral.partition("十")
    return str((_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0))


def fold_traditional(text):
    """Traditional characters folded to simplified (OpenCC t2s), only when there are any."""
    traditional = _traditional_chars()
    if any(ch in traditional for ch in text):
        return _converter().convert(text)
    return text


def normalize(text):
    """Full-width to half-width, lower case, traditional folded to simplified, ages in Chinese numerals
    to digits (八十周岁 → 80周岁), spaces collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = fold_traditional(text)
    if "十" in text or "百" in text:
        text = _AGE.sub(_age, text)
    return " ".join(text.split())


def is_latin(token):
    return bool(_LATIN.match(token))


def is_cjk(token):
    return bool(_CJK_ONLY.match(token))


def words(text, for_search=True, keep_stop_words=False):
    """Index terms of already normalised text: jieba words (and their sub-words) and latin/digit runs."""
    stops = () if keep_stop_words else stop_words()
    cut = segmenter().cut_for_search if for_search else segmenter().cut
    out = []
    for chunk in _WORD.findall(text):
        if is_cjk(chunk):
            out.extend(w for w in cut(chunk, HMM=True) if w not in stops and is_cjk(w))
        elif chunk not in stops:
            out.append(chunk)
    return out


def known_word(word):
    """True when jieba's dictionary (or the portal's) holds `word`, rather than jieba guessing it."""
    return segmenter().FREQ.get(word, 0) > 0


def analyse(text, keep_stop_words=False):
    """Normalise then segment: what any piece of raw text contributes to the index."""
    return words(normalize(text), keep_stop_words=keep_stop_words)


@lru_cache(maxsize=50000)
def pinyin(word):
    """Toneless pinyin of a Chinese word written together, e.g. 户口 → hukou."""
    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


def pinyin_terms(phrases):
    """Pinyin index terms for names and keywords: each jieba word's pinyin and each whole phrase's."""
    terms = {}
    for phrase in phrases:
        text = normalize(phrase)
        for run in CJK_RUN.findall(text):
            terms[pinyin(run)] = None
            for word in segmenter().cut_for_search(run, HMM=True):
                if len(word) > 1 and is_cjk(word):
                    terms[pinyin(word)] = None
    return [t for t in terms if t]
