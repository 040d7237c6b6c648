"""Permission names and the root collection in Chinese, as the 用户组 edit page lists them.

Django stores each permission's name in the database when it first creates it, in English
("Can add group", "Can change 搜索记录"), and Wagtail's migrations add their own ("Publish any page");
the group edit page shows these stored names, so a locale cannot translate them. The receiver below
renames them where they are stored, after every migrate (and every test database's creation):

- a default permission still under Django's name "Can <action> <verbose_name_raw>" becomes
  "可以<动作><模型的中文名称>", the model's verbose_name in zh-hans;
- Wagtail's and Django's own custom permissions take the names in `CUSTOM`;
- the root collection Wagtail creates as "Root" (the collection column of the image and document
  permissions) becomes 全部集合, as the root page became 全部页面 (content migration 0007).

A name an administrator or a model's Meta has set otherwise is left alone, and running it again
changes nothing.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions
from django.utils import translation

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}

# (app_label, codename): (name Wagtail or Django gives it, the portal's name).
CUSTOM = {
    ("wagtailadmin", "access_admin"): ("Can access Wagtail admin", "可以进入管理后台"),
    ("wagtailcore", "bulk_delete_page"): ("Delete pages with children", "可以删除页面及其子页面"),
    ("wagtailcore", "lock_page"): ("Lock/unlock pages you've locked", "可以锁定页面并解锁自己锁定的页面"),
    ("wagtailcore", "publish_page"): ("Publish any page", "可以发布任意页面"),
    ("wagtailcore", "unlock_page"): ("Unlock any page", "可以解锁任意页面"),
    ("wagtaildocs", "choose_document"): ("Can choose document", "可以选用文档"),
    ("wagtailimages", "choose_image"): ("Can choose image", "可以选用图片"),
}

ROOT_COLLECTION = ("Root", "全部集合")


def chinese_name(model, action):
    with translation.override("zh-hans"):
        return f"可以{ACTIONS[action]}{model._meta.verbose_name}"


def rename_permissions(app_config, using="default", apps=global_apps, **kwargs):
    """post_migrate receiver: the permissions of ``app_config``'s models, under their Chinese names."""
    if app_config.models_module is None:
        return
    # post_migrate receivers run in the order they were connected, and this app comes before
    # django.contrib.auth in INSTALLED_APPS, so auth's own receiver would create this app's permissions
    # only after this one ran. Creating them first (it adds only the missing ones) makes the order
    # irrelevant: auth's receiver then finds them all and adds nothing.
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    try:
        Permission = apps.get_model("auth", "Permission")
        apps.get_app_config(app_config.label)
    except LookupError:
        return
    permissions = Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    # Django named each permission after the migration state's model, as matched here; the Chinese name
    # is the real model's verbose_name, the one the code has now (the state's where no real model exists).
    for state_model in apps.get_app_config(app_config.label).get_models():
        opts = state_model._meta
        model = next((m for m in app_config.get_models() if m._meta.model_name == opts.model_name), state_model)
        for action in opts.default_permissions:
            if action in ACTIONS:
                permissions.filter(
                    content_type__model=opts.model_name,
                    codename=get_permission_codename(action, opts),
                    name=f"Can {action} {opts.verbose_name_raw}",
                ).update(name=chinese_name(model, action))
    for (app_label, codename), (english, chinese) in CUSTOM.items():
        if app_label == app_config.label:
            permissions.filter(codename=codename, name=english).update(name=chinese)
    if app_config.label == "wagtailcore":
        collections = apps.get_model("wagtailcore", "Collection").objects.using(using)
        collections.filter(depth=1, name=ROOT_COLLECTION[0]).update(name=ROOT_COLLECTION[1])
