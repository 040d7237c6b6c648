"""The pages people browse the catalog through: the catalog itself and the list of halls.

They sit above everything else in `content`: they read the service and hall models, the catalog's
facet index and its filters, and nothing below imports them. (The home page, in `home`, is one more.)
"""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

# Modules, not names: `content.filters` and `content.facet_index` import the model modules, so a
# name imported from them here would not exist yet when one of them happens to be imported first.
from content import facet_index, filters
from content.pagination import paginate

from .halls import HallPage, group_by_level
from .pages import ReadablePageManager
from .services import ServicePage


def with_service_counts(halls):
    """Set `service_count` on each hall: how many readable items it offers (from the catalog's facet index)."""
    index = facet_index.current()
    for hall in halls:
        hall.service_count = index.count("hall", hall.pk)
    return halls


class CatalogPage(Page):
    """The browsable catalog of service items (办事指南); every ServicePage lives under it."""

    intro = RichTextField("简介", blank=True, features=["bold", "link"])

    objects = ReadablePageManager()

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ServicePage"]
    max_count = 1

    class Meta:
        verbose_name = "办事指南目录"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalog_filter = filters.ServiceFilter(request.GET, queryset=ServicePage.objects.readable())
        facets, total = catalog_filter.facets()
        context["filter"] = catalog_filter
        context["facets"] = facets
        context["chips"] = catalog_filter.chips()
        context["total"] = total
        context["page_obj"] = paginate(request, catalog_filter.results(), count=total)
        return context


class HallIndexPage(Page):
    """The list of every hall in the county's three-level network (政务服务地图)."""

    intro = RichTextField("简介", blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.HallPage"]
    max_count = 1

    class Meta:
        verbose_name = "服务大厅列表"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        halls = sorted(HallPage.objects.readable().child_of(self).select_related("parent_hall"), key=lambda h: h.path)
        context["hall_groups"] = group_by_level(with_service_counts(halls))
        return context
