"""The contact book's figures for school admins' reports: attendance rates, grade entry, term
averages.

Declared in module.py as `Report`s; school administration shows and exports them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    School,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    Term,
)
from contactbook.core.platform import Report, ReportChart, ReportTable, percent
from contactbook.extensions import db
from contactbook.modules.classbook.labels import TERM_NAMES
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Grade,
    TermFigure,
)
from contactbook.modules.classbook.rules import ruleset_of

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def _marks_by_class_and_day(school: School, start: date, end: date) -> dict:
    """(class name, day) -> (marks, attended): each session's mark counts once."""
    attended = func.sum(case((AttendanceMark.status.in_(ATTENDED), 1), else_=0))
    rows = db.session.execute(
        select(Classroom.name, AttendanceMark.day, func.count(AttendanceMark.id), attended)
        .join(Classroom, AttendanceMark.classroom_id == Classroom.id)
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .where(SchoolYear.school_id == school.id)
        .where(AttendanceMark.day.between(start, end))
        .group_by(Classroom.name, AttendanceMark.day)
    )
    return {(name, day): (marks, int(present or 0)) for name, day, marks, present in rows}


def attendance_by_day(school: School, start: date, end: date) -> ReportTable:
    """The share of session marks that were present or late, per class and school day."""
    figures = _marks_by_class_and_day(school, start, end)
    rows = [
        (name, day, marks, present, percent(present, marks))
        for (name, day), (marks, present) in sorted(figures.items(), key=_class_then_day)
    ]
    return ReportTable(
        (_("Class"), _("Day"), _("Marks"), _("Present or late"), _("Attendance (%)")),
        rows,
        ReportChart(label_columns=(0, 1), value_column=4),
    )


def attendance_by_week(school: School, start: date, end: date) -> ReportTable:
    """The same share per class and week (weeks start on Monday, as calendars print them)."""
    marks: Counter = Counter()
    present: Counter = Counter()
    for (name, day), (count, attended) in _marks_by_class_and_day(school, start, end).items():
        week = (name, day - timedelta(days=day.weekday()))
        marks[week] += count
        present[week] += attended
    rows = [
        (name, monday, marks[name, monday], present[name, monday])
        for name, monday in sorted(marks, key=lambda key: _class_then_day((key, None)))
    ]
    return ReportTable(
        (_("Class"), _("Week of"), _("Marks"), _("Present or late"), _("Attendance (%)")),
        [(*row, percent(row[3], row[2])) for row in rows],
        ReportChart(label_columns=(0, 1), value_column=4),
    )


def _class_then_day(item: tuple) -> tuple:
    (name, day), _figures = item
    digits = "".join(char for char in name if char.isdigit())
    return (int(digits or 0), name, day)


def grade_completeness(school: School, start: date, end: date) -> ReportTable:
    """Per teacher, class, subject and assessment column of the terms in the range: how many
    of the class's pupils have the grade entered, so the admin knows whom to remind.

    Two statements however large the school: the assignments of each term with their class
    sizes, and the entered grades counted per term, class, subject and column.
    """
    pairs = _assignments_by_term(school, start, end)
    entered = _entered(school, start, end)
    rows = []
    for assignment, term, pupils in pairs:
        ruleset = ruleset_of(term.school_year)
        for column in ruleset.columns(assignment.subject):
            done = entered[
                term.id, assignment.classroom_id, assignment.subject_id, column.kind, column.slot
            ]
            rows.append(
                (
                    assignment.teacher.display_name,
                    assignment.classroom.name,
                    assignment.subject.name,
                    str(TERM_NAMES[term.kind]),
                    column.label,
                    done,
                    pupils,
                    percent(done, pupils),
                )
            )
    headings = (_("Teacher"), _("Class"), _("Subject"), _("Term"), _("Column"))
    return ReportTable(
        (*headings, _("Entered"), _("Pupils"), _("Complete (%)")),
        rows,
        ReportChart(label_columns=(0, 1, 2, 4), value_column=7),
    )


def _terms_in_range(school: School, start: date, end: date):
    """The school's terms that overlap the range, as a condition on `Term`."""
    return and_(SchoolYear.school_id == school.id, Term.starts_on <= end, Term.ends_on >= start)


def _current_pupils(classroom_id):
    """The class's pupils now: graduated or departed pupils owe no grades."""
    return (
        select(Enrollment.student_id)
        .join(Student, Enrollment.student_id == Student.id)
        .where(Enrollment.classroom_id == classroom_id, Student.archived_at.is_(None))
    )


def _assignments_by_term(
    school: School, start: date, end: date
) -> list[tuple[TeachingAssignment, Term, int]]:
    """(assignment, term, pupils now) for every class's subject in each term of the range."""
    pupils = (
        select(func.count()).select_from(_current_pupils(Classroom.id).subquery()).scalar_subquery()
    )
    rows = db.session.execute(
        select(TeachingAssignment, Term, pupils)
        .join(TeachingAssignment.classroom)
        .join(TeachingAssignment.teacher)
        .join(TeachingAssignment.subject)
        .join(Term, Term.school_year_id == Classroom.school_year_id)
        .join(Term.school_year)
        .options(
            contains_eager(TeachingAssignment.classroom),
            contains_eager(TeachingAssignment.teacher),
            contains_eager(TeachingAssignment.subject),
            contains_eager(Term.school_year),
        )
        .where(_terms_in_range(school, start, end), Classroom.archived_at.is_(None))
    ).all()
    return sorted(
        ((assignment, term, count) for assignment, term, count in rows),
        key=lambda row: (row[1].starts_on, row[1].id, *_by_teacher(row[0])),
    )


def _by_teacher(assignment: TeachingAssignment) -> tuple:
    return (assignment.teacher.display_name, assignment.classroom.name, assignment.subject.name)


def _entered(school: School, start: date, end: date) -> Counter:
    """(term, class, subject, kind, slot) -> how many of the class's pupils now have a score
    or a rating in that column."""
    filled = or_(Grade.score_tenths.is_not(None), Grade.rating.is_not(None))
    rows = db.session.execute(
        _of_current_pupils(
            select(
                Grade.term_id,
                Enrollment.classroom_id,
                Grade.subject_id,
                Grade.kind,
                Grade.slot,
                func.count(Grade.id),
            ),
            Grade,
            school,
            start,
            end,
        )
        .where(filled)
        .group_by(Grade.term_id, Enrollment.classroom_id, Grade.subject_id, Grade.kind, Grade.slot)
    )
    return Counter({tuple(row[:5]): row[5] for row in rows})


def _of_current_pupils(
    query: Select, rows: type[Grade | TermFigure], school: School, start: date, end: date
) -> Select:
    """Keep a report's per-pupil, per-term rows (grades, figures) of the school's terms in the
    range, for pupils not archived, each with the class they are in that school year."""
    return (
        query.join(Term, rows.term_id == Term.id)
        .join(SchoolYear, Term.school_year_id == SchoolYear.id)
        .join(Enrollment, Enrollment.student_id == rows.student_id)
        .join(Classroom, Enrollment.classroom_id == Classroom.id)
        .join(Student, rows.student_id == Student.id)
        .where(
            _terms_in_range(school, start, end),
            Classroom.school_year_id == Term.school_year_id,
            Student.archived_at.is_(None),
        )
    )


# Below this term average (in tenths) a pupil has not reached the subject's standard.
PASSING_TENTHS = 50


def term_averages(school: School, start: date, end: date) -> ReportTable:
    """Per term, class and subject: how many pupils have a term average, the class's mean of
    them, and how many are below 5,0, so the admin sees where pupils need help.

    Read from the term figures the grade saves keep, in one statement aggregated in the
    database, rather than by running the grading rules over every grade of the school.
    """
    below = func.sum(case((TermFigure.average_tenths < PASSING_TENTHS, 1), else_=0))
    rows = db.session.execute(
        _of_current_pupils(
            select(
                Term.kind,
                Classroom.name,
                Subject.name,
                func.count(TermFigure.average_tenths),
                func.avg(TermFigure.average_tenths),
                below,
            ).select_from(TermFigure),
            TermFigure,
            school,
            start,
            end,
        )
        .join(Subject, TermFigure.subject_id == Subject.id)
        .where(TermFigure.average_tenths.is_not(None))
        .group_by(Term.id, Term.starts_on, Term.kind, Classroom.name, Subject.name)
        .order_by(Term.starts_on, Classroom.name, Subject.name)
    ).all()
    return ReportTable(
        (
            _("Term"),
            _("Class"),
            _("Subject"),
            _("Pupils with an average"),
            _("Class mean"),
            _("Below 5.0"),
        ),
        [
            (str(TERM_NAMES[kind]), room, subject, pupils, round(float(mean) / 10, 2), low)
            for kind, room, subject, pupils, mean, low in rows
        ],
        ReportChart(label_columns=(1, 2), value_column=4, maximum=10.0),
    )


REPORTS = (
    Report(
        "classbook.attendance_daily", _l("Attendance rate per class and day"), attendance_by_day
    ),
    Report(
        "classbook.attendance_weekly", _l("Attendance rate per class and week"), attendance_by_week
    ),
    Report(
        "classbook.grade_completeness",
        _l("Grade entry completeness per teacher and column"),
        grade_completeness,
    ),
    Report(
        "classbook.term_averages",
        _l("Term averages per class and subject"),
        term_averages,
    ),
)
