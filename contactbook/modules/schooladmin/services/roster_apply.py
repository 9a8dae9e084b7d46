"""Writing a planned roster import with bulk statements: a whole school in a few round trips."""

from __future__ import annotations

from sqlalchemy import insert, update

from contactbook.core.directory import Enrollment, Guardianship, Membership, Student, User
from contactbook.core.platform import Role
from contactbook.extensions import db
from contactbook.modules.schooladmin.services.roster_plan import Plan


def apply_plan(plan: Plan, school_id: int) -> None:
    """Write every pupil, class place, parent account and link the plan holds.

    Runs inside the caller's transaction: if any statement fails, none of them stays.
    """
    student_ids = dict(plan.student_ids)
    if plan.new_students:
        created = db.session.execute(
            insert(Student).returning(Student.id, Student.student_code), plan.new_students
        )
        student_ids.update((code, student_id) for student_id, code in created)
    if plan.student_updates:
        db.session.execute(update(Student), plan.student_updates)
    if plan.enrolments:
        db.session.execute(
            insert(Enrollment),
            [
                {"student_id": student_ids[code], "classroom_id": classroom_id}
                for code, classroom_id in plan.enrolments
            ],
        )
    if plan.moves:
        db.session.execute(update(Enrollment), plan.moves)
    user_ids = dict(plan.user_ids)
    if plan.new_guardians:
        created = db.session.execute(
            insert(User).returning(User.id, User.phone),
            [
                # No password yet (not a hardcoded one): the guardian joins with an invite code.
                {"phone": phone, "display_name": name, "password_hash": None}  # nosec B105
                for phone, name in plan.new_guardians.items()
            ],
        )
        user_ids.update((phone, user_id) for user_id, phone in created)
    if plan.new_members:
        db.session.execute(
            insert(Membership),
            [
                {"user_id": user_ids[phone], "role": Role.GUARDIAN, "school_id": school_id}
                for phone in sorted(plan.new_members)
            ],
        )
    if plan.links:
        db.session.execute(
            insert(Guardianship),
            [
                {
                    "student_id": student_ids[link["code"]],
                    "user_id": user_ids[link["phone"]],
                    "relationship_kind": link["relationship"],
                    "is_primary_contact": link["primary"],
                }
                for link in plan.links
            ],
        )
