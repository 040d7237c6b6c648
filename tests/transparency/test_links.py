"""Every public page leads to the 政务公开 pages (rules, notices, statistics, hall map): the footer
on every page, a section on the home page and the aside of each hall page; restricted or unpublished
ones are linked nowhere."""

import pytest

from tests.factories import HallFactory, ViewRestrictionFactory, site_structure
from tests.transparency.pages import publish, transparency_pages

pytestmark = pytest.mark.django_db

KINDS = ("rules", "notices", "statistics", "hall_map")


@pytest.fixture
def pages():
    return transparency_pages()


def footer(html):
    return html[html.index('<footer class="site-footer"') :]


def test_the_footer_of_any_page_links_every_transparency_page(client, pages):
    _home, _catalog, hall_index = site_structure()
    html = footer(client.get(hall_index.url).content.decode())
    for kind in KINDS:
        assert f'href="{pages[kind].url}"' in html, kind


def test_the_home_page_has_a_transparency_section_with_the_latest_notices(client, pages):
    html = client.get("/").content.decode()
    main = html[html.index('id="open-title"') : html.index('<footer class="site-footer"')]
    for kind in KINDS:
        assert f'href="{pages[kind].url}"' in main, kind
    assert f'href="{pages["notice"].url}"' in main and "2026年9月20日" in main


def test_a_hall_page_links_its_own_figures_and_map_entry(client, pages):
    hall = publish(HallFactory(code="LY-SD", title="三都镇政务服务中心"))
    html = client.get(hall.url).content.decode()
    aside = html[html.index('id="open-title"') : html.index("</aside>")]
    assert f'href="{pages["statistics"].url}#stats-ly-sd"' in aside
    assert f'href="{pages["hall_map"].url}#hall-ly-sd"' in aside
    assert f'href="{pages["rules"].url}"' in aside and f'href="{pages["notices"].url}"' in aside
    # The anchors exist on the pages they point to.
    assert 'id="stats-ly-sd"' in client.get(pages["statistics"].url).content.decode()
    assert 'id="hall-ly-sd"' in client.get(pages["hall_map"].url).content.decode()


def test_restricted_and_unpublished_pages_are_not_linked(client, pages):
    ViewRestrictionFactory(page=pages["statistics"])
    pages["rules"].unpublish()
    html = client.get("/").content.decode()
    assert pages["statistics"].url not in html and f'href="{pages["rules"].url}"' not in html
    assert f'href="{pages["notices"].url}"' in footer(html)


def test_a_restricted_notice_is_not_among_the_latest(client, pages):
    import datetime

    from transparency.models import NoticePage

    other = publish(
        pages["notices"].add_child(
            instance=NoticePage(
                title="元旦放假安排", slug="yuandan", date=datetime.date(2026, 12, 20), body="<p>放假。</p>"
            )
        )
    )
    ViewRestrictionFactory(page=pages["notice"])
    html = client.get("/").content.decode()
    assert pages["notice"].url not in html and "国庆节放假安排" not in html
    assert f'href="{other.url}"' in html
