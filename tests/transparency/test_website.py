"""What 《政府网站发展指引》 asks of every government site: the footer's 主办单位, 网站标识码 and 备案号
(from 门户设置, each optional), and the 网站地图, 联系我们, 隐私声明 and 无障碍声明 pages it links."""

from django.core.exceptions import ValidationError
from django.test import override_settings

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from complaints.kind import HANDLER_GROUP
from content.models import PortalSettings
from tests.factories import HallFactory, ServicePageFactory, ViewRestrictionFactory, site_structure
from tests.transparency.pages import publish, transparency_pages
from transparency import website

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "/site-map/": "网站地图",
    "/contact/": "联系我们",
    "/privacy/": "隐私声明",
    "/accessibility/": "无障碍声明",
}


def footer(html):
    return html[html.index('<footer class="site-footer"') :]


def portal_settings(**fields):
    site_structure()
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(portal, name, value)
    portal.full_clean()
    portal.save()
    return portal


def test_every_page_links_the_four_statements_and_each_answers(client):
    site_structure()
    html = footer(client.get("/").content.decode())
    for url, title in STATEMENTS.items():
        assert f'<a href="{url}">{title}</a>' in html
        response = client.get(url)
        assert response.status_code == 200 and f"<h1>{title}</h1>" in response.content.decode()


def test_the_footer_shows_the_identification_and_links_the_record_systems(client):
    portal_settings(
        organizer="耒阳市三都镇人民政府",
        website_code="4304810001",
        icp_record="湘ICP备12345678号-1",
        police_record="湘公网安备 43048102000123号",
    )
    html = footer(client.get("/").content.decode())
    assert "主办单位：耒阳市三都镇人民政府" in html and "网站标识码：4304810001" in html
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">湘ICP备12345678号-1</a>' in html
    assert (
        '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=43048102000123" rel="noopener">湘公网安备 43048102000123号</a>'
        in html
    )


def test_each_identification_is_optional(client):
    portal_settings(organizer="", website_code="", icp_record="湘ICP备12345678号", police_record="")
    html = footer(client.get("/").content.decode())
    assert "湘ICP备12345678号" in html
    assert "主办单位" not in html and "网站标识码" not in html and "beian.mps.gov.cn" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website_code", "43048", "网站标识码是 10 位数字"),
        ("icp_record", "12345678", "ICP 备案号的格式"),
        ("police_record", "湘公网安备号", "公安机关备案号的格式"),
    ],
)
def test_malformed_numbers_are_refused_in_chinese(field, value, message):
    with pytest.raises(ValidationError) as refused:
        portal_settings(**{field: value})
    assert message in str(refused.value.message_dict[field])


class TestSiteMap:
    @pytest.fixture
    def tree(self):
        pages = transparency_pages()
        hall = publish(HallFactory(title="三都镇政务服务中心"))
        guides = [ServicePageFactory(title=f"事项{n}") for n in range(website.LISTED_PER_SECTION + 1)]
        secret = publish(pages["rules"].add_child(instance=Page(title="内部考核细则", slug="kaohe")))
        ViewRestrictionFactory(page=secret)
        ViewRestrictionFactory(page=pages["statistics"], restriction_type=PageViewRestriction.LOGIN)
        pages["notice"].unpublish()
        return pages, hall, guides

    def test_lists_the_readable_sections_and_their_pages(self, client, tree):
        pages, hall, _guides = tree
        html = client.get("/site-map/").content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        for page in (pages["rules"], pages["rule"], pages["notices"], pages["hall_map"], hall):
            assert f'href="{page.url}"' in main, page.title
        for url in ("/search/", "/complaints/", "/complaints/track/", "/open-data/", *STATEMENTS):
            assert f'href="{url}"' in main, url

    def test_restricted_and_unpublished_pages_are_not_named(self, client, tree):
        pages, _hall, _guides = tree
        main = client.get("/site-map/").content.decode()
        assert "内部考核细则" not in main and pages["statistics"].url not in main
        assert pages["notice"].url not in main and "国庆节放假安排" not in main

    def test_a_section_with_many_pages_shows_their_count(self, client, tree):
        _pages, _hall, guides = tree
        main = client.get("/site-map/").content.decode()
        assert f"共 {len(guides)} 个页面" in main and guides[0].url not in main


def test_contact_lists_every_readable_hall_from_the_database(client):
    portal_settings(organizer="耒阳市三都镇人民政府", hotline="0734-4362000")
    open_hall = publish(
        HallFactory(
            title="三都镇政务服务中心", address="三都镇人民路 1 号", phone="0734-4362011", hours="周一至周五 8:30-17:30"
        )
    )
    closed = publish(HallFactory(title="内部试点站", phone="0734-4369999"))
    ViewRestrictionFactory(page=closed)
    html = client.get("/contact/").content.decode()
    for text in (
        "耒阳市三都镇人民政府",
        "0734-4362000",
        "三都镇政务服务中心",
        "三都镇人民路 1 号",
        "0734-4362011",
        "周一至周五 8:30-17:30",
    ):
        assert text in html
    assert f'href="{open_hall.url}"' in html
    assert "内部试点站" not in html and "0734-4369999" not in html


def test_the_privacy_statement_names_what_the_code_enforces(client):
    site_structure()
    html = client.get("/privacy/").content.decode()
    assert f"只有“{HANDLER_GROUP}”这一组工作人员能看到" in html
    assert "最多 3 个" in html and "有效期 365 天" in html and "替换为“＊”" in html
    with override_settings(COMPLAINTS_MAX_ATTACHMENTS=5):
        assert "最多 5 个" in client.get("/privacy/").content.decode()


def test_the_accessibility_statement_says_what_is_done_and_how_to_report(client):
    portal_settings(hotline="0734-4362000")
    html = client.get("/accessibility/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for text in ("长辈模式", "跳到主要内容", "对比度不低于 4.5:1", "0734-4362000", 'href="/complaints/"'):
        assert text in main, text
