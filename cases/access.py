"""Who may see what: each kind's handler group alone sees its citizens' names, phones, e-mails and files."""


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_handler(user, kind):
    """True for active members of the kind's handler group; being a superuser is not enough on its own."""
    if not _active(user):
        return False
    cache = user.__dict__.setdefault("_yimen_handler_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._yimen_handler_groups = cache
    return kind.handler_group in cache


def _perm(kind, action):
    model = kind.model
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can_open_queue(user, kind):
    """The queue and each case's handling page (without personal data unless `is_handler`)."""
    return _active(user) and user.has_perm(_perm(kind, "view"))


def can_handle(user, kind):
    return can_open_queue(user, kind) and user.has_perm(_perm(kind, "change"))


def can_record(user, kind):
    """Entering a case received by phone, in person, by letter or from 12345: handlers only, since the
    person's name and phone are typed in."""
    return can_handle(user, kind) and user.has_perm(_perm(kind, "add")) and is_handler(user, kind)
