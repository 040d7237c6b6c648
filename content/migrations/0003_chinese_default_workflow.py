"""Give Wagtail's default moderation workflow and task Chinese names.

Wagtail creates them as "Moderators approval", which editors then see on the “提交给……” button. Only the
untouched defaults are renamed; a workflow an administrator has already renamed is left alone.
"""

from django.db import migrations

DEFAULT = "Moderators approval"
WORKFLOW = "审核发布"
TASK = "审核员审批"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=DEFAULT).update(name=WORKFLOW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=DEFAULT).update(name=TASK)


def restore(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).update(name=DEFAULT)
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).update(name=DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_home_popular_items"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, restore)]
