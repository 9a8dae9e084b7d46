"""VAPID keys: from the environment, a file it names, or created once by `flask push vapid`."""

from __future__ import annotations

import base64
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, current_app
from flask.cli import AppGroup

from contactbook.config import ConfigError

KEY_FILE = "vapid_private.pem"

cli = AppGroup("push", help="Web Push set-up.")


class MissingVapidKey(RuntimeError):
    """Push cannot be signed: no key in the environment and none in instance/."""


def _key_file(app: Flask) -> Path:
    """Where the key file is: the path CONTACTBOOK_VAPID_PRIVATE_KEY_FILE names, else instance/.

    A service is better given a path than a multi-line PEM in its environment file.
    """
    return Path(
        app.config["CONTACTBOOK_VAPID_PRIVATE_KEY_FILE"] or Path(app.instance_path) / KEY_FILE
    )


def private_key_pem(app: Flask) -> bytes:
    """The key that signs pushes: the environment's wins over the file, else MissingVapidKey."""
    configured = app.config["CONTACTBOOK_VAPID_PRIVATE_KEY"]
    if configured:
        return configured.encode()
    path = _key_file(app)
    if not path.exists():
        raise MissingVapidKey(
            f"No VAPID key: set CONTACTBOOK_VAPID_PRIVATE_KEY, or run `flask push vapid` to "
            f"create {path}."
        )
    return path.read_bytes()


def public_key(app: Flask) -> str:
    """The applicationServerKey browsers subscribe with: base64url of the uncompressed point."""
    key = serialization.load_pem_private_key(private_key_pem(app), password=None)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def has_key(app: Flask) -> bool:
    """Whether push can be offered at all; production refuses to serve without a key."""
    return bool(app.config["CONTACTBOOK_VAPID_PRIVATE_KEY"]) or _key_file(app).exists()


def require_key(app: Flask) -> None:
    """Refuse to serve or send in production without a key: not one push could be signed.

    The web server asks when the app is built, the notify worker when it starts; other `flask`
    commands do not, so an install runs `flask push vapid` and `flask db upgrade` before the key
    exists.
    """
    if app.config["CONTACTBOOK_ENV"] == "production" and not has_key(app):
        raise ConfigError(
            [
                "No VAPID key: run `flask push vapid`, or set CONTACTBOOK_VAPID_PRIVATE_KEY_FILE "
                "to the key's path."
            ]
        )


def write_key(path: Path) -> None:
    """Create a P-256 key readable by the owner only."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pem)
    path.chmod(0o600)


@cli.command("vapid")
def create_vapid_key() -> None:
    """Create the VAPID key pair (in instance/ or the configured file) unless one exists."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = _key_file(app)
    if app.config["CONTACTBOOK_VAPID_PRIVATE_KEY"]:
        click.echo("CONTACTBOOK_VAPID_PRIVATE_KEY is set; nothing written.")
    elif path.exists():
        click.echo(f"{path} exists; keeping it.")
    else:
        write_key(path)
        click.echo(f"Wrote {path}.")
    click.echo(f"Public key: {public_key(app)}")
