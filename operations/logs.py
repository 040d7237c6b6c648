"""Structured logs: one JSON object per line, for the server's log collector to parse and search.

Every record has `time` (ISO 8601 with offset), `level`, `logger`, `message`, the `process` id, and
`exception` with the traceback when there is one; Django's request errors add `status` and the
request's `method` and `path` (never its query string, which may carry personal data such as a
tracking code). Extra fields passed with `logger.info(..., extra={...})` are kept when they are
plain JSON values.
"""

import datetime
import json
import logging

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        for name, value in vars(record).items():
            plain = isinstance(value, str | int | float | bool) or value is None
            if plain and name not in _STANDARD and name not in entry and name not in ("request", "status_code"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
