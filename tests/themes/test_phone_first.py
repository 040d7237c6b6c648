"""What the phone-first pages put in front of a citizen, checked in the HTML the server sends.

The browser tests (tests/e2e/test_phone.py) check where it lands on a 360×740 screen; these check what
is there: the five facts a guide opens with and where each links to, tap-to-call numbers, the
checklist's necessity column and the facts a search result shows.
"""

import re

from django.template.loader import render_to_string

from content.models import Material, ServicePage, ServiceStatus
from exports.printing.documents import checklist_context
from tests.content.test_pages import PortalTestCase, text
from tests.search.catalog import IndexedGuides

KEY_FACTS = re.compile(r'<ul class="key-facts".*?</ul>', re.S)


def key_facts(response):
    """The first-screen block of a guide, as HTML, and its position in the page."""
    html = response.content.decode()
    found = KEY_FACTS.search(html)
    assert found, "办事指南应以办事要点开头"
    return found.group(0), found.start(), html


def visible(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


class GuideFirstScreen(PortalTestCase):
    def test_the_five_facts_come_before_every_section_and_link_to_it(self):
        block, start, html = key_facts(self.client.get(self.dibao.url))
        summary = html.index('id="summary"')
        self.assertLess(start, summary, "办事要点应在办理概要之前")
        targets = re.findall(r'class="key-fact" href="#([\w-]+)"', block)
        self.assertEqual(targets, ["limits", "fees", "places", "process", "materials"])
        for target in targets:
            self.assertIn(f'id="{target}"', html, f"办事要点链接的 #{target} 应在页面上")

    def test_a_guide_with_a_promised_limit_two_halls_and_no_fee(self):
        block, _start, _html = key_facts(self.client.get(self.dibao.url))
        facts = visible(block)
        self.assertIn("多久办好 25个工作日", facts)
        self.assertRegex(facts, r"今天受理，最迟 \d{4}年\d{1,2}月\d{1,2}日 办结")
        self.assertIn("收不收费 不收费", facts)
        self.assertIn("在哪里办 2 个大厅可办", facts)
        self.assertIn("跑几次 最多跑一次", facts)
        # 居民身份证 is required, the 授权书 may follow later: the count says how many are required.
        self.assertIn("要带什么 2 项材料 其中 1 项必要", facts)

    def test_a_guide_on_the_spot_with_a_fee_in_one_hall(self):
        Material.objects.filter(service=self.plain).delete()
        block, _start, _html = key_facts(self.client.get(self.plain.url))
        facts = visible(block)
        self.assertIn("材料齐全当场办好", facts)
        self.assertNotIn("最迟", facts)
        self.assertIn("收不收费 每证 10 元 工本费", facts)
        self.assertIn("在哪里办 县政务服务中心", facts)
        self.assertIn("要带什么 无需提交材料", facts)
        self.assertNotIn('href="#materials"', block)


class TapToCall(PortalTestCase):
    def test_every_number_on_the_guide_is_a_tel_link(self):
        response = self.client.get(self.dibao.url)
        self.assertContains(response, '<a class="tel" href="tel:07340000000">0734-0000000</a>')
        self.assertContains(response, '<a class="tel" href="tel:12345">12345</a>')
        # The town hall's phone in 办理地点.
        self.assertContains(response, '<a class="tel" href="tel:07341234567">0734-1234567</a>')

    def test_hall_page_and_web_checklist_numbers_are_tel_links(self):
        self.assertContains(self.client.get(self.town.url), 'href="tel:07341234567"')
        checklist = self.client.get(f"/services/{self.dibao.slug}/checklist/")
        self.assertEqual(checklist.status_code, 200)
        self.assertContains(checklist, 'href="tel:07340000000"')
        self.assertContains(checklist, 'href="tel:12345"')

    def test_printed_checklist_keeps_numbers_as_text(self):
        html = render_to_string("exports/includes/checklist_sheet.html", checklist_context(self.dibao))
        self.assertIn("0734-0000000", html)
        self.assertNotIn("tel:", html)


class ChecklistCards(PortalTestCase):
    def test_each_material_carries_form_copies_and_necessity_for_the_card_layout(self):
        page = text(self.client.get(f"/services/{self.dibao.slug}/checklist/"))
        self.assertIn("家庭经济状况核对授权书", page)
        self.assertRegex(page, r"家庭经济状况核对授权书 申请人自备；可容缺后补 原件 2 份 (容缺|非必要)")


class SearchResultFacts(IndexedGuides):
    def test_a_result_shows_limit_visits_and_fee_like_the_catalog_not_the_code(self):
        response = self.client.get("/search/", {"q": "低保"})
        html = response.content.decode()
        # Found by the name's unhighlighted end: result links go through /search/go/, not the guide's URL.
        card = re.search(
            r'<article class="service-card">(?:(?!</article>).)*审核确认</a>(?:(?!</article>).)*</article>',
            html,
            re.S,
        )
        self.assertTrue(card, "搜索结果应使用目录的事项卡片")
        facts = visible(card.group(0))
        self.assertIn("承诺时限 5个工作日", facts)
        self.assertIn("最多跑一次", facts)
        self.assertIn("不收费", facts)
        self.assertNotIn("LY-SD-0001", facts)

    def test_a_suspended_service_carries_its_badge_in_the_results(self):
        ServicePage.objects.filter(code="LY-SD-0042").update(status=ServiceStatus.SUSPENDED, status_reason="系统升级")
        html = self.client.get("/search/", {"q": "户口"}).content.decode()
        card = re.search(
            r'<article class="service-card">(?:(?!</article>).)*出生登记(?:(?!</article>).)*</article>', html, re.S
        )
        self.assertTrue(card)
        self.assertIn('<li class="tag tag--status tag--suspended">暂停受理</li>', card.group(0))
        others = re.findall(r'<article class="service-card">(?:(?!</article>).)*</article>', html, re.S)
        self.assertGreater(len(others), 1)
        self.assertEqual(sum("tag--status" in c for c in others), 1, "只有暂停受理的事项带状态标记")
