"""全站通知横幅: editors schedule a notice in the admin; every public page shows it at the top while it is
current, and a save or delete reaches visitors at once despite the page cache."""

import datetime
import json
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from content.models import BannerLevel, PortalSettings, SiteBanner
from operations.pagecache import HEADER
from tests.factories import HallFactory, ServicePageFactory, site_structure

REGION = re.compile(r'<div class="site-banners" role="region" aria-label="全站通知">(.*?)\n</div>', re.S)


def banner_html(response):
    found = REGION.search(response.content.decode())
    return found.group(1) if found else None


def make_banner(message, level=BannerLevel.INFO, starts=-1, ends=None, link=""):
    """A banner starting `starts` hours from now and ending `ends` hours from now (None: open-ended)."""
    now = timezone.now()
    return SiteBanner.objects.create(
        message=message,
        level=level,
        link=link,
        starts_at=now + datetime.timedelta(hours=starts),
        ends_at=now + datetime.timedelta(hours=ends) if ends is not None else None,
    )


class BannerOnPublicPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.catalog, cls.halls = site_structure()
        cls.hall = HallFactory(slug="zhen")
        cls.guide = ServicePageFactory(slug="dibao", halls=[cls.hall])

    def test_a_current_banner_is_at_the_top_of_every_public_page(self):
        make_banner("2月9日至2月17日春节放假，网上办理不停办", link="/notices/spring/")
        for path in ("/", "/services/", self.guide.url, self.hall.url, "/halls/", "/complaints/", "/search/?q=低保"):
            with self.subTest(path=path):
                response = self.client.get(path)
                html = response.content.decode()
                banner = banner_html(response)
                self.assertIsNotNone(banner, f"{path} 应显示全站通知")
                self.assertIn("2月9日至2月17日春节放假，网上办理不停办", banner)
                self.assertIn('<a class="site-banner__link" href="/notices/spring/">查看详情</a>', banner)
                # Above the header, after the skip link.
                self.assertLess(html.index('class="skip-link"'), html.index('class="site-banners"'))
                self.assertLess(html.index('class="site-banners"'), html.index('<header class="site-header"'))

    def test_nothing_before_it_starts_or_after_it_ends(self):
        make_banner("系统维护（尚未开始）", starts=2)
        make_banner("系统维护（已结束）", starts=-5, ends=-1)
        response = self.client.get("/")
        self.assertIsNone(banner_html(response))
        self.assertNotContains(response, "系统维护")

    def test_important_stands_out_and_comes_first(self):
        make_banner("周六上午正常办公", starts=-3)
        make_banner("今晚22点起系统维护，网上办理暂停", level=BannerLevel.URGENT, starts=-1)
        banner = banner_html(self.client.get("/"))
        levels = re.findall(r'<div class="site-banner site-banner--(\w+)">', banner)
        self.assertEqual(levels, ["urgent", "info"])
        self.assertLess(banner.index("今晚22点起系统维护"), banner.index("周六上午正常办公"))
        self.assertIn('<strong class="site-banner__level">重要通知</strong>', banner)
        self.assertIn('<strong class="site-banner__level">通知</strong>', banner)

    def test_the_message_is_text_not_markup(self):
        make_banner("<script>alert(1)</script>停电通知")
        banner = banner_html(self.client.get("/"))
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;停电通知", banner)


@override_settings(YIMEN_PAGE_CACHE=True)
class BannerThroughThePageCache(TestCase):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            home = site_structure()[0]
            cls.guide = ServicePageFactory(slug="dibao")
            cls.guide.save_revision().publish()
            # The settings row a first visit would create (a write that would empty the cache mid-test).
            PortalSettings.for_site(home.get_site())

    def setUp(self):
        caches[settings.YIMEN_PAGE_CACHE_ALIAS].clear()

    def cached(self, path):
        Client().get(path)
        response = Client().get(path)
        self.assertEqual(response[HEADER], "hit")
        return response

    def test_saving_editing_and_deleting_a_banner_reach_visitors_at_once(self):
        for path in ("/", self.guide.url):
            self.assertIsNone(banner_html(self.cached(path)))
        with self.captureOnCommitCallbacks(execute=True):
            banner = make_banner("今晚系统维护")
        for path in ("/", self.guide.url):
            response = Client().get(path)
            self.assertEqual(response[HEADER], "miss")
            self.assertIn("今晚系统维护", banner_html(response))
        self.cached("/")
        with self.captureOnCommitCallbacks(execute=True):
            banner.message = "今晚系统维护，明早8点恢复"
            banner.save()
        self.assertIn("明早8点恢复", banner_html(Client().get("/")))
        self.cached("/")
        with self.captureOnCommitCallbacks(execute=True):
            banner.delete()
        self.assertIsNone(banner_html(Client().get("/")))


class BannerAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.user = get_user_model().objects.create_superuser("editor", password="pw-for-tests-only")

    def setUp(self):
        self.client.force_login(self.user)

    def test_editors_find_it_in_the_menu_and_add_one(self):
        sidebar = re.search(
            r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
            self.client.get("/admin/").content.decode(),
        )
        self.assertIn('"label": "全站通知横幅"', json.dumps(json.loads(sidebar.group(1)), ensure_ascii=False))
        response = self.client.post(
            "/admin/snippets/content/sitebanner/add/",
            {
                "message": "春节期间网上办理不停办",
                "link": "",
                "level": "重要",
                "starts_at": "2026-01-01 08:00",
                "ends_at": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        banner = SiteBanner.objects.get()
        self.assertEqual((banner.message, banner.level, banner.ends_at), ("春节期间网上办理不停办", "重要", None))
        listing = self.client.get("/admin/snippets/content/sitebanner/")
        self.assertContains(listing, "春节期间网上办理不停办")
        self.assertContains(listing, "正在显示")
        self.client.logout()
        self.assertIn("春节期间网上办理不停办", banner_html(self.client.get("/")))

    def test_a_bad_link_or_an_end_before_the_start_is_refused_in_chinese(self):
        for data, field, message in (
            ({"link": "javascript:alert(1)"}, "link", "请填写以 / 开头的站内路径"),
            ({"ends_at": "2026-01-01 08:00"}, "ends_at", "结束显示时间必须晚于开始显示时间"),
        ):
            with self.subTest(field):
                post = {
                    "message": "维护",
                    "link": "",
                    "level": "提示",
                    "starts_at": "2026-01-02 08:00",
                    "ends_at": "",
                    **data,
                }
                response = self.client.post("/admin/snippets/content/sitebanner/add/", post)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, " ".join(response.context["form"].errors[field]))
                self.assertFalse(SiteBanner.objects.exists())
