from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from notifications import notify


class Command(BaseCommand):
    help = "排队发送一条测试消息（邮件和/或短信），检查邮件服务器和短信服务商的设置。由后台任务进程发出。"

    def add_arguments(self, parser):
        parser.add_argument("--email", help="收件的电子邮件地址")
        parser.add_argument("--phone", help="收短信的手机号码")

    def handle(self, *args, email=None, phone=None, **options):
        if not (email or phone):
            raise CommandError("请至少给出 --email 或 --phone。")
        with transaction.atomic():
            messages = notify(
                "notifications.test",
                email=email,
                phone=phone,
                context={"site_name": settings.WAGTAIL_SITE_NAME, "sent_at": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
                dedupe_key=f"test:{get_random_string(12)}",
                about_label="测试",
            )
        for message in messages:
            self.stdout.write(
                f"消息 {message.pk}（{message.get_channel_display()}）：{message.get_status_display()}"
                + (
                    f"，{message.last_error}"
                    if message.last_error
                    else "，等待后台任务进程发送；结果见后台“消息记录”。"
                )
            )
