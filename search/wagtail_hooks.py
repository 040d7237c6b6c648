"""The admin's 搜索 menu: what the public searched for (read-only log), the synonym list editors keep and
the services handled elsewhere."""

from django.db.models import Sum
from django.template.loader import render_to_string

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSetGroup

from content.wagtail_hooks import YesNoColumn
from spreadsheets import SpreadsheetSnippetViewSet

from .models import ElsewhereService, SearchTerm, Synonym


class SearchLogPolicy(ModelPermissionPolicy):
    """The log is written by searches only: editors may read and delete entries, never add or change them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "publish", "lock", "unlock"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(SearchTerm, SearchLogPolicy(SearchTerm), exact_class=True)


class SearchTermInspectView(InspectView):
    """One entry in full, with 最近一次无结果 as 是/否 (Wagtail shows a true/false field as True/False)."""

    def get_found_nothing_display_value(self):
        return "是" if self.object.found_nothing else "否"


class SearchTermViewSet(SpreadsheetSnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = "搜索记录"
    list_display = [
        "query",
        "count",
        "zero_result_count",
        "last_result_count",
        YesNoColumn(
            "found_nothing", label=SearchTerm._meta.get_field("found_nothing").verbose_name, sort_key="found_nothing"
        ),
        "last_searched_at",
    ]
    list_filter = ["found_nothing", "last_searched_at"]
    list_export = [
        "query",
        "count",
        "zero_result_count",
        "last_result_count",
        "found_nothing",
        "first_searched_at",
        "last_searched_at",
    ]
    export_filename = "search-terms"
    search_fields = ["query"]
    ordering = ["-count", "query"]
    inspect_view_enabled = True
    inspect_view_class = SearchTermInspectView
    copy_view_enabled = False


class SynonymViewSet(SpreadsheetSnippetViewSet):
    model = Synonym
    icon = "resubmit"
    menu_label = "同义词"
    list_display = ["term", "expansions", "note", "updated_at"]
    list_export = ["term", "expansions", "note", "updated_at"]
    export_filename = "search-synonyms"
    search_fields = ["term", "expansions"]
    ordering = ["term"]


class ElsewhereServiceViewSet(SpreadsheetSnippetViewSet):
    model = ElsewhereService
    icon = "site"
    menu_label = "不在本中心办理的事项"
    list_display = [
        "name",
        "where",
        "phone",
        YesNoColumn("live", label=ElsewhereService._meta.get_field("live").verbose_name, sort_key="live"),
        "updated_at",
    ]
    list_filter = ["live"]
    list_export = ["name", "terms", "where", "address", "phone", "hours", "url", "note", "live", "updated_at"]
    export_filename = "search-elsewhere"
    search_fields = ["name", "terms", "where"]
    ordering = ["name"]


class SearchViewSetGroup(SnippetViewSetGroup):
    menu_label = "搜索"
    menu_icon = "search"
    menu_order = 240
    items = (SearchTermViewSet, SynonymViewSet, ElsewhereServiceViewSet)


register_snippet(SearchViewSetGroup)


class FruitlessSearchesPanel(Component):
    """Dashboard panel: the most frequent searches that found nothing, to add synonyms or fix guides."""

    name = "fruitless_searches"
    order = 300

    def render_html(self, parent_context=None):
        terms = list(SearchTerm.objects.filter(found_nothing=True).order_by("-count", "query")[:10])
        total = SearchTerm.objects.aggregate(total=Sum("count"))["total"] or 0
        if not terms:
            return ""
        return render_to_string("search/admin/fruitless_searches_panel.html", {"terms": terms, "total": total})


@hooks.register("construct_homepage_panels")
def add_fruitless_searches_panel(request, panels):
    if request.user.has_perm("search.view_searchterm"):
        panels.append(FruitlessSearchesPanel())
