"""A guide under a view restriction (password or login, on itself or an ancestor) prints and exports only
as its page reads: its PDF and checklists answer with the page's password form or login redirect, and
open data and booklets, which anyone can take away, leave it out."""

import csv
import io
import json

from django.test import TestCase

from wagtail.models import PageViewRestriction

from openpyxl import load_workbook

from exports.printing.booklets import BookletScope
from tests.factories import DepartmentFactory, HallFactory, ServicePageFactory, ViewRestrictionFactory, site_structure

PRINT_VIEWS = ("pdf/", "checklist/", "checklist/pdf/")


class RestrictedPrintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(code="SD")
        cls.department = DepartmentFactory(name="县民政局")
        common = {"department": cls.department, "parts__hall": cls.hall}
        cls.public = ServicePageFactory(title="公开办理事项", slug="open-item", code="R-01", **common)
        cls.password = ServicePageFactory(title="密码保护事项", slug="password-item", code="R-02", **common)
        cls.login = ServicePageFactory(title="登录可见事项", slug="login-item", code="R-03", **common)
        cls.lock = ViewRestrictionFactory(page=cls.password)
        ViewRestrictionFactory(page=cls.login, restriction_type=PageViewRestriction.LOGIN)

    def assertAnswersLikeThePage(self, page, suffix):
        """The print view's answer is the page's own: same status, same password form or login target."""
        url = f"{page.url}{suffix}"
        expected = self.client.get(page.url)
        response = self.client.get(url)
        self.assertEqual(response.status_code, expected.status_code, url)
        self.assertNotEqual(response.get("Content-Type"), "application/pdf", url)
        self.assertIn("no-store", response["Cache-Control"], "a restricted answer is never cached")
        self.assertNotIn(b"%PDF", response.content[:10])
        self.assertNotIn("一次性告知", response.content.decode())
        return expected, response

    def test_password_guide_prints_only_the_password_form(self):
        action = f"/_util/authenticate_with_password/{self.lock.pk}/{self.password.pk}/"
        for suffix in PRINT_VIEWS:
            with self.subTest(view=suffix):
                page, response = self.assertAnswersLikeThePage(self.password, suffix)
                self.assertContains(page, f'action="{action}"')
                self.assertContains(response, f'action="{action}"')
                self.assertContains(
                    response, f'value="{self.password.url}{suffix}"'
                )  # back to the view after the password

    def test_login_guide_redirects_to_the_login_like_its_page(self):
        for suffix in PRINT_VIEWS:
            with self.subTest(view=suffix):
                page, response = self.assertAnswersLikeThePage(self.login, suffix)
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"].split("?")[0], page["Location"].split("?")[0])
                self.assertTrue(response["Location"].endswith(f"?next={self.login.url}{suffix}"), response["Location"])

    def test_a_restriction_on_the_catalog_covers_every_guide_below_it(self):
        catalog = site_structure()[1]
        ViewRestrictionFactory(page=catalog, restriction_type=PageViewRestriction.LOGIN)
        for suffix in ("checklist/", "pdf/"):
            with self.subTest(view=suffix):
                _page, response = self.assertAnswersLikeThePage(self.public, suffix)
                self.assertEqual(response.status_code, 302)

    def test_after_the_password_the_checklist_is_shown(self):
        action = f"/_util/authenticate_with_password/{self.lock.pk}/{self.password.pk}/"
        url = f"{self.password.url}checklist/"
        self.client.post(action, {"password": "yimen-secret", "return_url": url})
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "密码保护事项")
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_public_guide_prints(self):
        response = self.client.get(f"{self.public.url}checklist/")
        self.assertContains(response, "公开办理事项")


class RestrictedOpenDataAndBookletTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(code="SD")
        cls.department = DepartmentFactory(name="县民政局")
        common = {"department": cls.department, "parts__hall": cls.hall}
        cls.public = ServicePageFactory(title="公开办理事项", code="R-01", **common)
        ViewRestrictionFactory(page=ServicePageFactory(title="密码保护事项", code="R-02", **common))
        ViewRestrictionFactory(
            page=ServicePageFactory(title="登录可见事项", code="R-03", **common),
            restriction_type=PageViewRestriction.LOGIN,
        )
        ViewRestrictionFactory(
            page=ServicePageFactory(title="内部人员事项", code="R-04", **common),
            restriction_type=PageViewRestriction.GROUPS,
        )

    HIDDEN = ("R-02", "R-03", "R-04", "密码保护事项", "登录可见事项", "内部人员事项")

    def test_open_data_page_counts_only_the_public_guide(self):
        self.assertContains(self.client.get("/open-data/"), "1 项")

    def test_json_csv_and_xlsx_hold_only_the_public_guide(self):
        data = json.loads(self.client.get("/open-data/catalog.json").content.decode("utf-8"))
        self.assertEqual([item["code"] for item in data["items"]], ["R-01"])

        rows = list(csv.reader(io.StringIO(self.client.get("/open-data/catalog.csv").content.decode("utf-8-sig"))))
        self.assertEqual({row[1] for row in rows[1:]}, {"R-01"})

        workbook = load_workbook(io.BytesIO(self.client.get("/open-data/catalog.xlsx").content), read_only=True)
        cells = {
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell
        }
        self.assertIn("R-01", cells)
        for hidden in self.HIDDEN:
            self.assertNotIn(hidden, cells)

    def test_booklets_leave_restricted_guides_out_whatever_the_scope(self):
        for scope in (BookletScope(hall=self.hall), BookletScope(department=self.department)):
            with self.subTest(scope=scope.description):
                self.assertEqual([page.code for page in scope.guides()], ["R-01"])
                self.assertEqual([page.code for section in scope.sections() for page in section.guides], ["R-01"])
