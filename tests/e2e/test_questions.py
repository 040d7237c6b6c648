"""我要咨询 in a real browser: a villager asks on a guide from a phone (360 px, 长辈模式 too), a handler
answers and publishes it in the admin, and the answer is then on the guide for everyone."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from questions.kind import HANDLER_GROUP
from questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTION = "我在外地打工，父亲能替我申请低保吗？要带什么？"
ANSWER = "低保以家庭为单位申请，可由共同生活的家庭成员代为申请，请带上申请人户口簿和身份证。"


def ask(page, world, tmp_path, name):
    page.goto(world.dibao.url)
    page.get_by_role("link", name="我要咨询").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我要咨询")
    expect(page.get_by_label("涉及事项")).to_have_value(world.dibao.title)
    page.get_by_role("radio", name="申请材料").check()
    page.get_by_label("您的问题").fill(QUESTION)
    page.get_by_label("联系电话").fill("13800001234")
    page.get_by_role("checkbox", name=re.compile("同意在隐去个人信息后公开")).check()
    page.get_by_role("checkbox", name=re.compile("我同意政务服务中心")).check()
    page.screenshot(path=str(tmp_path / f"{name}-form.png"), full_page=True)
    page.get_by_role("button", name="提交咨询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的咨询已收到")
    page.screenshot(path=str(tmp_path / f"{name}-submitted.png"), full_page=True)
    return re.search(r"ZX-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.get_by_role("status").inner_text()).group(0)


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_ask_on_a_phone_answer_in_the_admin_and_read_it_on_the_guide(
    browser, live_server, world, tmp_path, quiet_database, elder
):
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 360, "height": 780})
    page = phone.new_page()
    if elder:
        page.goto("/")
        page.locator("[data-elder-toggle]").first.click()
        expect(page.locator("html")).to_have_class(re.compile(r"\belder-mode\b"))
    code = ask(page, world, tmp_path, "elder" if elder else "normal")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px)"

    with quiet_database:
        handler = get_user_model().objects.create_user("zixun", password="e2e-handler-password")
        handler.groups.add(Group.objects.get(name=HANDLER_GROUP))
        question = Question.objects.get(tracking_code=code)
    desk = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = desk.new_page()
    admin.goto("/admin/")
    admin.locator("input[name=username]").fill("zixun")
    admin.locator("input[name=password]").fill("e2e-handler-password")
    admin.get_by_role("button", name="登录").click()
    admin.goto("/admin/questions/")
    admin.get_by_role("link", name=code).click()
    expect(admin.get_by_role("main")).to_contain_text(QUESTION)
    expect(admin.get_by_role("main")).to_contain_text("13800001234")
    admin.locator("#action-reply textarea").fill(ANSWER)
    admin.locator("#action-reply").get_by_role("button", name="提交").click()
    expect(admin.locator(".messages")).to_contain_text("已保存")
    admin.locator("#action-publish").get_by_role("button", name="提交").click()
    expect(admin.locator(".messages")).to_contain_text("已保存")
    admin.screenshot(path=str(tmp_path / "admin-question.png"), full_page=True)
    desk.close()

    page.goto("/questions/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("联系电话后四位").fill("1234")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("main")).to_contain_text(ANSWER)
    page.screenshot(path=str(tmp_path / "track.png"), full_page=True)

    page.goto(world.dibao.url + f"#qa-{question.pk}")
    section = page.locator("#questions")
    expect(section).to_contain_text(QUESTION)
    expect(section).to_contain_text(ANSWER)
    expect(section).not_to_contain_text("13800001234")
    page.screenshot(path=str(tmp_path / "guide-questions.png"), full_page=False)
    phone.close()
