"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import sys

from contactbook import create_app
from contactbook.config import ConfigError

# gunicorn stops (rather than restarting the worker forever) when a worker exits with 3.
WORKER_BOOT_ERROR = 3

try:
    app = create_app()
except ConfigError as refusal:
    refusal.show()
    sys.exit(WORKER_BOOT_ERROR)
