"""请服务站帮我办 in a real browser at 360 px (normal and 长辈模式): from the guide to the station's form, a
field error that keeps what was typed, the code with the station's 代办员, then the steps on the tracking page."""

import re

import pytest
from playwright.sync_api import expect

from assistance import handling
from assistance.models import AssistanceRequest
from content.models import ServiceHall
from tests.factories import StaffMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_request_daiban_on_a_phone_and_follow_its_steps(browser, live_server, world, tmp_path, quiet_database, elder):
    with quiet_database:
        ServiceHall.objects.filter(service=world.dibao, hall=world.station).update(can_assist=True)
        if not ServiceHall.objects.filter(service=world.dibao, hall=world.station).exists():
            ServiceHall.objects.create(service=world.dibao, hall=world.station, can_assist=True)
        agent = StaffMemberFactory(hall=world.station, name="段秋菊", phone="0734-4362101", is_agent=True)
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 360, "height": 780})
    page = phone.new_page()
    if elder:
        page.goto("/")
        page.locator("[data-elder-toggle]").first.click()
        expect(page.locator("html")).to_have_class(re.compile(r"\belder-mode\b"))
    page.goto(world.dibao.url)
    offer = page.locator("#assistance")
    expect(offer).to_contain_text("段秋菊")
    offer.get_by_role("link", name="请服务站帮我办").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请服务站帮我办")
    page.get_by_label("所在村（社区）").fill("新民村")
    page.get_by_role("textbox", name="姓名").fill("段大爷")
    page.get_by_role("textbox", name="联系电话").fill("13800002468")
    page.get_by_label("方便的时间").fill("工作日上午")
    page.get_by_label(re.compile("需要上门服务")).check()
    page.get_by_role("checkbox", name=re.compile("同意")).last.check()
    page.get_by_role("button", name="提交代办申请").click()

    # A home visit needs its reason and address: the form comes back with everything typed kept.
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("所在村（社区）")).to_have_value("新民村")
    page.screenshot(path=str(tmp_path / "form-error.png"), full_page=True)
    page.get_by_role("radio", name="老年人").check()
    page.get_by_role("textbox", name=re.compile("上门地址")).fill("新民村三组 12 号")
    page.get_by_role("button", name="提交代办申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的代办申请已收到")
    expect(page.get_by_role("main")).to_contain_text("段秋菊")
    page.screenshot(path=str(tmp_path / "submitted.png"), full_page=True)
    code = re.search(r"DB-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.get_by_role("main").inner_text()).group(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px)"

    with quiet_database:
        request = AssistanceRequest.objects.get(tracking_code=code)
        assert (request.hall_id, request.home_visit_reason, request.address) == (
            world.station.pk,
            "elderly",
            "新民村三组 12 号",
        )
        request = handling.assign_agent(request, agent=agent, user=None)
        handling.advance(request, step="collected", note="", user=None)
    page.goto("/assistance/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("联系电话后四位").fill("2468")
    page.get_by_role("button", name="查询").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("材料已收")
    expect(main).to_contain_text("段秋菊")
    expect(main).not_to_contain_text("新民村三组")
    expect(main).not_to_contain_text("13800002468")
    page.screenshot(path=str(tmp_path / "track.png"), full_page=True)
    phone.close()
