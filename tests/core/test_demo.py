"""`flask demo`: realistic demo data, loaded once, with sign-ins that work."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from contactbook.core.demo.seed import DEMO_SIGN_INS
from contactbook.core.directory.models import (
    Classroom,
    Enrollment,
    Guardianship,
    School,
    SchoolLevel,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    User,
)
from contactbook.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_loads_once_and_its_sign_ins_work(app, runner, client, login):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    for _role, identifier, password in DEMO_SIGN_INS:
        assert identifier in first.output
        assert password in first.output

    with app.app_context():
        before = {model: count(model) for model in (School, Student, User, Guardianship)}
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert {model: count(model) for model in before} == before

    for _role, identifier, password in DEMO_SIGN_INS:
        device = app.test_client()
        assert login(identifier, password, on=device).status_code == 302
        assert device.get("/").status_code == 200


def test_demo_families_find_a_term_of_records(app, runner, client, login):
    assert runner.invoke(args=["demo"]).exit_code == 0
    parent = next(entry for entry in DEMO_SIGN_INS if entry[0] == "parent")
    login(parent[1], parent[2])
    with app.app_context():
        children = db.session.scalars(
            select(Student).join(Guardianship).join(User).where(User.phone == "+84912000002")
        ).all()
    assert len(children) == 2
    for child in children:
        html = client.get(f"/classbook/children/{child.id}").get_data(as_text=True)
        assert "Vắng có phép (P)" in html
        assert "Đi muộn" in html
        assert "Sốt" in html
    assert any(
        "Điểm TB" in client.get(f"/classbook/children/{child.id}").get_data(as_text=True)
        for child in children
    )


def test_demo_schools_look_like_real_ones(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        schools = {school.level: school for school in db.session.scalars(select(School))}
        assert set(schools) == {SchoolLevel.LOWER_SECONDARY, SchoolLevel.PRIMARY}

        for level, grades, per_grade in [
            (SchoolLevel.LOWER_SECONDARY, range(6, 10), 3),
            (SchoolLevel.PRIMARY, range(1, 6), 2),
        ]:
            rooms = db.session.scalars(
                select(Classroom).join(SchoolYear).where(SchoolYear.school_id == schools[level].id)
            ).all()
            assert sorted(room.grade_level for room in rooms) == sorted(
                grade for grade in grades for _ in range(per_grade)
            )
            assert all(room.homeroom_teacher_id for room in rooms)

        sizes = db.session.execute(
            select(Classroom.id, func.count(Enrollment.id))
            .join(Enrollment)
            .join(SchoolYear)
            .where(SchoolYear.school_id == schools[SchoolLevel.LOWER_SECONDARY].id)
            .group_by(Classroom.id)
        ).all()
        assert all(30 <= size <= 40 for _room, size in sizes)

        math_6 = db.session.scalar(
            select(Subject).where(Subject.name == "Toán", Subject.grade_level == 6)
        )
        assert math_6.periods_per_year == 140
        unassigned = db.session.scalar(
            select(func.count())
            .select_from(Classroom)
            .join(Subject, Subject.grade_level == Classroom.grade_level)
            .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
            .where(
                Subject.school_id == SchoolYear.school_id,
                ~select(TeachingAssignment.id)
                .where(
                    TeachingAssignment.classroom_id == Classroom.id,
                    TeachingAssignment.subject_id == Subject.id,
                )
                .exists(),
            )
        )
        assert unassigned == 0

        guardians_per_student = db.session.execute(
            select(Guardianship.student_id, func.count()).group_by(Guardianship.student_id)
        ).all()
        assert len(guardians_per_student) == count(Student)
        assert {number for _student, number in guardians_per_student} == {1, 2}
        shared = db.session.scalar(
            select(func.count()).select_from(
                select(Guardianship.user_id)
                .group_by(Guardianship.user_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        assert shared > 0, "some families have more than one child"

        names = db.session.scalars(select(Student.given_name)).all()
        assert all(unicodedata.is_normalized("NFC", name) for name in names)
