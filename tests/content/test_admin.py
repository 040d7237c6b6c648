"""Editing through the real Wagtail admin views: the forms render, valid edits are stored, bad ones refused in Chinese."""

import json

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from content.models import FAQ, HallLevel, HomePopularItem, ServicePage
from tests.factories import (
    DepartmentFactory,
    HallFactory,
    ServicePageFactory,
    StaffMemberFactory,
    WindowFactory,
    site_structure,
)
from tests.test_spreadsheets import csv_rows, response_bytes, xlsx_cells


class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_structure()[0]
        cls.user = get_user_model().objects.create_superuser("editor", password="pw-for-tests-only")
        cls.department = DepartmentFactory(name="县民政局")
        cls.hall = HallFactory(level=HallLevel.TOWNSHIP)
        WindowFactory(hall=cls.hall, number="1", name="社会事务窗口", departments=[cls.department])
        cls.page = ServicePageFactory(
            title="临时救助", department=cls.department, halls=[cls.hall], legal_limit_days=30, promised_limit_days=10
        )
        cls.page.save_revision().publish()

    def setUp(self):
        self.client.force_login(self.user)

    def edit_url(self, page):
        return f"/admin/pages/{page.pk}/edit/"

    def form(self, page):
        """The edit form as the admin renders it, as the POST data a browser would send."""
        response = self.client.get(self.edit_url(page))
        self.assertEqual(response.status_code, 200)
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        # A ticked checkbox without a value attribute is sent as "on" by browsers (the helper sends "").
        soup = WagtailTestUtils.get_soup(response.content)
        for box in soup.select('#page-edit-form input[type="checkbox"][checked]:not([value])'):
            data[box["name"]] = "on"
        return data

    def publish(self, page, data):
        data["action-publish"] = "action-publish"
        # Every value of multi-valued fields (topics, a window's departments), as a browser sends them.
        return self.client.post(self.edit_url(page), {key: data.getlist(key) for key in data})

    def refused(self, **changes):
        data = self.form(self.page)
        for name, value in changes.items():
            data[name] = value
        revisions = self.page.revisions.count()
        response = self.publish(self.page, data)
        self.assertEqual(response.status_code, 200)
        page = ServicePage.objects.get(pk=self.page.pk)
        self.assertEqual((page.promised_limit_days, page.handling), (10, "承诺件"))  # nothing stored
        self.assertEqual(page.revisions.count(), revisions)
        self.assertContains(response, "页面无法保存，因为有内容不符合要求，请按提示修改。")
        return response


class ServicePageAdminTests(AdminTestCase):
    def test_admin_is_in_chinese(self):
        response = self.client.get("/admin/")
        self.assertContains(response, '<html lang="zh-hans"')
        self.assertContains(response, "<title>控制面板 - ")
        # Strings Wagtail 8.0 leaves untranslated, completed by content/locale.
        self.assertContains(response, "快捷键")
        # The sidebar menu is JSON inside the page, so its Chinese is \u-escaped there.
        self.assertContains(response, json.dumps("页面类型使用情况")[1:-1])
        self.assertNotContains(response, "Page types usage")

    def test_default_workflow_has_a_chinese_name(self):
        response = self.client.get(self.edit_url(self.page))
        self.assertContains(response, "审核发布")
        self.assertNotContains(response, "Moderators approval")

    def test_edit_form_renders_every_tab(self):
        response = self.client.get(self.edit_url(self.page))
        self.assertEqual(response.status_code, 200)
        for tab in ("基本信息", "条件与材料", "流程与时限", "地点与咨询", "收费", "设定依据", "常见问题"):
            self.assertContains(response, tab)
        for label in ("实施编码", "承诺办结时限", "法定办结时限", "申请材料", "办理环节", "办理大厅", "收费项目"):
            self.assertContains(response, label)

    def test_valid_edit_is_published_with_its_inline_rows(self):
        data = self.form(self.page)
        data["title"] = "临时救助申请"
        data["promised_limit_days"] = "7"
        data["faqs-TOTAL_FORMS"] = "1"
        data.update(
            {
                "faqs-0-question": "多久能领到？",
                "faqs-0-answer": "审批后次月发放。",
                "faqs-0-ORDER": "1",
                "faqs-0-id": "",
            }
        )
        revisions = self.page.revisions.count()
        response = self.publish(self.page, data)
        self.assertRedirects(response, f"/admin/pages/{self.page.get_parent().pk}/", fetch_redirect_response=False)
        page = ServicePage.objects.get(pk=self.page.pk)
        self.assertEqual((page.title, page.promised_limit_days, page.live), ("临时救助申请", 7, True))
        self.assertEqual(
            list(FAQ.objects.filter(service=page).values_list("question", "answer")),
            [("多久能领到？", "审批后次月发放。")],
        )
        self.assertEqual(page.revisions.count(), revisions + 1)
        self.assertEqual(page.live_revision_id, page.latest_revision_id)
        # The public guide shows the new values.
        public = self.client.get(page.url).content.decode()
        self.assertIn("7个工作日", public)
        self.assertIn("多久能领到？", public)

    def test_promised_over_legal_is_refused_on_the_field(self):
        response = self.refused(promised_limit_days="40")
        message = "承诺办结时限（40工作日）不能超过法定办结时限（30工作日）。"
        self.assertEqual(response.context["form"].errors["promised_limit_days"], [message])
        self.assertContains(response, message)

    def test_immediate_item_with_days_is_refused_on_the_field(self):
        response = self.refused(handling="即办件", promised_limit_days="3")
        self.assertEqual(
            response.context["form"].errors["promised_limit_days"],
            ["即办件应当场办结，承诺办结时限须为 0（当场办结）。"],
        )

    def test_no_audience_is_refused(self):
        data = self.form(self.page)
        data.pop("for_individuals", None)
        data.pop("for_organisations", None)
        response = self.publish(self.page, data)
        self.assertEqual(
            response.context["form"].errors["for_individuals"], ["请至少选择一种服务对象（自然人或法人）。"]
        )

    def test_required_inline_rows(self):
        for relation in ("basis", "process_steps", "service_halls"):
            with self.subTest(relation):
                data = self.form(self.page)
                for i in range(int(data[f"{relation}-TOTAL_FORMS"])):
                    data[f"{relation}-{i}-DELETE"] = "1"
                response = self.publish(self.page, data)
                self.assertEqual(response.status_code, 200)
                formset = response.context["form"].formsets[relation]
                self.assertEqual(formset.non_form_errors(), ["请至少提交 1 个表单。"])
        self.assertEqual(ServicePage.objects.get(pk=self.page.pk).basis.count(), 1)

    def test_missing_required_field_message_is_chinese(self):
        data = self.form(self.page)
        data["conditions"] = ""
        response = self.publish(self.page, data)
        self.assertEqual(response.context["form"].errors["conditions"], ["必需字段"])


class OtherPagesAdminTests(AdminTestCase):
    def test_hall_edit_shows_window_department_checkboxes(self):
        response = self.client.get(self.edit_url(self.hall))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'type="checkbox" name="windows-0-departments"')
        self.assertContains(response, "县民政局")

    def test_hall_window_departments_are_saved(self):
        other = DepartmentFactory(name="县公安局")
        data = self.form(self.hall)
        data.setlist("windows-0-departments", [str(self.department.pk), str(other.pk)])
        response = self.publish(self.hall, data)
        self.assertEqual(response.status_code, 302)
        window = self.hall.windows.get()
        self.assertEqual(sorted(window.departments.values_list("name", flat=True)), ["县公安局", "县民政局"])

    def test_home_popular_items_are_chosen_in_the_admin(self):
        data = self.form(self.home)
        self.assertIn("popular_items-TOTAL_FORMS", data)
        data["popular_items-TOTAL_FORMS"] = "1"
        data.update(
            {"popular_items-0-service": str(self.page.pk), "popular_items-0-ORDER": "1", "popular_items-0-id": ""}
        )
        response = self.publish(self.home, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(HomePopularItem.objects.values_list("service_id", flat=True)), [self.page.pk])
        self.assertIn("热门事项", self.client.get("/").content.decode())


class PreviewTests(AdminTestCase):
    def test_preview_of_unsaved_changes_renders_the_guide(self):
        data = self.form(self.page)
        data["title"] = "临时救助（预览）"
        data["faqs-TOTAL_FORMS"] = "1"
        data.update(
            {
                "faqs-0-question": "预览里的问题？",
                "faqs-0-answer": "预览里的解答。",
                "faqs-0-ORDER": "1",
                "faqs-0-id": "",
            }
        )
        # A second hall added in the form but not saved yet.
        village = HallFactory(title="新民村便民服务站", level=HallLevel.VILLAGE)
        WindowFactory(hall=village, number="1", name="综合代办窗口", departments=[self.department])
        data["service_halls-TOTAL_FORMS"] = "2"
        data.update({"service_halls-1-hall": str(village.pk), "service_halls-1-ORDER": "2", "service_halls-1-id": ""})
        url = f"/admin/pages/{self.page.pk}/edit/preview/"
        posted = self.client.post(url, {key: data.getlist(key) for key in data})
        self.assertEqual(posted.json(), {"is_valid": True, "is_available": True})
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("临时救助（预览）", html)
        self.assertIn("预览里的问题？", html)
        self.assertIn("1号窗口 社会事务窗口", html)
        self.assertIn("新民村便民服务站", html)
        self.assertIn("1号窗口 综合代办窗口", html)
        self.assertEqual(ServicePage.objects.get(pk=self.page.pk).title, "临时救助")


class SnippetExportTests(AdminTestCase):
    def test_staff_and_department_exports_carry_no_formulas(self):
        StaffMemberFactory(
            name='=HYPERLINK("http://evil.example")', position="@SUM(1)", phone="+1", department=self.department
        )
        DepartmentFactory(name="-2+3", code="D-F1")
        rows = csv_rows(self.client.get("/admin/snippets/content/staffmember/", {"export": "csv"}))
        self.assertEqual(rows[1][1], '\'=HYPERLINK("http://evil.example")')
        self.assertEqual((rows[1][5], rows[1][7]), ("'@SUM(1)", "'+1"))
        cells = xlsx_cells(response_bytes(self.client.get("/admin/snippets/content/staffmember/", {"export": "xlsx"})))
        self.assertEqual(cells[1][1], ('=HYPERLINK("http://evil.example")', "s", True))
        rows = csv_rows(self.client.get("/admin/snippets/content/department/", {"export": "csv"}))
        self.assertIn(["D-F1", "'-2+3"], [row[:2] for row in rows])


class GuideElementAdminTests(AdminTestCase):
    """The new elements edit through the real admin form, and the declared rules speak on the field."""

    def test_a_condition_ending_in_deng_is_refused_with_its_line(self):
        response = self.refused(conditions="户籍在本县\n家庭人均收入低于当地低保标准等")
        self.assertEqual(
            response.context["form"].errors["conditions"],
            ["第2条以“等”结尾：受理条件须逐项写明，不得出现“等”“其他”字样。"],
        )

    def test_a_material_ending_in_qita_is_refused_on_the_material(self):
        data = self.form(self.page)
        data["materials-0-name"] = "户口簿、结婚证或其他"
        response = self.publish(self.page, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].formsets["materials"].forms[0].errors
        self.assertEqual(
            errors["name"], ["材料名称“户口簿、结婚证或其他”以“其他”结尾：申请材料须逐项列明，不得出现“等”“其他”字样。"]
        )

    def test_a_suspension_needs_its_reason(self):
        response = self.refused(status="暂停受理", status_reason="")
        self.assertEqual(
            response.context["form"].errors["status_reason"], ["暂停受理或调整中时，请写明原因和替代办法。"]
        )

    def test_status_window_powers_delivery_and_deferral_are_stored(self):
        data = self.form(self.page)
        data.update(
            {"status": "暂停受理", "status_reason": "系统升级", "status_from": "2026-01-05", "scope": "全市通办"}
        )
        data.setlist("window_powers", ["审核", "受理"])
        data.setlist("delivery", ["免费寄递"])
        data["materials-0-deferrable"] = "on"
        data["materials-0-deferral_days"] = "5"
        response = self.publish(self.page, data)
        if response.status_code != 302:
            form = response.context["form"]
            self.fail([form.errors, *(f.errors for fs in form.formsets.values() for f in fs.forms if f.errors)])

        page = ServicePage.objects.get(pk=self.page.pk)
        self.assertEqual(
            (page.status, page.status_reason, str(page.status_from)), ("暂停受理", "系统升级", "2026-01-05")
        )
        self.assertEqual(page.window_powers, ["受理", "审核"])  # kept in the declared order
        self.assertEqual((page.delivery, page.scope), (["免费寄递"], "全市通办"))
        material = page.materials.first()
        self.assertEqual((material.deferrable, material.deferral_days, str(material.necessity)), (True, 5, "容缺"))
