"""Conditional GET: a phone asking again for a page or sheet that has not changed gets a 304."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from
from tests.modules.classbook.conftest import SCHOOL_DAY, term_id
from tests.statements import statements

FEVER = {"category": "temperature", "text": "Sốt nhẹ", "measured_value": "37.8"}


@pytest.fixture
def parent(app, login, school_class):
    client = app.test_client()
    login(school_class.parent.phone, on=client)
    return client


@pytest.fixture
def homeroom(app, login, school_class):
    client = app.test_client()
    login(school_class.homeroom.phone, on=client)
    return client


def again(client, url: str, first):
    return client.get(url, headers={"If-None-Match": first.headers["ETag"]})


@pytest.mark.parametrize("page", ["", "/timeline", "/timeline?kind=health"])
def test_the_child_page_unchanged_is_not_sent_twice(app, parent, school_class, page):
    url = f"/classbook/children/{school_class.child.id}{page}"
    first = parent.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    with statements(app) as sent:
        repeat = again(parent, url, first)
    assert repeat.status_code == 304
    assert repeat.data == b""
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert len(sent) <= 3, "the session, the reader, one stamp"


def test_a_write_about_the_child_sends_the_page_anew(app, parent, write, login, school_class):
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    nurse = app.test_client()
    login(school_class.nurse.phone, on=nurse)
    notes = f"/api/classbook/students/{school_class.child.id}/health-notes"
    assert write("POST", notes, FEVER, on=nurse).status_code == 201
    fresh = again(parent, url, first)
    assert fresh.status_code == 200
    assert "Sốt nhẹ" in fresh.get_data(as_text=True)
    assert fresh.headers["ETag"] != first.headers["ETag"]
    assert fresh.last_modified is not None
    assert again(parent, url, fresh).status_code == 304


def test_a_write_about_another_pupil_leaves_the_page_alone(
    app, parent, homeroom, write, school_class
):
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    other = school_class.pupils[2]
    notes = f"/api/classbook/students/{other.id}/health-notes"
    assert write("POST", notes, FEVER, on=homeroom).status_code == 201
    assert again(parent, url, first).status_code == 304


def test_another_language_or_deploy_is_never_served_from_the_old_tag(app, parent, school_class):
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    token = csrf_token_from(parent, url)
    parent.post("/language", data={"lang": "en", "csrf_token": token})
    english = again(parent, url, first)
    assert english.status_code == 200
    assert english.headers["ETag"] != first.headers["ETag"]

    app.extensions["pwa_version"] = "a-new-deploy"
    assert again(parent, url, english).status_code == 200


def test_the_tag_is_the_readers_own(app, parent, login, school_class, make_user):
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    teacher = app.test_client()
    login(school_class.homeroom.phone, on=teacher)
    assert again(teacher, url, first).status_code == 200
    stranger = app.test_client()
    login(school_class.other_parent.phone, on=stranger)
    hidden = again(stranger, url, first)
    assert hidden.status_code == 404
    assert hidden.headers["Cache-Control"] == "no-store"


def test_a_tag_made_up_for_a_hidden_child_gets_no_304(app, school_class, login):
    stranger = app.test_client()
    login(school_class.other_parent.phone, on=stranger)
    response = stranger.get(
        f"/classbook/children/{school_class.child.id}", headers={"If-None-Match": "*"}
    )
    assert response.status_code == 404


def test_the_roll_call_sheet_a_phone_polls(app, homeroom, write, school_class):
    url = f"/api/classbook/classes/{school_class.room.id}/attendance"
    query = f"{url}?day={SCHOOL_DAY.isoformat()}&session=morning"
    first = homeroom.get(query)
    assert first.status_code == 200
    repeat = again(homeroom, query, first)
    assert (repeat.status_code, repeat.data) == (304, b"")
    afternoon = again(homeroom, query.replace("morning", "afternoon"), first)
    assert afternoon.status_code == 200, "another session is another sheet"
    body = {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": []}
    assert write("PUT", url, body, on=homeroom).status_code == 200
    saved = again(homeroom, query, first)
    assert saved.status_code == 200, "marks written, though nobody was told of them"
    assert saved.get_json()["is_saved"]
    late = [{"student_id": school_class.child.id, "status": "late"}]
    assert write("PUT", url, body | {"marks": late}, on=homeroom).status_code == 200
    fresh = again(homeroom, query, saved)
    assert fresh.status_code == 200
    assert "late" in {mark["status"] for mark in fresh.get_json()["marks"]}


def test_the_grade_column_a_phone_polls(app, login, write, school_class):
    teacher = app.test_client()
    login(school_class.maths_teacher.phone, on=teacher)
    url = f"/api/classbook/classes/{school_class.room.id}/grades"
    column = {
        "subject_id": school_class.maths.id,
        "term_id": term_id(app, school_class.school),
        "kind": "regular",
        "slot": 1,
    }
    query = url + "?" + "&".join(f"{key}={value}" for key, value in column.items())
    first = teacher.get(query)
    assert first.status_code == 200
    assert again(teacher, query, first).status_code == 304
    entries = [{"student_id": school_class.child.id, "score": "7"}]
    assert write("PUT", url, column | {"entries": entries}, on=teacher).status_code == 200
    fresh = again(teacher, query, first)
    assert fresh.status_code == 200
    scores = {entry["student_id"]: entry["score_text"] for entry in fresh.get_json()["entries"]}
    assert scores[school_class.child.id] == "7,0"


def test_news_about_a_sibling_sends_the_page_anew_with_the_menu_badge(
    app, parent, homeroom, write, school_class, make_student
):
    """The page carries the menu's unread badges: news elsewhere changes what the reader sees."""
    world = school_class
    sibling = make_student(world.room, world.school, "Nguyễn Bảo Minh", guardians=(world.parent,))
    url = f"/classbook/children/{world.child.id}"
    first = parent.get(url)
    notes = f"/api/classbook/students/{sibling.id}/health-notes"
    assert write("POST", notes, FEVER, on=homeroom).status_code == 201
    fresh = again(parent, url, first)
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != first.headers["ETag"]
    assert 'class="badge"' not in inbox_link(first)
    assert 'class="badge"' in inbox_link(fresh)


def inbox_link(response) -> str:
    return response.get_data(as_text=True).split('href="/inbox"', 1)[1].split("</a>", 1)[0]
