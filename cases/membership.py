"""Who joins or leaves a handler group (投诉处理人员, 咨询答复人员, 帮办代办人员, …: cases.kinds) is written to
the audit log: the groups decide who sees citizens' personal data (access.py), so every change of their
members must be traceable.

Membership changes from either side (`user.groups` or `group.user_set`: add, remove, set, clear) and
the deletion of the group itself are logged on each affected user as `cases.handler_added` or
`cases.handler_removed` (with the group's name), with the editor who made the change when it came through the admin
(Wagtail's log context).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, pre_delete
from django.dispatch import receiver

from wagtail.log_actions import log

from . import kinds

ADDED = "cases.handler_added"
REMOVED = "cases.handler_removed"


def _log(users, action, group):
    for user in users:
        log(user, action, data={"group": group, "username": user.get_username()})


def _handler_groups(pks):
    return list(Group.objects.filter(pk__in=pks, name__in=kinds.handler_groups()).values_list("name", flat=True))


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="cases.handler_membership")
def log_handler_membership(sender, instance, action, reverse, pk_set, **kwargs):
    User = get_user_model()
    groups = kinds.handler_groups()
    if action == "pre_clear":
        # What a clear removes is only known before it runs.
        if reverse:
            users = list(instance.user_set.all()) if instance.name in groups else []
            instance._yimen_cleared = [(users, instance.name)]
        else:
            names = instance.groups.filter(name__in=groups).values_list("name", flat=True)
            instance._yimen_cleared = [([instance], name) for name in names]
        return
    if action == "post_clear":
        for users, name in getattr(instance, "_yimen_cleared", []):
            _log(users, REMOVED, name)
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    what = ADDED if action == "post_add" else REMOVED
    if reverse:  # group.user_set.add(users): instance is the group, pk_set the users
        if instance.name in groups:
            _log(User.objects.filter(pk__in=pk_set).order_by("pk"), what, instance.name)
    else:  # user.groups.add(groups)
        for name in _handler_groups(pk_set):
            _log([instance], what, name)


@receiver(pre_delete, sender=Group, dispatch_uid="cases.handler_group_deleted")
def log_handler_group_deleted(sender, instance, **kwargs):
    """Deleting a handler group ends every membership without an m2m signal."""
    if instance.name in kinds.handler_groups():
        _log(instance.user_set.all(), REMOVED, instance.name)
