"""What of a class and of its pupils the contact book opens for a reader, for core's pages.

Core's home and class pages stand for classes and pupils but know no module; through the
contract's hooks (`classroom_links`, `student_pages`) they ask which of the contact book's
pages this reader may open, so every card and name there leads somewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import gettext as _

from contactbook.core.directory import Classroom, Student, Subject, User, access
from contactbook.core.platform import PageLink, Role
from contactbook.extensions import db
from contactbook.modules.classbook.rules import ruleset_of
from contactbook.modules.classbook.services.scope import readable_scope
from contactbook.modules.classbook.services.teaching import subjects_of

READ_RECORDS = "classbook.records.view"
RATE_TRAITS = "classbook.traits.record"


def classroom_links(user: User, classrooms: Sequence[Classroom]) -> dict[int, list[PageLink]]:
    """Per class: its roll call, its ratings of qualities and competences, its subjects' grades.

    A teacher of a class is offered their own work there (the subjects they teach, the
    ratings they give); other readers (the school's admins, the nurse) what they may read.
    The subjects a teacher teaches in all the classes are read at once.
    """
    shown = [room for room in classrooms if access.allows(user, READ_RECORDS, room)]
    taught = _taught_in(user, [room for room in shown if _teaches(user, room)])
    found: dict[int, list[PageLink]] = {}
    for classroom in shown:
        if classroom.id in taught:
            subjects = taught[classroom.id]
            rates = access.allows(user, RATE_TRAITS, classroom)
        else:
            scope = readable_scope(user, classroom)
            subjects = [subject for subject in subjects_of(classroom) if scope.covers(subject.id)]
            rates = scope.every_subject
        found[classroom.id] = _links(classroom, subjects, rates)
    return found


def _links(classroom: Classroom, subjects: list[Subject], rates: bool) -> list[PageLink]:
    """A class's links: roll call, the ratings if the reader gives or reads them, each subject."""
    links = [PageLink(_("Roll call"), url_for("classbook.roll_call", classroom_id=classroom.id))]
    if ruleset_of(classroom.school_year).traits and rates:
        links.append(
            PageLink(
                _("Qualities and competences"),
                url_for("classbook.trait_entry", classroom_id=classroom.id),
            )
        )
    links += [
        PageLink(
            _("%(subject)s grades", subject=subject.name),
            url_for("classbook.grade_entry", classroom_id=classroom.id, subject_id=subject.id),
        )
        for subject in subjects
    ]
    return links


def student_pages(user: User, students: Sequence[Student]) -> dict[int, str]:
    """Each pupil's page (the one a family sees of a child), for the pupils this reader sees."""
    visible = db.session.scalars(
        access.students_visible_to(user)
        .with_only_columns(Student.id)
        .where(Student.id.in_([student.id for student in students]))
    )
    return {student_id: url_for("classbook.child", student_id=student_id) for student_id in visible}


def _teaches(user: User, classroom: Classroom) -> bool:
    """A teacher of the class; a reader who holds no teacher role there is not asked about it."""
    return Role.TEACHER in access.roles_of(user, classroom.school) and access.teaches_class(
        user, classroom
    )


def _taught_in(user: User, classrooms: Sequence[Classroom]) -> dict[int, list[Subject]]:
    """Per class the teacher teaches in, the subjects they teach there, in the grade book's order.

    A homeroom teacher who teaches no subject in their class still gets the class, subjectless.
    Archived classes and subjects are left out, as from every list.
    """
    found: dict[int, list[Subject]] = {classroom.id: [] for classroom in classrooms}
    if not found:
        return found
    for assignment in sorted(access.teaching_assignments(user), key=lambda a: a.subject_id):
        if (
            assignment.classroom_id in found
            and assignment.classroom.archived_at is None
            and assignment.subject.archived_at is None
        ):
            found[assignment.classroom_id].append(assignment.subject)
    return found
