"""Pages of the contact book (reads only; writes go through the JSON API)."""

from __future__ import annotations

from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    School,
    SchoolYear,
    Student,
    Term,
    access,
)
from contactbook.core.platform import Role, conditional, module_hooks, parse_id
from contactbook.extensions import db
from contactbook.modules.classbook import chart, schemas
from contactbook.modules.classbook.labels import STATUS_LETTERS, template_labels
from contactbook.modules.classbook.models import AttendanceStatus, DaySession
from contactbook.modules.classbook.notifications import summary_line
from contactbook.modules.classbook.permissions import ADMINS
from contactbook.modules.classbook.rules import ruleset_of
from contactbook.modules.classbook.services import (
    attendance,
    attendance_report,
    class_pages,
    entry_pages,
    grades,
    oversight,
    overview,
    report,
    teaching,
    timeline,
    traits,
)
from contactbook.modules.classbook.services.calendar import no_lessons_reason, term_on
from contactbook.modules.classbook.services.comments import may_change
from contactbook.modules.classbook.services.freshness import child_stamp
from contactbook.modules.classbook.services.scope import READ_GRADES, Assessments, readable_scope
from contactbook.modules.classbook.services.summaries import RUN_NOTES, summary_of
from contactbook.modules.classbook.services.summary_admin import closed_days, recent_runs

bp = Blueprint("classbook", __name__, template_folder="templates")
bp.context_processor(template_labels)
bp.context_processor(lambda: {"may_change_comment": partial(may_change, current_user)})


@bp.get("/")
@login_required
def index():
    """Teachers pick a class and a task; families pick a child."""
    roles = access.roles_of(current_user)
    # Only teachers take roll call, only admins run schools: other readers skip those reads.
    classes = overview.classes_taught(current_user) if Role.TEACHER in roles else []
    return render_template(
        "classbook/index.html",
        managed=overview.managed_schools(current_user) if roles & ADMINS else [],
        classes=classes,
        subjects=overview.subjects_by_class(current_user) if classes else {},
        children=access.children_in_order(current_user),
        rates_traits={
            room.id
            for room in classes
            if ruleset_of(room.school_year).traits
            and access.allows(current_user, "classbook.traits.record", room)
        },
    )


def _class_seen(classroom_id: int) -> Classroom:
    return class_pages.class_seen(current_user, classroom_id)


@bp.get("/classes/<int:classroom_id>/attendance")
@login_required
def roll_call(classroom_id: int):
    """A class's roll call: its teachers take it, the school's other staff read it.

    A day without lessons (a weekend, a closed day, outside the terms, in the future) says so
    in words and offers the last day with lessons instead of a sheet no save would be taken for.
    """
    classroom = _class_seen(classroom_id)
    today = classroom.school.today()
    day = _date_arg("day", today)
    session = request.args.get("session", DaySession.MORNING)
    if session not in set(DaySession):
        abort(400)
    sheet = attendance.roll_call_sheet(current_user, classroom, day, DaySession(session))
    no_lessons = no_lessons_reason(classroom, day)
    term = term_on(classroom, day)
    return render_template(
        "classbook/roll_call.html",
        classroom=classroom,
        sheet=sheet,
        no_lessons=no_lessons,
        last_day=entry_pages.last_school_day(classroom, day) if no_lessons else None,
        term_closed=term is not None and term.is_closed,
        counts=entry_pages.roll_counts(sheet["marks"]),
        today=today,
        statuses=list(AttendanceStatus),
    )


@bp.get("/classes/<int:classroom_id>/grades/<int:subject_id>")
@login_required
def grade_entry(classroom_id: int, subject_id: int):
    """One subject's grade columns: its teacher enters them, other readers of it only read.

    The page opens on the first column some pupil has no grade in, its grades in the page.
    """
    classroom = _class_seen(classroom_id)
    subject = teaching.subject_of_page(current_user, classroom, subject_id)
    if subject is None:
        abort(404)
    access.require(current_user, READ_GRADES, Assessments(classroom, subject.id))
    term = _chosen_term(classroom)
    rules = ruleset_of(classroom.school_year)
    term_grades = entry_pages.term_grades(classroom, subject.id, term)
    columns = entry_pages.grade_picker(
        classroom,
        term_grades,
        [(column.params, column.label) for column in rules.columns(subject)],
    )
    column = grades.find_column(subject_id=subject.id, term_id=term.id, **columns.chosen)
    in_column = [g for g in term_grades if (g.kind, g.slot) == (column.kind, column.slot)]
    return render_template(
        "classbook/grade_entry.html",
        heading=subject.name,
        classroom=classroom,
        term=term,
        base={"subject_id": subject.id, "term_id": term.id},
        columns=columns,
        sheet=schemas.GradeColumnOut().dump(
            grades.grade_sheet(current_user, classroom, column, in_column)
        ),
        form=rules.entry_form(subject),
        may_save=grades.may_record(current_user, classroom, subject),
        form_url=url_for("classbook_api.save_grade_column", classroom_id=classroom.id),
    )


@bp.get("/classes/<int:classroom_id>/traits")
@login_required
def trait_entry(classroom_id: int):
    """A primary homeroom teacher rates qualities and competences; other readers only read.

    Like grade entry, it opens on the first column some pupil has no rating in.
    """
    classroom = _class_seen(classroom_id)
    rules = ruleset_of(classroom.school_year)
    if not rules.traits:
        abort(404)
    access.require(current_user, READ_GRADES, Assessments(classroom))
    term = _chosen_term(classroom)
    columns = entry_pages.trait_picker(classroom, term, rules.trait_columns())
    column = traits.find_trait_column(term_id=term.id, **columns.chosen)
    return render_template(
        "classbook/grade_entry.html",
        heading=_("Qualities and competences"),
        classroom=classroom,
        term=term,
        base={"term_id": term.id},
        columns=columns,
        sheet=schemas.TraitColumnOut().dump(traits.trait_sheet(current_user, classroom, column)),
        form=rules.trait_form(),
        may_save=access.allows(current_user, "classbook.traits.record", classroom),
        form_url=url_for("classbook_api.save_trait_column", classroom_id=classroom.id),
    )


def _chosen_term(classroom: Classroom) -> Term:
    """The term asked for in ?term_id=, else the one under way, else the last one."""
    default = term_on(classroom, classroom.school.today()) or classroom.school_year.terms[-1]
    term = db.session.get(Term, request.args.get("term_id", type=parse_id, default=default.id))
    if term is None or term.school_year_id != classroom.school_year_id:
        abort(404)
    return term


# The child page shows short lists; the timeline page has the rest, a page at a time.
RECENT_ENTRIES = 5  # today's entries, then older ones, five in all
LATEST_OF_A_KIND = 3
TIMELINE_PAGE_SIZE = 20
MAX_TIMELINE_PAGE = 1000  # 20,000 entries: more than a child's whole schooling holds
# The timeline's filters, as ?kind= names them.
TIMELINE_KINDS = {
    "attendance": ("attendance",),
    "grades": ("grade",),
    "comments": ("comment",),
    "health": ("health_note",),
}


# The child's classes with their year, school and terms, and the child's guardians, in the
# statement finding the child.
_CLASS_OF_CHILD = (
    joinedload(Student.enrollments)
    .joinedload(Enrollment.classroom)
    .joinedload(Classroom.school_year)
    .options(joinedload(SchoolYear.school), joinedload(SchoolYear.terms)),
    joinedload(Student.guardianships),
)


def _child_seen(student_id: int) -> tuple[Student, Classroom]:
    student = access.get_visible_or_404(
        access.students_visible_to(current_user).options(*_CLASS_OF_CHILD), Student, student_id
    )
    classroom = student.current_classroom
    if classroom is None:
        abort(404)
    return student, classroom


@bp.get("/children/<int:student_id>")
@login_required
@conditional(child_stamp)
def child(student_id: int):
    """One child, as the family sees it, in sections: today, grades, attendance, comments,
    health; each short, with the rest a tap away (folded, or on the timeline page)."""
    student, classroom = _child_seen(student_id)
    today = classroom.school.today()
    scope = readable_scope(current_user, classroom, student)
    book = report.grade_book(student, classroom, scope)
    latest, absences = timeline.latest_of_each_kind(
        student, scope, max(RECENT_ENTRIES, LATEST_OF_A_KIND), classroom.school_year
    )
    entries = latest[:RECENT_ENTRIES]
    return render_template(
        "classbook/child.html",
        student=student,
        today=today,
        may_write_note=access.allows(current_user, "classbook.health_notes.record", student),
        comment_subjects=teaching.comment_subjects(current_user, classroom),
        may_see_authors=access.allows(current_user, "classbook.grade_authors.view", classroom),
        children=_children_of_a_family(),
        links=module_hooks.student_links(current_user, student),
        classroom=classroom,
        book=book,
        shown_term=_latest_term(classroom, today),
        attendance=attendance_report.attendance_summary(student, classroom, today, absences),
        today_entries=[entry for entry in entries if _local_day(entry.at, classroom) == today],
        recent=[entry for entry in entries if _local_day(entry.at, classroom) != today],
        comments=_of_kinds(latest, TIMELINE_KINDS["comments"]),
        health_notes=_of_kinds(latest, TIMELINE_KINDS["health"]),
        charts=chart.score_charts(book),
        statuses=list(AttendanceStatus),
        status_letters=STATUS_LETTERS,
    )


@bp.get("/children/<int:student_id>/timeline")
@login_required
@conditional(child_stamp)
def child_timeline(student_id: int):
    """Everything recorded about a child, newest first, a page at a time, of one kind or all."""
    student, classroom = _child_seen(student_id)
    kind = request.args.get("kind")
    if kind is not None and kind not in TIMELINE_KINDS:
        abort(400)
    number = _page_arg()
    scope = readable_scope(current_user, classroom, student)
    kinds = TIMELINE_KINDS[kind] if kind else timeline.KINDS
    return render_template(
        "classbook/child_timeline.html",
        student=student,
        kind=kind,
        page=timeline.timeline_page(student, scope, number, TIMELINE_PAGE_SIZE, kinds),
    )


def _children_of_a_family() -> list[Student]:
    """A family's children for the page's switcher; staff have none to ask the database for."""
    if Role.GUARDIAN not in access.roles_of(current_user):
        return []
    return access.family_in_order(current_user)


def _of_kinds(
    entries: list[timeline.TimelineEntry], kinds: tuple[str, ...]
) -> list[timeline.TimelineEntry]:
    """The newest few entries of these kinds, for a section of the child page."""
    return [entry for entry in entries if entry.kind in kinds][:LATEST_OF_A_KIND]


def _page_arg() -> int:
    """?page=, 1 to MAX_TIMELINE_PAGE; anything else is a 400."""
    text = request.args.get("page", "1")
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_TIMELINE_PAGE))):
        abort(400)
    if not 1 <= int(text) <= MAX_TIMELINE_PAGE:
        abort(400)
    return int(text)


def _latest_term(classroom: Classroom, today: date) -> Term | None:
    """The term under way, or the last one that has started."""
    started = [term for term in classroom.school_year.terms if term.starts_on <= today]
    current = next((term for term in started if today <= term.ends_on), None)
    return current or (started[-1] if started else None)


def _local_day(moment, classroom: Classroom) -> date:
    return moment.astimezone(ZoneInfo(classroom.school.timezone)).date()


def _date_arg(name: str, default: date) -> date:
    text = request.args.get(name)
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(400)


@bp.get("/summaries/<int:summary_id>")
@login_required
def summary(summary_id: int):
    """A guardian's whole digest of one day, every child on it."""
    found = summary_of(current_user, summary_id)
    if found is None:
        abort(404)
    return render_template(
        "classbook/summary.html",
        summary=found,
        lines=[(line, summary_line(line)) for line in found.lines],
    )


@bp.get("/schools/<int:school_id>/summaries")
@login_required
def summary_admin(school_id: int):
    """A school admin's view: the hour, closed days, send now, and what the last runs did."""
    school = access.get_visible_or_404(access.schools_visible_to(current_user), School, school_id)
    access.require(current_user, "classbook.summaries.manage", school)
    return render_template(
        "classbook/summary_admin.html",
        school=school,
        runs=recent_runs(school),
        run_notes=RUN_NOTES,
        closed=closed_days(school),
        today=school.today(),
    )


@bp.get("/schools/<int:school_id>/classes")
@login_required
def school_classes(school_id: int):
    """Every class of the school, for its admins to open the roll call and grade book."""
    school = access.get_visible_or_404(access.schools_visible_to(current_user), School, school_id)
    return render_template(
        "classbook/school_classes.html",
        school=school,
        classes=oversight.school_classes(current_user, school),
    )


@bp.get("/schools/<int:school_id>/missing-roll-calls")
@login_required
def missing_roll_calls(school_id: int):
    """The school's classes with no roll call yet today, for its admins to follow up."""
    school = access.get_visible_or_404(access.schools_visible_to(current_user), School, school_id)
    return render_template(
        "classbook/missing_roll_calls.html",
        school=school,
        missing=oversight.missing_roll_calls(current_user, school),
    )
