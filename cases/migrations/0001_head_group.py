"""中心负责人: told of every case a citizen found unsolved twice (escalated); kinds add their view permission."""

from django.db import migrations

from cases.groups import grant

GROUP = "中心负责人"


def create_group(apps, schema_editor):
    grant(apps, GROUP, [("wagtailadmin", "admin", "access_admin")])


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
