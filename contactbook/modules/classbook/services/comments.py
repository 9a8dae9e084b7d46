"""Teachers' comments about one pupil: written, then corrected or withdrawn by their author.

A comment can be put right for a day after it is written, so a slip (a concern sent as praise)
is fixed before it stands in the contact book; after that it is part of the record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.delivery import notify, withdraw
from contactbook.core.directory import Student, User, access
from contactbook.core.platform import Hidden, Invalid, Refused, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.classbook.models import AuditAction, Comment, CommentKind
from contactbook.modules.classbook.services.calendar import term_on

RECORD = "classbook.comments.record"
CHANGE_WINDOW = timedelta(hours=24)


class Keep(enum.Enum):
    """A field a correction leaves as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class CommentIn:
    """Praise or a concern, about the pupil in general or one subject the author teaches."""

    kind: CommentKind
    text: str
    subject_id: int | None = None


@dataclass(frozen=True)
class CommentChange:
    """What a correction changes; a field left out keeps its value (no subject is `None`)."""

    kind: CommentKind | Keep = KEEP
    text: str | Keep = KEEP
    subject_id: int | None | Keep = KEEP


def topic_of(comment: Comment) -> str:
    """One topic per comment: a correction replaces the unread news, a withdrawal hides it."""
    return f"classbook.comment-{comment.id}"


def add_comment(actor: User, student: Student, comment: CommentIn) -> Comment:
    """A teacher of the pupil's class writes praise or a concern, for a subject they teach."""
    access.require(actor, RECORD, student)
    _check_subject(actor, student, comment.subject_id)
    with atomic():
        _check_term_open(student)
        row = Comment(
            student_id=student.id,
            kind=comment.kind,
            text=comment.text,
            subject_id=comment.subject_id,
            author_id=actor.id,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            actor,
            AuditAction.COMMENT,
            row,
            school_id=student.school_id,
            after={"kind": str(comment.kind), "text": comment.text},
        )
        _tell_family(row, student)
    return row


def visible_comment(user: User, comment_id: int) -> Comment:
    """A comment about a pupil the user can see, not withdrawn; anything else looks missing."""
    visible = access.students_visible_to(user).with_only_columns(Student.id)
    found = db.session.scalar(
        select(Comment).where(
            Comment.id == comment_id,
            Comment.withdrawn_at.is_(None),
            Comment.student_id.in_(visible),
        )
    )
    if found is None:
        raise Hidden()
    return found


def may_change(user: User, comment: Comment) -> bool:
    """Whether the user may still correct or withdraw the comment (the pupil page asks)."""
    return (
        comment.author_id == user.id
        and comment.withdrawn_at is None
        and utcnow() < comment.created_at + CHANGE_WINDOW
        and access.allows(user, RECORD, _student_of(comment))
    )


def correct_comment(actor: User, comment: Comment, change: CommentChange) -> Comment:
    """The author corrects kind, text or subject within a day; audited, before and after.

    The family is told again only when the kind changed: the first news said "praised" or
    "wrote about" and was wrong. A corrected text shows as corrected when the family reads it.
    """
    student = _require_author_in_time(actor, comment)
    if not isinstance(change.subject_id, Keep) and change.subject_id != comment.subject_id:
        _check_subject(actor, student, change.subject_id)
    with atomic():
        _check_term_open(student)
        before = _snapshot(comment)
        kind_changed = not isinstance(change.kind, Keep) and change.kind != comment.kind
        if not isinstance(change.kind, Keep):
            comment.kind = change.kind
        if not isinstance(change.text, Keep):
            comment.text = change.text
        if not isinstance(change.subject_id, Keep):
            comment.subject_id = change.subject_id
        after = _snapshot(comment)
        if after == before:
            return comment
        comment.corrected_at = utcnow()
        audit.record(
            actor,
            AuditAction.COMMENT_CORRECTED,
            comment,
            school_id=student.school_id,
            before=before,
            after=after,
        )
        if kind_changed:
            _tell_family(comment, student, corrected=True)
    return comment


def withdraw_comment(actor: User, comment: Comment) -> None:
    """The author takes a comment back within a day: families no longer see it, the news about
    it leaves their inbox and is not sent if still waiting; nothing new is sent."""
    student = _require_author_in_time(actor, comment)
    with atomic():
        _check_term_open(student)
        comment.withdrawn_at = utcnow()
        audit.record(
            actor,
            AuditAction.COMMENT_WITHDRAWN,
            comment,
            school_id=student.school_id,
            before=_snapshot(comment),
        )
        withdraw(topic_of(comment))


def _require_author_in_time(actor: User, comment: Comment) -> Student:
    student = _student_of(comment)
    access.require(actor, RECORD, student)
    if comment.author_id != actor.id:
        raise Refused(RECORD, _("Only the teacher who wrote a comment can correct or withdraw it."))
    if utcnow() >= comment.created_at + CHANGE_WINDOW:
        raise Refused(
            RECORD, _("A comment can be corrected or withdrawn only within 24 hours of writing it.")
        )
    return student


def _student_of(comment: Comment) -> Student:
    return db.session.get(Student, comment.student_id)


def _check_subject(actor: User, student: Student, subject_id: int | None) -> None:
    if subject_id is not None and not access.teaches_subject(
        actor, student.current_classroom, subject_id
    ):
        raise Invalid({"subject_id": [_("You do not teach this subject in this class.")]})


def _check_term_open(student: Student) -> None:
    term = term_on(student.current_classroom, student.school.today())
    if term is not None and term.is_closed:
        raise Invalid({"term_id": [_("This term is closed; ask the school admin to reopen it.")]})


def _snapshot(comment: Comment) -> dict[str, Any]:
    return {"kind": str(comment.kind), "text": comment.text, "subject_id": comment.subject_id}


def _tell_family(comment: Comment, student: Student, *, corrected: bool = False) -> None:
    notify(
        access.guardians_of(student),
        "classbook.comment_added",
        student_id=student.id,
        topic=topic_of(comment),
        student_name=student.full_name,
        kind=str(comment.kind),
        comment_id=comment.id,
        **({"corrected": True} if corrected else {}),
    )
