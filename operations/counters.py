"""The cache on disk that holds the rate-limit counters when there is no Redis: one per machine.

Django's FileBasedCache already lets every process of a machine (all gunicorn workers) read and write
the same entries; `SharedFileCache` adds what counting needs, so a limit of 10 means 10 on the whole
machine, not 10 per worker:

- `add` and `incr` run under one exclusive lock (`fcntl` on `<dir>/lock`): two workers counting the
  same client at the same moment never lose a count. (Django's own `incr` is a read and a write.)
- `incr` keeps the counter's expiry. Django's resets it to the default timeout, so a counter of a
  10-minute window would vanish 5 minutes after its last hit and start again from 1 mid-window.
- Making room deletes expired counters (windows that have passed) first, and live ones, least
  recently counted first, only beyond `MAX_ENTRIES`. Django's default deletes a random third of all
  entries once there are 300, live limits included. The directory is scanned at most once per
  `CULL_SECONDS` per process, not on every write.

django-ratelimit's system check calls FileBasedCache "not atomic"; this subclass is, for what it uses.
"""

import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks
from django.core.files.move import file_move_safe

LOCK_NAME = "lock"  # no ".djcache" suffix: never listed as an entry, never culled or cleared


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._cull_seconds = float(params.get("OPTIONS", {}).get("CULL_SECONDS", 30))
        self._culled_at = None
        os.chmod(self._dir, 0o700)  # counters name client addresses: for the portal's own user only

    @contextmanager
    def _locked(self):
        self._createdir()
        with open(os.path.join(self._dir, LOCK_NAME), "ab") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._locked():
            try:
                with open(fname, "rb") as f:
                    if self._is_expired(f):
                        raise ValueError(f"Key '{key}' not found")
                    f.seek(0)
                    expiry = pickle.load(f)  # noqa: S301 (the cache's own files, as Django reads them)
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            value += delta
            self._write_with_expiry(fname, expiry, value)
        return value

    def _write_with_expiry(self, fname, expiry, value):
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            file_move_safe(tmp_path, fname, allow_overwrite=True)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise

    def _cull(self):
        now = time.monotonic()
        if self._culled_at is not None and now - self._culled_at < self._cull_seconds:
            return
        self._culled_at = now
        live = []
        for fname in self._list_cache_files():
            try:
                with open(fname, "rb") as f:
                    expired = self._is_expired(f)  # deletes the file when it is
                if not expired:
                    live.append((os.path.getmtime(fname), fname))
            except FileNotFoundError:  # another process deleted it meanwhile
                continue
        excess = len(live) - self._max_entries
        if excess > 0:
            for _mtime, fname in sorted(live)[:excess]:
                self._delete(fname)
