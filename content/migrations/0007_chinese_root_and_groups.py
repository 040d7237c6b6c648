"""Give Wagtail's tree root and its two default groups Chinese names.

Wagtail creates the root page as "Root" (the page explorer shows "浏览: Root") and the groups
"Editors" and "Moderators". Only the untouched defaults are renamed; a group an administrator has
already renamed, or another group with the Chinese name, is left alone.
"""

from django.db import migrations

ROOT = ("Root", "全部页面")
GROUPS = [("Editors", "编辑"), ("Moderators", "审核员")]


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=ROOT[0]).update(title=ROOT[1], draft_title=ROOT[1])
    groups = apps.get_model("auth", "Group").objects
    for old, new in GROUPS:
        if not groups.filter(name=new).exists():
            groups.filter(name=old).update(name=new)


def restore(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=ROOT[1]).update(title=ROOT[0], draft_title=ROOT[0])
    groups = apps.get_model("auth", "Group").objects
    for old, new in GROUPS:
        if not groups.filter(name=old).exists():
            groups.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_service_update_date_help"),
        # Wagtail's own data migrations find these groups by their English names.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(rename, restore)]
