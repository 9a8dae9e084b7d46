"""School administration reads the database a fixed number of times, whatever the school's size.

Two schools are built side by side: one of 2 classes of 10 pupils, one of 8 classes of 45, each
pupil with a family, grades, attendance marks and notifications. Every admin page and API read
costs the same number of statements at both, and no more than the budget.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from contactbook.core.delivery.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    PushSubscription,
)
from contactbook.core.directory.identity import hash_password
from contactbook.core.directory.models import (
    Assessment,
    Classroom,
    ClosedDay,
    District,
    Enrollment,
    Gender,
    Guardianship,
    Membership,
    Relationship,
    School,
    SchoolLevel,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    Term,
    TermKind,
    User,
)
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    DaySession,
    Grade,
    GradeKind,
)
from tests.conftest import PASSWORD
from tests.statements import statements
from tests.test_statement_budget import STATEMENT_BUDGET

RANGE = "start=2026-11-02&end=2026-11-27"
SCHOOL_PAGES = (
    "/schooladmin/",
    "/schooladmin/promotion/schools/{school}/",
    "/schooladmin/reports/schools/{school}/",
    f"/schooladmin/reports/schools/{{school}}/classbook.grade_completeness?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/classbook.attendance_daily?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/classbook.attendance_weekly?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/schooladmin.notification_reach?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/schooladmin.parent_engagement?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/classbook.grade_completeness/export.csv?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/schooladmin.notification_reach/export.xlsx?{RANGE}",
    f"/schooladmin/reports/schools/{{school}}/schooladmin.parent_engagement/export.csv?{RANGE}",
    "/schooladmin/structure/{school}",
    "/schooladmin/structure/{school}/classes",
    "/schooladmin/structure/{school}/classes/{classroom}",
    "/schooladmin/structure/{school}/subjects",
    "/schooladmin/structure/{school}/terms/{term}/close",
    "/schooladmin/staff/{school}",
    "/schooladmin/staff/{school}/{teacher}",
    "/schooladmin/roster/schools/{school}",
    "/schooladmin/invites/",
    "/api/schooladmin/structure/terms/{term}/gaps",
)
DISTRICT_PAGES = ("/schooladmin/district/", "/schooladmin/district/schools/{school}")


def build_school(classes: int, pupils: int, tag: str) -> SimpleNamespace:
    """A school of its own district with `classes` classes of `pupils` pupils, and their news."""
    school = School(code=f"C{tag}", name=f"Trường {tag}", level=SchoolLevel.LOWER_SECONDARY)
    school.district = District(code=f"D{tag}", name=f"Huyện {tag}")
    year = SchoolYear(
        school=school, name="2026–2027", starts_on=date(2026, 9, 5), ends_on=date(2027, 5, 31)
    )
    term = Term(kind=TermKind.HK1, starts_on=date(2026, 9, 5), ends_on=date(2027, 1, 16))
    year.terms = [
        term,
        Term(kind=TermKind.HK2, starts_on=date(2027, 1, 18), ends_on=date(2027, 5, 31)),
    ]
    admin = _staff(f"admin{tag}", Membership(role=Role.SCHOOL_ADMIN, school=school))
    overseer = _staff(
        f"district{tag}", Membership(role=Role.DISTRICT_ADMIN, district=school.district)
    )
    teacher = _staff(f"teacher{tag}", Membership(role=Role.TEACHER, school=school))
    db.session.add_all([school, admin, overseer, teacher])
    db.session.flush()
    db.session.add(ClosedDay(school_id=school.id, day=date(2026, 11, 20), reason="Nghỉ"))
    rooms = []
    for number in range(classes):
        grade_level = 6 + number % 4
        room = Classroom(school_year=year, name=f"{grade_level}A{number}", grade_level=grade_level)
        subject = Subject(
            school_id=school.id,
            grade_level=grade_level,
            code=f"math{tag}{number}",
            name=f"Toán {number}",
            periods_per_year=140,
            assessment=Assessment.SCORE,
        )
        db.session.add(TeachingAssignment(teacher_id=teacher.id, classroom=room, subject=subject))
        db.session.flush()
        for index in range(pupils):
            _pupil(school, room, subject, term, teacher, f"{tag}{number}x{index}")
        rooms.append(room)
    db.session.commit()
    return SimpleNamespace(
        school=school.id,
        classroom=rooms[0].id,
        term=term.id,
        teacher=teacher.id,
        admin=admin.username,
        overseer=overseer.username,
        pupils=classes * pupils,
    )


def _staff(username: str, membership: Membership) -> User:
    """Someone who signs in with the tests' password."""
    return User(
        username=username.lower(),
        display_name=username,
        password_hash=hash_password(PASSWORD),
        memberships=[membership],
    )


def _pupil(school, room, subject, term, teacher, tag: str) -> None:
    """One pupil with a family (every other one joined), a grade, marks, and news pushed."""
    parent = User(
        username=f"p{tag}".lower(),
        display_name=f"Phụ huynh {tag}",
        password_hash="x" if tag.endswith(("0", "2", "4", "6", "8")) else None,
    )
    pupil = Student(
        school_id=school.id,
        student_code=f"HS{tag}",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name=tag,
        date_of_birth=date(2014, 3, 8),
        gender=Gender.MALE,
    )
    pupil.enrollments = [Enrollment(classroom_id=room.id)]
    pupil.guardianships = [Guardianship(user=parent, relationship_kind=Relationship.FATHER)]
    subscription = PushSubscription(
        user=parent, endpoint=f"https://127.0.0.1/push/{tag}", p256dh="k", auth="a"
    )
    db.session.add_all([pupil, subscription])
    db.session.flush()
    marks = [
        AttendanceMark(
            classroom_id=room.id,
            student_id=pupil.id,
            day=day,
            session=DaySession.MORNING,
            status=AttendanceStatus.PRESENT,
            recorded_by_id=teacher.id,
        )
        for day in (date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 16))
    ]
    grade = Grade(
        student_id=pupil.id,
        subject_id=subject.id,
        term_id=term.id,
        kind=GradeKind.MIDTERM,
        slot=1,
        score_tenths=80,
        recorded_by_id=teacher.id,
    )
    news = Notification(
        user_id=parent.id,
        event="classbook.grade",
        student_id=pupil.id,
        created_at=datetime(2026, 11, 10, 3, tzinfo=UTC),
    )
    delivered = Delivery(
        notification=news,
        channel="push",
        subscription_id=subscription.id,
        status=DeliveryStatus.DELIVERED,
    )
    db.session.add_all([*marks, grade, news, delivered])


@pytest.fixture
def two_schools(app) -> SimpleNamespace:
    """A small school (2 classes of 10) and a large one (8 classes of 45)."""
    with app.app_context():
        small = build_school(2, 10, "S")
        large = build_school(8, 45, "L")
    return SimpleNamespace(small=small, large=large)


def cost(app, client, path: str) -> int:
    """Statements one GET sends for the signed-in user; the page must answer 200."""
    with statements(app) as sent:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sent)


def costs_at_both(app, login, two_schools, pages, who: str) -> dict[str, list[int]]:
    """Each page's statement count at the small and at the large school, read as `who`."""
    found: dict[str, list[int]] = {}
    for school in (two_schools.small, two_schools.large):
        client = app.test_client()
        login(getattr(school, who), on=client)
        for page in pages:
            found.setdefault(page, []).append(cost(app, client, page.format(**vars(school))))
    return found


def over_budget_or_growing(found: dict[str, list[int]]) -> dict[str, list[int]]:
    """The pages whose count differs between the schools or passes the budget."""
    return {
        page: counts
        for page, counts in found.items()
        if counts[0] != counts[1] or counts[1] > STATEMENT_BUDGET
    }


def test_every_school_page_costs_the_same_for_a_small_and_a_large_school(app, login, two_schools):
    found = costs_at_both(app, login, two_schools, SCHOOL_PAGES, "admin")
    assert len(found) == len(SCHOOL_PAGES)
    assert over_budget_or_growing(found) == {}


def test_every_district_page_costs_the_same_for_a_small_and_a_large_school(app, login, two_schools):
    found = costs_at_both(app, login, two_schools, DISTRICT_PAGES, "overseer")
    assert over_budget_or_growing(found) == {}


def test_the_figures_count_every_pupil_of_the_large_school(app, login, two_schools):
    client = app.test_client()
    login(two_schools.large.overseer, on=client)
    page = client.get(f"/schooladmin/district/schools/{two_schools.large.school}")
    assert f"<dd>{two_schools.large.pupils}</dd>" in page.get_data(as_text=True)
