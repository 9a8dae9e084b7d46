"""`flask classbook ...`: upkeep an operator runs on the server."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from contactbook.extensions import db
from contactbook.modules.classbook.services.term_figures import refresh_every_term_figure

cli = AppGroup("classbook", help="Contact book upkeep from the server's command line.")


@cli.command("term-figures")
def term_figures_command() -> None:
    """Compute every pupil's term figures from the grades saved so far.

    Run once after upgrading to a version that keeps term figures; running it again only
    recomputes the same figures.
    """
    count = refresh_every_term_figure()
    db.session.commit()
    click.echo(f"Term figures computed: {count}.")
