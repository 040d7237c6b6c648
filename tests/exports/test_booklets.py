"""Booklets: scope and order, contents whose page numbers are the pages where guides start, running
headers and stamped page numbers, the background job, the admin page and the command."""

import datetime
import io
import os
import re
import socket
import threading
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from pypdf import PdfReader

from exports.models import Booklet
from exports.printing import jobs
from exports.printing.booklets import BookletScope, EmptyBooklet, render_booklet
from tests.factories import (
    BookletFactory,
    DepartmentFactory,
    HallFactory,
    ServicePageFactory,
    TopicFactory,
    WindowFactory,
)


def squash(text):
    return re.sub(r"\s+", "", text)


def build_hall():
    """A hall with two windows: two guides at each, one guide no window takes, one draft, one elsewhere."""
    hall = HallFactory(title="三都镇政务服务中心", code="SD")
    social, farming, forest = (
        DepartmentFactory(name="社会事务办"),
        DepartmentFactory(name="农业办"),
        DepartmentFactory(name="林业站"),
    )
    first = WindowFactory(hall=hall, number="1", name="社会事务窗口", sort_order=0)
    second = WindowFactory(hall=hall, number="2", name="农业窗口", sort_order=1)
    first.departments.add(social)
    second.departments.add(farming)
    first.save()  # parental many-to-many rows are written on save
    second.save()
    topic = TopicFactory(name="社会救助")
    guides = {
        "低保": ServicePageFactory(
            title="最低生活保障审核确认", code="SD-01", department=social, parts__hall=hall, topics=[topic]
        ),
        "特困": ServicePageFactory(
            title="特困人员认定", code="SD-02", department=social, parts__hall=hall, topics=[topic]
        ),
        "农机": ServicePageFactory(title="农机购置补贴申请受理", code="SD-03", department=farming, parts__hall=hall),
        "耕地": ServicePageFactory(
            title="耕地地力保护补贴面积申报", code="SD-04", department=farming, window_number="2", parts__hall=hall
        ),
        "林木": ServicePageFactory(title="林木采伐许可证核发", code="SD-05", department=forest, parts__hall=hall),
    }
    draft = ServicePageFactory(title="尚未发布的事项", code="SD-06", department=social, parts__hall=hall)
    draft.unpublish()
    ServicePageFactory(title="别处的事项", code="XX-01", department=social, parts__hall=HallFactory())
    return hall, first, second, social, topic, guides


def contents_numbers(page_texts, titles):
    """{title: page number} read from the contents pages (title, dotted leader, number)."""
    contents = "\n".join(page_texts[1:4])
    numbers = {}
    for title in titles:
        match = re.search(re.escape(title) + r"[\s.·…]*?(\d+)\s*$", contents, re.MULTILINE)
        if match:
            numbers[title] = int(match.group(1))
    return numbers


def first_pages(page_texts, codes):
    """{code: 1-based page where the guide's letterhead (its code followed by 更新日期) first appears}."""
    found = {}
    for number, text in enumerate(page_texts, start=1):
        for code in codes:
            if code not in found and f"{code}更新日期" in squash(text):
                found[code] = number
    return found


class BookletTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall, cls.first, cls.second, cls.social, cls.topic, cls.guides = build_hall()
        output = io.BytesIO()
        cls.result = render_booklet(BookletScope(hall=cls.hall), output, processes=0)
        cls.pdf = output.getvalue()
        cls.texts = [page.extract_text() for page in PdfReader(io.BytesIO(cls.pdf)).pages]

    def test_a_hall_booklet_holds_its_live_guides_window_by_window(self):
        sections = BookletScope(hall=self.hall).sections()
        self.assertEqual(
            [(s.title, [p.code for p in s.guides]) for s in sections],
            [
                ("1号窗口 社会事务窗口", ["SD-01", "SD-02"]),
                ("2号窗口 农业窗口", ["SD-03", "SD-04"]),
                ("其他事项", ["SD-05"]),
            ],
        )
        self.assertEqual(self.result.guide_count, 5)

    def test_contents_page_numbers_are_where_the_guides_start(self):
        titles = {p.title: p.code for p in self.guides.values()}
        numbers = contents_numbers(self.texts, titles)
        starts = first_pages(self.texts, titles.values())
        self.assertEqual(len(numbers), 5, numbers)
        self.assertEqual({titles[t]: n for t, n in numbers.items()}, starts)
        self.assertEqual(starts, {p.code: self.result.start_pages[p.pk] for p in self.guides.values()})
        self.assertEqual(self.result.page_count, len(self.texts))

    def test_contents_follow_the_window_order(self):
        contents = squash("".join(self.texts[1:3]))
        order = [
            contents.index(t)
            for t in ("1号窗口", "最低生活保障", "特困人员", "2号窗口", "农机购置", "耕地地力", "其他事项", "林木采伐")
        ]
        self.assertEqual(order, sorted(order))

    def test_cover_running_headers_and_page_numbers(self):
        cover = squash(self.texts[0])
        self.assertIn("三都镇政务服务中心", cover)
        self.assertIn("办事指南汇编", cover)
        self.assertIn("收录事项5项", cover)
        total = len(self.texts)
        for number, text in enumerate(self.texts[1:], start=2):
            flat = squash(text)
            self.assertIn(f"第{number}页共{total}页", flat)
            self.assertIn("三都镇政务服务中心", flat)
        self.assertNotIn("尚未发布的事项", squash("".join(self.texts)))
        self.assertNotIn("别处的事项", squash("".join(self.texts)))

    def test_outline_lists_windows_and_guides(self):
        outline = PdfReader(io.BytesIO(self.pdf)).outline
        flat = []
        for item in outline:
            flat.extend(i.title for i in item) if isinstance(item, list) else flat.append(item.title)
        self.assertIn("目录", flat)
        self.assertIn("1号窗口 社会事务窗口", flat)
        self.assertIn("林木采伐许可证核发", flat)

    def test_other_scopes(self):
        window = BookletScope(window=self.second)
        self.assertEqual(window.hall, self.hall)
        self.assertEqual([p.code for s in window.sections() for p in s.guides], ["SD-03", "SD-04"])
        topic = BookletScope(topic=self.topic)
        self.assertEqual([p.code for s in topic.sections() for p in s.guides], ["SD-01", "SD-02"])
        self.assertEqual(topic.description, "主题：社会救助")
        department = BookletScope(department=self.social)
        self.assertEqual([p.code for p in department.guides()], ["SD-01", "SD-02", "XX-01"])

    def test_bad_scopes_are_refused_with_the_reason(self):
        with self.assertRaisesMessage(ValueError, "请至少选择"):
            BookletScope()
        with self.assertRaisesMessage(ValueError, "不属于"):
            BookletScope(hall=HallFactory(), window=self.first)
        with self.assertRaisesMessage(EmptyBooklet, "没有已发布的办事指南"):
            render_booklet(BookletScope(hall=HallFactory()), io.BytesIO(), processes=0)

    def test_worker_processes_give_the_same_page_numbers(self):
        output = io.BytesIO()
        result = render_booklet(BookletScope(hall=self.hall), output, processes=2)
        self.assertEqual(result.start_pages, self.result.start_pages)
        self.assertEqual(len(PdfReader(io.BytesIO(output.getvalue())).pages), self.result.page_count)


class BookletJobTests(TransactionTestCase):
    """The admin's background thread, against the real database (the thread has its own connection)."""

    serialized_rollback = True

    def setUp(self):
        self.hall = HallFactory(title="新民村便民服务站")
        ServicePageFactory(title="居住证明开具", code="XM-01", parts__hall=self.hall)

    def test_a_requested_booklet_renders_in_the_background_and_can_be_downloaded(self):
        threads = []

        def start(booklet_id):
            thread = threading.Thread(target=jobs.run, args=(booklet_id,))
            thread.start()
            threads.append(thread)
            return thread

        with mock.patch("exports.printing.jobs.start", side_effect=start), self.settings(YIMEN_BOOKLET_PROCESSES=0):
            booklet = jobs.request_booklet(BookletScope(hall=self.hall))
            self.assertEqual(len(threads), 1, "the job starts once the request is committed")
            threads[0].join(timeout=120)
        booklet.refresh_from_db()
        self.assertEqual((booklet.status, booklet.progress, booklet.error), (Booklet.Status.DONE, 100, ""))
        self.assertEqual(booklet.guide_count, 1)
        self.assertGreaterEqual(booklet.page_count, 3)
        self.assertTrue(Path(booklet.file.path).is_file())
        with booklet.file.open("rb") as handle:
            self.assertIn("居住证明开具", squash(PdfReader(handle).pages[2].extract_text()))

    def test_a_failure_reaches_the_editor(self):
        empty = HallFactory(title="空的大厅")
        booklet = Booklet.objects.create(hall=empty, title="空的大厅 全部窗口 办事指南汇编")
        jobs.run(booklet.pk)
        booklet.refresh_from_db()
        self.assertEqual(booklet.status, Booklet.Status.FAILED)
        self.assertIn("没有已发布的办事指南", booklet.error)


class AbandonedJobTests(TestCase):
    def test_jobs_of_dead_or_silent_processes_are_failed(self):
        here = socket.gethostname()
        dead = BookletFactory(status=Booklet.Status.RUNNING, worker=f"{here}:999999999", heartbeat_at=timezone.now())
        silent = BookletFactory(
            status=Booklet.Status.RUNNING,
            worker="elsewhere:1",
            heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
        )
        alive = BookletFactory(
            status=Booklet.Status.RUNNING, worker=f"{here}:{os.getpid()}", heartbeat_at=timezone.now()
        )
        done = BookletFactory(status=Booklet.Status.DONE, worker=f"{here}:999999999")
        self.assertEqual(jobs.fail_abandoned(), 2)
        statuses = {b.pk: (b.status, b.error) for b in Booklet.objects.all()}
        self.assertEqual(statuses[dead.pk][0], Booklet.Status.FAILED)
        self.assertIn("生成中断", statuses[dead.pk][1])
        self.assertEqual(statuses[silent.pk][0], Booklet.Status.FAILED)
        self.assertEqual(statuses[alive.pk][0], Booklet.Status.RUNNING)
        self.assertEqual(statuses[done.pk][0], Booklet.Status.DONE)


class BookletAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(title="东风村便民服务站")
        ServicePageFactory(title="老年人优待证办理", code="DF-01", parts__hall=cls.hall)
        cls.empty_topic = TopicFactory(name="没有事项的主题")
        from django.contrib.auth import get_user_model

        users = get_user_model()
        cls.editor = users.objects.create_user("editor", password="pw")
        cls.editor.user_permissions.add(
            Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="add_booklet")
        )
        cls.outsider = users.objects.create_user("outsider", password="pw")
        cls.outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))

    def assertRefused(self, url):
        """Wagtail turns a refusal in the admin into a redirect to the dashboard with a message."""
        response = self.client.get(url)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_only_permitted_editors_see_the_page(self):
        self.client.force_login(self.outsider)
        self.assertRefused("/admin/booklets/")
        self.assertRefused("/admin/booklets/status/")
        self.client.force_login(self.editor)
        response = self.client.get("/admin/booklets/")
        self.assertContains(response, "生成新的打印手册")

    def test_the_menu_item_shows_for_permitted_editors_only(self):
        from django.test import RequestFactory

        from exports.printing.wagtail_hooks import register_booklet_menu_item

        item = register_booklet_menu_item()
        request = RequestFactory().get("/admin/")
        request.user = self.outsider
        self.assertFalse(item.is_shown(request))
        request.user = self.editor
        self.assertTrue(item.is_shown(request))
        self.assertEqual((item.label, item.url), ("打印手册", "/admin/booklets/"))

    def test_asking_for_a_booklet_creates_a_job_started_after_commit(self):
        self.client.force_login(self.editor)
        with mock.patch("exports.printing.jobs.start") as start, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/admin/booklets/", {"scope": "hall", "hall": self.hall.pk})
        self.assertRedirects(response, "/admin/booklets/")
        booklet = Booklet.objects.get()
        start.assert_called_once_with(booklet.pk)
        self.assertEqual(booklet.title, "东风村便民服务站 全部窗口 办事指南汇编")
        self.assertEqual((booklet.status, booklet.requested_by), (Booklet.Status.QUEUED, self.editor))
        status = self.client.get("/admin/booklets/status/").json()["booklets"][0]
        self.assertEqual((status["id"], status["status"], status["download_url"]), (booklet.pk, "queued", ""))

    def test_missing_choice_and_empty_scope_are_explained(self):
        self.client.force_login(self.editor)
        response = self.client.post("/admin/booklets/", {"scope": "window"})
        self.assertContains(response, "请选择要打印的窗口。")
        response = self.client.post("/admin/booklets/", {"scope": "topic", "topic": self.empty_topic.pk})
        self.assertContains(response, "所选范围内没有已发布的办事指南")
        self.assertFalse(Booklet.objects.exists())

    def test_a_finished_booklet_downloads(self):
        booklet = BookletFactory(status=Booklet.Status.DONE, hall=self.hall, title="东风村手册")
        booklet.file.save("df.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/booklets/{booklet.pk}/download/")
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.7 test")
        self.assertIn("attachment", response["Content-Disposition"])
        status = self.client.get("/admin/booklets/status/").json()["booklets"][0]
        self.assertEqual(status["download_url"], f"/admin/booklets/{booklet.pk}/download/")
        self.client.force_login(self.outsider)
        self.assertRefused(f"/admin/booklets/{booklet.pk}/download/")


class PrintBookletCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall, cls.first, cls.second, cls.social, cls.topic, cls.guides = build_hall()

    def test_prints_a_window_to_a_file(self):
        output = Path(settings.YIMEN_PRINT_DIR) / "cli-test.pdf"
        output.parent.mkdir(parents=True, exist_ok=True)
        out, err = io.StringIO(), io.StringIO()
        call_command("print_booklet", str(output), hall="sd", window="2", processes=0, stdout=out, stderr=err)
        self.assertIn("2 个事项", out.getvalue())
        self.assertIn("排版", err.getvalue())
        text = squash("".join(p.extract_text() for p in PdfReader(output).pages))
        self.assertIn("农机购置补贴申请受理", text)
        self.assertNotIn("最低生活保障审核确认", text)

    def test_unknown_names_are_reported_with_what_exists(self):
        never = str(Path(settings.YIMEN_PRINT_DIR) / "never.pdf")
        with self.assertRaisesMessage(CommandError, "现有大厅"):
            call_command("print_booklet", never, hall="NOPE")
        with self.assertRaisesMessage(CommandError, "现有窗口：1、2"):
            call_command("print_booklet", never, hall="SD", window="9")
        with self.assertRaisesMessage(CommandError, "请至少给出"):
            call_command("print_booklet", never)
        with self.assertRaisesMessage(CommandError, "须与 --hall 一起使用"):
            call_command("print_booklet", never, window="1", topic="社会救助")
