"""咨询答复人员: they alone see askers' personal data; they answer, publish and record questions.
中心负责人 sees the question queue."""

from django.db import migrations

from cases.groups import grant, head_permissions, kind_permissions

HANDLERS = "咨询答复人员"
HEAD = "中心负责人"


def forward(apps, schema_editor):
    grant(apps, HANDLERS, kind_permissions("questions", "question"))
    grant(apps, HEAD, head_permissions("questions", "question"))


def backward(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=HANDLERS).delete()


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial"), ("cases", "0001_head_group")]

    operations = [migrations.RunPython(forward, backward)]
