"""The admin's 搜索 menu: what the public searched for (read-only log), the synonym list editors keep and
the services handled elsewhere; dashboard panels for fruitless searches and for results nobody opened."""

from django import forms
from django.db.models import Sum
from django.template.loader import render_to_string

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSetGroup

import django_filters

from content.wagtail_hooks import YesNoColumn
from spreadsheets import SpreadsheetSnippetViewSet

from .models import ElsewhereService, Outcome, SearchTerm, Synonym


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


def unopened(queryset):
    """Searches whose last time found results that nobody ever opened: the results did not look like what was
    asked for. Searches that were shown the 不在本中心 notice are left out: they got their answer there."""
    return (
        queryset.filter(last_result_count__gt=0, count__gte=1, opened_count=0)
        .exclude(last_outcome=Outcome.ELSEWHERE)
        .order_by("-count", "query")
    )


class SearchTermFilterSet(WagtailFilterSet):
    SHOWN = [
        ("unopened", "有结果但无人点开"),
        (Outcome.ELSEWHERE, "不在本中心"),
        (Outcome.NONE, "无结果"),
        (Outcome.RELAXED, "放宽后有结果"),
    ]
    shown = django_filters.ChoiceFilter(
        label="结果", choices=SHOWN, empty_label="全部", method="filter_shown", widget=forms.RadioSelect
    )

    class Meta:
        model = SearchTerm
        fields = ["found_nothing", "last_searched_at"]

    def filter_shown(self, queryset, name, value):
        if value == "unopened":
            return unopened(queryset)
        return queryset.filter(last_outcome=value)


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
        "opened_count",
        Column("last_outcome", label="结果", accessor="get_last_outcome_display", sort_key="last_outcome"),
        "last_searched_at",
    ]
    filterset_class = SearchTermFilterSet
    list_export = [
        "query",
        "count",
        "zero_result_count",
        "last_result_count",
        "found_nothing",
        "opened_count",
        "elsewhere_count",
        "relaxed_count",
        "get_last_outcome_display",
        "first_searched_at",
        "last_searched_at",
    ]
    export_headings = {"get_last_outcome_display": "结果"}
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


class UnopenedSearchesPanel(Component):
    """Dashboard panel: the most frequent searches that found results nobody opened, to fix what they find."""

    name = "unopened_searches"
    order = 310

    def render_html(self, parent_context=None):
        terms = list(unopened(SearchTerm.objects.all())[:10])
        if not terms:
            return ""
        return render_to_string("search/admin/unopened_searches_panel.html", {"terms": terms})


@hooks.register("construct_homepage_panels")
def add_search_panels(request, panels):
    if request.user.has_perm("search.view_searchterm"):
        panels.append(FruitlessSearchesPanel())
        panels.append(UnopenedSearchesPanel())
