"""A teacher's pages read the database a fixed number of times, however large the class.

Each page is read for a class of 10 pupils and again for the same class grown to 45 (every
pupil with a saved mark and a grade), and for a teacher of one class and of six: the number of
SQL statements must be the same and within the budget every page keeps.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.core.directory.models import Term
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, DaySession, Grade, GradeKind
from tests.conftest import saved
from tests.modules.classbook.conftest import SCHOOL_DAY
from tests.statements import statements
from tests.test_statement_budget import STATEMENT_BUDGET


def _grow_class(app, world, make_student, size: int) -> None:
    """Fill the class up to `size` pupils, each with a morning mark and a maths grade."""
    with app.app_context():
        term = db.session.scalar(
            select(Term).where(Term.school_year_id == world.room.school_year_id).limit(1)
        )
        have = len(world.room_pupils)
        term_id = term.id
    for n in range(have, size):
        pupil = make_student(world.room, world.school, f"Phạm Thị Học Sinh {n}")
        world.room_pupils.append(pupil)
        saved(
            app,
            AttendanceMark(
                classroom_id=world.room.id,
                student_id=pupil.id,
                day=SCHOOL_DAY,
                session=DaySession.MORNING,
                status="present",
                recorded_by_id=world.homeroom.id,
            ),
            Grade(
                student_id=pupil.id,
                subject_id=world.maths.id,
                term_id=term_id,
                kind=GradeKind.REGULAR,
                slot=1,
                score_tenths=80,
                recorded_by_id=world.maths_teacher.id,
            ),
        )
    world.term_id = term_id


def _cost(app, client, path: str) -> int:
    with statements(app) as sent:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sent)


def _pages(world) -> list[str]:
    room = world.room.id
    return [
        "/",
        f"/classes/{room}",
        f"/classbook/classes/{room}/attendance?day={SCHOOL_DAY}",
        f"/classbook/classes/{room}/grades/{world.maths.id}",
        f"/api/classbook/classes/{room}/attendance?day={SCHOOL_DAY}&session=morning",
        f"/api/classbook/classes/{room}/grades?subject_id={world.maths.id}"
        f"&term_id={world.term_id}&kind=regular",
    ]


@pytest.mark.parametrize("reader", ["maths_teacher", "homeroom", "admin"])
def test_a_class_of_45_costs_what_a_class_of_10_does(
    app, client, login, school_class, make_student, reader
):
    world = school_class
    world.room_pupils = list(world.pupils)
    login(getattr(world, reader).phone)
    _grow_class(app, world, make_student, 10)
    small = {path: _cost(app, client, path) for path in _pages(world)}
    _grow_class(app, world, make_student, 45)
    large = {path: _cost(app, client, path) for path in _pages(world)}

    assert large == small
    assert max(large.values()) <= STATEMENT_BUDGET, large


def test_a_teacher_of_six_classes_has_the_home_page_of_a_teacher_of_one(
    app, client, login, make_school, make_user, make_classroom, make_subject, teach
):
    school = make_school()
    teacher = make_user(Role.TEACHER, school, name="Cô Lan")
    maths = make_subject(school)
    login(teacher.phone)
    costs = []
    for n, name in enumerate(("6A", "6B", "6C", "6D", "6E", "6F")):
        room = make_classroom(school, name, homeroom_teacher=teacher if n == 0 else None)
        teach(teacher, room, maths)
        response_page = client.get("/").get_data(as_text=True)
        assert f"Lớp {name}" in response_page
        costs.append(_cost(app, client, "/"))

    assert costs == [costs[0]] * 6
    assert costs[0] <= STATEMENT_BUDGET
