"""An elderly villager's phone: 360×740 in 长辈模式, in a real browser.

What a guide must answer on the first screen (how long, what it costs, where, how many visits, how
many materials), for a guide without fees, one with a fee and a 即办件; that the consult phone can be
tapped; that the header leaves room for the answer; that the home page leads to the 政务公开 pages;
that the checklist reads as cards without scrolling sideways; and the section menu and the way back
to the top below 1024 px.
"""

import re

import pytest
from playwright.sync_api import expect

from docs.screenshots import OVERFLOW_JS  # elements past the right edge: the page scrolls sideways
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import ElsewhereServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}
# A quarter of the phone's screen.
HEADER_BUDGET = PHONE["height"] // 4
FACT_LABELS = ["多久办好", "收不收费", "在哪里办", "跑几次", "要带什么"]


@pytest.fixture
def phone(browser, live_server, world):
    """A touch phone at 360×740 whose owner has switched 长辈模式 on."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "yimen_elder", "value": "1", "url": live_server.url}])
    page = context.new_page()
    yield page
    context.close()


def above_the_fold(locator):
    box = locator.bounding_box()
    assert box is not None, "元素应可见"
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize(
    ("guide", "expected"),
    [
        ("dibao", {"收不收费": "不收费", "在哪里办": "2 个大厅可办", "多久办好": "最迟"}),
        ("business", {"收不收费": "每份 10 元", "在哪里办": "耒阳市三都镇政务服务中心"}),
        ("birth", {"多久办好": "材料齐全当场办好", "收不收费": "不收费"}),
    ],
)
def test_the_first_screen_answers_the_five_questions(phone, world, guide, expected):
    phone.goto(getattr(world, guide).url)
    expect(phone.locator("html")).to_have_class(re.compile(r"\belder-mode\b"))
    facts = phone.locator(".key-fact")
    expect(facts).to_have_count(len(FACT_LABELS))
    for number, label in enumerate(FACT_LABELS):
        fact = facts.nth(number)
        expect(fact).to_contain_text(label)
        if label in expected:
            expect(fact).to_contain_text(expected[label])
        assert above_the_fold(fact), f"{label} 应在第一屏（{fact.bounding_box()}）"

    # Each fact is a link down to its section.
    facts.filter(has_text="要带什么").click()
    expect(phone.locator("#materials")).to_be_in_viewport()


def test_the_consult_phone_can_be_tapped(phone, world):
    phone.goto(world.dibao.url)
    call = phone.locator('a[href="tel:07344362011"]').first
    call.scroll_into_view_if_needed()
    expect(call).to_be_visible()
    box = call.bounding_box()
    assert box["height"] >= 24, f"电话链接太小，不好点：{box}"


def test_the_home_page_leads_to_the_transparency_pages(phone, world):
    phone.goto("/")
    section = phone.get_by_role("region", name="政务公开")
    section.scroll_into_view_if_needed()
    expect(section).to_be_visible()
    for target in (world.rules, world.notices, world.statistics, world.hall_map):
        link = section.locator(f'a[href="{target.url}"]')
        expect(link).to_be_visible()
    assert phone.evaluate(OVERFLOW_JS) == [], "首页在手机上不应横向滚动"
    section.locator(f'a[href="{world.notices.url}"]').click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(world.notices.title)


@pytest.mark.parametrize("where", ["/", "dibao", "/search/?q=低保"])
def test_the_elder_header_keeps_to_a_quarter_of_the_screen(phone, world, where):
    phone.goto(getattr(world, where).url if hasattr(world, where) else where)
    height = phone.locator("header").first.bounding_box()["height"]
    assert height <= HEADER_BUDGET, f"长辈模式页头高 {height:.0f}px，超过屏幕的四分之一（{HEADER_BUDGET}px）"


def test_the_checklist_is_cards_without_sideways_scrolling(phone, world):
    phone.goto(f"{world.dibao.url}checklist/")
    expect(phone.locator(".doc-material").first).to_be_visible()
    assert phone.evaluate(OVERFLOW_JS) == [], "一次性告知单在手机上不应横向滚动"
    for name in phone.locator(".material-name").all():
        assert name.bounding_box()["width"] >= 120, f"材料名称太窄：{name.inner_text()}"
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 7000, f"一次性告知单在手机上过长：{height}px"


def test_section_menu_and_back_to_top_below_1024(phone, world):
    phone.goto(world.dibao.url)
    menu = phone.locator(".guide__toc-toggle")
    expect(menu).to_be_visible()
    menu.click()
    phone.locator(".guide__toc a[href='#fees']").click()
    expect(phone.locator("#fees")).to_be_in_viewport()
    top = phone.locator("[data-to-top] a")
    top.scroll_into_view_if_needed()
    top.click()
    expect(phone.locator(".key-fact").first).to_be_in_viewport()


def test_a_service_handled_elsewhere_is_the_first_answer(phone, world):
    ElsewhereServiceFactory(
        name="出入境证件（护照、港澳台通行证）",
        terms=["护照", "港澳通行证"],
        where="耒阳市公安局出入境管理大队",
        address="耒阳市蔡子池街道五一西路 128 号 公安局办证大厅二楼",
        phone="0734-4351120、0734-4351121",
        hours="周一至周五 8:30-12:00，14:30-17:30；周六上午 9:00-12:00",
        note="须本人到场采集照片和指纹。可先在“移民局”微信公众号或国家移民管理局政务服务平台预约。",
    )
    phone.goto("/search/?q=办护照和身份证要带什么")
    notice = phone.locator(".elsewhere")
    expect(notice).to_contain_text("“护照”不在本中心办理")
    expect(notice).to_contain_text("耒阳市公安局出入境管理大队")
    assert above_the_fold(notice.locator(".elsewhere__title")), "“不在本中心办理”应在第一屏"
    call = notice.locator('a[href="tel:07344351120"]')
    call.scroll_into_view_if_needed()
    box = call.bounding_box()
    assert box["height"] >= 24, f"电话链接太小，不好点：{box}"
    assert phone.evaluate(OVERFLOW_JS) == [], "搜索结果页在手机上不应横向滚动"
