import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wagtail.models import Site

from content.models import PortalSettings, ServicePage

DEMO_CATALOG = Path(settings.BASE_DIR) / "demo" / "sample-catalog.json"
DEMO_PORTAL_NAME = "耒阳市三都镇政务服务网"


class Command(BaseCommand):
    help = "载入演示内容（耒阳市三都镇的 60 个事项）并创建管理员账号；重复运行不会重复创建。"

    def handle(self, *args, **options):
        call_command("import_catalog", str(DEMO_CATALOG), stdout=self.stdout, stderr=self.stderr)
        self._portal_name()
        call_command("load_transparency_demo", sample_activity=True, stdout=self.stdout, stderr=self.stderr)
        self._search_index()
        username, password = self._admin()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示门户已就绪：{ServicePage.objects.live().count()} 个办事指南。\n"
                f"管理后台 http://127.0.0.1:8000/admin/  用户名：{username}  密码：{password}"
            )
        )

    def _portal_name(self):
        """Name the portal after the demo township, unless someone has already named it."""
        portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
        if portal.portal_name == PortalSettings._meta.get_field("portal_name").default:
            portal.portal_name = DEMO_PORTAL_NAME
            portal.save(update_fields=["portal_name"])

    def _search_index(self):
        """Build the search index when it misses published pages (a new var/ directory, say)."""
        from search.backends import get_backend
        from search.documents import all_indexable_page_ids

        if not set(all_indexable_page_ids()) <= set(get_backend().indexed_page_ids()):
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)

    def _admin(self):
        """One superuser for the demo; its random password is kept in var/ so every run can print it."""
        username = os.environ.get("YIMEN_ADMIN_USER", "admin")
        secret_file = Path(settings.VAR_DIR) / "admin-password"
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is not None and secret_file.exists() and user.check_password(secret_file.read_text().strip()):
            return username, secret_file.read_text().strip()
        password = secrets.token_urlsafe(9)
        if user is None:
            user = user_model.objects.create_superuser(username, email="", password=password)
        else:
            user.set_password(password)
            user.save()
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(password)
        secret_file.chmod(0o600)
        return username, password
