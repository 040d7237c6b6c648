"""`manage.py load_demo`: the demo township in an empty portal, and an administrator to sign in with.

`./yimen start` runs it on every start, so it must be harmless on any portal: the demo content (the
catalog, the portal's name, the transparency pages with their sample ratings and complaints, the
services handled elsewhere) is
loaded once, in one transaction, into a portal that has no content yet, and never again over what
is there; an administrator account that exists is never changed. Only what is derived from the
content is brought up to date: the search index.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.models import Site

from content.models import Department, HallPage, PortalSettings, ServicePage, StaffMember
from transparency.models import NoticePage, RulePage

DEMO_CATALOG = Path(settings.BASE_DIR) / "demo" / "sample-catalog.json"
DEMO_ELSEWHERE = Path(settings.BASE_DIR) / "demo" / "elsewhere.json"
DEMO_PORTAL_NAME = "耒阳市三都镇政务服务网"

# What makes a portal "not empty": any of these means someone's content is there.
CONTENT = [
    (ServicePage, "个办事指南"),
    (HallPage, "个大厅"),
    (Department, "个部门"),
    (StaffMember, "名窗口人员"),
    (RulePage, "项规章制度"),
    (NoticePage, "条通知公告"),
]


def existing_content():
    """The content the portal already holds, in words ("3 个办事指南、2 个大厅"); empty when there is none."""
    found = []
    for model, words in CONTENT:
        count = model.objects.count()
        if count:
            found.append(f"{count} {words}")
    return "、".join(found)


class Command(BaseCommand):
    help = (
        "在空门户中载入演示内容（耒阳市三都镇的 60 个事项、政务公开页面和演示评价、投诉、不在本中心办理的事项）并创建管理员账号。"
        "门户已有内容时不载入、不覆盖任何内容；已有的管理员账号不作任何改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--catalog", default=None, help="演示用的事项目录文件（默认 demo/sample-catalog.json）")

    def handle(self, *args, catalog=None, **options):
        present = existing_content()
        if present:
            self.stdout.write(
                f"门户已有内容（{present}），没有载入演示内容：演示内容只载入空门户，从不覆盖已有的内容。"
            )
        else:
            # All or nothing: an interrupted first run leaves an empty portal, which the next run fills.
            with transaction.atomic():
                call_command("import_catalog", str(catalog or DEMO_CATALOG), stdout=self.stdout, stderr=self.stderr)
                self._portal_name()
                call_command("load_transparency_demo", sample_activity=True, stdout=self.stdout, stderr=self.stderr)
                self._elsewhere()
        self._search_index()
        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
        self.stdout.write(
            self.style.SUCCESS(
                f"{'门户现有 ' if present else '演示门户已就绪：'}{ServicePage.objects.live().count()} 个办事指南。管理后台 {admin_url}"
            )
        )
        self.stdout.write(self._admin())

    def _portal_name(self):
        """Name the portal after the demo township, unless someone has already named it."""
        portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
        if portal.portal_name == PortalSettings._meta.get_field("portal_name").default:
            portal.portal_name = DEMO_PORTAL_NAME
            portal.save(update_fields=["portal_name"])

    def _elsewhere(self):
        """The services the demo township sends elsewhere (护照 → 公安局出入境管理大队 …). Only into the empty
        portal, with the rest of the demo: their addresses and phone numbers are made up."""
        from search.elsewhere import load_entries

        loaded = load_entries(DEMO_ELSEWHERE)
        self.stdout.write(f"载入 {loaded.created} 条不在本中心办理的事项。")

    def _search_index(self):
        """Build the search index when it misses published pages (a new var/ directory, say)."""
        from search.backends import get_backend
        from search.documents import all_indexable_page_ids

        if not set(all_indexable_page_ids()) <= set(get_backend().indexed_page_ids()):
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)

    def _admin(self):
        """Create the demo administrator once; an account that exists is left exactly as it is.

        The generated password is kept in var/admin-password (mode 600) so later runs can show it
        again, for as long as it is still the account's password.
        """
        username = os.environ.get("YIMEN_ADMIN_USER", "admin")
        secret_file = Path(settings.VAR_DIR) / "admin-password"
        reset = f"忘记密码时运行 .venv/bin/python manage.py changepassword {username} 重新设置。"
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is not None:
            stored = secret_file.read_text().strip() if secret_file.is_file() else ""
            # hashers.check_password, not user.check_password: that one may re-hash and save the account.
            if stored and check_password(stored, user.password):
                return f"用户名：{username}  密码：{stored}（首次运行时生成；账号已存在，未作改动）"
            return f"管理员账号 {username} 已存在，未作改动，密码不再显示。{reset}"
        others = list(user_model.objects.filter(is_superuser=True).values_list("username", flat=True)[:3])
        if others:
            return (
                f"门户已有管理员账号（{'、'.join(others)}），没有再创建演示管理员 {username}。"
                f"忘记密码时运行 .venv/bin/python manage.py changepassword 用户名 重新设置。"
            )
        password = secrets.token_urlsafe(9)
        user_model.objects.create_superuser(username, email="", password=password)
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(password)
        secret_file.chmod(0o600)
        return f"用户名：{username}  密码：{password}（已保存在 {secret_file}，仅本用户可读）"
