from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageLogEntry
from wagtail.search import index

from content.pagination import paginate

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "ol", "ul", "link", "document-link"]


class RuleIndexPage(Page):
    """The 上墙制度 list: every rule the halls put on their walls."""

    intro = RichTextField("简介", blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["transparency.RulePage"]
    max_count = 1

    class Meta:
        verbose_name = "规章制度列表"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["rules"] = RulePage.objects.live().public().child_of(self).order_by("path")
        return context


class RulePage(RoutablePageMixin, Page):
    """A rule such as 首问责任制; each published version stays readable on its public history page."""

    summary = models.CharField("摘要", max_length=255, blank=True, help_text="一句话说明这项制度，显示在制度列表中。")
    body = RichTextField("制度全文", features=RICH_TEXT_FEATURES)
    issued_by = models.CharField("制定单位", max_length=100, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    change_note = models.CharField(
        "本次修订说明",
        max_length=255,
        blank=True,
        help_text="每次修订时填写，例如“将投诉答复时限由 7 日改为 5 个工作日”；公开显示在修订历史中。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("issued_by"), FieldPanel("effective_on")]),
        FieldPanel("body"),
        FieldPanel("change_note"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body"), index.SearchField("summary")]
    parent_page_types = ["transparency.RuleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "规章制度"
        verbose_name_plural = "规章制度"

    def published_versions(self):
        """Every published version, newest first, as (log entry, page as it was then)."""
        entries = (
            PageLogEntry.objects.filter(page=self, action="wagtail.publish", revision__isnull=False)
            .select_related("revision")
            .order_by("-timestamp", "-pk")
        )
        return [(entry, entry.revision.as_object()) for entry in entries]

    @path("history/")
    def history(self, request):
        return render(request, "transparency/rule_history.html", {"page": self, "versions": self.published_versions()})

    @path("history/<int:revision_id>/")
    def version(self, request, revision_id):
        versions = {entry.revision_id: (entry, version) for entry, version in self.published_versions()}
        if revision_id not in versions:
            raise Http404
        entry, version = versions[revision_id]
        context = {"page": self, "version": version, "entry": entry}
        return render(request, "transparency/rule_version.html", context)


class NoticeIndexPage(Page):
    """通知公告: dated notices, newest first."""

    intro = RichTextField("简介", blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["transparency.NoticePage"]
    max_count = 1

    class Meta:
        verbose_name = "通知公告列表"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notices = NoticePage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["notices"] = paginate(request, notices, per_page=20)
        return context


class NoticePage(Page):
    """A dated notice (通知公告) with optional attachments."""

    date = models.DateField("发布日期", default=timezone.localdate)
    issued_by = models.CharField("发布单位", max_length=100, blank=True)
    body = RichTextField("正文", features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("issued_by")]),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body"), index.FilterField("date")]
    parent_page_types = ["transparency.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"


class NoticeAttachment(Orderable):
    notice = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=255, blank=True, help_text="留空则用文件标题。")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"

    @property
    def label(self):
        return self.title or self.document.title


class StatisticsPage(Page):
    """政务公开 figures per hall and per month, as charts and as tables, computed from live data."""

    intro = RichTextField("说明", blank=True, features=["bold", "link"])
    months = models.PositiveSmallIntegerField("显示月数", default=12, help_text="按月统计时显示最近几个月（1–36）。")

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("months")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "统计公开"

    def get_context(self, request, *args, **kwargs):
        from .statistics import charts_for, figures

        context = super().get_context(request, *args, **kwargs)
        stats = figures(months=max(1, min(36, self.months)), today=timezone.localdate())
        context["stats"] = stats
        context["charts"] = charts_for(stats)
        return context


class HallMapPage(Page):
    """政务服务地图: every hall with address, hours, phone and what it handles."""

    intro = RichTextField("说明", blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "服务地图"

    def get_context(self, request, *args, **kwargs):
        from .halls import hall_directory, schematic

        context = super().get_context(request, *args, **kwargs)
        entries = hall_directory()
        context["entries"] = entries
        context["schematic"] = schematic(entries)
        return context


class SampleComplaint(models.Model):
    """A complaint `load_sample_activity` made up for a demo portal (演示数据).

    Kept apart from the complaint itself, so that nothing a citizen types or submits can mark a real
    complaint as sample data, and the public figures that count one can say they include 演示数据.
    Deleting the complaint deletes the mark.
    """

    complaint = models.OneToOneField(
        "complaints.Complaint", verbose_name="投诉", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "演示投诉"
        verbose_name_plural = "演示投诉"

    def __str__(self):
        return f"演示投诉 #{self.complaint_id}"


class SampleRating(models.Model):
    """A rating `load_sample_activity` made up for a demo portal (演示数据); see SampleComplaint."""

    rating = models.OneToOneField(
        "ratings.Rating", verbose_name="评价", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "演示评价"
        verbose_name_plural = "演示评价"

    def __str__(self):
        return f"演示评价 #{self.rating_id}"
