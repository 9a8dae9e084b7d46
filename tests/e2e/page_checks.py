"""What a person on a small phone notices on any page, measured in the browser (page_checks.js).

`problems(page)` lists, per kind, what fails on the open page: content wider than the screen
("sideways"), controls smaller than a fingertip ("small"), text too faint to read ("faint").
"""

from __future__ import annotations

from pathlib import Path

CHECKS = (Path(__file__).with_name("page_checks.js")).read_text()


def problems(page) -> dict[str, list[str]]:
    """Everything the checks find on the page as it is shown now; empty lists when all is well."""
    return page.evaluate(CHECKS)
