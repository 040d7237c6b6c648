"""The admin's 消息通知 menu: read-only, masked lists of messages and the SMS outbox, for staff with the view
permission only; template editing with validation, 恢复默认 and the preview."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from notifications.models import Channel, Message, MessageTemplate, OutboxSms, Status
from tests.test_spreadsheets import csv_rows, response_bytes


def _staff(name, *codenames):
    user = get_user_model().objects.create_user(name, password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


class MessageAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.viewer = _staff("viewer", "view_message", "view_outboxsms")
        cls.editor = _staff("editor")  # may use the admin, not see messages
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        cls.sms = Message.objects.create(
            channel=Channel.SMS,
            recipient="13812341234",
            body="您的投诉已受理，查询码TS-2026-AB12-CD34。",
            template_key="tests.received",
            dedupe_key="a:sms",
            status=Status.SENT,
            about_label="投诉",
            about_code="TS-2026-AB12-CD34",
        )
        cls.email = Message.objects.create(
            channel=Channel.EMAIL,
            recipient="zhangsan@example.com",
            subject="=HYPERLINK(1)",
            body="正文",
            template_key="tests.received",
            dedupe_key="a:email",
            status=Status.FAILED,
            last_error="邮件服务器拒收该地址：550",
        )
        OutboxSms.objects.create(message=cls.sms, phone="13812341234", text=cls.sms.body, template_key="tests.received")

    def test_lists_mask_addresses_and_the_detail_shows_them_whole(self):
        self.client.force_login(self.viewer)
        listing = self.client.get(reverse("messages:index"))
        self.assertContains(listing, "消息记录")
        self.assertContains(listing, "138****1234")
        self.assertContains(listing, "z***@example.com")
        self.assertNotContains(listing, "13812341234")
        self.assertNotContains(listing, "zhangsan@example.com")
        self.assertContains(listing, "测试：已受理")  # the template's label, not its key
        self.assertContains(listing, reverse("messages:inspect", args=[self.sms.pk]))
        detail = self.client.get(reverse("messages:inspect", args=[self.sms.pk]))
        self.assertContains(detail, "13812341234")
        self.assertContains(detail, "发送记录")
        outbox = self.client.get(reverse("sms_outbox:index"))
        self.assertContains(outbox, "短信发件箱")
        self.assertContains(outbox, "138****1234")
        self.assertNotContains(outbox, "13812341234")

    def test_filters_by_channel_status_and_template(self):
        self.client.force_login(self.viewer)
        failed = self.client.get(reverse("messages:index"), {"status": "failed"})
        self.assertContains(failed, "z***@example.com")
        self.assertNotContains(failed, "138****1234")
        sms = self.client.get(reverse("messages:index"), {"channel": "sms", "template_key": "tests.received"})
        self.assertContains(sms, "138****1234")
        self.assertNotContains(sms, "z***@example.com")

    def test_search_by_tracking_code(self):
        self.client.force_login(self.viewer)
        found = self.client.get(reverse("messages:index"), {"q": "TS-2026-AB12"})
        self.assertContains(found, "138****1234")
        self.assertNotContains(found, "z***@example.com")

    def test_export_is_masked_and_carries_no_formula(self):
        self.client.force_login(self.viewer)
        rows = csv_rows(self.client.get(reverse("messages:index"), {"export": "csv"}))
        self.assertEqual(rows[0][:3], ["创建时间", "渠道", "收件地址"])
        body = response_bytes(self.client.get(reverse("messages:index"), {"export": "csv"})).decode()
        self.assertIn("138****1234", body)
        self.assertNotIn("13812341234", body)
        self.assertIn("'=HYPERLINK(1)", body)

    def test_nobody_adds_changes_or_deletes_a_message(self):
        for user in (self.viewer, self.admin):
            self.client.force_login(user)
            self.assertNotContains(self.client.get(reverse("messages:index")), reverse("messages:add"))
            for url in (
                reverse("messages:add"),
                reverse("messages:edit", args=[self.sms.pk]),
                reverse("messages:delete", args=[self.sms.pk]),
            ):
                with self.subTest(user=user.username, url=url):
                    self.assertNotEqual(self.client.get(url).status_code, 200)
        self.assertEqual(Message.objects.count(), 2)

    def test_staff_without_the_view_permission_see_nothing(self):
        self.client.force_login(self.editor)
        for name in ("messages:index", "sms_outbox:index"):
            with self.subTest(name=name):
                self.assertNotEqual(self.client.get(reverse(name)).status_code, 200)
        self.assertNotEqual(self.client.get(reverse("messages:inspect", args=[self.sms.pk])).status_code, 200)
        self.assertNotContains(self.client.get("/admin/"), "发送失败的消息")

    def test_the_dashboard_names_failed_messages(self):
        self.client.force_login(self.viewer)
        dashboard = self.client.get("/admin/")
        self.assertContains(dashboard, "发送失败的消息")
        self.assertContains(dashboard, "邮件服务器拒收该地址")


class TemplateAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = _staff("editor", "view_messagetemplate", "change_messagetemplate")
        cls.template = MessageTemplate.objects.get(key="tests.received")

    def setUp(self):
        self.client.force_login(self.editor)
        self.url = reverse("wagtailsnippets_notifications_messagetemplate:edit", args=[self.template.pk])

    def _post(self, **fields):
        data = {
            "subject": self.template.default.subject,
            "body": self.template.default.body,
            "sms": self.template.default.sms,
        }
        data.update(fields)
        return self.client.post(self.url, data)

    def test_the_form_shows_the_default_text_and_the_variables(self):
        response = self.client.get(self.url)
        self.assertContains(response, "您的{{ kind }}已受理，查询码{{ code }}。")
        self.assertContains(response, "{{ code }}（查询码）")
        self.assertContains(response, "恢复默认")

    def test_an_unknown_variable_is_refused_with_its_name(self):
        response = self._post(sms="查询码{{ code }}，电话{{ phone }}")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "模板中的变量“phone”不存在")
        self.template.refresh_from_db()
        self.assertEqual(self.template.sms, "")

    def test_a_change_is_kept_text_equal_to_the_default_is_not_and_restore_empties_it(self):
        response = self._post(sms="{{ kind }}已受理：{{ code }}")
        self.assertEqual(response.status_code, 302)
        self.template.refresh_from_db()
        self.assertEqual(
            (self.template.subject, self.template.body, self.template.sms), ("", "", "{{ kind }}已受理：{{ code }}")
        )
        self.assertTrue(self.template.is_customised)
        self._post(sms="{{ kind }}已受理：{{ code }}", restore_defaults="on")
        self.template.refresh_from_db()
        self.assertFalse(self.template.is_customised)

    def test_no_template_is_added_or_deleted_by_hand(self):
        self.assertNotEqual(
            self.client.get(reverse("wagtailsnippets_notifications_messagetemplate:add")).status_code, 200
        )
        delete = reverse("wagtailsnippets_notifications_messagetemplate:delete", args=[self.template.pk])
        self.assertNotEqual(self.client.get(delete).status_code, 200)
        self.client.post(delete)
        self.assertTrue(MessageTemplate.objects.filter(pk=self.template.pk).exists())

    def test_preview_renders_the_examples(self):
        preview_url = reverse("wagtailsnippets_notifications_messagetemplate:preview_on_edit", args=[self.template.pk])
        data = {"subject": "主题{{ code }}", "body": "正文{{ name }}", "sms": "短信{{ code }}"}
        self.assertEqual(self.client.post(preview_url, data).json(), {"is_valid": True, "is_available": True})
        page = self.client.get(preview_url)
        self.assertContains(page, "<strong>主题：</strong>主题TS-2026-AB12-CD34", html=False)
        self.assertContains(page, "正文张三")
        self.assertContains(page, "短信TS-2026-AB12-CD34")
