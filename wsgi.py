"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from contactbook import create_app

app = create_app()
