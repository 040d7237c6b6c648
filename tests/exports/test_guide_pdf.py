"""The guide PDF: every element printed, Chinese intact in an embedded CJK font, QR code to the live page,
page numbers and dates in the margins, cached per revision, and nothing overflowing the page."""

import datetime
import io
import re
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import TestCase

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from content.models import LegalBasis, ProcessStep
from exports.printing import fonts
from exports.printing.cache import guide_cache
from exports.printing.documents import guide_pdf, portal_settings, render_guide_pdf
from exports.printing.guides import PrintedGuide, chinese_numeral
from exports.printing.rendering import render_document
from tests.factories import (
    DepartmentFactory,
    HallFactory,
    MaterialFactory,
    ServicePageFactory,
    TopicFactory,
    WindowFactory,
)


def pdf_pages(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squash(text):
    """Extracted text without the spaces and line breaks layout puts in."""
    return re.sub(r"\s+", "", text)


def decode_qr(data, page_number=1):
    """Render one page with pdftoppm, as a phone camera would see it, and decode its QR codes."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "guide.pdf"
        pdf.write_bytes(data)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-r", "150", "-png", "-f", str(page_number), "-l", str(page_number), str(pdf), f"{folder}/p"],  # noqa: S607
            check=True,
        )
        image = Image.open(next(Path(folder).glob("p-*.png")))
        return [result.text for result in zxingcpp.read_barcodes(image)]


def overflowing_boxes(document):
    """Boxes that reach outside their page's content area (text running off the paper)."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        left, top = root.content_box_x(), root.content_box_y()
        right, bottom = left + root.width, top + root.height
        for box in root.descendants():
            if getattr(box, "element_tag", None) in (None, "html", "body") or box.position_y is None:
                continue
            if type(box).__name__.startswith("Margin"):
                continue
            x, y = box.border_box_x(), box.border_box_y()
            if x < left - 1 or x + box.border_width() > right + 1 or y + box.border_height() > bottom + 1:
                found.append((number, box.element_tag, getattr(box, "text", "")[:20]))
    return found


class FullGuideTests(TestCase):
    """A guide with every element filled in, at a hall with numbered windows."""

    @classmethod
    def setUpTestData(cls):
        cls.department = DepartmentFactory(name="三都镇社会事务综合服务中心")
        cls.hall = HallFactory(
            title="耒阳市三都镇政务服务中心", slug="ly-sd", code="LY-SD", address="三都镇人民政府一楼"
        )
        cls.other_hall = HallFactory(
            title="三都镇新民村便民服务站", slug="ly-sd-xm", code="LY-SD-XM", address="新民村村部一楼"
        )
        cls.window = WindowFactory(hall=cls.hall, number="1", name="社会事务综合窗口")
        cls.window.departments.add(cls.department)
        cls.window.save()
        cls.topic = TopicFactory(name="社会救助")
        cls.page = ServicePageFactory(
            title="最低生活保障审核确认",
            slug="ly-sd-0001",
            code="LY-SD-0001",
            catalog_code="000129001000",
            item_type="行政给付",
            handling="上报件",
            department=cls.department,
            window_number="1",
            conditions="1. 申请人具有耒阳市户籍；\n2. 共同生活家庭成员人均月收入低于当地低保标准。",
            legal_limit_days=30,
            legal_limit_note="特殊情况下可延长至45个工作日",
            promised_limit_days=25,
            promised_limit_note="自受理之日起计算",
            visits=1,
            online_available=True,
            online_url="https://zwfw-new.hunan.gov.cn/",
            online_depth="网上申请：可通过“湘易办”APP提交申请",
            result_name="最低生活保障确认决定",
            result_type="确认结果",
            consult_phone="0734-4362011",
            complaint_phone="0734-4362019",
            hours="周一至周五 8:30-12:00，14:30-17:30",
            updated=datetime.date(2025, 9, 12),
            parts__hall=cls.hall,
            halls=[cls.other_hall],
            topics=[cls.topic],
            fees=[("证书工本费", "每证 10 元")],
            faqs=[("家里有一辆小汽车还能申请低保吗？", "原则上拥有非生活必需机动车辆的家庭不符合条件。")],
        )
        LegalBasis.objects.filter(service=cls.page).update(
            name="社会救助暂行办法", number="国务院令第649号", article="第九条", content="给予最低生活保障。"
        )
        MaterialFactory(
            service=cls.page, name="家庭经济状况核对授权书", form="原件", required=False, note="窗口提供格式文本"
        )
        cls.pdf = render_guide_pdf(cls.page, portal_settings())

    def test_every_element_of_the_guide_is_printed(self):
        text = squash("".join(pdf_pages(self.pdf)))
        expected = [
            "最低生活保障审核确认", "LY-SD-0001", "000129001000", "行政给付", "上报件",
            "三都镇社会事务综合服务中心", "自然人",
            "设定依据", "《社会救助暂行办法》（国务院令第649号）第九条", "给予最低生活保障。",
            "受理条件", "1.申请人具有耒阳市户籍；", "2.共同生活家庭成员人均月收入低于当地低保标准。",
            "申请材料", "居民身份证", "原件和复印件", "家庭经济状况核对授权书", "非必要", "窗口提供格式文本",
            "办理流程", "受理", "综合窗口", "当场", "决定", "实施部门",
            "办理时限", "30个工作日（特殊情况下可延长至45个工作日）", "25个工作日（自受理之日起计算）",
            "收费标准及依据", "证书工本费", "每证10元",
            "办理地点和时间", "1号窗口社会事务综合窗口", "三都镇人民政府一楼", "周一至周五8:30-12:00，14:30-17:30",
            "也可在以下地点办理", "三都镇新民村便民服务站（新民村村部一楼）",
            "网上办理", "https://zwfw-new.hunan.gov.cn/", "湘易办",
            "办理结果", "最低生活保障确认决定（确认结果）",
            "咨询和监督投诉", "0734-4362011", "0734-4362019",
            "常见问题", "家里有一辆小汽车还能申请低保吗？", "原则上拥有非生活必需机动车辆的家庭不符合条件。",
            "主题分类", "社会救助", "最多跑一次",
        ]  # fmt: skip
        missing = [item for item in expected if squash(item) not in text]
        self.assertEqual(missing, [])

    def test_sections_are_numbered_in_order(self):
        text = squash("".join(pdf_pages(self.pdf)))
        headings = [
            "一、设定依据",
            "二、受理条件",
            "三、申请材料",
            "四、办理流程",
            "五、办理时限",
            "六、收费标准及依据",
        ]
        positions = [text.index(h) for h in headings]
        self.assertEqual(positions, sorted(positions))
        self.assertIn("十一、常见问题", text)

    def test_header_footer_and_page_count(self):
        pages = pdf_pages(self.pdf)
        total = len(pages)
        self.assertGreaterEqual(total, 2)
        for number, text in enumerate(pages, start=1):
            flat = squash(text)
            self.assertIn(f"第{number}页共{total}页", flat)
            self.assertIn("更新日期2025年9月12日", flat)
        # From the second page on, the running header names the hall and the guide.
        self.assertIn("耒阳市三都镇政务服务中心", pages[1])
        self.assertIn("最低生活保障审核确认", pages[1])

    def test_chinese_is_set_in_an_embedded_cjk_font(self):
        reader = PdfReader(io.BytesIO(self.pdf))
        embedded = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                self.assertTrue(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
                embedded.add(str(font["/BaseFont"]))
        self.assertTrue(any("CJK" in name for name in embedded), embedded)
        self.assertNotIn("\ufffd", "".join(pdf_pages(self.pdf)))

    def test_qr_code_decodes_to_the_live_page(self):
        self.assertEqual(decode_qr(self.pdf), [self.page.full_url])
        self.assertEqual(self.page.full_url, "http://testserver/services/ly-sd-0001/")  # SITE_URL of the test settings

    def test_view_serves_the_pdf_of_a_live_guide(self):
        response = self.client.get("/services/ly-sd-0001/pdf/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("LY-SD-0001", response["Content-Disposition"])
        self.assertIn("最低生活保障审核确认", squash(pdf_pages(response.content)[0]))

    def test_drafts_unknown_and_restricted_guides_are_not_printed(self):
        self.assertEqual(self.client.get("/services/no-such-guide/pdf/").status_code, 404)
        self.page.unpublish()
        self.assertEqual(self.client.get("/services/ly-sd-0001/pdf/").status_code, 404)
        self.assertEqual(self.client.get("/services/ly-sd-0001/checklist/").status_code, 404)


class CacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = ServicePageFactory(
            title="居民身份证换领", slug="cache-guide", code="CACHE-1", parts__hall=HallFactory()
        )

    def setUp(self):
        guide_cache.invalidate(self.page.pk)

    def test_an_unchanged_guide_is_rendered_once(self):
        with mock.patch("exports.printing.documents.render_guide_pdf", wraps=render_guide_pdf) as render:
            first = guide_pdf(self.page)
            second = guide_pdf(self.page)
        self.assertEqual(render.call_count, 1)
        self.assertEqual(first, second)
        self.assertTrue(any((Path(settings.YIMEN_PRINT_DIR) / "guides" / str(self.page.pk)).glob("*.pdf")))

    def test_a_published_change_is_printed_at_once(self):
        guide_pdf(self.page)
        self.page.title = "居民身份证换领（新版）"
        self.page.save_revision().publish()
        self.assertFalse(any((guide_cache.root / str(self.page.pk)).glob("*.pdf")), "publishing frees the old PDF")
        self.page.refresh_from_db()
        self.assertIn("居民身份证换领（新版）", squash(pdf_pages(guide_pdf(self.page))[0]))

    def test_a_missed_signal_never_serves_a_stale_pdf(self):
        guide_pdf(self.page)
        self.page.title = "居民身份证补领"
        with mock.patch("exports.printing.receivers.guide_cache.invalidate"):
            self.page.save_revision().publish()
        self.page.refresh_from_db()  # as the view would read it
        self.assertIn("居民身份证补领", squash(pdf_pages(guide_pdf(self.page))[0]))


class DifficultGuideTests(TestCase):
    """Very long texts, 20 materials, no fees, no FAQ: all printed, nothing off the page, no empty section."""

    @classmethod
    def setUpTestData(cls):
        hall = HallFactory()
        long_condition = "申请人应当如实提供家庭成员、收入、财产状况等全部情况" * 40
        cls.page = ServicePageFactory(
            title="农村宅基地和村民建房（规划许可）审批以及与之相关的乡村建设规划许可证核发" * 2,
            conditions="\n".join(f"{n}. {long_condition}" for n in range(1, 4)),
            online_url="https://example.gov.cn/" + "a" * 240,
            online_available=True,
            parts__hall=hall,
        )
        for n in range(20):
            MaterialFactory(
                service=cls.page, name=f"第{n + 1}项证明材料（须加盖公章）", note="按要求填写" * (30 if n == 7 else 3)
            )
        LegalBasis.objects.filter(service=cls.page).update(content="第十二条规定" * 400)
        ProcessStep.objects.filter(service=cls.page, step="决定").update(standard="审查材料是否齐全" * 200)
        cls.guide = PrintedGuide(cls.page)
        document = render_document("exports/guide_pdf.html", {"guide": cls.guide, "portal": portal_settings()})
        cls.overflow = overflowing_boxes(document)  # a laid-out document cannot be copied per test
        cls.box_count = sum(1 for page in document.pages for _ in page._page_box.descendants())
        cls.pdf = document.write_pdf()

    def test_nothing_runs_off_the_page(self):
        self.assertGreater(self.box_count, 500)
        self.assertEqual(self.overflow, [])

    def test_all_long_text_and_all_materials_are_printed(self):
        pages = pdf_pages(self.pdf)
        margins = [
            squash(self.page.title),
            self.page.code,
            "更新日期2025年9月12日",
            squash(self.guide.place.hall.title),
        ]
        margins += [f"第{n}页共{len(pages)}页" for n in range(1, len(pages) + 1)]
        text = squash("".join(pages))
        for margin in sorted(margins, key=len, reverse=True):
            text = text.replace(margin, "")  # running headers and footers sit between the halves of a split line
        self.assertEqual(text.count("须加盖公章"), 20)
        self.assertEqual(text.count("申请人应当如实提供家庭成员"), 120)
        self.assertEqual(text.count("第十二条规定"), 400)
        self.assertIn("aaaa", text)

    def test_empty_sections_are_left_out_and_fees_say_free(self):
        text = squash("".join(pdf_pages(self.pdf)))
        self.assertIn("不收费。", text)
        self.assertNotIn("常见问题", text)
        self.assertNotIn("办理结果", text)
        self.assertEqual(self.guide.sections["fees"], "六")


class SectionNumberTests(TestCase):
    def test_chinese_numerals(self):
        self.assertEqual(
            [chinese_numeral(n) for n in (1, 9, 10, 11, 12, 20, 21)],
            ["一", "九", "十", "十一", "十二", "二十", "二十一"],
        )


class MissingFontTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = ServicePageFactory(slug="no-font", code="NOFONT-1", parts__hall=HallFactory())

    def setUp(self):
        fonts.font_stacks.cache_clear()
        guide_cache.invalidate(self.page.pk)
        self.addCleanup(fonts.font_stacks.cache_clear)
        self.addCleanup(fonts.chinese_families.cache_clear)

    def test_no_cjk_font_fails_with_the_package_to_install(self):
        with (
            mock.patch("exports.printing.fonts.chinese_families", return_value=()),
            self.assertRaisesMessage(fonts.CJKFontMissing, "fonts-noto-cjk"),
        ):
            fonts.font_stacks()

    def test_the_public_gets_a_clear_page_and_the_log_the_reason(self):
        with (
            mock.patch("exports.printing.fonts.chinese_families", return_value=()),
            self.assertLogs("exports.printing.views", level="ERROR") as logs,
        ):
            response = self.client.get("/services/no-font/pdf/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "打印服务暂时不可用", status_code=503)
        self.assertIn("fonts-noto-cjk", "\n".join(logs.output))

    def test_any_installed_chinese_font_is_used_when_noto_is_missing(self):
        with mock.patch("exports.printing.fonts.chinese_families", return_value=("WenQuanYi Zen Hei",)):
            stacks = fonts.font_stacks()
        self.assertIn('"WenQuanYi Zen Hei"', stacks["serif"])
        self.assertIn('"WenQuanYi Zen Hei"', stacks["sans"])
