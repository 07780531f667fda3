"""JSON log lines. Messages never carry personal data: we log routes, not paths or parameters."""

import contextvars
import json
import logging
import re
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")


def _message(record) -> str:
    """Koers's own messages are written without personal data. Other libraries put paths,
    usernames and addresses into their arguments (django.request: "Not Found: /clienten/12/",
    django-axes: the username and IP address), so for them only the template is kept."""
    if record.name == "koers" or record.name.startswith("koers."):
        return record.getMessage()
    template = str(record.msg)
    if not record.args:
        return template
    return _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else "[...]", template)


class JsonFormatter(logging.Formatter):
    EXTRA_FIELDS = ("method", "route", "status", "duration_ms")

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "request_id": getattr(record, "request_id", ""),
        }
        for field in self.EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0]:
            # The class and where it was raised; its message and the traceback's values may
            # quote client data (an IntegrityError names the duplicate key).
            line["exception"] = record.exc_info[0].__name__
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                module = tb.tb_frame.f_globals.get("__name__", "?")
                line["exception_at"] = f"{module}:{tb.tb_lineno}"
        return json.dumps(line)
