"""The search backend chosen by `YIMEN_SEARCH_BACKEND`: "whoosh" (default, one server) or "postgres"."""

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

BACKENDS = ("whoosh", "postgres")

_lock = threading.Lock()
_backends = {}


def get_backend(name=None):
    """The process-wide backend instance (opened once, reused by every request)."""
    name = name or settings.YIMEN_SEARCH_BACKEND
    backend = _backends.get(name)
    if backend is None:
        with _lock:
            backend = _backends.get(name)
            if backend is None:
                if name == "whoosh":
                    from .whoosh import WhooshBackend

                    backend = WhooshBackend()
                elif name == "postgres":
                    from .postgres import PostgresBackend

                    backend = PostgresBackend()
                else:
                    raise ImproperlyConfigured(
                        f"YIMEN_SEARCH_BACKEND 只能是 {' 或 '.join(BACKENDS)}，而不是 {name!r}。"
                    )
                _backends[name] = backend
    return backend


def reset():
    with _lock:
        _backends.clear()


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting.startswith("YIMEN_SEARCH"):
        reset()
