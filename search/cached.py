"""A value read from the database and kept per process for a few seconds: the editors' synonyms and
services handled elsewhere are read on every search but change rarely, and a save drops them at once."""

import threading
import time


class Cached:
    """`get()` returns what `load()` gave, read again once `seconds` have passed or after `invalidate()`."""

    def __init__(self, load, seconds):
        self._load = load
        self.seconds = seconds
        self._lock = threading.Lock()
        self._value, self._loaded = None, 0.0

    def get(self):
        with self._lock:
            if self._value is not None and time.monotonic() - self._loaded < self.seconds:
                return self._value
        value = self._load()
        with self._lock:
            self._value, self._loaded = value, time.monotonic()
        return value

    def invalidate(self):
        with self._lock:
            self._value, self._loaded = None, 0.0
