"""Settings: documented defaults, overridden from the environment, checked before start-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_DIR = Path(__file__).resolve().parent.parent
MIN_SECRET_KEY_LENGTH = 32

# (setting, environment variable, default, meaning). The README's configuration table mirrors this.
SETTINGS: tuple[tuple[str, str, Any, str], ...] = (
    ("CONTACTBOOK_ENV", "CONTACTBOOK_ENV", "development", "development or production"),
    (
        "MODULES",
        "CONTACTBOOK_MODULES",
        "classbook,schooladmin,messaging",
        "comma-separated modules to load",
    ),
    (
        "RATELIMIT_STORAGE_URI",
        "CONTACTBOOK_RATELIMIT_STORAGE_URI",
        "memory://",
        "rate-limit counters; redis://host:6379 for several workers",
    ),
    (
        "CONTACTBOOK_SIGNIN_RATE_LIMIT",
        "CONTACTBOOK_SIGNIN_RATE_LIMIT",
        "10 per minute;50 per hour",
        "failed sign-ins allowed per client address, per account and per known device",
    ),
    (
        "CONTACTBOOK_PROXY_HOPS",
        "CONTACTBOOK_PROXY_HOPS",
        0,
        "reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted",
    ),
    (
        "CONTACTBOOK_SQLITE_BUSY_TIMEOUT_MS",
        "CONTACTBOOK_SQLITE_BUSY_TIMEOUT_MS",
        5000,
        "how long a SQLite writer waits for the lock",
    ),
    ("CONTACTBOOK_TIMEZONE", "CONTACTBOOK_TIMEZONE", "Asia/Ho_Chi_Minh", "default time zone"),
    ("CONTACTBOOK_COOKIE_SECURE", "CONTACTBOOK_COOKIE_SECURE", None, "force Secure cookies on/off"),
    (
        "CONTACTBOOK_BASE_URL",
        "CONTACTBOOK_BASE_URL",
        "http://127.0.0.1:5000",
        "the address families open; links in emails and SMS start with it",
    ),
    (
        "CONTACTBOOK_VAPID_PRIVATE_KEY",
        "CONTACTBOOK_VAPID_PRIVATE_KEY",
        "",
        "Web Push signing key (PEM); `flask push vapid` writes one to instance/ instead",
    ),
    (
        "CONTACTBOOK_VAPID_SUBJECT",
        "CONTACTBOOK_VAPID_SUBJECT",
        "mailto:admin@example.invalid",
        "contact for push services (mailto: or https:)",
    ),
    (
        "CONTACTBOOK_PUSH_SERVICE_HOSTS",
        "CONTACTBOOK_PUSH_SERVICE_HOSTS",
        "fcm.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com",
        "push services devices may subscribe with: host-name suffixes, or IP addresses "
        "for a local push service",
    ),
    ("CONTACTBOOK_SMTP_HOST", "CONTACTBOOK_SMTP_HOST", "", "mail server; empty turns email off"),
    ("CONTACTBOOK_SMTP_PORT", "CONTACTBOOK_SMTP_PORT", 25, "mail server port"),
    ("CONTACTBOOK_SMTP_USERNAME", "CONTACTBOOK_SMTP_USERNAME", "", "mail server sign-in"),
    ("CONTACTBOOK_SMTP_PASSWORD", "CONTACTBOOK_SMTP_PASSWORD", "", "mail server password"),
    ("CONTACTBOOK_SMTP_STARTTLS", "CONTACTBOOK_SMTP_STARTTLS", 0, "1 to require STARTTLS"),
    (
        "CONTACTBOOK_MAIL_SENDER",
        "CONTACTBOOK_MAIL_SENDER",
        "Sổ liên lạc <no-reply@example.invalid>",
        "From: of emails",
    ),
    (
        "CONTACTBOOK_SMS_GATEWAY_URL",
        "CONTACTBOOK_SMS_GATEWAY_URL",
        "",
        "HTTP SMS gateway (POST JSON {to, text}); empty keeps SMS off",
    ),
    (
        "CONTACTBOOK_SEND_TIMEOUT_SECONDS",
        "CONTACTBOOK_SEND_TIMEOUT_SECONDS",
        20,
        "how long a push service, mail server or SMS gateway may take before we try later",
    ),
    (
        "CONTACTBOOK_SUMMARY_GRACE_HOURS",
        "CONTACTBOOK_SUMMARY_GRACE_HOURS",
        3,
        "how late a missed daily summary may still go out",
    ),
    (
        "CONTACTBOOK_JOBS",
        "CONTACTBOOK_JOBS",
        "",
        "job overrides: `key=cron` or `key=off`, comma-separated",
    ),
    (
        "CONTACTBOOK_RUN_WORKERS",
        "CONTACTBOOK_RUN_WORKERS",
        0,
        "1 runs the notify worker and the scheduler as threads of the web process (make run)",
    ),
    (
        "CONTACTBOOK_LOG_FORMAT",
        "CONTACTBOOK_LOG_FORMAT",
        "",
        "json or text; empty: json in production, text otherwise",
    ),
    ("CONTACTBOOK_LOG_LEVEL", "CONTACTBOOK_LOG_LEVEL", "INFO", "least important log level kept"),
)

TRUE_WORDS = {"1", "true", "yes", "on"}


def instance_path() -> str | None:
    """Where the SQLite database and generated secret live; Flask's instance/ unless set."""
    return os.environ.get("CONTACTBOOK_INSTANCE_PATH") or None


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment and test_config, then refuse weak settings."""
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'contactbook.db'}"
        ),
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        BABEL_DEFAULT_LOCALE="vi",
        API_TITLE="Sổ liên lạc điện tử",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        WTF_CSRF_TIME_LIMIT=None,
        # Every form and API body is a few kilobytes; anything past this is refused unread.
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    for key, env_name, default, _meaning in SETTINGS:
        app.config[key] = _coerce(os.environ.get(env_name, default), default)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["MODULES"] = _as_list(app.config["MODULES"])
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["CONTACTBOOK_TIMEZONE"]
    secure = app.config["CONTACTBOOK_COOKIE_SECURE"]
    app.config["SESSION_COOKIE_SECURE"] = (not app.debug) if secure is None else _flag(secure)
    _ensure_secret_key(app)


def _ensure_secret_key(app: Flask) -> None:
    """Keep a generated key in instance/ for development; production must bring a strong one."""
    key = app.config.get("SECRET_KEY")
    if app.config["CONTACTBOOK_ENV"] == "production":
        if not key or len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be set to at least {MIN_SECRET_KEY_LENGTH} random characters "
                "in production."
            )
        return
    if key:
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _coerce(value: Any, default: Any) -> Any:
    """Read an environment string as the type of its default."""
    if isinstance(default, int) and isinstance(value, str):
        return int(value)
    return value


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return list(value)
