"""Who joins or leaves 投诉处理人员 is written to the audit log: the group decides who sees complainants'
personal data (access.py), so every change of its members must be traceable.

Membership changes from either side (`user.groups` or `group.user_set`: add, remove, set, clear) and
the deletion of the group itself are logged on each affected user as `complaints.handler_added` or
`complaints.handler_removed`, with the editor who made the change when it came through the admin
(Wagtail's log context).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, pre_delete
from django.dispatch import receiver

from wagtail.log_actions import log

from .access import HANDLER_GROUP

ADDED = "complaints.handler_added"
REMOVED = "complaints.handler_removed"


def _log(users, action):
    for user in users:
        log(user, action, data={"group": HANDLER_GROUP, "username": user.get_username()})


def _handler_group_ids():
    return set(Group.objects.filter(name=HANDLER_GROUP).values_list("pk", flat=True))


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="complaints.handler_membership")
def log_handler_membership(sender, instance, action, reverse, pk_set, **kwargs):
    User = get_user_model()
    if action == "pre_clear":
        # What a clear removes is only known before it runs.
        if reverse:
            instance._yimen_cleared = list(instance.user_set.all()) if instance.name == HANDLER_GROUP else []
        else:
            instance._yimen_cleared = [instance] if instance.groups.filter(name=HANDLER_GROUP).exists() else []
        return
    if action == "post_clear":
        _log(getattr(instance, "_yimen_cleared", []), REMOVED)
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    what = ADDED if action == "post_add" else REMOVED
    if reverse:  # group.user_set.add(users): instance is the group, pk_set the users
        if instance.name == HANDLER_GROUP:
            _log(User.objects.filter(pk__in=pk_set).order_by("pk"), what)
    elif pk_set & _handler_group_ids():  # user.groups.add(groups)
        _log([instance], what)


@receiver(pre_delete, sender=Group, dispatch_uid="complaints.handler_group_deleted")
def log_handler_group_deleted(sender, instance, **kwargs):
    """Deleting the group ends every membership without an m2m signal."""
    if instance.name == HANDLER_GROUP:
        _log(instance.user_set.all(), REMOVED)
