"""One rule per action: a refused action answers the same from the API and from the page."""

from __future__ import annotations

import pytest

from contactbook.core.directory.models import ClosedDay, School, SchoolLevel, User
from contactbook.core.platform import Refused
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.services import summaries
from tests.modules.classbook.conftest import SCHOOL_DAY, count_rows, term_id

SETTINGS = {"daily_summary_time": "18:00:00", "always_send_summary": False}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("district_admin", 200),
        ("homeroom", 403),
        ("nurse", 403),
        ("parent", 403),
        ("outsider_teacher", 404),
    ],
)
def test_managing_summaries_answers_alike_from_the_api_and_the_page(
    app, client, login, write, make_user, school_class, who, status
):
    world = school_class
    world.district_admin = make_user(Role.DISTRICT_ADMIN, world.school)
    login(getattr(world, who).phone)
    page = client.get(f"/classbook/schools/{world.school.id}/summaries")
    api = write("PUT", f"/api/classbook/schools/{world.school.id}/summary-settings", SETTINGS)
    assert page.status_code == status
    assert api.status_code == (204 if status == 200 else status)
    if status != 200:
        assert api.get_json()["message"] in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status", "write_status"),
    [("homeroom", 200, 200), ("subject_teacher", 403, 403), ("admin", 200, 403)],
)
def test_rating_traits_answers_alike_from_the_api_and_the_page(
    app, client, login, write, make_school, make_user, make_classroom, make_student, make_subject,
    teach, who, status, write_status,
):  # fmt: skip
    """The school's admin reads the ratings on the page, with nothing to save."""
    school = make_school(SchoolLevel.PRIMARY)
    people = {name: make_user(Role.TEACHER, school) for name in ("homeroom", "subject_teacher")}
    people["admin"] = make_user(Role.SCHOOL_ADMIN, school)
    room = make_classroom(school, "2A", homeroom_teacher=people["homeroom"])
    teach(people["subject_teacher"], room, make_subject(school, grade_level=2, name="Tiếng Việt"))
    child = make_student(room, school, "Đỗ Minh Khôi")
    login(people[who].phone)
    page = client.get(f"/classbook/classes/{room.id}/traits")
    entries = [{"student_id": child.id, "rating": "tot"}]
    rating = {"term_id": term_id(app, school), "trait": "cham_chi", "slot": 2, "entries": entries}
    api = write("PUT", f"/api/classbook/classes/{room.id}/traits", rating)
    assert (page.status_code, api.status_code) == (status, write_status)
    if status == 200:
        assert ('class="save-bar"' in page.get_data(as_text=True)) is (write_status == 200)


def test_services_refuse_with_the_core_error_whoever_calls_them(app, school_class):
    """Closing a day and the summary settings check the actor themselves, not only the route."""
    with app.app_context():
        teacher = db.session.get(User, school_class.homeroom.id)
        school = db.session.get(School, school_class.school.id)
        with pytest.raises(Refused):
            summaries.mark_closed(teacher, school, SCHOOL_DAY, "Bão")
        with pytest.raises(Refused):
            summaries.set_summary_settings(teacher, school, school.daily_summary_time, True)
        with pytest.raises(Refused):
            summaries.send_now(teacher, school, SCHOOL_DAY)
        assert not db.session.get(School, school.id).always_send_summary
    assert count_rows(app, ClosedDay) == 0
