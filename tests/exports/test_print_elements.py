"""Every element content.guide declares for paper is on paper: the guide PDF, the booklet and the
checklist each carry the evidence of every element whose `outputs` names them, for a guide imported
with every element filled in (content.guide.example_guide, plus two downloadable forms)."""

import copy
import datetime
import hashlib
import io
import tempfile
from pathlib import Path
from unittest import mock

from django.test import TestCase

from content import guide
from content.models import ServicePage
from exports.catalog.importer import import_document
from exports.printing.booklets import BookletScope, render_booklet
from exports.printing.cache import guide_cache
from exports.printing.documents import checklist_context, checklist_pdf, guide_pdf, portal_settings, render_guide_pdf
from exports.printing.guides import PrintedGuide, printable_guides
from exports.printing.rendering import render_document
from tests.exports.test_guide_pdf import decode_qr, overflowing_boxes, pdf_pages, squash

# Two real files for the forms: a tiny PDF and a DOCX-named file (the importer reads bytes only).
FORM_FILES = {
    "blank.pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    "sample.docx": b"PK\x03\x04 sample form of the test guide",
}


def full_catalog(folder, **item_changes):
    """A /2 catalog file's document with one guide carrying every element, its forms written to `folder`."""
    item = copy.deepcopy(guide.example_guide())
    forms = {}
    for name, data in FORM_FILES.items():
        path = Path(folder) / "forms" / (hashlib.sha1(data).hexdigest()[:16] + Path(name).suffix)  # noqa: S324
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        forms[name] = str(path.relative_to(folder))
    item["materials"][0]["blank_form"] = {"title": "居民身份证申领登记表", "file": forms["blank.pdf"]}
    item["materials"][1]["sample_form"] = {"title": "无犯罪记录证明申请书（样表）", "file": forms["sample.docx"]}
    item.update(item_changes)
    return {
        "format": guide.FORMAT,
        "region": {"code": "430000", "name": "测试县"},
        "departments": [{"code": "DEPT-T", "name": "县测试局", "kind": "县级行政机关"}],
        "centers": [
            {
                "code": "HALL-T",
                "name": "测试镇便民服务中心",
                "level": "township",
                "address": "测试镇人民政府一楼",
                "phone": "0851-7654321",
                "hours": "工作日 9:00-17:00",
                "windows": [{"number": "7", "name": "综合窗口", "departments": ["DEPT-T"]}],
            }
        ],
        "staff": [],
        "items": [item],
    }


def import_full_guide(**item_changes):
    """Import the guide with every element; returns its live page, prefetched for printing."""
    with tempfile.TemporaryDirectory() as folder:
        import_document(full_catalog(folder, **item_changes), folder)
    return printable_guides().get(code=guide.example_guide()["code"])


# 实施主体 and 办理大厅 are references in the catalog, and content.guide words them as their codes;
# people read the department's and the hall's names, which is what paper and the web page print.
# The example's department and hall are named by the document that carries it (tests/content/test_guide.py
# names them 测试县测试局 and 测试县政务服务中心); this module's catalog names them so.
NAMES = {"测试县测试局": "县测试局", "测试县政务服务中心": "测试镇便民服务中心"}


def evidence(output):
    """[(element key, text)] every output showing the example guide must contain."""
    example = guide.example_guide()
    return [
        (e.key, NAMES.get(text, text))
        for e in guide.ELEMENTS
        if output in e.outputs
        for text in e.evidence_for(example[e.key])
    ]


def missing(output, text):
    flat = squash(text)
    return [(key, item) for key, item in evidence(output) if squash(item) not in flat]


class PrintedElementsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = import_full_guide()
        cls.pdf = render_guide_pdf(cls.page, portal_settings())
        cls.text = squash("".join(pdf_pages(cls.pdf)))

    def test_the_pdf_carries_every_element_declared_for_it(self):
        self.assertGreater(len(evidence("pdf")), 30)
        self.assertEqual(missing("pdf", self.text), [])

    def test_the_booklet_carries_every_element_declared_for_it(self):
        output = io.BytesIO()
        render_booklet(BookletScope(hall=self.page.service_halls.first().hall), output, processes=0)
        self.assertEqual(missing("booklet", "".join(pdf_pages(output.getvalue()))), [])

    def test_the_checklist_carries_every_element_declared_for_it(self):
        self.assertGreater(len(evidence("checklist")), 8)
        self.assertEqual(missing("checklist", "".join(pdf_pages(checklist_pdf(self.page)))), [])

    def test_status_is_printed_above_the_facts(self):
        self.assertIn("办理状态暂停受理：系统升级，请到县政务服务中心综合窗口办理（自2026年1月1日起）", self.text)
        self.assertLess(self.text.index("办理状态暂停受理"), self.text.index("事项类型"))

    def test_each_material_says_what_it_needs(self):
        # 容缺 in the 必要性 column (never 非必要), with its deadline; the certificate's issuer; 常见错误.
        self.assertIn("无犯罪记录证明可告知承诺容缺受理，可在受理后5个工作日内补交证明开具单位：县公安局", self.text)
        self.assertIn("原件1容缺", self.text)
        self.assertNotIn("非必要", self.text)
        self.assertIn("居民身份证可用电子证照", self.text)
        self.assertIn("常见错误身份证过期", self.text)
        self.assertIn("户口簿免提交（部门共享获取）", self.text)

    def test_specials_promise_roles_delivery_and_changes(self):
        self.assertIn("特别程序公示：7个自然日（不计入办结时限），在村务公开栏公示", self.text)
        self.assertIn("申请人书面承诺符合卫生条件的，免于现场核查", self.text)
        self.assertIn("以下材料可以用书面承诺代替，不用提交：无犯罪记录证明。", self.text)
        self.assertIn("窗口权限窗口可受理、审核；转报：报县市场监管局审批", self.text)
        self.assertIn("通办范围全市通办", self.text)
        self.assertIn("测试镇便民服务中心：收件、出件（受理、审批不在本大厅）", self.text)
        self.assertIn("结果送达方式窗口领取、免费寄递", self.text)
        self.assertIn("本指南变更记录2026年3月15日起新增申请材料：无犯罪记录证明", self.text)

    def test_forms_print_a_short_link_and_a_qr_code_that_reach_the_file(self):
        printed = PrintedGuide(self.page)
        forms = [form for _material, form in printed.forms]
        self.assertEqual([f.label for f in forms], ["空白表格", "填写样表"])
        documents = [self.page.materials.all()[0].blank_form, self.page.materials.all()[1].sample_form]
        for form, document in zip(forms, documents, strict=True):
            self.assertEqual(form.url, f"http://testserver/forms/{document.pk}/")
            self.assertIn(squash(f"{form.label}{form.title}testserver/forms/{document.pk}/"), self.text)
            response = self.client.get(form.url)
            self.assertRedirects(response, document.url, fetch_redirect_response=False)
            self.assertEqual(b"".join(self.client.get(document.url).streaming_content), document.file.open().read())
        # A phone reads each small code beside its material, and the guide's own code in the letterhead.
        codes = [code for n in range(1, len(pdf_pages(self.pdf)) + 1) for code in decode_qr(self.pdf, n)]
        self.assertEqual(sorted(codes), sorted([self.page.full_url, *(f.url for f in forms)]))

    def test_a_suspended_service_gives_no_expected_date_on_the_checklist(self):
        text = squash("".join(pdf_pages(checklist_pdf(self.page))))  # the example is 暂停受理 since 2026-01-01
        self.assertIn("暂停受理期间不受理申请", text)
        self.assertNotIn("预计办结日期：", text)
        ServicePage.objects.filter(pk=self.page.pk).update(status="正常")
        text = squash("".join(pdf_pages(checklist_pdf(ServicePage.objects.get(pk=self.page.pk)))))
        self.assertIn("预计办结日期：", text)

    def test_the_checklist_says_what_to_bring_what_not_and_what_may_follow(self):
        data = checklist_pdf(self.page)
        text = squash("".join(pdf_pages(data)))
        self.assertLess(text.index("办理状态暂停受理：系统升级"), text.index("备齐序号"))
        self.assertIn("请备齐以下2项材料", text)  # 户口簿 is obtained by data sharing
        self.assertIn("不用带以下材料由窗口通过部门数据共享获取（免提交），不用带：户口簿。", text)
        self.assertEqual(text.count("户口簿"), 1)
        self.assertIn("无犯罪记录证明可告知承诺容缺受理，可在受理后5个工作日内补交证明开具单位：县公安局", text)
        self.assertIn("原件1容缺", text)
        # Every form once, under the table, naming the material it is for.
        self.assertIn("第1项空白表格居民身份证申领登记表testserver/forms/", text)
        self.assertIn("第2项填写样表无犯罪记录证明申请书（样表）testserver/forms/", text)
        self.assertIn("预计办结日期未含特别程序：公示：7个自然日（不计入办结时限），在村务公开栏公示", text)
        forms = [form.url for _material, form in PrintedGuide(self.page).forms]
        self.assertEqual(sorted(decode_qr(data)), sorted([self.page.full_url, *forms]))
        # On the web page the forms are links instead.
        web = self.client.get(f"{self.page.url}checklist/").content.decode()
        for url in forms:
            self.assertIn(f'href="{url}"', web)

    def test_a_short_link_answers_only_for_forms_of_readable_guides(self):
        document = self.page.materials.all()[0].blank_form
        self.assertEqual(self.client.get("/forms/999999/").status_code, 404)
        ServicePage.objects.get(pk=self.page.pk).unpublish()
        self.assertEqual(self.client.get(f"/forms/{document.pk}/").status_code, 404)


class PrintedLayoutTests(TestCase):
    def test_nothing_runs_off_the_page_and_the_checklist_stays_on_one_sheet(self):
        page = import_full_guide()
        document = render_document("exports/guide_pdf.html", {"guide": PrintedGuide(page), "portal": portal_settings()})
        self.assertEqual(overflowing_boxes(document), [])
        checklist = render_document("exports/checklist_pdf.html", checklist_context(page))
        self.assertEqual(overflowing_boxes(checklist), [])
        self.assertEqual(len(checklist.pages), 1)


class PrintedChangeLogTests(TestCase):
    def test_only_the_newest_entries_are_printed_and_the_rest_pointed_to(self):
        changes = [{"effective": f"2026-0{n}-01", "lines": [f"第{n}次变更"]} for n in range(5, 0, -1)]
        page = import_full_guide(changes=changes)
        text = squash("".join(pdf_pages(render_guide_pdf(page, portal_settings()))))
        self.assertIn("2026年5月1日起第5次变更2026年4月1日起第4次变更2026年3月1日起第3次变更", text)
        self.assertNotIn("第2次变更", text)
        self.assertIn("更早的2次变更请扫码在网上查看。", text)


class StatusScheduleTests(TestCase):
    def test_a_status_that_has_ended_is_not_printed_and_one_to_come_is_announced(self):
        ended = {"state": "暂停受理", "reason": "系统升级", "from": "2025-01-01", "until": "2025-01-10"}
        page = import_full_guide(status=ended)
        self.assertEqual(PrintedGuide(page).status, "")
        to_come = {"state": "调整中", "reason": "流程优化", "from": "2099-01-01", "until": None}
        ServicePage.objects.filter(pk=page.pk).update(
            status="调整中", status_reason="流程优化", status_from="2099-01-01", status_until=None
        )
        page = printable_guides().get(pk=page.pk)
        self.assertEqual(PrintedGuide(page).status, guide.status_text(to_come))
        self.assertIn("调整中：流程优化（自2099年1月1日起）", squash("".join(pdf_pages(render_guide_pdf(page)))))

    def test_the_cached_pdf_follows_a_scheduled_status_without_a_new_revision(self):
        week = {"state": "暂停受理", "reason": "系统升级", "from": "2026-01-05", "until": "2026-01-10"}
        page = import_full_guide(status=week)
        guide_cache.invalidate(page.pk)
        self.addCleanup(guide_cache.invalidate, page.pk)
        printed = {}
        for day in (4, 8, 11):  # announced, in force, over: noon in Beijing
            with mock.patch(
                "django.utils.timezone.now", return_value=datetime.datetime(2026, 1, day, 4, tzinfo=datetime.UTC)
            ):
                printed[day] = squash("".join(pdf_pages(guide_pdf(printable_guides().get(pk=page.pk)))))
        self.assertIn("暂停受理：系统升级（2026年1月5日至2026年1月10日）", printed[4])
        self.assertIn("暂停受理：系统升级（2026年1月5日至2026年1月10日）", printed[8])
        self.assertNotIn("暂停受理", printed[11])
