"""A hall or guide under a view restriction shows on no transparency page, and the staff board of a
restricted hall answers like the hall's page (password form or login redirect)."""

from django.test import TestCase

from wagtail.models import PageViewRestriction

from tests.factories import HallFactory, ServicePageFactory, StaffMemberFactory, ViewRestrictionFactory, site_structure
from transparency.models import HallMapPage, NoticeIndexPage, NoticePage, RuleIndexPage, RulePage, StatisticsPage


def public_page(parent, page):
    return parent.add_child(instance=page)


class RestrictedTransparencyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = site_structure()[0]
        cls.open_hall = HallFactory(title="公开镇政务服务中心", slug="open-hall", latitude=26.3, longitude=112.9)
        cls.password_hall = HallFactory(title="密码保护服务站", slug="password-hall", latitude=26.4, longitude=112.8)
        cls.login_hall = HallFactory(title="登录可见服务站", slug="login-hall", latitude=26.5, longitude=112.7)
        for hall, name in (
            (cls.open_hall, "公开人员"),
            (cls.password_hall, "密码站人员"),
            (cls.login_hall, "登录站人员"),
        ):
            StaffMemberFactory(hall=hall, name=name)
        ServicePageFactory(title="公开办理事项", parts__hall=cls.open_hall)
        ViewRestrictionFactory(page=ServicePageFactory(title="密码保护事项", parts__hall=cls.open_hall))
        cls.lock = ViewRestrictionFactory(page=cls.password_hall)
        ViewRestrictionFactory(page=cls.login_hall, restriction_type=PageViewRestriction.LOGIN)

        cls.map = public_page(home, HallMapPage(title="服务地图", slug="map"))
        cls.statistics = public_page(home, StatisticsPage(title="统计公开", slug="statistics"))
        rules = public_page(home, RuleIndexPage(title="规章制度", slug="rules"))
        public_page(rules, RulePage(title="公开制度", slug="open-rule", body="<p>公开。</p>"))
        ViewRestrictionFactory(
            page=public_page(rules, RulePage(title="内部制度", slug="inner-rule", body="<p>内部。</p>"))
        )
        notices = public_page(home, NoticeIndexPage(title="通知公告", slug="notices"))
        public_page(notices, NoticePage(title="公开通知", slug="open-notice", body="<p>公开。</p>"))
        ViewRestrictionFactory(
            page=public_page(notices, NoticePage(title="内部通知", slug="inner-notice", body="<p>内部。</p>")),
            restriction_type=PageViewRestriction.LOGIN,
        )
        cls.rules, cls.notices = rules, notices

    HIDDEN = ("密码保护服务站", "登录可见服务站", "密码保护事项", "password-hall", "login-hall")

    def test_hall_map_shows_only_readable_halls_and_guides(self):
        html = self.client.get(self.map.url).content.decode()
        self.assertIn("公开镇政务服务中心", html)
        self.assertIn("/halls/open-hall/staff/", html)
        for hidden in self.HIDDEN:
            self.assertNotIn(hidden, html)

    def test_statistics_leave_restricted_halls_out(self):
        response = self.client.get(self.statistics.url)
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("公开镇政务服务中心", html)
        for hidden in self.HIDDEN:
            self.assertNotIn(hidden, html)

    def test_rule_and_notice_lists_leave_restricted_ones_out(self):
        rules = self.client.get(self.rules.url).content.decode()
        self.assertIn("公开制度", rules)
        self.assertNotIn("内部制度", rules)
        notices = self.client.get(self.notices.url).content.decode()
        self.assertIn("公开通知", notices)
        self.assertNotIn("内部通知", notices)

    def test_staff_board_of_a_password_hall_answers_with_the_halls_password_form(self):
        action = f"/_util/authenticate_with_password/{self.lock.pk}/{self.password_hall.pk}/"
        page = self.client.get(self.password_hall.url)
        board = self.client.get("/halls/password-hall/staff/")
        self.assertEqual(board.status_code, page.status_code)
        self.assertContains(page, f'action="{action}"')
        self.assertContains(board, f'action="{action}"')
        self.assertNotContains(board, "密码站人员")
        self.assertIn("no-store", board["Cache-Control"])

        self.client.post(action, {"password": "yimen-secret", "return_url": "/halls/password-hall/staff/"})
        self.assertContains(self.client.get("/halls/password-hall/staff/"), "密码站人员")

    def test_staff_board_of_a_login_hall_redirects_like_the_hall(self):
        page = self.client.get(self.login_hall.url)
        board = self.client.get("/halls/login-hall/staff/")
        self.assertEqual((board.status_code, page.status_code), (302, 302))
        self.assertEqual(board["Location"], "/_util/login/?next=/halls/login-hall/staff/")
        self.assertEqual(page["Location"].split("?")[0], "/_util/login/")

    def test_staff_board_of_an_open_hall_shows_its_staff(self):
        self.assertContains(self.client.get("/halls/open-hall/staff/"), "公开人员")
