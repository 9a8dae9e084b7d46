"""Sổ liên lạc điện tử: the school e-contact book and the platform its modules share."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, core, then the modules named in MODULES."""
    from contactbook import config, extensions
    from contactbook.core import api, auth, database, errors, i18n, pwa, scheduler, views
    from contactbook.core.demo import cli as demo_cli
    from contactbook.core.module import module as core_module
    from contactbook.core.modules import load_modules

    app = Flask(__name__, instance_path=config.instance_path(), template_folder="core/templates")
    config.load_config(app, test_config)

    extensions.db.init_app(app)
    database.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(config.PROJECT_DIR / "migrations")
    )
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.login_manager.login_view = "auth.signin"
    extensions.login_manager.login_message = None
    i18n.init_app(app)
    api.init_app(app)
    errors.init_app(app)
    pwa.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.cli.add_command(demo_cli)
    app.cli.add_command(scheduler.cli)
    load_modules(app, core=[core_module])
    return app
