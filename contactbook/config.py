"""Settings: documented defaults, overridden from the environment, checked before start-up."""

from __future__ import annotations

import math
import os
import secrets
import zlib
from collections import Counter
from pathlib import Path
from typing import IO, Any

import click
from flask import Flask

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_LENGTH = 32
# About what 128 random bits written in hex score on the estimate below, less a margin for chance.
MIN_SECRET_KEY_BITS = 90
# A random key barely compresses; one that deflate shrinks below this share repeats itself.
MIN_SECRET_KEY_INCOMPRESSIBLE = 0.6
DEFAULT_VAPID_SUBJECT = "mailto:admin@example.invalid"
MAKE_A_SECRET_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105 - a command to show  # nosec B105

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
        "CONTACTBOOK_WEB_WORKERS",
        "WEB_CONCURRENCY",
        1,
        "web worker processes (gunicorn reads the same variable); production refuses "
        "memory:// rate limits with more than one",
    ),
    (
        "CONTACTBOOK_SQLITE_IN_PRODUCTION",
        "CONTACTBOOK_SQLITE_IN_PRODUCTION",
        0,
        "1 lets production run on SQLite (one server, one web worker process)",
    ),
    (
        "CONTACTBOOK_SQLITE_BUSY_TIMEOUT_MS",
        "CONTACTBOOK_SQLITE_BUSY_TIMEOUT_MS",
        5000,
        "how long a SQLite writer waits for the lock",
    ),
    (
        "CONTACTBOOK_PAGE_CACHE_URL",
        "CONTACTBOOK_PAGE_CACHE_URL",
        "",
        "where pages answering conditional GETs are kept: empty for each worker's memory, "
        "redis://host:6379/1 to share them between workers",
    ),
    (
        "CONTACTBOOK_PAGE_CACHE_PAGES",
        "CONTACTBOOK_PAGE_CACHE_PAGES",
        256,
        "pages a worker keeps in memory (0 keeps none)",
    ),
    (
        "CONTACTBOOK_PAGE_CACHE_SECONDS",
        "CONTACTBOOK_PAGE_CACHE_SECONDS",
        300,
        "how long a kept page may be served again",
    ),
    ("CONTACTBOOK_TIMEZONE", "CONTACTBOOK_TIMEZONE", "Asia/Ho_Chi_Minh", "default time zone"),
    ("CONTACTBOOK_COOKIE_SECURE", "CONTACTBOOK_COOKIE_SECURE", None, "force Secure cookies on/off"),
    (
        "CONTACTBOOK_STAFF_SESSION_IDLE_MINUTES",
        "CONTACTBOOK_STAFF_SESSION_IDLE_MINUTES",
        720,
        "a staff session unused this long ends",
    ),
    (
        "CONTACTBOOK_STAFF_SESSION_HOURS",
        "CONTACTBOOK_STAFF_SESSION_HOURS",
        168,
        "a staff session ends this long after signing in",
    ),
    (
        "CONTACTBOOK_FAMILY_SESSION_IDLE_DAYS",
        "CONTACTBOOK_FAMILY_SESSION_IDLE_DAYS",
        30,
        "a family's session unused this long ends",
    ),
    (
        "CONTACTBOOK_FAMILY_SESSION_DAYS",
        "CONTACTBOOK_FAMILY_SESSION_DAYS",
        180,
        "a family's session ends this long after signing in",
    ),
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
        "CONTACTBOOK_VAPID_PRIVATE_KEY_FILE",
        "CONTACTBOOK_VAPID_PRIVATE_KEY_FILE",
        "",
        "path of the Web Push signing key (PEM); `flask push vapid` creates it there if missing",
    ),
    (
        "CONTACTBOOK_VAPID_SUBJECT",
        "CONTACTBOOK_VAPID_SUBJECT",
        DEFAULT_VAPID_SUBJECT,
        "contact for push services (mailto: or https:); production refuses the default",
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
    if app.config["CONTACTBOOK_ENV"] not in ENVIRONMENTS:
        raise ConfigError(
            [
                f"CONTACTBOOK_ENV={app.config['CONTACTBOOK_ENV']!r} is unknown; "
                f"use {' or '.join(ENVIRONMENTS)}."
            ]
        )
    if app.config["CONTACTBOOK_ENV"] == "production":
        if problems := production_problems(app):
            raise ConfigError(problems)
        return
    _ensure_secret_key(app)


class ConfigError(click.ClickException):
    """The settings are refused: one line per problem, shown without a traceback.

    A click exception, so the `flask` command prints the lines and exits instead of dumping a
    traceback when the app cannot be built; wsgi.py does the same for the web server.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def show(self, file: IO[Any] | None = None) -> None:
        """Print one `Refused to start: …` line per problem to stderr (or `file`)."""
        for problem in self.problems:
            click.echo(f"Refused to start: {problem}", file=file, err=True)


def production_problems(app: Flask) -> list[str]:
    """Every reason production must not start with these settings, one sentence each.

    A weak secret lets anybody forge a session; debug mode opens the interactive debugger and
    drops the Secure cookie; in-memory rate limits are per process, so several workers multiply
    the allowed guesses; SQLite serialises every write and is only safe when chosen knowingly.
    """
    config = app.config
    problems = []
    if not secret_key_is_strong(config.get("SECRET_KEY")):
        problems.append(f"SECRET_KEY is missing or guessable; make one with: {MAKE_A_SECRET_KEY}")
    if config["CONTACTBOOK_VAPID_SUBJECT"] == DEFAULT_VAPID_SUBJECT:
        problems.append(
            "CONTACTBOOK_VAPID_SUBJECT is the example address; set the mailto: or https: "
            "address push services may contact."
        )
    if app.debug:
        problems.append("Debug mode is on (FLASK_DEBUG or --debug); production runs without it.")
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not _flag(
        config["CONTACTBOOK_SQLITE_IN_PRODUCTION"]
    ):
        problems.append(
            "DATABASE_URL is SQLite; use PostgreSQL, or set CONTACTBOOK_SQLITE_IN_PRODUCTION=1 "
            "for a single small server."
        )
    workers = int(config["CONTACTBOOK_WEB_WORKERS"])
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://") and workers > 1:
        problems.append(
            f"Rate limits are kept in memory but WEB_CONCURRENCY={workers} workers would each "
            "count apart; set CONTACTBOOK_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0."
        )
    return problems


def secret_key_is_strong(key: str | None) -> bool:
    """Whether a secret key is long and random enough to sign sessions with.

    Length alone lets "aaaa…" or "abcd…" through, so the key's estimated entropy must reach
    MIN_SECRET_KEY_BITS too: its length times the Shannon entropy of its characters, and of the
    steps between neighbouring characters (which sees through runs like "abcdef…"); and it must
    not compress much (which sees through a repeated word like "Password123Password123…").
    """
    if not key or len(key) < MIN_SECRET_KEY_LENGTH:
        return False
    steps = [ord(after) - ord(before) for before, after in zip(key, key[1:], strict=False)]
    compressed = len(zlib.compress(key.encode(), 9)) - len(zlib.compress(b"", 9))
    varied = min(_bits(list(key)), _bits(steps)) >= MIN_SECRET_KEY_BITS
    return varied and compressed >= MIN_SECRET_KEY_INCOMPRESSIBLE * len(key.encode())


def _bits(symbols: list[Any]) -> float:
    """Estimated information in a sequence: its length times its symbols' Shannon entropy."""
    counts = Counter(symbols)
    total = len(symbols)
    per_symbol = -sum(n / total * math.log2(n / total) for n in counts.values())
    return total * per_symbol


def _ensure_secret_key(app: Flask) -> None:
    """Keep a generated key in instance/ for development when none is given."""
    if app.config.get("SECRET_KEY"):
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
