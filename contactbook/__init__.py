"""Sổ liên lạc điện tử: the school e-contact book and the platform its modules share."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, core, then the modules named in CONTACTBOOK_MODULES."""
    from contactbook import config, extensions
    from contactbook.core.delivery import inbox, push, vapid, worker_process
    from contactbook.core.demo.seed import cli as demo_cli
    from contactbook.core.directory import auth, guards, signing_in, two_step, views
    from contactbook.core.platform import (
        api,
        backup,
        database,
        errors,
        health,
        i18n,
        inputs,
        logging,
        module_migrations,
        page_cache,
        pwa,
        scheduler,
        security_headers,
    )
    from contactbook.core.platform.module_contract import core_module, load_modules

    app = Flask(__name__, instance_path=config.instance_path(), template_folder="core/templates")
    config.load_config(app, test_config)
    logging.init_app(app)
    guards.deny_by_default(app)
    if hops := int(app.config["CONTACTBOOK_PROXY_HOPS"]):
        # The client's address and scheme as the configured proxies saw them; never trusted
        # from the client itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    inputs.init_app(app)

    extensions.db.init_app(app)
    database.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(config.PROJECT_DIR / "migrations")
    )
    module_migrations.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.login_manager.login_view = "auth.signin"
    extensions.login_manager.login_message = None
    i18n.init_app(app)
    api.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    pwa.init_app(app)
    page_cache.init_app(app)
    security_headers.init_app(app)
    backup.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(two_step.bp)
    signing_in.init_app(app)
    app.register_blueprint(views.bp)
    inbox.init_app(app)
    push.init_app(app)
    app.cli.add_command(demo_cli)
    app.cli.add_command(scheduler.cli)
    app.cli.add_command(vapid.cli)
    app.cli.add_command(worker_process.cli)
    load_modules(app, core=[core_module])
    guards.init_app(app)
    if click.get_current_context(silent=True) is None:
        vapid.require_key(app)  # a web server; `flask` commands ask when they need the key
    if int(app.config["CONTACTBOOK_RUN_WORKERS"]):
        worker_process.start_in_thread(app)
        scheduler.start_in_thread(app)
    return app
