"""axe-core on every public page template: no serious or critical WCAG 2.1 A/AA violation.

One test walks all the pages of the small portal (rebuilding it per page would cost seconds each) and
reports every page's problems together, so one run shows all that needs fixing.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import describe, violations
from tests.factories import ElsewhereServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _complaint_form_with_errors(page):
    page.goto("/complaints/")
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_text("请填写投诉内容。").first).to_be_visible()


def _complaint_submitted(page):
    page.goto("/complaints/")
    page.get_by_role("radio", name="办事效率").check()
    page.get_by_label("投诉内容").fill("等了两个小时还没有叫到号，取号机也没有人指引，希望增加引导人员。")
    page.get_by_label("联系电话").fill("0734-4362011")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的投诉已受理")


def _tracking_result(page):
    code = re.search(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.get_by_role("status").inner_text()).group(0)
    page.goto("/complaints/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("联系电话后四位").fill("2011")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("main")).to_contain_text(code)


def test_no_serious_or_critical_violation_on_any_public_page(page, world):
    ElsewhereServiceFactory(name="出入境证件（护照、港澳台通行证）", terms=["护照"], note="须本人到场。")
    pages = [
        ("首页", "/"),
        ("办事指南目录", "/services/"),
        ("办事指南目录（筛选）", "/services/?topic=社会救助"),
        ("办事指南", world.dibao.url),
        ("有收费的办事指南", world.business.url),
        ("一次性告知单", f"/services/{world.dibao.slug}/checklist/"),
        ("服务大厅", world.hall.url),
        ("大厅列表", "/halls/"),
        ("阳光台（工作人员公示）", f"/halls/{world.hall.slug}/staff/"),
        ("搜索结果", "/search/?q=低保"),
        ("无结果的搜索", "/search/?q=宇宙飞船驾驶执照"),
        ("不在本中心办理的搜索", "/search/?q=办护照"),
        ("投诉表单", "/complaints/"),
        ("投诉表单（有错误）", _complaint_form_with_errors),
        ("投诉已受理", _complaint_submitted),
        ("投诉查询结果", _tracking_result),
        ("投诉查询", "/complaints/track/"),
        ("规章制度", world.rules.url),
        ("一项制度", world.rule.url),
        ("制度修订历史", world.rule.url + "history/"),
        ("通知公告", world.notices.url),
        ("一则公告", world.notice.url),
        ("统计公开", world.statistics.url),
        ("服务地图", world.hall_map.url),
        ("开放数据", "/open-data/"),
        ("网站地图", "/site-map/"),
        ("联系我们", "/contact/"),
        ("隐私声明", "/privacy/"),
        ("无障碍声明", "/accessibility/"),
        ("404 页面", "/no-such-page/"),
    ]
    reports = []
    for name, target in pages:
        if callable(target):
            target(page)
        else:
            response = page.goto(target)
            assert response.status == (404 if name.startswith("404") else 200), (
                f"{name} {target}: HTTP {response.status}"
            )
        found = violations(page)
        if found:
            reports.append(describe(name, page.url, found))
    assert not reports, "axe-core 发现严重（serious/critical）的无障碍问题：\n" + "\n".join(reports)
