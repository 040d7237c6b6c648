"""Who may see what: the complaint-handling group alone sees complainants' names, phones and attachments."""

HANDLER_GROUP = "投诉处理人员"


def is_handler(user):
    """True for active members of the 投诉处理人员 group; being a superuser is not enough on its own."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_yimen_is_handler", None)
    if cached is None:
        cached = user.groups.filter(name=HANDLER_GROUP).exists()
        user._yimen_is_handler = cached
    return cached


def can_open_queue(user):
    """The queue and each complaint's handling page (without personal data unless `is_handler`)."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("complaints.view_complaint"))


def can_handle(user):
    return can_open_queue(user) and user.has_perm("complaints.change_complaint")
