"""What importing a roster would change, worked out against the directory as it is now.

The same plan is shown as the dry run and carried out on confirmation, so what the admin saw
is what gets written. It reads the school's pupils, classes and parents in three queries,
whatever the size of the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, select

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    Membership,
    Relationship,
    School,
    SchoolYear,
    Student,
    User,
    display_phone,
)
from contactbook.core.platform import Role
from contactbook.extensions import db
from contactbook.modules.schooladmin.services.roster_read import fold
from contactbook.modules.schooladmin.services.roster_rows import Problem, PupilRow, RowReader

PHONE_QUERY_CHUNK = 500
PUPIL_FIELDS = ("family_name", "middle_name", "given_name", "date_of_birth", "gender")


@dataclass
class RowPlan:
    """One row as the dry run shows it: the pupil, what happens, and what stops it."""

    row: int
    code: str
    name: str
    class_name: str
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Every row's outcome for the page, and the writes for the import, grouped for bulk use."""

    school_year: SchoolYear | None
    rows: list[RowPlan] = field(default_factory=list)
    new_students: list[dict[str, Any]] = field(default_factory=list)
    student_updates: list[dict[str, Any]] = field(default_factory=list)
    student_ids: dict[str, int] = field(default_factory=dict)
    enrolments: list[tuple[str, int]] = field(default_factory=list)
    moves: list[dict[str, int]] = field(default_factory=list)
    new_guardians: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)
    new_members: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]


def current_school_year(school: School) -> SchoolYear | None:
    """The year rosters go into: the one under way, else the next to start, else the latest."""
    years = db.session.scalars(
        select(SchoolYear).where(SchoolYear.school_id == school.id).order_by(SchoolYear.starts_on)
    ).all()
    return _current_of(years, school)


def _current_of(years: Sequence[SchoolYear], school: School) -> SchoolYear | None:
    """`current_school_year` among years already read, oldest first."""
    today = school.today()
    for year in years:
        if year.starts_on <= today <= year.ends_on:
            return year
    upcoming = [year for year in years if year.starts_on > today]
    return upcoming[0] if upcoming else (years[-1] if years else None)


def _year_and_classes(school: School) -> tuple[SchoolYear | None, list[Classroom]]:
    """The year rosters go into and its open classes, from one statement over every year."""
    rows = db.session.execute(
        select(SchoolYear, Classroom)
        .outerjoin(
            Classroom,
            and_(Classroom.school_year_id == SchoolYear.id, Classroom.archived_at.is_(None)),
        )
        .where(SchoolYear.school_id == school.id)
        .order_by(SchoolYear.starts_on, Classroom.id)
    ).all()
    years = list({year.id: year for year, _room in rows}.values())
    year = _current_of(years, school)
    return year, [room for found, room in rows if room is not None and found is year]


def make_plan(school: School, content: dict[str, Any]) -> Plan:
    """Read every stored row and decide, per row, what importing it creates or changes."""
    today = school.today()
    reader = RowReader(content["columns"], today)
    pupils = [reader.read(row) for row in content["rows"]]
    year, classes = _year_and_classes(school)
    plan = Plan(school_year=year)
    planner = _Planner(school, plan, reader, pupils, classes)
    for pupil in pupils:
        plan.rows.append(planner.plan_row(pupil))
    return plan


class _Planner:
    """Holds what the directory already has, loaded once, while rows are planned one by one.

    Three statements whatever the file's size: the year with its classes (given), the school's
    pupils with their enrolment this year and their parents, the file's phones with whether
    each is already a parent of the school.
    """

    def __init__(
        self,
        school: School,
        plan: Plan,
        reader: RowReader,
        pupils: list[PupilRow],
        classes: list[Classroom],
    ):
        self.school, self.plan, self.reader = school, plan, reader
        self.classes = {fold(room.name): room for room in classes}
        self.class_names = {room.id: room.name for room in classes}
        self.students: dict[str, Any] = {}
        self.enrolled: dict[int, Any] = {}
        self.linked: set[tuple[int, int]] = set()
        enrolment = and_(
            Enrollment.student_id == Student.id,
            Enrollment.classroom_id.in_(list(self.class_names)),
        )
        for row in db.session.execute(
            select(
                Student.id,
                Student.student_code,
                *_columns(Student, PUPIL_FIELDS),
                Enrollment.id.label("enrollment_id"),
                Enrollment.classroom_id,
                Guardianship.user_id.label("guardian_id"),
            )
            .outerjoin(Enrollment, enrolment)
            .outerjoin(Guardianship, Guardianship.student_id == Student.id)
            .where(Student.school_id == school.id)
        ):
            self.students[row.student_code] = row
            if row.enrollment_id is not None:
                self.enrolled[row.id] = _Enrolment(row.enrollment_id, row.classroom_id)
            if row.guardian_id is not None:
                self.linked.add((row.id, row.guardian_id))
        self.has_guardian = {student_id for student_id, _user in self.linked}
        self.users = self._users_by_phone({g.phone for p in pupils for g in p.guardians})
        self.members = {user.id for user in self.users.values() if user.is_member}
        self.primary_given: set[str] = set()
        self.rows_of_code: dict[str, list[int]] = defaultdict(list)
        for pupil in pupils:
            if pupil.code:
                self.rows_of_code[pupil.code].append(pupil.row)

    def _users_by_phone(self, phones: set[str]) -> dict[str, User]:
        found: dict[str, Any] = {}
        ordered = sorted(phones)
        for start in range(0, len(ordered), PHONE_QUERY_CHUNK):
            chunk = ordered[start : start + PHONE_QUERY_CHUNK]
            is_member = (
                select(Membership.id)
                .where(
                    Membership.user_id == User.id,
                    Membership.school_id == self.school.id,
                    Membership.role == Role.GUARDIAN,
                )
                .exists()
                .label("is_member")
            )
            query = select(User.id, User.phone, User.display_name, is_member).where(
                User.phone.in_(chunk)
            )
            found.update((row.phone, row) for row in db.session.execute(query))
        return found

    def plan_row(self, pupil: PupilRow) -> RowPlan:
        """Check the row against the file and the directory, then count what it would write."""
        row = RowPlan(pupil.row, pupil.code, pupil.full_name, pupil.class_name)
        row.problems, row.notes = list(pupil.problems), list(pupil.notes)
        others = [n for n in self.rows_of_code.get(pupil.code, []) if n != pupil.row]
        if others:
            rows = ", ".join(str(n) for n in others)
            message = _("Code %(code)s is also on row %(rows)s.", code=pupil.code, rows=rows)
            row.problems.append(self.reader.problem(pupil.row, "code", message))
        classroom = self.classes.get(fold(pupil.class_name)) if pupil.class_name else None
        if pupil.class_name and classroom is None:
            row.problems.append(self.reader.problem(pupil.row, "class_name", self._no_class(pupil)))
        if row.problems:
            return row
        self._plan_pupil(pupil, row, classroom)
        self._plan_guardians(pupil, row)
        return row

    def _no_class(self, pupil: PupilRow) -> str:
        if self.plan.school_year is None:
            return _("The school has no school year yet.")
        return _(
            "There is no class %(name)s in school year %(year)s.",
            name=pupil.class_name,
            year=self.plan.school_year.name,
        )

    def _plan_pupil(self, pupil: PupilRow, row: RowPlan, classroom: Classroom) -> None:
        values = {
            "family_name": pupil.family,
            "middle_name": pupil.middle,
            "given_name": pupil.given,
            "date_of_birth": pupil.date_of_birth,
            "gender": pupil.gender,
        }
        known = self.students.get(pupil.code)
        if known is None:
            self.plan.new_students.append(
                {"school_id": self.school.id, "student_code": pupil.code, **values}
            )
            self.plan.enrolments.append((pupil.code, classroom.id))
            self.plan.counts["new_pupils"] += 1
            row.changes.append(_("New pupil in class %(name)s", name=classroom.name))
            return
        self.plan.student_ids[pupil.code] = known.id
        changed = {name: value for name, value in values.items() if getattr(known, name) != value}
        if changed:
            self.plan.student_updates.append({"id": known.id, **values})
            self.plan.counts["updated_pupils"] += 1
            labels = ", ".join(sorted({_field_label(name) for name in changed}))
            row.changes.append(_("Pupil updated: %(fields)s", fields=labels))
        enrolment = self.enrolled.get(known.id)
        if enrolment is None:
            self.plan.enrolments.append((pupil.code, classroom.id))
            row.changes.append(_("Into class %(name)s", name=classroom.name))
        elif enrolment.classroom_id != classroom.id:
            self.plan.moves.append({"id": enrolment.id, "classroom_id": classroom.id})
            old = self.class_names[enrolment.classroom_id]
            row.changes.append(_("Moves from %(old)s to %(new)s", old=old, new=classroom.name))
        if not row.changes:
            self.plan.counts["unchanged_pupils"] += 1
            row.changes.append(_("No change to the pupil"))

    def _plan_guardians(self, pupil: PupilRow, row: RowPlan) -> None:
        student_id = self.plan.student_ids.get(pupil.code)
        seen: set[str] = set()
        for guardian in pupil.guardians:
            if guardian.phone in seen:
                continue
            seen.add(guardian.phone)
            phone = display_phone(guardian.phone)
            user = self.users.get(guardian.phone)
            if user is None and guardian.phone not in self.plan.new_guardians:
                self.plan.new_guardians[guardian.phone] = guardian.name
                self.plan.new_members.add(guardian.phone)
                self.plan.counts["new_guardians"] += 1
                row.changes.append(
                    _("New parent %(name)s, %(phone)s", name=guardian.name, phone=phone)
                )
            else:
                if user is not None:
                    self.plan.user_ids[guardian.phone] = user.id
                    if user.id not in self.members:
                        self.plan.new_members.add(guardian.phone)
                    if (student_id, user.id) in self.linked:
                        continue
                name = (
                    user.display_name
                    if user is not None
                    else self.plan.new_guardians[guardian.phone]
                )
                row.changes.append(_("Parent %(name)s, %(phone)s linked", name=name, phone=phone))
            self._link(pupil.code, student_id, guardian.phone, guardian.relationship)

    def _link(self, code: str, student_id: int | None, phone: str, kind: Relationship) -> None:
        # The first parent of a pupil who has none yet is the one the school calls first.
        primary = student_id not in self.has_guardian and code not in self.primary_given
        self.primary_given.add(code)
        self.plan.links.append(
            {"code": code, "phone": phone, "relationship": kind, "primary": primary}
        )
        self.plan.counts["links"] += 1


@dataclass(frozen=True)
class _Enrolment:
    """A pupil's place in a class of the year the roster goes into."""

    id: int
    classroom_id: int


def _columns(model: type, names: tuple[str, ...]) -> list[Any]:
    return [getattr(model, name) for name in names]


def _field_label(name: str) -> str:
    labels = {
        "family_name": _("name"),
        "middle_name": _("name"),
        "given_name": _("name"),
        "date_of_birth": _("date of birth"),
        "gender": _("gender"),
    }
    return labels[name]


def plan_for_display(plan: Plan) -> dict[str, Any]:
    """Counts and rows ready for the page: problem rows first, each problem with its place."""
    return {
        "counts": dict(plan.counts),
        "problems": plan.problems,
        "rows": sorted(plan.rows, key=lambda row: (not row.problems, row.row)),
    }
