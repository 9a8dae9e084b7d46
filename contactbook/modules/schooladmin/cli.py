"""`flask schooladmin ...`: what an operator runs on the server, before anyone can sign in."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from contactbook.core.platform import Invalid
from contactbook.modules.schooladmin.services import bootstrap

cli = AppGroup("schooladmin", help="School administration from the server's command line.")


@cli.command("bootstrap")
@click.option("--district-code", required=True, help="Short unique code, e.g. Q1-HCM.")
@click.option("--district-name", required=True, help="Shown to users, e.g. 'Quận 1'.")
@click.option("--admin-username", required=True, help="The district admin signs in with it.")
@click.option("--admin-name", default="", help="The admin's full name (default: the username).")
def bootstrap_command(
    district_code: str, district_name: str, admin_username: str, admin_name: str
) -> None:
    """Create a district and its first district admin on an empty database.

    The password is typed twice at a hidden prompt and never appears in the shell history.
    Runs once per district code: a second run changes nothing and fails.
    """
    name = admin_name or admin_username
    password = click.prompt(
        "Password for the district admin",
        hide_input=True,
        confirmation_prompt="Repeat the password",
        value_proc=lambda typed: _acceptable(admin_username, name, typed),
    )
    try:
        with force_locale("en"):
            admin = bootstrap.create_district_admin(
                district_code, district_name, admin_username, name, password
            )
    except Invalid as refusal:
        raise click.ClickException(_sentences(refusal)) from refusal
    click.echo(
        f"District {district_code.strip().upper()} created. Sign in as {admin.username}, "
        "then open School administration to add the first school and its admin."
    )


def _acceptable(username: str, display_name: str, typed: str) -> str:
    """Ask again at the prompt instead of failing when the password is too weak."""
    with force_locale("en"):  # the operator's terminal; no request says otherwise
        problem = bootstrap.password_problem(username.strip().lower(), display_name, typed)
    if problem:
        raise click.BadParameter(problem)
    return typed


def _sentences(refusal: Invalid) -> str:
    return " ".join(message for messages in refusal.errors.values() for message in messages)
