"""Every string on screen is translated in both catalogues; the language switch stays on site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import csrf_token_from

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "contactbook" / "translations"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """Extract the strings the code and templates use now, as `make extract-messages` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
        + ["-k", "_l", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as file:
        return {message.id for message in read_po(file) if message.id}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_translates_every_string(extracted, language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalogue = read_po(file)
    assert not catalogue.fuzzy, "a catalogue marked fuzzy is not compiled"
    translated = {
        message.id for message in catalogue if message.id and message.string and not message.fuzzy
    }
    assert extracted - translated == set()


def switch_to_english(client, referrer: str):
    token = csrf_token_from(client)
    return client.post(
        "/language", data={"lang": "en", "csrf_token": token}, headers={"Referer": referrer}
    )


@pytest.mark.parametrize(
    "referrer",
    [
        "http://localhost//evil.example/path",
        "http://localhost/\\evil.example/path",
        "http://evil.example/signin",
    ],
)
def test_language_switch_never_leaves_the_site(client, referrer):
    response = switch_to_english(client, referrer)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_page_it_was_pressed_on(client):
    response = switch_to_english(client, "http://localhost/signin?next=/inbox")
    assert response.headers["Location"] == "/signin?next=/inbox"
