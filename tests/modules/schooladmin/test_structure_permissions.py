"""One table per route: admins of the school and its district act; others are refused or see 404."""

from __future__ import annotations

import pytest

from tests.modules.schooladmin.structure_world import signed_in_as

API = "/api/schooladmin/structure"
CLOSE = {"is_closed": True, "confirm_gaps": True}
NEW_CLASS = {"school_year_id": "{year}", "name": "6B", "grade_level": 6}
ASSIGN = {"subject_id": "{subject}", "teacher_id": "{teacher2}"}
YEAR = {
    "name": "2027–2028",
    "starts_on": "2027-09-05",
    "ends_on": "2028-05-31",
    "hk1": {"starts_on": "2027-09-05", "ends_on": "2028-01-15"},
    "hk2": {"starts_on": "2028-01-17", "ends_on": "2028-05-31"},
}
DATES = {key: value for key, value in YEAR.items() if key != "name"}
SUBJECT = {
    "grade_level": 6,
    "code": "tin_hoc",
    "name": "Tin học",
    "periods_per_year": 35,
    "assessment": "score",
}
# (method, path, body, success status); {school}, {year}, ... are filled from the world.
ROUTES = [
    ("POST", API + "/schools/{school}/years", YEAR, 201),
    ("PATCH", API + "/years/{year}", DATES, 200),
    ("GET", API + "/terms/{term}/gaps", None, 200),
    ("PATCH", API + "/terms/{term}", CLOSE, 200),
    ("PUT", API + "/schools/{school}/school-days", {"weekdays": {"1": True}}, 204),
    ("POST", API + "/schools/{school}/closed-days", {"first": "2027-02-17"}, 204),
    ("DELETE", API + "/closed-days/{closed_day}", None, 204),
    ("POST", API + "/classes", NEW_CLASS, 201),
    ("PUT", API + "/classes/{room}", {"name": "6A1", "grade_level": 6}, 200),
    ("PUT", API + "/classes/{room}/archived", {"archived": True}, 200),
    ("POST", API + "/schools/{school}/subjects", SUBJECT, 201),
    ("POST", API + "/schools/{school}/programme", {"grade_level": 7}, 201),
    ("PUT", API + "/subjects/{subject}", {**SUBJECT, "code": "toan"}, 200),
    ("PUT", API + "/subjects/{subject}/archived", {"archived": True}, 200),
    ("POST", API + "/classes/{room}/assignments", ASSIGN, 201),
    ("DELETE", API + "/assignments/{assignment}", None, 204),
    ("POST", API + "/schools/{school}/nurses", {"user_id": "{teacher}"}, 204),
    ("DELETE", API + "/schools/{school}/nurses/{nurse}", None, 204),
    ("GET", "/schooladmin/structure/{school}", None, 200),
    ("GET", "/schooladmin/structure/{school}/terms/{term}/close", None, 200),
    ("GET", "/schooladmin/structure/{school}/classes", None, 200),
    ("GET", "/schooladmin/structure/{school}/classes/{room}", None, 200),
    ("GET", "/schooladmin/structure/{school}/subjects", None, 200),
]  # fmt: skip
WHO = [
    ("admin", None),
    ("district_admin", None),
    ("teacher", 403),
    ("parent", 403),
    ("admin_b", 404),
]


def fill(template, world):
    ids = {
        "school": world.a.id,
        "year": world.year_id,
        "term": world.term_id,
        "closed_day": world.closed_day.id,
        "room": world.classroom.id,
        "subject": world.maths.id,
        "assignment": world.assignment.id,
        "nurse": world.nurse.id,
        "teacher": world.teacher.id,
        "teacher2": world.teacher2.id,
    }
    if isinstance(template, str):
        filled = template.format(**ids)
        return int(filled) if template.startswith("{") and filled.isdigit() else filled
    if isinstance(template, dict):
        return {key: fill(value, world) for key, value in template.items()}
    return template


@pytest.mark.parametrize(("method", "path", "body", "success"), ROUTES)
@pytest.mark.parametrize(("who", "refusal"), WHO)
def test_each_route_answers_by_who_asks(
    client, login, write, world, method, path, body, success, who, refusal
):
    signed_in_as(login, world, who)
    url = fill(path, world)
    if method == "GET":
        response = client.get(url)
    else:
        response = write(method, url, fill(body, world))
    assert response.status_code == (refusal or success), response.get_data(as_text=True)[:300]
