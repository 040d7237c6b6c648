from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The portal's front door: search box, topics, popular items and halls."""

    intro = RichTextField("首页简介", blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
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
