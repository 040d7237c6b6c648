from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel

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


class SearchTerm(models.Model):
    """What the public searched for, how often, and whether the last search found anything."""

    query = models.CharField("搜索词", max_length=100, unique=True)
    count = models.PositiveIntegerField("搜索次数", default=0)
    zero_result_count = models.PositiveIntegerField("无结果次数", default=0)
    last_result_count = models.PositiveIntegerField("最近一次结果数", default=0)
    found_nothing = models.BooleanField("最近一次无结果", default=False)
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
