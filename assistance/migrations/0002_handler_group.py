"""帮办代办人员: they alone see the requesters' personal data; they take, carry through and record 代办 requests.
中心负责人 sees the 代办 queue."""

from django.db import migrations

from cases.groups import grant, head_permissions, kind_permissions

HANDLERS = "帮办代办人员"
HEAD = "中心负责人"


def forward(apps, schema_editor):
    grant(apps, HANDLERS, kind_permissions("assistance", "assistancerequest"))
    grant(apps, HEAD, head_permissions("assistance", "assistancerequest"))


def backward(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=HANDLERS).delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial"), ("cases", "0001_head_group")]

    operations = [migrations.RunPython(forward, backward)]
