"""投诉处理人员 may record complaints received offline (add); 中心负责人 sees the complaint queue."""

from django.db import migrations

from cases.groups import grant, head_permissions, kind_permissions, revoke

HANDLERS = "投诉处理人员"
HEAD = "中心负责人"


def forward(apps, schema_editor):
    grant(apps, HANDLERS, kind_permissions("complaints", "complaint"))
    grant(apps, HEAD, head_permissions("complaints", "complaint"))


def backward(apps, schema_editor):
    revoke(apps, HANDLERS, [("complaints", "complaint", "add_complaint")])
    revoke(apps, HEAD, [("complaints", "complaint", "view_complaint")])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_case_core"), ("cases", "0001_head_group")]

    operations = [migrations.RunPython(forward, backward)]
