"""Every public page answers 200 and shows what a citizen came for; empty sections stay hidden."""

import datetime
import json
import re

from django.template.loader import render_to_string
from django.test import TestCase, override_settings
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from content import facet_index, guide
from content.models import (
    GuideChange,
    HallLevel,
    HallPage,
    HomePopularItem,
    LegalBasis,
    Material,
    PortalSettings,
    ProcessStep,
    ServiceHall,
    ServicePage,
    ServiceStatus,
    SpecialProcedure,
)
from content.pagination import PER_PAGE
from tests.factories import (
    DepartmentFactory,
    DocumentFactory,
    HallFactory,
    ServicePageFactory,
    TopicFactory,
    ViewRestrictionFactory,
    WindowFactory,
    site_structure,
)


def text(response):
    """The visible text of a response, tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def h1_count(response):
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


class PortalTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.catalog, cls.hall_index = site_structure()
        cls.relief = TopicFactory(name="社会救助")
        cls.civil = DepartmentFactory(code="MZ", name="县民政局")
        cls.police = DepartmentFactory(code="GA", name="县公安局")
        cls.county = HallFactory(title="县政务服务中心", slug="xian", code="XIAN", level=HallLevel.COUNTY)
        cls.town = HallFactory(
            title="城关镇政务服务中心",
            slug="zhen",
            code="ZHEN",
            parent_hall=cls.county,
            address="城关镇人民路1号",
            phone="0734-1234567",
            hours="周一至周五 8:30-17:30",
            latitude=26.37,
            longitude=112.93,
        )
        cls.village = HallFactory(
            title="新民村便民服务站", slug="cun", code="CUN", level=HallLevel.VILLAGE, parent_hall=cls.town
        )
        cls.window = WindowFactory(
            hall=cls.town, number="1", name="社会事务窗口", departments=[cls.civil], scope="低保、特困"
        )
        WindowFactory(hall=cls.town, number="2", name="户政窗口", departments=[cls.police])
        cls.dibao = ServicePageFactory(
            title="最低生活保障审核确认",
            slug="ly-sd-0001",
            code="LY-SD-0001",
            catalog_code="000000001",
            department=cls.civil,
            topics=[cls.relief],
            halls=[cls.town, cls.village],
            window_number="1",
            handling="上报件",
            legal_limit_days=30,
            promised_limit_days=25,
            online_available=True,
            online_url="https://example.gov.cn/dibao",
            online_depth="网上申请",
            result_name="低保确认决定",
            keywords="低保\n吃低保",
            faqs=[("行动不便可以代办吗？", "可以委托村委会代为申请。")],
        )
        Material.objects.create(
            service=cls.dibao,
            name="家庭经济状况核对授权书",
            form="原件",
            copies=2,
            required=False,
            note="可容缺后补",
            medium="纸质",
            source="申请人自备",
            sort_order=1,
        )
        LegalBasis.objects.create(
            service=cls.dibao,
            name="社会救助暂行办法",
            number="国务院令第649号",
            article="第九条",
            content="给予最低生活保障。",
            sort_order=1,
        )
        cls.plain = ServicePageFactory(
            title="户口迁移",
            slug="hukou",
            code="LY-SD-0002",
            department=cls.police,
            halls=[cls.county],
            fees=[("工本费", "每证 10 元")],
            handling="即办件",
            promised_limit_days=0,
            legal_limit_days=None,
        )


class HomePageTests(PortalTestCase):
    def test_home(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "content/home_page.html")
        self.assertEqual(h1_count(response), 1)
        page = text(response)
        # Search box from the search app's partial, once (the header's is left out on the home page).
        self.assertContains(response, 'id="home-input"')
        self.assertNotContains(response, 'id="header-input"')
        # Topics with counts, linking to the filtered catalog.
        self.assertContains(response, 'href="/services/?topic=%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9"')
        self.assertIn("社会救助 1 项", page)
        # Audience entry points.
        self.assertContains(response, 'href="/services/?audience=%E8%87%AA%E7%84%B6%E4%BA%BA"')
        self.assertIn("个人办事", page)
        self.assertIn("法人办事", page)
        # The halls at three levels.
        for label in ("县级政务服务中心", "乡镇（街道）政务服务中心", "村（社区）便民服务站"):
            self.assertIn(label, page)
        self.assertContains(response, 'href="/halls/zhen/"')
        # No items chosen: the most recently updated are shown.
        self.assertIn("最近更新", page)
        self.assertIn("最低生活保障审核确认", page)

    def test_popular_items_chosen_by_editors(self):
        HomePopularItem.objects.create(home=self.home, service=self.plain, sort_order=0)
        page = text(self.client.get("/"))
        self.assertIn("热门事项", page)
        self.assertIn("户口迁移", page)
        self.assertNotIn("最低生活保障审核确认", page)


class CatalogPageTests(PortalTestCase):
    def test_catalog_lists_items_and_facets(self):
        response = self.client.get("/services/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(h1_count(response), 1)
        page = text(response)
        self.assertIn("共 2 项办事指南", page)
        self.assertContains(response, 'href="/services/ly-sd-0001/"')
        self.assertContains(response, 'href="/services/hukou/"')
        for label in (
            "主题",
            "服务对象",
            "办件类型",
            "网上办理",
            "收费情况",
            "大厅层级",
            "办理大厅",
            "实施部门",
            "事项类型",
        ):
            self.assertIn(label, page)

    def test_filter_chip_and_state_in_links(self):
        response = self.client.get("/services/?department=MZ&online=1")
        page = text(response)
        self.assertIn("共 1 项办事指南", page)
        self.assertIn("实施部门：县民政局", page)
        self.assertIn("网上办理：可网上办理", page)
        self.assertNotContains(response, 'href="/services/hukou/"')
        # Removing the department chip keeps the other filter.
        self.assertContains(response, 'href="?online=1"')
        self.assertContains(response, "清除全部条件")

    def test_no_results(self):
        response = self.client.get("/services/?department=GA&online=1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("没有找到符合条件的办事指南。", text(response))

    def test_pagination_keeps_filters(self):
        for n in range(PER_PAGE + 1):
            ServicePageFactory(code=f"LY-SD-1{n:03d}", department=self.civil)
        response = self.client.get("/services/?department=MZ")
        self.assertIn("共 22 项办事指南", text(response))
        self.assertContains(response, 'href="?department=MZ&amp;page=2"')
        second = self.client.get("/services/?department=MZ&page=2")
        self.assertEqual(len(second.context["page_obj"].object_list), 2)
        self.assertIn("第 2 页，共 2 页", text(second))
        self.assertEqual(self.client.get("/services/?department=MZ&page=abc").context["page_obj"].number, 1)


class GuidePageTests(PortalTestCase):
    def test_every_element_in_reading_order(self):
        response = self.client.get("/services/ly-sd-0001/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(h1_count(response), 1)
        page = text(response)
        sections = re.findall(
            r'<section id="([a-z]+)"[^>]*>\s*<h2 id="[a-z]+-title">([^<]+)</h2>', response.content.decode()
        )
        self.assertEqual(
            [title for _id, title in sections],
            [
                "办理概要",
                "受理条件",
                "申请材料",
                "办理地点",
                "办理流程",
                "办理时限",
                "收费",
                "办理结果",
                "网上办理",
                "咨询与投诉",
                "设定依据",
                "常见问题",
                "群众问答",
                "事项信息",
            ],
        )
        # The table of contents links to exactly the sections shown.
        self.assertEqual(re.findall(r'<li><a href="#([a-z]+)">', response.content.decode()), [i for i, _t in sections])
        # Breadcrumbs: 首页 › 办事指南 › item.
        trail = re.search(
            r'<nav class="breadcrumbs[^"]*" aria-label="当前位置">(.*?)</nav>', response.content.decode(), re.S
        )
        self.assertEqual(
            re.findall(r'<li><(?:a href="([^"]*)"|span aria-current="page")>([^<]*)<', trail.group(1)),
            [("/", "首页"), ("/services/", "办事指南"), ("", "最低生活保障审核确认")],
        )
        # Summary box.
        for fact in ("上报件", "25个工作日", "30个工作日", "最多跑一次", "不收费", "可网上办理"):
            self.assertIn(fact, page)
        # Materials table.
        for cell in ("家庭经济状况核对授权书", "原件", "2 份", "容缺", "纸质", "申请人自备", "可容缺后补"):
            self.assertIn(cell, page)
        # Place: the named window at the first hall, the department's window at the second.
        self.assertIn("1号窗口 社会事务窗口", page)
        self.assertIn("城关镇人民路1号", page)
        self.assertIn("周一至周五 8:30-17:30", page)
        # Basis with 文号, article and quote; FAQ; codes and date.
        self.assertIn("《社会救助暂行办法》", page)
        self.assertIn("国务院令第649号", page)
        self.assertIn("给予最低生活保障。", page)
        self.assertIn("行动不便可以代办吗？", page)
        self.assertIn("LY-SD-0001", page)
        self.assertIn("000000001", page)
        self.assertIn("2025年9月12日", page)
        self.assertContains(response, 'href="https://example.gov.cn/dibao"')
        self.assertTemplateUsed(response, "components/guide_actions.html")
        self.assertTemplateUsed(response, "components/rating_form.html")

    def test_item_address_and_hours_override_the_halls(self):
        self.dibao.address, self.dibao.hours = "城关镇民政所二楼", "每周三上午"
        self.dibao.save()
        page = text(self.client.get("/services/ly-sd-0001/"))
        self.assertIn("城关镇民政所二楼", page)
        self.assertIn("每周三上午", page)
        self.assertNotIn("城关镇人民路1号", page)

    def test_empty_sections_are_left_out(self):
        response = self.client.get("/services/hukou/")
        self.assertEqual(response.status_code, 200)
        page = text(response)
        self.assertNotIn("常见问题", page)
        self.assertNotIn("办理结果", page)
        self.assertNotIn("基本编码", page)
        self.assertIn("工本费", page)
        self.assertIn("每证 10 元", page)
        self.assertIn("当场办结", page)
        self.assertIn("法律法规未规定", page)
        self.assertIn("本事项暂不支持网上办理", page)

    def test_no_process_steps_no_heading(self):
        ProcessStep.objects.filter(service=self.plain).delete()
        response = self.client.get("/services/hukou/")
        self.assertNotContains(response, 'id="process"')
        self.assertNotContains(response, 'href="#process"')


class HallPageTests(PortalTestCase):
    def test_hall_list_grouped_by_level(self):
        response = self.client.get("/halls/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(h1_count(response), 1)
        page = text(response)
        positions = [
            page.index(label)
            for label in ("县级政务服务中心 （1）", "乡镇（街道）政务服务中心 （1）", "村（社区）便民服务站 （1）")
        ]
        self.assertEqual(positions, sorted(positions))
        self.assertIn("可办 1 项服务", page)

    def test_hall_page(self):
        response = self.client.get("/halls/zhen/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(h1_count(response), 1)
        page = text(response)
        for fact in ("城关镇人民路1号", "0734-1234567", "周一至周五 8:30-17:30", "用高德地图导航", "用百度地图导航"):
            self.assertIn(fact, page)
        self.assertContains(response, "coordinate=wgs84")
        self.assertContains(response, 'href="/halls/zhen/staff/"')
        self.assertIn("窗口工作人员（阳光台）", page)
        self.assertContains(response, 'href="/halls/xian/"')  # parent
        self.assertContains(response, 'href="/halls/cun/"')  # child
        # Each window with number, name, departments, scope and its items.
        self.assertIn("社会事务窗口", page)
        self.assertIn("进驻部门 县民政局", page)
        self.assertIn("业务范围 低保、特困", page)
        self.assertIn("本窗口可办事项（1 项）", page)
        self.assertContains(response, 'href="/services/ly-sd-0001/"')
        self.assertIn("本窗口暂无在网上公布的事项。", page)  # window 2: the police item is not at this hall
        self.assertTemplateUsed(response, "components/rating_form.html")


class RestrictedPageTests(PortalTestCase):
    """A guide or hall under a view restriction (password or groups) shows nowhere a visitor reads, in no
    count either, and shows again the moment the restriction is lifted."""

    HIDDEN = ("内部核查事项", "干部专用事项", "保密办证点", "机关内部服务站")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secret = ServicePageFactory(
            title="内部核查事项",
            slug="secret",
            code="LY-SD-0901",
            department=cls.civil,
            topics=[cls.relief],
            halls=[cls.town],
        )
        cls.members = ServicePageFactory(
            title="干部专用事项",
            slug="members",
            code="LY-SD-0902",
            department=cls.civil,
            topics=[cls.relief],
            halls=[cls.town],
        )
        cls.closed = HallFactory(title="保密办证点", slug="closed", code="CLOSED", level=HallLevel.COUNTY)
        cls.inner = HallFactory(title="机关内部服务站", slug="inner", code="INNER", level=HallLevel.VILLAGE)
        ServiceHall.objects.create(service=cls.plain, hall=cls.closed, sort_order=5)
        WindowFactory(hall=cls.closed, number="9", name="保密窗口", departments=[cls.police])
        cls.secret_lock = ViewRestrictionFactory(page=cls.secret)
        ViewRestrictionFactory(page=cls.members, restriction_type=PageViewRestriction.GROUPS)
        ViewRestrictionFactory(page=cls.closed)
        ViewRestrictionFactory(page=cls.inner, restriction_type=PageViewRestriction.GROUPS)

    def assertHidden(self, response):
        self.assertEqual(response.status_code, 200)
        page = text(response)
        for name in self.HIDDEN:
            self.assertNotIn(name, page)

    def test_readable_is_wagtails_public_rule_in_one_query(self):
        from content.models import readable

        for model in (Page, ServicePage, HallPage):
            with self.subTest(model=model.__name__):
                expected = set(model.objects.live().public().values_list("pk", flat=True))
                self.assertEqual(set(readable(model.objects.all()).values_list("pk", flat=True)), expected)
        self.assertNotIn(self.secret.pk, set(ServicePage.objects.readable().values_list("pk", flat=True)))
        # A restriction on an ancestor hides every page below it.
        ViewRestrictionFactory(page=self.hall_index, restriction_type=PageViewRestriction.LOGIN)
        with self.assertNumQueries(1):
            self.assertEqual(list(HallPage.objects.readable()), [])

    def test_home_neither_shows_nor_counts_them(self):
        response = self.client.get("/")
        self.assertHidden(response)
        self.assertEqual(response.context["service_total"], 2)
        self.assertEqual(response.context["hall_total"], 3)
        self.assertIn("社会救助 1 项", text(response))

    def test_catalog_neither_lists_nor_counts_them(self):
        response = self.client.get("/services/")
        self.assertHidden(response)
        self.assertIn("共 2 项办事指南", text(response))
        halls = {o.value for f in response.context["facets"] if f.name == "hall" for o in f.options}
        self.assertEqual(halls, {"XIAN", "ZHEN", "CUN"})
        topics = {o.value: o.count for f in response.context["facets"] if f.name == "topic" for o in f.options}
        self.assertEqual(topics, {"社会救助": 1})
        self.assertIn("共 1 项办事指南", text(self.client.get("/services/?level=county")))

    def test_halls_and_guides_leave_them_out(self):
        self.assertHidden(self.client.get("/halls/"))
        town = self.client.get("/halls/zhen/")
        self.assertHidden(town)
        self.assertIn("本窗口可办事项（1 项）", text(town))
        self.assertHidden(self.client.get("/services/hukou/"))

    def test_lifting_a_restriction_shows_the_page_at_once(self):
        self.assertIn("共 2 项办事指南", text(self.client.get("/services/")))
        self.secret_lock.delete()
        response = self.client.get("/services/")
        self.assertIn("内部核查事项", text(response))
        self.assertIn("共 3 项办事指南", text(response))

    def test_setting_or_lifting_a_restriction_changes_the_facet_fingerprint(self):
        """Other processes rebuild their facet index when the fingerprint moves, also for restrictions
        written in bulk, which leave no page-history entry (a model's save() and delete() do)."""
        before = facet_index.fingerprint()
        PageViewRestriction.objects.bulk_create([PageViewRestriction(page=self.dibao, restriction_type="login")])
        during = facet_index.fingerprint()
        self.assertNotEqual(during, before)
        PageViewRestriction.objects.filter(page=self.dibao).delete()
        self.assertNotEqual(facet_index.fingerprint(), during)


@override_settings(DEBUG=False)
class ErrorPageTests(PortalTestCase):
    def test_404_in_chinese(self):
        response = self.client.get("/services/does-not-exist/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("抱歉，没有找到这个页面", text(response))
        self.assertContains(response, 'id="notfound-input"', status_code=404)

    def test_500_renders_without_context(self):
        html = render_to_string("500.html")
        self.assertIn("系统暂时出了点问题", html)
        self.assertIn('lang="zh-CN"', html)


def card_of(response, slug):
    """The catalog card of the guide at /services/<slug>/, as HTML."""
    html = response.content.decode()
    found = re.search(
        rf'<article class="service-card">(?:(?!</article>).)*href="/services/{slug}/"(?:(?!</article>).)*</article>',
        html,
        re.S,
    )
    assert found, f"{slug} 应在列表中"
    return found.group(0)


class ServiceStatusTests(PortalTestCase):
    """办理状态: a notice above the key facts of a guide while 暂停受理 or 调整中 is in force, a badge in lists."""

    def set_status(self, page, state, reason="", start=None, end=None):
        ServicePage.objects.filter(pk=page.pk).update(
            status=state, status_reason=reason, status_from=start, status_until=end
        )

    def notice(self, page):
        html = self.client.get(page.url).content.decode()
        found = re.search(r'<div class="status-notice[^"]*"[^>]*>.*?</div>', html, re.S)
        return found, html

    def test_a_suspended_guide_opens_with_the_state_reason_and_dates_above_the_key_facts(self):
        today = timezone.localdate()
        start, end = today - datetime.timedelta(days=2), today + datetime.timedelta(days=5)
        self.set_status(self.dibao, ServiceStatus.SUSPENDED, "系统升级，请到县政务服务中心综合窗口办理", start, end)
        found, html = self.notice(self.dibao)
        self.assertTrue(found, "暂停受理时指南应以状态提示开头")
        notice = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))
        expected = guide.status_text(
            {
                "state": "暂停受理",
                "reason": "系统升级，请到县政务服务中心综合窗口办理",
                "from": start.isoformat(),
                "until": end.isoformat(),
            }
        )
        self.assertIn(expected, notice)  # state, reason and both dates, worded by content.guide
        self.assertIn("status-notice--suspended", found.group(0))
        self.assertLess(found.start(), html.index('<ul class="key-facts"'), "状态提示应在办事要点之前")
        self.assertGreater(found.start(), html.index('id="guide-title"'))

    def test_adjusting_reads_as_such(self):
        self.set_status(self.dibao, ServiceStatus.ADJUSTING, "材料清单正在调整")
        found, _html = self.notice(self.dibao)
        self.assertTrue(found)
        self.assertIn("status-notice--adjusting", found.group(0))
        self.assertIn("调整中：材料清单正在调整", found.group(0))
        # Still accepted while it changes: the expected date stays.
        self.assertIn("今天受理，最迟", text(self.client.get(self.dibao.url)))

    def test_while_suspended_no_date_is_promised_for_today(self):
        self.assertIn("今天受理，最迟", text(self.client.get(self.dibao.url)))
        self.set_status(self.dibao, ServiceStatus.SUSPENDED, "系统升级")
        page = text(self.client.get(self.dibao.url))
        self.assertIn("25个工作日", page)
        self.assertNotIn("今天受理", page)
        self.assertNotIn("如果今天", page)

    def test_a_scheduled_suspension_is_announced_on_the_guide_but_not_yet_on_the_cards(self):
        start = timezone.localdate() + datetime.timedelta(days=7)
        self.set_status(self.dibao, ServiceStatus.SUSPENDED, "系统升级", start, None)
        found, html = self.notice(self.dibao)
        self.assertTrue(found)
        self.assertIn(f"自{start.year}年{start.month}月{start.day}日起", html)  # as the PDF prints it
        self.assertNotIn("tag--status", card_of(self.client.get("/services/"), "ly-sd-0001"))

    def test_no_notice_while_normal_or_after_its_end(self):
        today = timezone.localdate()
        for state, start, end in (
            (ServiceStatus.NORMAL, None, None),
            (ServiceStatus.SUSPENDED, None, today - datetime.timedelta(days=1)),  # over
        ):
            with self.subTest(state=state, start=start, end=end):
                self.set_status(self.dibao, state, "系统升级", start, end)
                found, html = self.notice(self.dibao)
                self.assertIsNone(found)
                self.assertNotIn("系统升级", html)
                catalog = self.client.get("/services/")
                self.assertNotIn("tag--status", card_of(catalog, "ly-sd-0001"))

    def test_the_last_day_still_shows_it(self):
        self.set_status(self.dibao, ServiceStatus.SUSPENDED, "系统升级", None, timezone.localdate())
        self.assertTrue(self.notice(self.dibao)[0])

    def test_catalog_cards_carry_the_badge_of_the_service_concerned_only(self):
        self.set_status(self.dibao, ServiceStatus.SUSPENDED, "系统升级")
        self.set_status(self.plain, ServiceStatus.ADJUSTING, "窗口调整")
        catalog = self.client.get("/services/")
        suspended, adjusting = card_of(catalog, "ly-sd-0001"), card_of(catalog, "hukou")
        self.assertIn('<li class="tag tag--status tag--suspended">暂停受理</li>', suspended)
        self.assertIn('<li class="tag tag--status tag--adjusting">调整中</li>', adjusting)
        self.set_status(self.plain, ServiceStatus.NORMAL)
        self.assertNotIn("tag--status", card_of(self.client.get("/services/"), "hukou"))


class GuideElementTests(PortalTestCase):
    """The elements a villager needs where they need them: 窗口权限 and 通办 in the summary, per material
    容缺/免提交/电子证照/告知承诺, the issuer, the forms and common mistakes, 告知承诺, 特别程序 under the time
    limits, what each hall does, how the result comes, and 本指南变更记录."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.blank = DocumentFactory(title="食品经营许可申请书", file__filename="shenqingshu.docx")
        cls.sample = DocumentFactory(title="食品经营许可申请书（样表）")
        cls.food = ServicePageFactory(
            title="食品经营许可",
            slug="food",
            code="LY-SD-0038",
            department=cls.civil,
            halls=[cls.county, cls.village],
            window_powers=["受理", "审核"],
            window_passes_on="报县市场监管局审批",
            scope="全市通办",
            promise_note="申请人书面承诺符合卫生条件的，免于现场核查",
            delivery=["窗口领取", "免费寄递"],
        )
        ServiceHall.objects.filter(service=cls.food, hall=cls.village).update(roles=["收件", "出件"])
        Material.objects.filter(service=cls.food).update(
            e_license=True, mistakes="身份证过期\n复印件未签字", sort_order=0
        )
        Material.objects.create(
            service=cls.food,
            name="无犯罪记录证明",
            form="原件",
            copies=1,
            required=True,
            deferrable=True,
            deferral_days=5,
            issuer="县公安局",
            promise_ok=True,
            sort_order=1,
        )
        Material.objects.create(
            service=cls.food,
            name="户口簿",
            form="复印件",
            copies=1,
            required=True,
            shared=True,
            blank_form=cls.blank,
            sample_form=cls.sample,
            sort_order=2,
        )
        SpecialProcedure.objects.create(service=cls.food, kind="公示", time_limit="7个自然日", note="在村务公开栏公示")
        for n, (effective, lines) in enumerate(
            [
                ("2026-03-15", ["新增申请材料：无犯罪记录证明"]),
                ("2026-01-10", ["承诺办结时限由“10个工作日”改为“5个工作日”"]),
                ("2025-11-02", ["删除申请材料：营业执照"]),
                ("2025-06-01", ["收费由“工本费：10元”改为“不收费”"]),
            ]
        ):
            GuideChange.objects.create(
                service=cls.food,
                effective=datetime.date.fromisoformat(effective),
                lines=lines,
                recorded_at=timezone.now() - datetime.timedelta(days=n),
            )

    def setUp(self):
        self.response = self.client.get(self.food.url)
        self.html = self.response.content.decode()
        self.page = text(self.response)

    def section(self, name):
        found = re.search(rf'<section id="{name}".*?</section>', self.html, re.S)
        self.assertTrue(found, f"应有 #{name}")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))

    def test_sections_and_table_of_contents(self):
        sections = re.findall(r'<section id="([a-z]+)"', self.html)
        self.assertEqual(re.findall(r'<li><a href="#([a-z]+)">', self.html), sections)
        for name in ("promise", "result", "changes"):
            self.assertIn(name, sections)
        self.assertLess(sections.index("materials"), sections.index("promise"))
        self.assertLess(sections.index("changes"), sections.index("facts"))

    def test_window_authority_and_scope_in_the_summary(self):
        summary = self.section("summary")
        authority = guide.window_authority_text({"powers": ["受理", "审核"], "passes_on": "报县市场监管局审批"})
        self.assertIn(f"窗口权限 {authority}", summary)
        self.assertIn("通办范围 全市通办", summary)

    def test_each_material_says_what_a_villager_needs_to_know(self):
        rows = re.findall(
            r"<tr>.*?</tr>",
            re.search(r'<table class="data-table materials">.*?</table>', self.html, re.S).group(0),
            re.S,
        )[1:]
        idcard, record, hukou = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in rows)
        self.assertIn("可用电子证照", idcard)
        self.assertIn("常见错误 身份证过期 复印件未签字", idcard)
        # 容缺 in the necessity column with its deadline, the issuer of the certificate, 可告知承诺.
        self.assertIn("容缺", record)
        self.assertIn("容缺受理，可在受理后5个工作日内补交", record)
        self.assertIn("证明开具单位：县公安局", record)
        self.assertIn("可告知承诺", record)
        self.assertNotIn("可用电子证照", record)
        self.assertIn("免提交（部门共享获取）", hukou)
        self.assertIn("必要", idcard)

    def test_forms_link_to_the_document_with_type_and_size(self):
        self.assertIn(f'<a class="doc-link" href="{self.blank.url}">下载空白表格：食品经营许可申请书</a>', self.html)
        self.assertIn(
            f'<a class="doc-link" href="{self.sample.url}">查看填写样表：食品经营许可申请书（样表）</a>', self.html
        )
        self.assertRegex(self.page, r"下载空白表格：食品经营许可申请书 （DOCX，2\.\d KB）")
        self.assertRegex(self.page, r"查看填写样表：食品经营许可申请书（样表） （PDF，2\.\d KB）")
        download = self.client.get(self.blank.url)
        self.assertEqual(download.status_code, 200)

    def test_promise_section_names_its_materials(self):
        promise = self.section("promise")
        self.assertIn("申请人书面承诺符合卫生条件的，免于现场核查", promise)
        self.assertIn("以下材料可以用书面承诺代替，不用提交： 无犯罪记录证明 。", promise)

    def test_special_procedures_under_the_time_limits_not_counted(self):
        limits = self.section("limits")
        self.assertIn("特别程序 公示：7个自然日（不计入办结时限），在村务公开栏公示", limits)

    def test_what_each_hall_does_and_how_the_result_comes(self):
        places = self.section("places")
        self.assertIn("新民村便民服务站 本大厅承担 收件、出件（受理、审批不在本大厅）", places)
        self.assertIn("县政务服务中心 本大厅承担 全程办理（收件、受理、审批、出件）", places)
        self.assertIn("送达方式 窗口领取、免费寄递", self.section("result"))
        # A guide whose halls have no roles of their own does not say it for each hall.
        self.assertNotIn("本大厅承担", text(self.client.get(self.dibao.url)))

    def test_change_log_newest_first_and_older_entries_folded(self):
        changes = self.section("changes")
        self.assertLess(changes.index("2026年3月15日起 新增申请材料：无犯罪记录证明"), changes.index("2026年1月10日起"))
        self.assertLess(changes.index("2026年1月10日起"), changes.index("2025年11月2日起"))
        folded = re.search(r"<details class=\"changes__older\">.*?</details>", self.html, re.S).group(0)
        self.assertIn("更早的 1 次变更", folded)
        self.assertIn("2025年6月1日起", folded)
        self.assertNotIn("2025年11月2日起", folded)

    def test_a_guide_without_them_shows_none(self):
        page = text(self.client.get(self.dibao.url))
        for absent in (
            "窗口权限",
            "通办范围",
            "告知承诺",
            "特别程序",
            "送达方式",
            "本指南变更记录",
            "常见错误",
            "下载空白表格",
        ):
            self.assertNotIn(absent, page)

    def test_key_facts_count_a_deferrable_material_as_not_required(self):
        facts = re.search(r'<ul class="key-facts".*?</ul>', self.html, re.S).group(0)
        self.assertIn("3 项材料 其中 2 项必要", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", facts)))


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class StructuredDataTests(PortalTestCase):
    """schema.org GovernmentService on every guide, in a data block the strict CSP allows and editor text
    cannot break out of."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from wagtail.models import Site

        settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
        settings.region_name = "耒阳市"
        settings.save()

    def json_ld(self, page):
        response = self.client.get(page.url)
        blocks = JSON_LD.findall(response.content.decode())
        self.assertEqual(len(blocks), 1, "每个办事指南有且只有一段 JSON-LD")
        return json.loads(blocks[0]), response

    def test_the_service_its_provider_area_and_a_channel_per_hall_and_online(self):
        data, response = self.json_ld(self.dibao)
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "GovernmentService")
        self.assertEqual(data["name"], "最低生活保障审核确认")
        self.assertEqual(data["serviceType"], self.dibao.item_type)
        self.assertEqual(data["url"], "http://testserver/services/ly-sd-0001/")
        self.assertEqual(data["provider"], {"@type": "GovernmentOrganization", "name": "县民政局"})
        self.assertEqual(data["areaServed"], {"@type": "AdministrativeArea", "name": "耒阳市"})
        town, village, online = data["availableChannel"]
        self.assertEqual(town["@type"], "ServiceChannel")
        self.assertEqual(town["serviceUrl"], "http://testserver/halls/zhen/")
        self.assertEqual(town["serviceLocation"]["@type"], "Place")
        self.assertEqual(town["serviceLocation"]["name"], "城关镇政务服务中心")
        self.assertEqual(town["serviceLocation"]["address"]["streetAddress"], "城关镇人民路1号")
        self.assertEqual(town["serviceLocation"]["telephone"], "0734-1234567")
        self.assertEqual(
            town["serviceLocation"]["geo"], {"@type": "GeoCoordinates", "latitude": 26.37, "longitude": 112.93}
        )
        self.assertEqual(village["serviceLocation"]["name"], "新民村便民服务站")
        self.assertEqual(
            online,
            {
                "@type": "ServiceChannel",
                "name": "网上办理",
                "serviceUrl": "https://example.gov.cn/dibao",
                "description": "网上申请",
            },
        )
        # The public policy stays strict: no inline script is allowed, and none is needed for a data block.
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)

    def test_an_unreadable_hall_and_offline_service_are_left_out(self):
        self.village.unpublish()
        data, _response = self.json_ld(self.plain)
        self.assertEqual([c["name"] for c in data["availableChannel"]], ["县政务服务中心"])
        data, _response = self.json_ld(self.dibao)
        self.assertNotIn("新民村便民服务站", [c["name"] for c in data["availableChannel"]])

    def test_editor_text_cannot_end_the_script_element(self):
        evil = '</script><script>alert("x")</script><!-- & “引号”'
        ServicePage.objects.filter(pk=self.dibao.pk).update(title=f"低保{evil}", search_description=evil)
        self.civil.name = f"县民政局{evil}"
        self.civil.save()
        html = self.client.get(self.dibao.url).content.decode()
        block = JSON_LD.search(html).group(1)
        self.assertNotIn("<", block)
        self.assertNotIn(">", block)
        self.assertNotIn("&", block)
        self.assertNotIn('<script>alert("x")', html)
        data = json.loads(block)  # the same text for a JSON reader
        self.assertEqual(data["name"], f"低保{evil}")
        self.assertEqual(data["description"], evil)
        self.assertEqual(data["provider"]["name"], f"县民政局{evil}")


class UnsavedPreviewTests(PortalTestCase):
    def test_a_guide_previewed_before_its_first_save_renders(self):
        page = ServicePage(
            title="新建事项",
            slug="new",
            code="NEW-1",
            item_type="行政许可",
            department=self.civil,
            handling="承诺件",
            conditions="年满十八周岁",
            promised_limit_days=5,
            consult_phone="0734-1",
            complaint_phone="12345",
            depth=self.catalog.depth + 1,
            path=self.catalog.path + "ZZZZ",
        )
        response = page.make_preview_request()
        self.assertEqual(response.status_code, 200)
        self.assertIn("新建事项", response.content.decode())
        self.assertNotIn("本指南变更记录", response.content.decode())
