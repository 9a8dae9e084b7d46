"""Language choice: the user's saved language, else the session's, else Vietnamese."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import Domain, format_datetime, get_babel, get_locale
from flask_login import current_user

from contactbook.core.platform.public_routes import public
from contactbook.core.platform.redirects import is_local_path
from contactbook.core.platform.transactions import atomic
from contactbook.extensions import babel

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
TRANSLATIONS_CACHE = "contactbook_translations"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Pick the language for this request; a signed-in user's saved choice wins everywhere."""
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


class AppDomain(Domain):
    """Flask-Babel's message domain, with the loaded catalogues kept per app.

    Flask-Babel keeps them on the one `Babel` object, for every app of the process; but each
    app merges the catalogues of the modules it loads, so two apps (a test's, a worker's) may
    not share them.
    """

    def get_translations_cache(self, ctx: object) -> dict:
        """This app's catalogues, by language."""
        return current_app.extensions.setdefault(TRANSLATIONS_CACHE, {})


def init_app(app: Flask) -> None:
    """Wire in the locale choice, the language switch and the Vietnamese date and number filters."""
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = AppDomain()
    app.register_blueprint(bp)
    app.add_template_filter(format_vn_date)
    app.add_template_filter(format_vn_datetime)
    app.add_template_filter(vn_decimal)

    @app.context_processor
    def languages() -> dict:
        return {"languages": LANGUAGES, "get_locale": get_locale}


def add_translations(app: Flask, directory: str) -> None:
    """Look up the app's strings in a module's catalogues too (`Module.translations`).

    Flask-Babel merges every directory's catalogue; core's comes last, so a module cannot
    reword core's own strings.
    """
    get_babel(app).translation_directories.insert(0, directory)
    app.extensions.pop(TRANSLATIONS_CACHE, None)


def format_vn_date(value: date) -> str:
    """Dates read dd/mm/yyyy in both languages, as on Vietnamese school papers."""
    return value.strftime("%d/%m/%Y")


def format_vn_datetime(value: datetime) -> str:
    """Times in the app's time zone, 24-hour, after the date."""
    return format_datetime(value, "HH:mm dd/MM/yyyy")


def vn_decimal(value: Decimal) -> str:
    """Decimals with a comma, as Vietnamese grade books write them: 8,5."""
    return format(value, "f").replace(".", ",")


@bp.post("/language")
@public
def switch_language() -> ResponseReturnValue:
    """The language switch: kept for the session, and saved on the account when signed in."""
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        if current_user.is_authenticated:
            with atomic():
                current_user.language = chosen
    return redirect(_back())


def _back() -> str:
    """Return to the page the switch was pressed on, when it is on this site."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and is_local_path(referrer.path):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("core.home")
