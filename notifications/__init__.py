"""Notifications: e-mail and SMS to citizens and staff, sent by a background worker, and periodic jobs.

    from notifications import notify, notify_staff

    with transaction.atomic():
        complaint = ...save()
        notify("complaints.received", email=..., phone=..., context={"code": code}, dedupe_key=f"complaint:{pk}:received")

See docs/notifications.md.
"""

__all__ = ["notify", "notify_staff"]


def __getattr__(name):
    # Imported on first use: the package is imported while Django loads its apps, before models can be.
    if name in __all__:
        from . import outbound

        return getattr(outbound, name)
    raise AttributeError(f"module 'notifications' has no attribute {name!r}")
