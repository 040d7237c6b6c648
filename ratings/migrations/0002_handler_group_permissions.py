"""The 投诉处理人员 group also follows up bad ratings (差评整改)."""

from django.db import migrations

GROUP = "投诉处理人员"
PERMISSIONS = [
    ("ratings", "rating", "view_rating"),
    ("ratings", "followup", "view_followup"),
    ("ratings", "followup", "change_followup"),
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="ratings"))


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("complaints", "0002_handler_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
