"""The public search results page: /search/?q=…, with facets, pagination and 'did you mean'; and the
result links' way to the page they name, /search/go/<token>/, which counts the open (search.opens)."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from content.facets import Chip
from content.inputs import parse_int
from content.models import ServicePage
from content.pagination import paginate

from . import engine, limits, opens, querylog


class _ResultPages:
    """One search seen as a sequence, so the portal's one pagination helper can page it.

    Counting runs the search for the page that was asked for; only a page number past the end (which
    the paginator turns into the last page) costs a second search.
    """

    def __init__(self, raw, filters, page_number, per_page):
        self.raw, self.filters, self.per_page = raw, filters, per_page
        self.log = page_number == 1  # turning pages is not a new search
        self.offset = (page_number - 1) * per_page
        self.outcome = None

    def _run(self, offset):
        self.offset = offset
        self.outcome = engine.run_search(self.raw, self.filters, offset=offset, limit=self.per_page, log=self.log)

    def count(self):
        if self.outcome is None:
            self._run(self.offset)
        return self.outcome.total

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if self.outcome is None or window.start != self.offset:
            self._run(window.start)
        return self.outcome.items


def with_guides(items):
    """Give each guide result (and each FAQ of a guide) its live ServicePage as `item.service`, in one query,
    so the results page shows the same card as the catalog: promised limit, fee, visits."""
    codes = {item.code for item in items if item.kind in ("service", "faq")}
    guides = (
        {page.code: page for page in ServicePage.objects.live().for_listing().filter(code__in=codes)} if codes else {}
    )
    for item in items:
        item.service = guides.get(item.code) if item.kind in ("service", "faq") else None
    return items


def _page_number(value):
    """The page asked for, at most 1000 (one past the end still shows the last page); anything else the first."""
    number = parse_int(value)
    return 1 if number is None else min(max(number, 1), 1000)


def _with(params, **changes):
    query = params.copy()
    for name, values in changes.items():
        query.setlist(name, values)
    query.pop("page", None)
    return "?" + query.urlencode()


@require_GET
def search_page(request):
    raw = request.GET.get("q", "")
    filters = engine.clean_filters(request.GET)
    per_page = settings.YIMEN_SEARCH_RESULTS_PER_PAGE
    # The page has its own search box, so the header's is left out.
    context = {
        "query": raw,
        "filters": filters,
        "error": "",
        "page_obj": None,
        "outcome": engine.Outcome(raw=raw),
        "hide_search": True,
    }
    # Only a search counts (the empty page is just the box), and against the API's limit: the two are one.
    wait = limits.search_wait(request) if raw.strip() else None
    if wait:
        context["error"] = f"搜索过于频繁，请 {wait} 秒后再试。您输入的搜索词已保留在搜索框中。"
        context["query"] = raw[: engine.max_length()]
        response = render(request, "search/search.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        pages = _ResultPages(raw, filters, _page_number(request.GET.get("page")), per_page)
        page_obj = paginate(request, pages, per_page=per_page)
        outcome = pages.outcome
    except engine.QueryTooLong as error:
        context["error"] = str(error)
        context["query"] = raw[: engine.max_length()]
        return render(request, "search/search.html", context)
    for facet in outcome.facets:
        chosen = filters.get(facet.name, [])
        for option in facet.options:
            values = [v for v in chosen if v != option.value] if option.selected else [*chosen, option.value]
            option.url = _with(request.GET, **{facet.name: values})
    chips = [
        Chip(facet_label=facet.label, label=option.label, remove_url=option.url)
        for facet in outcome.facets
        for option in facet.options
        if option.selected
    ]
    with_guides(outcome.items)
    if outcome.searched:
        for item in outcome.items:
            item.open_url = opens.link(outcome.query.normalized, item.url)
    context.update(
        outcome=outcome,
        page_obj=page_obj if outcome.searched else None,
        facets=outcome.facets,
        chips=chips,
        clear_url=_with(request.GET, **{name: [] for name in filters}),
        suggestion_url=_with(request.GET, q=[outcome.suggestion]) if outcome.suggestion else "",
    )
    return render(request, "search/search.html", context)


@require_GET
def open_result(request, token):
    """Send the browser on to the result a search link names, counting the open for that search;
    400 when the link names no page on this site."""
    opening = opens.read(token)
    if opening is None:
        return render(request, "search/open_refused.html", {"hide_search": True}, status=400)
    if opening.genuine and limits.open_wait(request) is None:
        querylog.record_open(opening.query)
    return redirect(opening.url)
