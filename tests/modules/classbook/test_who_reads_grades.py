"""Who reads grades and trait ratings: the README's table, through the API and the child's page."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from contactbook.core.directory import access
from contactbook.core.directory.models import Classroom, SchoolLevel, User
from contactbook.core.directory.subjects import SubjectCode
from contactbook.core.platform import Refused
from contactbook.core.platform.module_contract import Role, registry
from contactbook.extensions import db
from contactbook.modules.classbook.services.scope import READ_GRADES, Assessments, readable_scope
from tests.modules.classbook.conftest import term_id

IN_SEMESTER_I = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TRAITS_HEADING = "Phẩm chất và năng lực"


def put_column(app, login, write, teacher, room, kind: str, payload: dict) -> None:
    """Save one column as its teacher does on the entry page."""
    writer = app.test_client()
    login(teacher.phone, on=writer)
    response = write("PUT", f"/api/classbook/classes/{room.id}/{kind}", payload, on=writer)
    assert response.status_code == 200


@pytest.fixture
def graded_class(app, login, write, school_class, make_user, make_subject, teach, time_machine):
    """6A with a literature teacher and a district admin; the child has Toán 9,5, Ngữ văn 6,5."""
    time_machine.move_to(IN_SEMESTER_I)
    world = school_class
    world.literature = make_subject(
        world.school, name="Ngữ văn", periods=140, code=SubjectCode.NGU_VAN
    )
    world.literature_teacher = make_user(Role.TEACHER, world.school, name="Cô Hoa")
    teach(world.literature_teacher, world.room, world.literature)
    world.district_admin = make_user(Role.DISTRICT_ADMIN, world.school)
    for teacher, subject, score in (
        (world.maths_teacher, world.maths, "9,5"),
        (world.literature_teacher, world.literature, "6,5"),
    ):
        payload = {"subject_id": subject.id, "term_id": term_id(app, world.school)}
        payload |= {"kind": "regular", "slot": 1}
        payload["entries"] = [{"student_id": world.child.id, "score": score}]
        put_column(app, login, write, teacher, world.room, "grades", payload)
    return world


@pytest.fixture
def rated_class(
    app,
    login,
    write,
    make_school,
    make_user,
    make_classroom,
    make_student,
    make_subject,
    teach,
    time_machine,
):
    """Primary 2A: the homeroom teacher rated a quality; a maths teacher teaches there too."""
    time_machine.move_to(IN_SEMESTER_I)
    school = make_school(SchoolLevel.PRIMARY)
    homeroom = make_user(Role.TEACHER, school, name="Cô Lan")
    room = make_classroom(school, "2A", homeroom_teacher=homeroom)
    parent = make_user(Role.GUARDIAN, school)
    child = make_student(room, school, "Đỗ Minh Khôi", guardians=(parent,))
    subject_teacher = make_user(Role.TEACHER, school)
    teach(subject_teacher, room, make_subject(school, grade_level=2, name="Toán", periods=175))
    payload = {"term_id": term_id(app, school), "trait": "cham_chi", "slot": 2}
    payload["entries"] = [{"student_id": child.id, "rating": "tot"}]
    put_column(app, login, write, homeroom, room, "traits", payload)
    return SimpleNamespace(
        school=school,
        room=room,
        child=child,
        homeroom=homeroom,
        parent=parent,
        subject_teacher=subject_teacher,
        nurse=make_user(Role.NURSE, school),
        admin=make_user(Role.SCHOOL_ADMIN, school),
        district_admin=make_user(Role.DISTRICT_ADMIN, school),
        outsider_teacher=make_user(Role.TEACHER, make_school(SchoolLevel.PRIMARY)),
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("maths_teacher", 200),
        ("homeroom", 200),
        ("admin", 200),
        ("district_admin", 200),
        ("literature_teacher", 403),
        ("nurse", 403),
        ("parent", 404),
        ("outsider_teacher", 404),
    ],
)
def test_who_reads_a_grade_column(app, client, login, graded_class, who, status):
    world = graded_class
    login(getattr(world, who).phone)
    query = f"subject_id={world.maths.id}&term_id={term_id(app, world.school)}&kind=regular&slot=1"
    response = client.get(f"/api/classbook/classes/{world.room.id}/grades?{query}")
    assert response.status_code == status
    if status == 200:
        scores = {e["student_id"]: e["score"] for e in response.get_json()["entries"]}
        assert scores[world.child.id] == "9.5"
    else:
        assert "9.5" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "sees_maths", "sees_literature"),
    [
        ("parent", True, True),
        ("homeroom", True, True),
        ("admin", True, True),
        ("district_admin", True, True),
        ("maths_teacher", True, False),
        ("literature_teacher", False, True),
        ("nurse", False, False),
    ],
)
def test_the_childs_page_shows_only_the_grades_the_reader_may_read(
    client, login, graded_class, who, sees_maths, sees_literature
):
    world = graded_class
    login(getattr(world, who).phone)
    response = client.get(f"/classbook/children/{world.child.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("Toán" in html) is sees_maths
    assert ("9,5" in html) is sees_maths
    assert ("6,5" in html) is sees_literature
    assert ("Sổ điểm" in html) is (sees_maths or sees_literature)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("homeroom", 200),
        ("admin", 200),
        ("district_admin", 200),
        ("subject_teacher", 403),
        ("nurse", 403),
        ("parent", 404),
        ("outsider_teacher", 404),
    ],
)
def test_who_reads_a_trait_column(app, client, login, rated_class, who, status):
    world = rated_class
    login(getattr(world, who).phone)
    query = f"term_id={term_id(app, world.school)}&trait=cham_chi&slot=2"
    response = client.get(f"/api/classbook/classes/{world.room.id}/traits?{query}")
    assert response.status_code == status
    if status == 200:
        assert response.get_json()["entries"][0]["rating"] == "tot"


@pytest.mark.parametrize(
    ("who", "sees_traits"),
    [
        ("parent", True),
        ("homeroom", True),
        ("admin", True),
        ("district_admin", True),
        ("subject_teacher", False),
        ("nurse", False),
    ],
)
def test_the_childs_page_shows_traits_to_their_readers_only(
    client, login, rated_class, who, sees_traits
):
    login(getattr(rated_class, who).phone)
    html = client.get(f"/classbook/children/{rated_class.child.id}").get_data(as_text=True)
    assert (TRAITS_HEADING in html) is sees_traits
    assert ("Chăm chỉ" in html) is sees_traits


def test_reading_grades_is_a_declared_permission_asked_per_subject(app, graded_class):
    """The rule behind every grade read is `classbook.grades.view`, enforced by `require`."""
    world = graded_class
    with app.app_context():
        teacher = db.session.get(User, world.maths_teacher.id)
        room = db.session.get(Classroom, world.room.id)
        access.require(teacher, READ_GRADES, Assessments(room, world.maths.id))
        with pytest.raises(Refused):
            access.require(teacher, READ_GRADES, Assessments(room, world.literature.id))
        with pytest.raises(Refused):
            access.require(teacher, READ_GRADES, Assessments(room))
        assert readable_scope(teacher, room).subject_ids == {world.maths.id, world.history.id}
        assert Role.NURSE not in registry().permissions[READ_GRADES].roles
