"""What a citizen does on the portal, in a real browser: find a guide, print it, complain, rate."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from complaints.models import Complaint
from ratings.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def squash(text):
    return re.sub(r"\s+", "", text)


def test_search_dibao_open_the_guide_download_its_pdf_and_open_the_checklist(page, world):
    page.goto("/")
    search = page.get_by_role("search").first
    search.get_by_role("combobox").fill("低保")
    search.get_by_role("button", name="搜索").click()

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    page.get_by_role("link", name="最低生活保障审核确认").first.click()

    expect(page).to_have_url(re.compile(r"/services/ly-sd-0001/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("最低生活保障审核确认")
    expect(page.get_by_role("main")).to_contain_text("家庭经济状况核对授权书")

    # The link opens the PDF inline, in Chromium's viewer (which hides the bytes from the page), so the
    # file is fetched from the link's address with the browser's own cookies and checked as a PDF.
    pdf_link = page.get_by_role("link", name=re.compile("办事指南（PDF）"))
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert ".pdf" in response.headers["content-disposition"]
    data = response.body()
    assert data.startswith(b"%PDF-")
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "最低生活保障审核确认" in text and "家庭经济状况核对授权书" in text

    page.get_by_role("link", name="一次性告知单").click()
    expect(page).to_have_url(re.compile(r"/services/ly-sd-0001/checklist/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("一次性告知单")
    expect(page.get_by_role("main")).to_contain_text("最低生活保障审核确认")
    for material in ("居民户口簿", "共同生活家庭成员居民身份证"):
        expect(page.get_by_role("main")).to_contain_text(material)


def test_a_complaint_with_a_field_error_keeps_what_was_typed_then_is_tracked(page, world, quiet_database):
    description = "3月5日上午在三都镇政务服务中心1号窗口办理低保，工作人员没有一次性告知需要补交的材料，让我跑了三趟。"
    page.goto("/complaints/")
    page.get_by_label("投诉内容").fill(description)
    page.get_by_label("联系电话").fill("13800001234")
    page.get_by_role("radio", name="服务态度").check()
    page.get_by_role("button", name=re.compile("提交")).click()

    # Consent was not given: the same form comes back with the error and everything typed kept.
    expect(page.get_by_text("请阅读并勾选同意声明后再提交。").first).to_be_visible()
    expect(page.get_by_label("投诉内容")).to_have_value(description)
    expect(page.get_by_label("联系电话")).to_have_value("13800001234")
    expect(page.get_by_role("radio", name="服务态度")).to_be_checked()

    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的投诉已受理")
    code = re.search(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.get_by_role("status").inner_text()).group(0)
    with quiet_database:
        assert Complaint.objects.get(tracking_code=code).description == description

    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("查询码").fill(code)
    page.get_by_label("联系电话后四位").fill("1234")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("main")).to_contain_text(code)
    expect(page.get_by_role("main")).to_contain_text("已受理")


def test_rate_a_service_on_its_guide(page, world, quiet_database):
    page.goto(world.dibao.url)
    rating = page.locator("#rating")
    rating.get_by_text("非常满意", exact=True).click()
    rating.get_by_label("意见建议").fill("窗口工作人员讲得很清楚，一次就办好了。")
    rating.get_by_role("button", name="提交评价").click()

    expect(page).to_have_url(re.compile(r"\?rated=1#rating$"))
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    with quiet_database:
        rating = Rating.objects.get(comment="窗口工作人员讲得很清楚，一次就办好了。")
    assert (rating.page_id, rating.score) == (world.dibao.pk, 5)
