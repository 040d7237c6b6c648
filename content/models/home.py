from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from content import facet_index

from .browse import CatalogPage, with_service_counts
from .halls import HallPage, group_by_level
from .services import AUDIENCES, ServicePage
from .taxonomy import Topic

POPULAR_COUNT = 6


class HomePage(Page):
    """The portal's front door: search box, topics, popular items and halls."""

    intro = RichTextField("首页简介", blank=True, features=["bold", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "popular_items",
            label=_("热门事项"),
            heading=_("热门事项"),
            max_num=12,
            help_text=_("按顺序显示在首页；不选时显示最近更新的事项。"),
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.CatalogPage",
        "content.HallIndexPage",
        "transparency.RuleIndexPage",
        "transparency.NoticeIndexPage",
        "transparency.StatisticsPage",
        "transparency.HallMapPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = facet_index.current()
        context["catalog"] = CatalogPage.objects.readable().first()
        topics = [(topic, index.count("topic", topic.pk)) for topic in Topic.objects.order_by("sort_order", "name")]
        context["topics"] = [(topic, count) for topic, count in topics if count]
        context["popular"], context["popular_chosen"] = self.popular_services()
        halls = sorted(HallPage.objects.readable().order_by(), key=lambda hall: hall.path)
        context["hall_groups"] = group_by_level(with_service_counts(halls))
        context["hall_total"] = len(halls)
        context["service_total"] = len(index.ids)
        context["audiences"] = [
            (AUDIENCES[0], _("个人办事"), index.count("audience", AUDIENCES[0])),
            (AUDIENCES[1], _("法人办事"), index.count("audience", AUDIENCES[1])),
        ]
        return context

    def popular_services(self):
        """(services, chosen): the readable items editors chose, in their order, and True; or, when they chose
        none that is readable, the most recently updated items and False."""
        chosen_ids = [item.service_id for item in self.popular_items.all()]
        services = ServicePage.objects.readable().for_listing()
        if chosen_ids:
            by_id = {s.pk: s for s in services.filter(pk__in=chosen_ids)}
            chosen = [by_id[pk] for pk in chosen_ids if pk in by_id]
            if chosen:
                return chosen, True
        return list(services.recently_updated()[:POPULAR_COUNT]), False


class HomePopularItem(Orderable):
    """A service item editors put on the home page under 热门事项."""

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="popular_items")
    service = models.ForeignKey("content.ServicePage", verbose_name="事项", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("service")]

    class Meta(Orderable.Meta):
        verbose_name = "热门事项"
        verbose_name_plural = "热门事项"
