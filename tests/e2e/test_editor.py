"""An editor changes a guide's materials in the Wagtail admin and publishes: the page, search and PDF follow."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.world import EDITOR_PASSWORD, EDITOR_USERNAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_MATERIAL = "村民委员会出具的家庭收入情况证明"
RENAMED = ("居民户口簿", "居民户口簿或户籍证明")


def squash(text):
    return re.sub(r"\s+", "", text)


def test_editor_changes_materials_publishes_and_page_search_and_pdf_follow(page, world):
    # Before the change, the printed guide is cached for the current revision; it must not be served again.
    before = page.request.get(f"/services/{world.dibao.slug}/pdf/")
    assert before.ok and NEW_MATERIAL not in squash(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(before.body())).pages)
    )

    page.goto("/admin/")
    page.locator("input[name=username]").fill(EDITOR_USERNAME)
    page.locator("input[name=password]").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"/admin/pages/{world.dibao.pk}/edit/")
    page.get_by_role("tab", name="条件与材料").click()
    # Wagtail's inline panel for 申请材料: rename one row, then add a row with the panel's own button.
    page.locator("input[id^='id_materials-'][id$='-name'][value='" + RENAMED[0] + "']").fill(RENAMED[1])
    added = int(page.locator("#id_materials-TOTAL_FORMS").input_value())
    page.locator("#id_materials-ADD").click()
    page.locator(f"#id_materials-{added}-name").fill(NEW_MATERIAL)

    page.locator("footer .w-dropdown-button").get_by_role("button", name=re.compile("More actions|更多")).click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text(world.dibao.title)

    page.goto(world.dibao.url)
    main = page.get_by_role("main")
    expect(main).to_contain_text(NEW_MATERIAL)
    expect(main).to_contain_text(RENAMED[1])

    page.goto("/search/?q=家庭收入情况证明")
    expect(page.get_by_role("link", name=world.dibao.title).first).to_be_visible()

    after = page.request.get(f"/services/{world.dibao.slug}/pdf/")
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(after.body())).pages))
    assert NEW_MATERIAL in text and RENAMED[1] in text
