"""What the fixed pages every government website carries (《政府网站发展指引》) are made of: the site
map from the page tree, and the contacts from the halls in the database."""

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from wagtail.models import Page, Site

from content.lists import LISTS
from content.models import HallPage, readable

# A section with more readable pages below it than this (the catalog's guides) is shown with its
# count instead of a list, so the site map stays a page one can read.
LISTED_PER_SECTION = 30


@dataclass
class Section:
    page: Page
    children: list = field(default_factory=list)
    hidden: int = 0  # readable pages below it that are counted, not listed


def fixed_sections():
    """The public pages that are views, not pages of the tree: (title, url) in the order the site map lists them."""
    return [
        ("站内搜索", reverse("search")),
        ("投诉举报", reverse("complaints:form")),
        ("投诉进度查询", reverse("complaints:track")),
        ("数据开放", reverse("exports:open_data")),
        *((public_list.title, reverse(f"content:list_{public_list.name}")) for public_list in LISTS.values()),
        ("网站地图", reverse("transparency:site_map")),
        ("联系我们", reverse("transparency:contact")),
        ("隐私声明", reverse("transparency:privacy")),
        ("无障碍声明", reverse("transparency:accessibility")),
    ]


def site_map(request):
    """(home, [Section]) for the site the request is for: every readable page one and two levels below home.

    Readable means live and under no view restriction (`content.models.readable`), so a page behind
    a password, a login or a group is not even named; (None, []) when no site answers the request.
    """
    site = Site.find_for_request(request)
    if site is None:
        return None, []
    home = site.root_page
    pages = readable(Page.objects.descendant_of(home).filter(depth__lte=home.depth + 2))
    top = list(pages.filter(depth=home.depth + 1).order_by("path"))
    child_paths = list(pages.filter(depth=home.depth + 2).values_list("path", flat=True))
    below = Counter(path[: -Page.steplen] for path in child_paths)
    listed = [path for path in child_paths if below[path[: -Page.steplen]] <= LISTED_PER_SECTION]
    children = {}
    for child in pages.filter(path__in=listed).order_by("path"):
        children.setdefault(child.path[: -Page.steplen], []).append(child)
    sections = []
    for page in top:
        shown = children.get(page.path, [])
        sections.append(Section(page=page, children=shown, hidden=below[page.path] - len(shown)))
    return home, sections


def hall_contacts():
    """Every readable hall with its address, phone and hours, in tree order (county centre first)."""
    return list(HallPage.objects.readable().order_by("path"))
