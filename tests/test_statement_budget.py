"""Every page a person can reach by taps reads the database a bounded number of times.

The demo district is crawled as each role, from home, along every link; one page of each shape
(ids collapsed, query names kept) is read and its SQL statements counted. A page that reads per
pupil, per grade or per message breaks the budget as the demo's data is larger than one of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient

from contactbook import create_app
from contactbook.core.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS
from contactbook.extensions import db
from tests.conftest import TEST_DATABASE_URL, base_config, csrf_token_from, empty_database
from tests.statements import statements

# What one page or API read may cost: the signed-in user, the badges, and the page's own reads.
STATEMENT_BUDGET = 6
LINK = re.compile(r'href="(/[^"#]*)"')
NEVER_FOLLOWED = ("/signout", "/static/", "/pwa/", "/sw.js", "/api/docs")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, _clean_postgres) -> Iterator[SimpleNamespace]:
    """The demo district in a test app."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    app = create_app(base_config(url))
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    yield SimpleNamespace(app=app)
    empty_database(app)


def shape_of(path: str) -> str:
    """A path with its ids collapsed and its query values dropped: one page per shape is read."""
    where, _, query = path.partition("?")
    names = sorted(part.split("=")[0] for part in query.replace("&amp;", "&").split("&") if part)
    return re.sub(r"\d+", "N", where) + ("?" + "&".join(names) if names else "")


def crawl(app, client: FlaskClient) -> dict[str, tuple[int, list[str]]]:
    """Read every page shape reachable from home by links; each with its status and statements."""
    costs: dict[str, tuple[int, list[str]]] = {}
    waiting = ["/"]
    seen: set[str] = set()
    while waiting:
        path = waiting.pop(0).replace("&amp;", "&")
        shape = shape_of(path)
        if shape in seen or path.startswith(NEVER_FOLLOWED):
            continue
        seen.add(shape)
        with statements(app) as sent:
            response = client.get(path)
        costs[path] = (response.status_code, list(sent))
        if response.status_code == 200 and response.mimetype == "text/html":
            waiting += LINK.findall(response.get_data(as_text=True))
    return costs


@pytest.mark.parametrize(("role", "identifier"), [(role, who) for role, who, _ in DEMO_SIGN_INS])
def test_every_page_reached_by_taps_stays_within_the_statement_budget(demo, role, identifier):
    client = demo.app.test_client()
    client.post(
        "/signin",
        data={
            "identifier": identifier,
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token_from(client),
        },
    )
    costs = crawl(demo.app, client)
    assert len(costs) > 5, "the crawl reached the pages behind home"
    assert all(status < 500 for status, _sent in costs.values())
    over = {
        path: len(sent) for path, (_status, sent) in costs.items() if len(sent) > STATEMENT_BUDGET
    }
    assert over == {}
