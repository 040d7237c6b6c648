"""gunicorn's own logs (access and errors) as the same one-line JSON objects as the portal's logs.

Set by `logger_class` in deploy/gunicorn.conf.py. An access line carries method, path (without the
query string, which may hold a tracking code), status, response bytes, duration in milliseconds and
the worker's pid; no client address is logged here (the proxy in front keeps its own access log).
"""

import logging

from gunicorn.glogging import Logger

from .logs import JsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        self.access_log.log(
            logging.INFO,
            "%s %s %s",
            req.method,
            req.path,
            status,
            extra={
                "method": req.method,
                "path": req.path,
                "status": int(status),
                "bytes": getattr(resp, "sent", None),
                "ms": round(request_time.total_seconds() * 1000, 1),
            },
        )
