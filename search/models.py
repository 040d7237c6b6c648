import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from . import text


class Synonym(models.Model):
    """A popular name citizens type (低保) and the official words it stands for (最低生活保障)."""

    term = models.CharField(
        "群众说法", max_length=50, unique=True, help_text="群众搜索时常用的叫法，例如“低保”“上户口”“残补”。"
    )
    expansions = models.TextField(
        "规范说法",
        help_text="每行一个，例如“最低生活保障”。搜索词里出现群众说法时，也按这些规范说法查找办事指南。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("expansions"), FieldPanel("note")]

    class Meta:
        ordering = ["term"]
        verbose_name = "同义词"
        verbose_name_plural = "同义词"

    def __str__(self):
        return f"{self.term} → {'、'.join(self.expansion_list)}"

    @property
    def expansion_list(self):
        return [
            line.strip()
            for line in self.expansions.replace("，", "\n").replace("、", "\n").splitlines()
            if line.strip()
        ]

    def clean(self):
        super().clean()
        term = text.normalize(self.term or "")
        errors = {}
        if not text.words(term, keep_stop_words=True):
            errors["term"] = "群众说法至少要包含一个汉字、字母或数字。"
        elif not text.words(term):
            errors["term"] = f"“{self.term}”只由“怎么”“办理”这类停用词组成，搜索时会被忽略，不能作为同义词。"
        expansions = self.expansion_list
        if not expansions:
            errors["expansions"] = "请至少填写一个规范说法。"
        elif any(text.normalize(e) == term for e in expansions):
            errors["expansions"] = "规范说法不能与群众说法相同。"
        elif any(len(e) > 50 for e in expansions):
            errors["expansions"] = "每个规范说法不超过 50 个字。"
        if errors:
            raise ValidationError(errors)
        self.term = term


ELSEWHERE_MAX_TERMS = 30
ELSEWHERE_TERM_LENGTH = 20
# What a phone field may hold: digits, the signs people write between groups and numbers (0734-4321110、
# 0734-4321111 转 8001, （0734）4321110), nothing else; checked after NFKC, so full-width digits count too.
_PHONE_CHARACTERS = re.compile(r"[0-9\s+\-()（）、，,;；/转]*")
_split_terms = re.compile(r"[\n\r,，、;；]+")


class ElsewhereService(models.Model):
    """A service people look for that this centre does not handle, and where to go for it instead."""

    name = models.CharField(
        "事项名称",
        max_length=100,
        unique=True,
        help_text="群众要办的事，例如“出入境证件（护照、港澳台通行证）”。搜索词里出现这个名称时也会显示。",
    )
    terms = models.TextField(
        "群众说法",
        help_text=(
            f"每行一个，例如“护照”“港澳通行证”“出国”。搜索词里出现其中任何一个（繁体字、拼音也算）时，"
            f"搜索结果最前面会告诉群众到哪里办。每个不超过 {ELSEWHERE_TERM_LENGTH} 个字，最多 {ELSEWHERE_MAX_TERMS} 个；"
            "不要写本中心也能办的事项的说法。"
        ),
    )
    where = models.CharField("办理机构", max_length=100, help_text="例如“耒阳市公安局出入境管理大队”。")
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField(
        "咨询电话", max_length=100, blank=True, help_text="例如“0734-4321110”，多个号码用顿号隔开。"
    )
    hours = models.CharField(
        "办公时间", max_length=200, blank=True, help_text="例如“周一至周五 8:30-12:00，14:30-17:30”。"
    )
    url = models.CharField(
        "网址",
        max_length=500,
        blank=True,
        help_text="可选：办理机构的网站或网上办理入口，以 http:// 或 https:// 开头。",
    )
    note = models.TextField(
        "提示", blank=True, help_text="可选：显示给群众的补充说明，例如“需本人到场，可先在网上预约”。"
    )
    live = models.BooleanField("启用", default=True, help_text="不勾选时，搜索不再显示这一条。")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("terms"),
        MultiFieldPanel(
            [
                FieldPanel("where"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("hours")]),
                FieldPanel("url"),
                FieldPanel("note"),
            ],
            heading="到哪里办",
        ),
        FieldPanel("live"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "不在本中心办理的事项"
        verbose_name_plural = "不在本中心办理的事项"

    def __str__(self):
        return self.name

    @property
    def term_list(self):
        """The popular names as written, one each, in the order given, without repeats."""
        return list(dict.fromkeys(t.strip() for t in _split_terms.split(self.terms or "") if t.strip()))

    def clean(self):
        super().clean()
        errors = {}
        terms = self.term_list
        if not terms:
            errors["terms"] = "请至少填写一个群众说法，例如“护照”。"
        elif len(terms) > ELSEWHERE_MAX_TERMS:
            errors["terms"] = f"群众说法最多 {ELSEWHERE_MAX_TERMS} 个，现在有 {len(terms)} 个。"
        elif too_long := [t for t in terms if len(t) > ELSEWHERE_TERM_LENGTH]:
            errors["terms"] = f"每个群众说法不超过 {ELSEWHERE_TERM_LENGTH} 个字：“{too_long[0]}”太长了。"
        else:
            self.terms = "\n".join(terms)
        phone = unicodedata.normalize("NFKC", self.phone or "").strip()
        if not _PHONE_CHARACTERS.fullmatch(phone):
            errors["phone"] = "电话只能包含数字、短横线、空格、括号、“转”和分隔号码的顿号。"
        elif phone and not re.search(r"[0-9]{5}", re.sub(r"[\s\-()（）]", "", phone)):
            errors["phone"] = "请填写完整的电话号码，含区号，例如“0734-4321110”。"
        else:
            self.phone = phone
        url = (self.url or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["url"] = "网址必须以 http:// 或 https:// 开头，例如“https://www.example.gov.cn/”。"
            else:
                self.url = url
        if errors:
            raise ValidationError(errors)


class Outcome(models.TextChoices):
    """What the citizen saw for a search, for the log: results, nothing, results after dropping words, or
    the services handled elsewhere (that one wins: it is the answer the page leads with)."""

    RESULTS = "results", "有结果"
    NONE = "none", "无结果"
    RELAXED = "relaxed", "放宽后有结果"
    ELSEWHERE = "elsewhere", "不在本中心"


class SearchTerm(models.Model):
    """What the public searched for, how often, what they saw and whether they opened a result."""

    query = models.CharField("搜索词", max_length=100, unique=True)
    count = models.PositiveIntegerField("搜索次数", default=0)
    zero_result_count = models.PositiveIntegerField("无结果次数", default=0)
    last_result_count = models.PositiveIntegerField("最近一次结果数", default=0)
    found_nothing = models.BooleanField("最近一次无结果", default=False)
    opened_count = models.PositiveIntegerField("点开次数", default=0, help_text="有人从搜索结果点开事项的次数。")
    elsewhere_count = models.PositiveIntegerField(
        "不在本中心次数", default=0, help_text="搜索结果最前面显示了“不在本中心办理”的次数。"
    )
    relaxed_count = models.PositiveIntegerField(
        "放宽后有结果次数", default=0, help_text="全部词都找不到、去掉一些词后才有结果的次数。"
    )
    last_outcome = models.CharField(
        "结果", max_length=10, choices=Outcome.choices, default=Outcome.RESULTS, help_text="最近一次搜索的结果。"
    )
    first_searched_at = models.DateTimeField("首次搜索", auto_now_add=True)
    last_searched_at = models.DateTimeField("最近搜索", auto_now=True, db_index=True)

    class Meta:
        ordering = ["-count", "query"]
        verbose_name = "搜索记录"
        verbose_name_plural = "搜索记录"

    def __str__(self):
        return self.query


class SearchEntry(models.Model):
    """One document of the PostgreSQL backend: jieba-segmented text in a weighted tsvector (GIN index)."""

    key = models.CharField(max_length=120, unique=True)
    page_id = models.IntegerField(db_index=True)
    kind = models.CharField(max_length=40, db_index=True)
    code = models.CharField(max_length=64, blank=True)
    collapse = models.CharField(max_length=120)
    name = models.CharField(max_length=500)
    url = models.CharField(max_length=1000)
    summary = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    terms = models.JSONField(default=dict)  # backends.base.vocabulary_terms: for typo tolerance and suggestions
    facets = models.JSONField(default=dict)
    vector = SearchVectorField(null=True)

    class Meta:
        required_db_vendor = "postgresql"
        indexes = [GinIndex(fields=["vector"], name="search_entry_vector_gin")]
        verbose_name = "搜索索引条目"

    def __str__(self):
        return self.key
