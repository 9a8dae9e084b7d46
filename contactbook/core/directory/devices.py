"""A browser's description of itself, shortened to what its owner recognises ("Chrome on
Android"), so a list of signed-in sessions can be told apart without showing raw headers."""

from __future__ import annotations

# First match wins: Edge, Opera and Cốc Cốc also call themselves Chrome and Safari.
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("coc_coc_browser", "Cốc Cốc"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe(user_agent: str) -> tuple[str | None, str | None]:
    """The browser's and the system's names, each None when the description does not say."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    return browser, system
