"""Conditional GET: a phone asking again for a page or sheet that has not changed gets a 304."""

from __future__ import annotations

import uuid

import pytest

from contactbook.core.directory.models import Classroom, User
from contactbook.extensions import db
from tests.conftest import csrf_token_from
from tests.mailserver import free_port
from tests.modules.classbook.conftest import SCHOOL_DAY, term_id
from tests.servers import redis_url
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


def test_a_reader_asking_again_without_a_tag_gets_the_kept_page(app, parent, school_class):
    """A reload, a second tab or the app reopened sends no tag: the server's kept page answers."""
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    with statements(app) as sent:
        repeat = parent.get(url)
    assert repeat.status_code == 200
    assert repeat.get_data() == first.get_data()
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert repeat.headers["Cache-Control"] == "private, no-cache"
    assert len(sent) <= 3, "the session, the reader, one stamp: the page is not built again"


def test_signing_in_again_never_gets_a_page_with_the_old_sessions_token(
    app, parent, login, school_class
):
    """The page's forms carry the session's CSRF token; a page of an ended session is stale."""
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    signed_out = parent.post("/signout", data={"csrf_token": csrf_token_from(parent, url)})
    assert signed_out.status_code == 302
    login(school_class.parent.phone, on=parent)
    page = again(parent, url, first)
    assert page.status_code == 200, "the browser's copy holds the ended session's token"
    assert parent.get(url).get_data() == page.get_data()
    token = csrf_token_from(parent, url)
    assert parent.post("/signout", data={"csrf_token": token}).status_code == 302


def test_a_message_flashed_for_the_page_shows_once_even_when_the_page_is_kept(
    app, parent, school_class
):
    url = f"/classbook/children/{school_class.child.id}"
    parent.get(url)
    with parent.session_transaction() as session:
        session["_flashes"] = [("message", "Đã lưu ghi chú sức khỏe.")]
    assert "Đã lưu ghi chú sức khỏe." in parent.get(url).get_data(as_text=True)
    assert "Đã lưu ghi chú sức khỏe." not in parent.get(url).get_data(as_text=True)


def test_another_reader_of_the_child_never_gets_the_kept_page(app, parent, homeroom, school_class):
    url = f"/classbook/children/{school_class.child.id}"
    first = parent.get(url)
    second = homeroom
    theirs = second.get(url)
    assert theirs.status_code == 200
    assert theirs.headers["ETag"] != first.headers["ETag"]
    token = csrf_token_from(second, url)
    assert second.post("/signout", data={"csrf_token": token}).status_code == 302


def test_with_no_pages_kept_every_view_builds_its_page(another_app, login, school_class):
    keeping_none = another_app(CONTACTBOOK_PAGE_CACHE_PAGES=0)
    reader = keeping_none.test_client()
    login(school_class.parent.phone, on=reader)
    url = f"/classbook/children/{school_class.child.id}"
    with statements(keeping_none) as built:
        reader.get(url)
    with statements(keeping_none) as again_built:
        assert reader.get(url).status_code == 200
    assert len(again_built) == len(built) > 3


def test_workers_share_kept_pages_through_redis(another_app, login, school_class):
    shared = {"CONTACTBOOK_PAGE_CACHE_URL": redis_url("pages kept for several workers")}
    first_worker, second_worker = another_app(**shared), another_app(**shared)
    reader = first_worker.test_client()
    login(school_class.parent.phone, on=reader)
    url = f"/classbook/children/{school_class.child.id}?worker-test={uuid.uuid4()}"
    built = reader.get(url)
    same_phone = second_worker.test_client()
    cookie = reader.get_cookie("session")
    same_phone.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    with statements(second_worker) as sent:
        kept = same_phone.get(url)
    assert kept.status_code == 200
    assert kept.get_data() == built.get_data()
    assert len(sent) <= 3


def test_an_unreachable_page_cache_only_costs_the_page_its_build(another_app, login, school_class):
    nowhere = another_app(CONTACTBOOK_PAGE_CACHE_URL=f"redis://127.0.0.1:{free_port()}/0")
    reader = nowhere.test_client()
    login(school_class.parent.phone, on=reader)
    url = f"/classbook/children/{school_class.child.id}"
    assert "Nguyễn Bảo Ngọc" in reader.get(url).get_data(as_text=True)
    assert reader.get(url).status_code == 200


def test_home_unchanged_is_not_built_twice(app, parent, school_class):
    first = parent.get("/")
    assert first.status_code == 200
    assert again(parent, "/", first).status_code == 304
    with statements(app) as sent:
        kept = parent.get("/")
    assert kept.get_data() == first.get_data()
    assert len(sent) <= 3


def test_a_renamed_class_shows_at_once_on_home_and_the_child_page(app, parent, school_class):
    child_url = f"/classbook/children/{school_class.child.id}"
    home, child = parent.get("/"), parent.get(child_url)
    assert "Lớp 6A" in home.get_data(as_text=True)
    with app.app_context():
        db.session.get(Classroom, school_class.room.id).name = "6A1"
        db.session.commit()
    for url, before in (("/", home), (child_url, child)):
        assert again(parent, url, before).status_code == 200
        assert "Lớp 6A1" in parent.get(url).get_data(as_text=True)


def test_a_new_name_greets_the_reader_at_once(app, parent, school_class):
    assert "Chị Mai" in parent.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, school_class.parent.id).display_name = "Chị Mai Anh"
        db.session.commit()
    assert "Chị Mai Anh" in parent.get("/").get_data(as_text=True)


def test_daily_work_and_sign_ins_leave_families_pages_kept(
    app, parent, homeroom, login, write, school_class
):
    """A roll call, a note or a sign-in changes no class, subject or name: home stays kept."""
    parent.get("/")
    url = f"/api/classbook/classes/{school_class.room.id}/attendance"
    body = {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": []}
    assert write("PUT", url, body, on=homeroom).status_code == 200
    login(school_class.nurse.phone, on=app.test_client())
    with statements(app) as sent:
        assert parent.get("/").status_code == 200
    assert len(sent) <= 3
