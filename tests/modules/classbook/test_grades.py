"""Grade entry through the API: a column for the class, validated by Circular 22, audited."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from contactbook.core.delivery.models import Notification
from contactbook.core.directory.models import SchoolLevel
from contactbook.core.directory.subjects import SubjectCode
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import AuditAction, Grade
from tests.modules.classbook.conftest import count_rows, term_id


def url(world) -> str:
    return f"/api/classbook/classes/{world.room.id}/grades"


def column(app, world, subject=None, kind="regular", slot=1, **scores) -> dict:
    """A column payload: scores keyed p0, p1, p2 by pupil index."""
    return {
        "subject_id": (subject or world.maths).id,
        "term_id": term_id(app, world.school),
        "kind": kind,
        "slot": slot,
        "entries": [
            {"student_id": world.pupils[int(key[1:])].id, "score": value}
            for key, value in scores.items()
        ],
    }


def scores_in_db(app) -> dict[int, int]:
    with app.app_context():
        return {g.student_id: g.score_tenths for g in db.session.scalars(select(Grade))}


def test_subject_teacher_enters_a_column_with_decimal_commas(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    response = write("PUT", url(world), column(app, world, p0="8,5", p1="7", p2=9.5))
    assert response.status_code == 200
    shown = {e["student_name"]: e["score"] for e in response.get_json()["entries"]}
    assert shown == {"Trần Minh Anh": "7.0", "Lê Văn Đạt": "9.5", "Nguyễn Bảo Ngọc": "8.5"}
    assert sorted(scores_in_db(app).values()) == [70, 85, 95]
    assert [n.event for n in _inbox(app, world.parent)] == ["classbook.grade_recorded"]


@pytest.mark.parametrize("bad", ["10.5", "-1", "7.25", "abc", True])
def test_impossible_scores_are_refused_and_nothing_is_written(app, login, write, school_class, bad):
    world = school_class
    login(world.maths_teacher.phone)
    response = write("PUT", url(world), column(app, world, p0="8", p1=bad))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) in (["entries.1"], ["entries.1.score"])
    assert scores_in_db(app) == {}


def test_the_number_of_regular_scores_follows_the_periods(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    assert write("PUT", url(world), column(app, world, slot=4, p0="8")).status_code == 200
    history_slot_4 = write("PUT", url(world), column(app, world, world.history, slot=4, p0="8"))
    assert history_slot_4.status_code == 200
    too_many = write("PUT", url(world), column(app, world, world.history, slot=5, p0="8"))
    assert too_many.status_code == 422
    assert "slot" in too_many.get_json()["errors"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("homeroom", 422), ("nurse", 403), ("admin", 403), ("parent", 404), ("outsider_teacher", 404)],
)
def test_only_the_subject_teacher_writes_its_grades(app, login, write, school_class, who, status):
    login(getattr(school_class, who).phone)
    response = write("PUT", url(school_class), column(app, school_class, p0="8"))
    assert response.status_code == status
    assert scores_in_db(app) == {}


def test_a_subject_of_another_grade_is_refused(
    app, login, write, school_class, make_subject, teach
):
    world = school_class
    grade7_maths = make_subject(world.school, grade_level=7, name="Toán")
    teach(world.maths_teacher, world.room, grade7_maths)
    login(world.maths_teacher.phone)
    response = write("PUT", url(world), column(app, world, grade7_maths, p0="8"))
    assert response.status_code == 422
    assert "subject_id" in response.get_json()["errors"]


def test_comment_subjects_take_dat_or_chua_dat(app, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    payload = column(app, world, world.arts)
    payload["entries"] = [
        {"student_id": world.pupils[0].id, "rating": "dat"},
        {"student_id": world.pupils[1].id, "rating": "chua_dat"},
    ]
    assert write("PUT", url(world), payload).status_code == 200
    payload["entries"] = [{"student_id": world.pupils[0].id, "score": "8"}]
    refused = write("PUT", url(world), payload)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["entries.0"] == [
        "Môn học này đánh giá bằng nhận xét, không cho điểm."
    ]


def test_a_changed_grade_is_audited_and_the_family_told(app, client, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    write("PUT", url(world), column(app, world, p0="8"))
    write("PUT", url(world), column(app, world, p0="8,5"))
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.GRADE)
        ).all()
    assert [(e.before, e.after) for e in entries] == [
        (None, {"score_tenths": 80, "rating": None}),
        ({"score_tenths": 80, "rating": None}, {"score_tenths": 85, "rating": None}),
    ]
    assert entries[-1].actor_id == world.maths_teacher.id
    assert [n.event for n in _inbox(app, world.parent)] == ["classbook.grade_changed"], (
        "a change replaces the unread news of the same grade instead of stacking"
    )


def test_a_change_after_the_family_read_the_grade_is_new_news(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    write("PUT", url(world), column(app, world, p0="8"))
    with app.app_context():
        for note in db.session.scalars(select(Notification)):
            note.read_at = note.created_at
        db.session.commit()
    write("PUT", url(world), column(app, world, p0="8,5"))
    assert [n.event for n in _inbox(app, world.parent)] == [
        "classbook.grade_recorded",
        "classbook.grade_changed",
    ]


def test_an_empty_entry_clears_a_grade(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    write("PUT", url(world), column(app, world, p0="8", p1="6"))
    write("PUT", url(world), column(app, world, p0=None))
    assert sorted(scores_in_db(app).values()) == [60]


def test_primary_tests_are_whole_numbers_with_levels(
    app, login, write, make_school, make_user, make_classroom, make_student, make_subject, teach
):
    school = make_school(SchoolLevel.PRIMARY)
    teacher = make_user(Role.TEACHER, school)
    room = make_classroom(school, "4A", homeroom_teacher=teacher)
    reading = make_subject(
        school, grade_level=4, name="Tiếng Việt", periods=245, code=SubjectCode.TIENG_VIET
    )
    music = make_subject(
        school, grade_level=4, name="Nghệ thuật", periods=70, code=SubjectCode.NGHE_THUAT
    )
    for subject in (reading, music):
        teach(teacher, room, subject)
    pupil = make_student(room, school, "Hoàng Gia Bảo")
    login(teacher.phone)
    base = {"term_id": term_id(app, school), "kind": "final", "slot": 2}

    def send(subject, score=None, rating=None):
        entry = {"student_id": pupil.id, "score": score, "rating": rating}
        payload = {**base, "subject_id": subject.id, "entries": [entry]}
        return write("PUT", f"/api/classbook/classes/{room.id}/grades", payload)

    assert send(reading, "9", "htt").status_code == 200
    assert send(reading, "8,5", "htt").status_code == 422
    assert send(music, "9", "ht").status_code == 422
    assert send(music, None, "ht").status_code == 200
    assert send(music, None, "dat").status_code == 422
    assert count_rows(app, Grade) == 2


def _inbox(app, user):
    """What the user's inbox shows: replaced notifications stay stored but are not shown."""
    with app.app_context():
        return db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.replaced_at.is_(None))
            .order_by(Notification.id)
        ).all()


@pytest.fixture
def grade_four(make_school, make_user, make_classroom, make_student, make_subject, teach):
    """Primary 4A: Tiếng Việt, tested mid-term and at the end of term; one pupil, one parent."""
    school = make_school(SchoolLevel.PRIMARY)
    teacher = make_user(Role.TEACHER, school)
    room = make_classroom(school, "4A", homeroom_teacher=teacher)
    reading = make_subject(
        school, grade_level=4, name="Tiếng Việt", periods=245, code=SubjectCode.TIENG_VIET
    )
    teach(teacher, room, reading)
    parent = make_user(Role.GUARDIAN, school)
    pupil = make_student(room, school, "Hoàng Gia Bảo", guardians=(parent,))
    return SimpleNamespace(
        school=school, teacher=teacher, room=room, reading=reading, pupil=pupil, parent=parent
    )


@pytest.mark.parametrize(
    ("kind", "slot", "status"),
    [("midterm", 1, 200), ("final", 2, 200), ("midterm", 2, 422), ("final", 1, 422)],
)
def test_primary_takes_only_the_columns_its_entry_page_offers(
    app, login, write, grade_four, kind, slot, status
):
    world = grade_four
    login(world.teacher.phone)
    entry = {"student_id": world.pupil.id, "score": "9", "rating": "htt"}
    payload = {"subject_id": world.reading.id, "term_id": term_id(app, world.school)}
    payload |= {"kind": kind, "slot": slot, "entries": [entry]}
    response = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", payload)
    assert response.status_code == status
    if status == 422:
        assert "slot" in response.get_json()["errors"]
        assert count_rows(app, Grade) == 0


def test_a_primary_test_score_reads_as_a_whole_number_everywhere(
    app, client, login, write, grade_four
):
    """The entry page, the grade book and the timeline write 9, and name the column as the
    primary rule set does (Cuối kì), not as secondary schools do (ĐĐGck)."""
    world = grade_four
    teacher = app.test_client()
    login(world.teacher.phone, on=teacher)
    column = {"subject_id": world.reading.id, "term_id": term_id(app, world.school)}
    column |= {"kind": "final", "slot": 2}
    entry = {"student_id": world.pupil.id, "score": "9", "rating": "htt"}
    url = f"/api/classbook/classes/{world.room.id}/grades"
    saved = write("PUT", url, {**column, "entries": [entry]}, on=teacher)
    assert saved.get_json()["entries"][0]["score_text"] == "9"
    assert saved.get_json()["entries"][0]["rating_text"] == "Hoàn thành tốt"
    login(world.parent.phone)
    html = client.get(f"/classbook/children/{world.pupil.id}").get_data(as_text=True)
    assert "Hoàn thành tốt · 9<" in html
    assert "9,0" not in html
    assert "ĐĐGck" not in html
    assert "Cuối kì" in html.split('class="timeline"')[1]
