"""Groups the case kinds' data migrations create (handler groups, 中心负责人), written once for all of them.

Migrations call these with their historical `apps`; keep the signatures stable.
"""


def ensure_permissions(apps, app_labels):
    """Create the permissions of `app_labels` now (Django creates them only after all migrations ran).

    Only those apps: the historical state of other apps may still hold models a later migration removes
    (Wagtail's PageRevision), whose permissions would be left behind with English names.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        if app_config.label not in app_labels:
            continue
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name, permissions):
    """Create `group_name` when missing and give it `permissions`: [(app_label, model, codename)]."""
    ensure_permissions(apps, {app_label for app_label, _model, _codename in permissions})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, model, codename in permissions:
        permission = Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
        group.permissions.add(permission)


def revoke(apps, group_name, permissions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for app_label, model, codename in permissions:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, content_type__model=model, codename=codename)
        )


def kind_permissions(app_label, model):
    """What a kind's handler group may do: open the admin, see, handle and record (offline intake) its cases."""
    return [
        ("wagtailadmin", "admin", "access_admin"),
        (app_label, model, "view_" + model),
        (app_label, model, "change_" + model),
        (app_label, model, "add_" + model),
    ]


def head_permissions(app_label, model):
    """中心负责人 sees every kind's queue (escalated cases above all) without handling them."""
    return [("wagtailadmin", "admin", "access_admin"), (app_label, model, "view_" + model)]
