"""Gunicorn settings for the web process: `gunicorn --config deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the service's environment file without editing this one.
The app logs one line per request itself (with its request id and user), so gunicorn's access
log is off unless GUNICORN_ACCESS_LOG names a file (or "-" for standard error).
"""

import os

from contactbook.config import SETTINGS

CORES = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes a core: a page mostly waits on PostgreSQL, little on Python.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * CORES))
# Threads let a worker answer while another request of its own waits on the database.
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A request taking longer than this is stuck: its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# nginx keeps connections to us open (upstream keepalive); a little longer than its idle wait.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 75))
# Start each worker afresh now and then, so its memory never creeps up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "contactbook-web"
# The app reads the worker count (shared rate limits need Redis beyond one worker).
os.environ["WEB_CONCURRENCY"] = str(workers)


def _log_format() -> str:
    """The app's log format, so gunicorn's own lines match the app's."""
    default = next(setting[2] for setting in SETTINGS if setting[0] == "CONTACTBOOK_LOG_FORMAT")
    chosen = os.environ.get("CONTACTBOOK_LOG_FORMAT", default).strip().lower()
    if chosen:
        return chosen
    return "json" if os.environ.get("CONTACTBOOK_ENV") == "production" else "text"


if _log_format() == "json":
    # Gunicorn's own lines as JSON too. Its defaults would also put a handler on the root
    # logger and switch the access log on; the app's handler and request lines are enough.
    logconfig_dict = {
        "root": {"level": loglevel.upper(), "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
            },
            "gunicorn.access": {
                "level": "INFO",
                "handlers": ["error_console"] if accesslog else [],
                "propagate": False,
            },
        },
        "formatters": {
            "generic": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
    }
