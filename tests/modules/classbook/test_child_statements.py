"""A child's pages cost the same number of SQL statements for a child with a handful of
records as for one with a school year's worth: nothing is read once per grade, day or note."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from contactbook.core.directory.models import Assessment
from contactbook.core.directory.subjects import SubjectCode
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Comment,
    CommentKind,
    DaySession,
    Grade,
    GradeKind,
    GradeRevision,
    HealthCategory,
    HealthNote,
)
from tests.modules.classbook.conftest import SCHOOL_DAY, SCHOOL_ZONE, term_id
from tests.statements import statements
from tests.test_statement_budget import STATEMENT_BUDGET

# The crawl's budget holds every page; the child's conversation costs less today.
TIMELINE_BUDGET = STATEMENT_BUDGET
CHILD_PAGE_BUDGET = STATEMENT_BUDGET
MESSAGING_BUDGET = 5

EXTRA_SUBJECTS = [
    code
    for code in SubjectCode
    if code not in (SubjectCode.TOAN, SubjectCode.LICH_SU_DIA_LI, SubjectCode.NGHE_THUAT)
][:14]
A_TERM = [(GradeKind.REGULAR, slot) for slot in (1, 2, 3, 4)] + [
    (GradeKind.MIDTERM, 1),
    (GradeKind.FINAL, 1),
]


def school_days(count: int) -> list[date]:
    days, day = [], SCHOOL_DAY
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=9), SCHOOL_ZONE)


def record(app, world, student, subjects, days: int, notes: int, revisions: int) -> int:
    """Grades in every subject's assessments of both terms, absences, comments, health notes
    and corrections for one child; returns how many grades."""
    terms = [term_id(app, world.school, kind) for kind in ("hk1", "hk2")]
    with app.app_context():
        grades = [
            Grade(
                student_id=student.id,
                subject_id=subject.id,
                term_id=term,
                kind=kind,
                slot=slot,
                score_tenths=50 + (index * 7) % 50,
                recorded_by_id=world.maths_teacher.id,
            )
            for index, (subject, term, (kind, slot)) in enumerate(
                (subject, term, assessment)
                for subject in subjects
                for term in terms
                for assessment in A_TERM
            )
        ]
        db.session.add_all(grades)
        db.session.flush()
        db.session.add_all(
            GradeRevision(
                grade_id=grade.id,
                changed_by_id=world.maths_teacher.id,
                before_score_tenths=40,
                after_score_tenths=grade.score_tenths,
            )
            for grade in grades[:revisions]
        )
        statuses = list(AttendanceStatus)[1:]
        db.session.add_all(
            AttendanceMark(
                classroom_id=world.room.id,
                student_id=student.id,
                day=day,
                session=session,
                status=statuses[index % len(statuses)],
                recorded_by_id=world.homeroom.id,
            )
            for index, day in enumerate(school_days(days))
            for session in DaySession
        )
        for index, day in enumerate(school_days(notes)):
            db.session.add(
                Comment(
                    student_id=student.id,
                    kind=list(CommentKind)[index % 2],
                    text=f"Nhận xét {index}",
                    subject_id=world.maths.id if index % 3 else None,
                    author_id=world.homeroom.id,
                    created_at=at(day),
                )
            )
            db.session.add(
                HealthNote(
                    student_id=student.id,
                    category=list(HealthCategory)[index % len(HealthCategory)],
                    text=f"Ghi chú {index}",
                    observed_at=at(day),
                    author_id=world.nurse.id,
                    created_at=at(day),
                )
            )
        db.session.commit()
        return len(grades)


@pytest.fixture
def a_small_and_a_big_child(app, school_class, make_subject):
    """Two pupils of one class: the first with five grades and a few records, the second with
    a school year's worth (every assessment of sixteen subjects, a hundred absences...)."""
    world = school_class
    extra = [
        make_subject(world.school, name=f"Môn {code}", code=code, assessment=Assessment.SCORE)
        for code in EXTRA_SUBJECTS
    ]
    small, big = world.pupils[0], world.pupils[1]
    assert record(app, world, small, [world.maths], days=1, notes=1, revisions=1) == 12
    assert (
        record(
            app, world, big, [world.maths, world.history, *extra], days=50, notes=40, revisions=60
        )
        == 192
    )
    return world, small, big


def counted(app, client, path: str) -> int:
    with statements(app) as sent:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sent)


def test_a_family_reads_a_big_childs_pages_in_as_many_statements(
    app, login, a_small_and_a_big_child
):
    world, small, big = a_small_and_a_big_child
    parents = {small.id: world.parent, big.id: world.other_parent}
    costs: dict[str, list[int]] = {}
    for child in (small, big):
        client = app.test_client()
        login(parents[child.id].phone, on=client)
        for name, path in [
            ("child page", f"/classbook/children/{child.id}"),
            ("timeline", f"/classbook/children/{child.id}/timeline"),
            ("older scores", f"/classbook/children/{child.id}/timeline?kind=grades&page=2"),
            ("comments", f"/classbook/children/{child.id}/timeline?kind=comments"),
            ("conversation", f"/messaging/children/{child.id}"),
            ("leave requests", f"/api/messaging/students/{child.id}/leave-requests"),
        ]:
            costs.setdefault(name, []).append(counted(app, client, path))
    assert all(small_cost == big_cost for small_cost, big_cost in costs.values()), costs
    assert costs["child page"][0] <= CHILD_PAGE_BUDGET, costs
    for name in ("timeline", "older scores", "comments"):
        assert costs[name][0] <= TIMELINE_BUDGET, costs
    assert costs["conversation"][0] <= MESSAGING_BUDGET, costs
    assert costs["leave requests"][0] <= TIMELINE_BUDGET, costs


def test_a_teacher_reads_a_big_childs_pages_in_as_many_statements(
    app, client, login, a_small_and_a_big_child
):
    world, small, big = a_small_and_a_big_child
    login(world.homeroom.phone)
    child_pages = [counted(app, client, f"/classbook/children/{c.id}") for c in (small, big)]
    timelines = [counted(app, client, f"/classbook/children/{c.id}/timeline") for c in (small, big)]
    talks = [counted(app, client, f"/messaging/children/{c.id}") for c in (small, big)]
    assert child_pages[0] == child_pages[1] <= CHILD_PAGE_BUDGET
    assert timelines[0] == timelines[1] <= TIMELINE_BUDGET
    assert talks[0] == talks[1] <= MESSAGING_BUDGET


def test_the_big_childs_timeline_pages_back_through_every_record(
    app, client, login, a_small_and_a_big_child
):
    world, _small, big = a_small_and_a_big_child
    login(world.other_parent.phone)
    # 192 grades at 20 a page: page 10 holds the last 12, and says nothing older follows.
    last = client.get(f"/classbook/children/{big.id}/timeline?kind=grades&page=10")
    html = last.get_data(as_text=True)
    assert html.count('class="timeline-grade"') == 12
    assert 'rel="next"' not in html and 'rel="prev"' in html
    ninth = client.get(f"/classbook/children/{big.id}/timeline?kind=grades&page=9")
    assert ninth.get_data(as_text=True).count('class="timeline-grade"') == 20
    assert 'rel="next"' in ninth.get_data(as_text=True)
