"""Chinese text handling and query understanding without any index."""

from search import text
from search.backends.base import vocabulary_terms
from search.documents import SearchDocument
from search.query import parse
from search.vocabulary import Entry, Vocabulary

SYNONYMS = [("低保", ["最低生活保障"]), ("上户口", ["出生登记"])]


def vocabulary():
    rows = []
    for code, name, keywords in [
        ("LY-SD-0001", "最低生活保障审核确认", ["低保", "吃低保"]),
        ("LY-SD-0034", "个体工商户设立登记", ["营业执照", "办执照"]),
        ("LY-0002", "结婚登记", ["结婚证", "领证"]),
        ("LY-SD-0043", "户口迁移（迁入登记）", ["户口迁移", "迁户口"]),
    ]:
        url = f"/services/{code.lower()}/"
        document = SearchDocument(key=code, kind="service", page_id=0, code=code, name=name, url=url, keywords=keywords)
        rows.append((Entry("service", code, name, url, keywords), vocabulary_terms(document)))
    return Vocabulary.build(rows)


def test_normalize_folds_width_case_and_traditional_characters():
    assert text.normalize("身份證補領") == "身份证补领"
    assert text.normalize("ＨＵＫＯＵ　遷移") == "hukou 迁移"
    assert text.normalize("低保\x00申请\n") == "低保 申请"


def test_words_keep_domain_words_and_drop_stop_words():
    assert text.analyse("低保怎么申请") == ["低保", "申请"]
    assert "小卖部" in text.analyse("开个小卖部要什么证")
    assert text.analyse("怎么办理需要什么") == []


def test_pinyin_terms_cover_words_and_whole_phrases():
    terms = text.pinyin_terms(["户口迁移", "低保"])
    assert {"hukou", "qianyi", "hukouqianyi", "dibao"} <= set(terms)


def test_parse_expands_synonyms_and_marks_stop_word_queries():
    query = parse("低保怎么申请", synonyms=SYNONYMS)
    assert ("低保", ["最低生活保障"]) in query.synonyms
    assert {"低保", "最低生活保障"} <= {t.text for t in query.terms}
    assert parse("怎么办理", synonyms=SYNONYMS).only_stop_words
    assert not parse("？？", synonyms=SYNONYMS).only_stop_words


def test_typed_words_outweigh_aspect_words():
    boosts = {t.text: t.boost for t in parse("低保怎么申请").terms}
    assert boosts["低保"] > boosts["申请"]


def test_latin_words_are_read_as_pinyin_too():
    pinyin = {t.text for t in parse("hukou qianyi").terms if t.pinyin}
    assert {"hukou", "qianyi", "hukouqianyi"} <= pinyin


def test_one_character_typo_and_homophone_are_corrected():
    vocab = vocabulary()
    assert ("营叶执照", "营业执照") in parse("营叶执照", vocabulary=vocab).corrections
    assert ("低宝", "低保") in parse("低宝", vocabulary=vocab).corrections
    assert ("结昏证", "结婚证") in parse("结昏证", vocabulary=vocab).corrections
    assert ("hukuo", "hukou") in parse("hukuo", vocabulary=vocab).corrections


def test_known_words_are_not_corrected():
    vocab = vocabulary()
    assert parse("低保怎么申请", vocabulary=vocab).corrections == []
    assert parse("结婚证", vocabulary=vocab).corrections == []


def test_prefix_completion_by_characters_and_pinyin():
    vocab = vocabulary()
    assert vocab.complete("结婚")[0][0].code == "LY-0002"
    assert vocab.complete("dib")[0][0].code == "LY-SD-0001"
    assert vocab.complete("不存在") == []
