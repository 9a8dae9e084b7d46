"""The pages as people reach them: each within the statement budget, the demo's document in
the demo people's pages, and the sending form only for those who run a school."""

from __future__ import annotations

from random import Random

import pytest
from dispatch_world import document_form
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from contactbook.core.directory import Membership
from contactbook.core.platform import DemoSeed, registry
from contactbook.extensions import db
from tests.statements import statements
from tests.test_statement_budget import STATEMENT_BUDGET


@pytest.fixture
def sent(send, phone_of, district):
    form = document_form(
        school_ids=[district.north.id], reply_requested="true", reply_deadline="2099-01-01"
    )
    answer = send("/api/dispatch/documents", form, on=phone_of(district.officer))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


PAGES = {
    "officer": ["/dispatch/sent", "/dispatch/new", "/dispatch/documents/{id}"],
    "north_admin": [
        "/dispatch/",
        "/dispatch/sent",
        "/dispatch/new",
        "/dispatch/documents/{id}",
    ],
    "parent": ["/dispatch/"],
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_every_dispatch_page_stays_within_the_statement_budget(app, phone_of, district, sent, who):
    phone = phone_of(getattr(district, who))
    costs = {}
    for path in PAGES[who]:
        with statements(app) as seen:
            response = phone.get(path.format(id=sent["id"]))
        assert response.status_code == 200, path
        costs[path] = len(seen)
    assert {path: n for path, n in costs.items() if n > STATEMENT_BUDGET} == {}


def test_the_demo_district_sends_its_schools_a_document(app, phone_of, district):
    with app.app_context():
        memberships = list(
            db.session.scalars(
                select(Membership).options(
                    selectinload(Membership.user), selectinload(Membership.school)
                )
            )
        )
        added = registry(app).modules["dispatch"].demo(DemoSeed(memberships, [], Random(1)))
        db.session.commit()
    assert added == {"official documents": 1, "document recipients": 3}
    subject = "Kế hoạch kiểm tra cuối học kì I năm học 2026–2027"
    assert subject in phone_of(district.officer).get("/dispatch/sent").get_data(as_text=True)
    admin = phone_of(district.south_admin)
    assert subject in admin.get("/dispatch/").get_data(as_text=True)
    document_id = admin.get("/api/dispatch/documents").get_json()[0]["id"]
    pdf = admin.get(f"/dispatch/documents/{document_id}/attachment")
    assert pdf.data.startswith(b"%PDF-")
    pdf.close()
