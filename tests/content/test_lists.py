"""The public lists (content.lists): 容缺受理事项清单, 告知承诺事项清单, 证明清单 and their CSV."""

import csv
import io

from django.test import TestCase

from tests.factories import MaterialFactory, ServicePageFactory, ViewRestrictionFactory


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def csv_rows(response):
    assert response.content.startswith("\ufeff".encode()), "Excel needs the byte-order mark"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class ListsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.food = ServicePageFactory(
            title="食品经营许可", code="L-01", promise_note="申请人书面承诺经营场所符合卫生要求的，免于现场核查"
        )
        MaterialFactory(service=cls.food, name="健康证明", deferrable=True, deferral_days=10, issuer="县疾控中心")
        MaterialFactory(service=cls.food, name="营业执照", shared=True)
        cls.birth = ServicePageFactory(title="生育登记", code="L-02")
        MaterialFactory(service=cls.birth, name="结婚证", promise_ok=True)
        MaterialFactory(service=cls.birth, name="无犯罪记录证明", issuer="县公安局", promise_ok=True, deferrable=True)
        cls.plain = ServicePageFactory(title="普通事项", code="L-03")
        MaterialFactory(service=cls.plain, name="健康证明", issuer="县疾控中心")
        # Guides nobody may read are named nowhere, whatever their materials.
        secret = ServicePageFactory(title="内部事项", code="L-04", promise_note="内部承诺")
        MaterialFactory(service=secret, name="内部证明", issuer="内部单位", deferrable=True, promise_ok=True)
        ViewRestrictionFactory(page=secret)
        draft = ServicePageFactory(title="草稿事项", code="L-05", promise_note="草稿承诺")
        MaterialFactory(service=draft, name="草稿证明", issuer="草稿单位", deferrable=True)
        draft.unpublish()

    def assert_readable_only(self, html):
        for hidden in ("内部事项", "内部证明", "内部单位", "草稿事项", "草稿证明", "草稿单位"):
            self.assertNotIn(hidden, html)

    def test_deferral_list_names_each_item_its_deferrable_materials_and_their_deadline(self):
        html = main(self.client.get("/lists/deferral/"))

        self.assertIn("<h1>容缺受理事项清单</h1>", html)
        self.assertIn("共 2 个事项实行容缺受理。", html)
        self.assertIn(f'href="{self.food.url}"', html)
        food = html[html.index("食品经营许可") : html.index("生育登记")]
        self.assertIn("健康证明", food)
        self.assertIn("容缺受理，可在受理后10个工作日内补交", food)  # content.guide.deferral_text
        self.assertNotIn("营业执照", food)  # not 容缺
        birth = html[html.index("生育登记") : html.index("公开清单")]
        self.assertIn("无犯罪记录证明", birth)
        self.assertIn("容缺受理，可在受理后补交", birth)  # no deadline set
        self.assertNotIn("结婚证", birth)
        self.assertNotIn("普通事项", html)
        self.assert_readable_only(html)

    def test_promise_list_says_what_the_promise_replaces(self):
        html = main(self.client.get("/lists/promise/"))

        self.assertIn("共 2 个事项实行告知承诺。", html)
        food = html[html.index("食品经营许可") : html.index("生育登记")]
        self.assertIn("申请人书面承诺经营场所符合卫生要求的，免于现场核查", food)  # the note alone puts it here
        self.assertNotIn("书面承诺后可以不提交的材料", food)
        birth = html[html.index("生育登记") : html.index("公开清单")]
        self.assertIn("书面承诺后可以不提交的材料", birth)
        self.assertIn("结婚证", birth)
        self.assertIn("无犯罪记录证明", birth)
        self.assertNotIn("普通事项", html)
        self.assert_readable_only(html)

    def test_certificate_list_groups_items_by_certificate_and_issuer(self):
        html = main(self.client.get("/lists/certificates/"))

        self.assertIn("共 2 项证明材料。", html)
        # By issuer: 县公安局 before 县疾控中心.
        self.assertLess(html.index("无犯罪记录证明"), html.index("健康证明"))
        health = html[html.index("健康证明") : html.index("公开清单")]
        self.assertIn("县疾控中心", health)
        self.assertIn("需要它的事项（2 个）", health)
        self.assertIn(f'href="{self.food.url}"', health)
        self.assertIn(f'href="{self.plain.url}"', health)
        crime = html[html.index("无犯罪记录证明") : html.index("健康证明")]
        self.assertIn('<span class="tag">容缺</span><span class="tag">可告知承诺</span>', crime)
        self.assertNotIn("营业执照", html)  # shared, but no issuer: not a certificate
        self.assert_readable_only(html)

    def test_each_list_links_to_the_others_and_its_csv(self):
        for name in ("deferral", "promise", "certificates"):
            html = main(self.client.get(f"/lists/{name}/"))
            self.assertIn(f'href="/lists/{name}.csv"', html)
            for other in {"deferral", "promise", "certificates"} - {name}:
                self.assertIn(f'href="/lists/{other}/"', html)

    def test_deferral_csv(self):
        response = self.client.get("/lists/deferral.csv")

        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        header, *rows = csv_rows(response)
        self.assertEqual(header, ["实施编码", "事项名称", "实施主体", "容缺材料", "补交期限（工作日）", "说明"])
        self.assertEqual(
            [(r[0], r[3], r[4], r[5]) for r in rows],
            [
                ("L-01", "健康证明", "10", "容缺受理，可在受理后10个工作日内补交"),
                ("L-02", "无犯罪记录证明", "", "容缺受理，可在受理后补交"),
            ],
        )

    def test_promise_and_certificate_csv(self):
        _header, *rows = csv_rows(self.client.get("/lists/promise.csv"))
        self.assertEqual(
            [(r[0], r[3], r[4]) for r in rows],
            [
                ("L-01", "申请人书面承诺经营场所符合卫生要求的，免于现场核查", ""),
                ("L-02", "", "结婚证、无犯罪记录证明"),
            ],
        )
        header, *rows = csv_rows(self.client.get("/lists/certificates.csv"))
        self.assertEqual(header[:2], ["证明名称", "开具单位"])
        self.assertEqual(
            [(r[0], r[1], r[2], r[5]) for r in rows],
            [
                ("无犯罪记录证明", "县公安局", "L-02", "容缺、可告知承诺"),
                ("健康证明", "县疾控中心", "L-01", "容缺"),
                ("健康证明", "县疾控中心", "L-03", ""),
            ],
        )

    def test_a_csv_cell_never_becomes_a_formula(self):
        MaterialFactory(service=self.plain, name='=HYPERLINK("http://x")', issuer="@SUM(1)")
        rows = csv_rows(self.client.get("/lists/certificates.csv"))
        self.assertIn(['\'=HYPERLINK("http://x")', "'@SUM(1)", "L-03", "普通事项"], [r[:4] for r in rows])

    def test_the_catalog_page_and_the_site_map_link_every_list(self):
        catalog = main(self.client.get(self.food.get_parent().url))
        site_map = main(self.client.get("/site-map/"))
        for title, url in (
            ("容缺受理事项清单", "/lists/deferral/"),
            ("告知承诺事项清单", "/lists/promise/"),
            ("证明清单", "/lists/certificates/"),
        ):
            self.assertIn(f'<a href="{url}">{title}</a>', catalog)
            self.assertIn(f'<a href="{url}">{title}</a>', site_map)


class EmptyListsTests(TestCase):
    def test_each_list_says_when_it_is_empty(self):
        ServicePageFactory(title="普通事项", code="E-01")
        for name, message in (
            ("deferral", "目前没有实行容缺受理的事项。"),
            ("promise", "目前没有实行告知承诺的事项。"),
            ("certificates", "目前没有需要申请人提交的证明材料。"),
        ):
            html = main(self.client.get(f"/lists/{name}/"))
            self.assertIn(message, html)
            self.assertNotIn(".csv", html)
