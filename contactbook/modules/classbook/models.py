"""What the contact book stores: attendance marks, grades, trait ratings, health notes, comments.

Scores are stored as integer tenths (8,5 is 85): exact on every database, no binary floats.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory import Student, Subject, User
from contactbook.core.platform import UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db

TENTH = Decimal("0.1")


class DaySession(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"
    LATE = "late"


class GradeKind(enum.StrEnum):
    REGULAR = "regular"
    MIDTERM = "midterm"
    FINAL = "final"


class HealthCategory(enum.StrEnum):
    ILLNESS = "illness"
    INJURY = "injury"
    MEDICATION = "medication"
    TEMPERATURE = "temperature"
    NURSE_VISIT = "nurse_visit"
    OTHER = "other"


class AuditAction(enum.StrEnum):
    """What the contact book records in the audit trail, as those who read it back name it."""

    ATTENDANCE = "classbook.attendance"
    GRADE = "classbook.grade"
    TRAIT = "classbook.trait"
    HEALTH_NOTE = "classbook.health_note"
    COMMENT = "classbook.comment"
    COMMENT_CORRECTED = "classbook.comment_corrected"
    COMMENT_WITHDRAWN = "classbook.comment_withdrawn"
    DAY_CLOSED = "classbook.day_closed"
    SUMMARY_SETTINGS = "classbook.summary_settings"


class CommentKind(enum.StrEnum):
    PRAISE = "praise"
    CONCERN = "concern"


def tenths_to_decimal(tenths: int | None) -> Decimal | None:
    return None if tenths is None else (Decimal(tenths) * TENTH).quantize(TENTH)


class AttendanceMark(db.Model):
    """One student's mark for one session of one school day; saving again edits it."""

    __tablename__ = "classbook_attendance_marks"
    __table_args__ = (UniqueConstraint("student_id", "day", "session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    session: Mapped[DaySession] = mapped_column(storable_enum(DaySession))
    status: Mapped[AttendanceStatus] = mapped_column(storable_enum(AttendanceStatus))
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    student: Mapped[Student] = relationship()


class Grade(db.Model):
    """One assessment of one student in one subject and term: a score, a rating, or both.

    Secondary regular assessments are numbered by slot (ĐĐGtx 1..4); primary periodic levels
    and tests use slot 1 for mid-semester and 2 for end of semester.
    """

    __tablename__ = "classbook_grades"
    __table_args__ = (
        UniqueConstraint("student_id", "subject_id", "term_id", "kind", "slot"),
        CheckConstraint("score_tenths BETWEEN 0 AND 100", name="score_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id"), index=True)
    kind: Mapped[GradeKind] = mapped_column(storable_enum(GradeKind))
    slot: Mapped[int] = mapped_column(Integer, default=1)
    score_tenths: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[str | None] = mapped_column(String(16))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A grade changed on a later day than it was entered is a correction in the daily summary.
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    subject: Mapped[Subject] = relationship()

    @property
    def score(self) -> Decimal | None:
        return tenths_to_decimal(self.score_tenths)


class GradeRevision(db.Model):
    """One value a grade was given, by whom and when: the grade's history, "8,5 → 9,0".

    Written by the grade service with the change itself; it goes when the grade is cleared.
    """

    __tablename__ = "classbook_grade_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(
        ForeignKey("classbook_grades.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Both None for the first entry: a grade always holds a score, a rating or both.
    before_score_tenths: Mapped[int | None] = mapped_column(Integer)
    before_rating: Mapped[str | None] = mapped_column(String(16))
    after_score_tenths: Mapped[int | None] = mapped_column(Integer)
    after_rating: Mapped[str | None] = mapped_column(String(16))


class TraitRating(db.Model):
    """A primary pupil's quality or competence rating (Tốt / Đạt / Cần cố gắng) for a term."""

    __tablename__ = "classbook_trait_ratings"
    __table_args__ = (UniqueConstraint("student_id", "term_id", "trait", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id"), index=True)
    trait: Mapped[str] = mapped_column(String(32))
    slot: Mapped[int] = mapped_column(Integer, default=2)
    rating: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class HealthNote(db.Model):
    __tablename__ = "classbook_health_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    category: Mapped[HealthCategory] = mapped_column(storable_enum(HealthCategory))
    is_urgent: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(String(500))
    measured_tenths: Mapped[int | None] = mapped_column(Integer)
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    author: Mapped[User] = relationship()

    @property
    def measured_value(self) -> Decimal | None:
        return tenths_to_decimal(self.measured_tenths)


class Comment(db.Model):
    """Praise or a concern about a pupil; its author may correct or withdraw it for a while.

    A withdrawn comment stays, for the audit trail, but no family page or summary shows it.
    """

    __tablename__ = "classbook_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    kind: Mapped[CommentKind] = mapped_column(storable_enum(CommentKind))
    text: Mapped[str] = mapped_column(String(500))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    author: Mapped[User] = relationship()
    subject: Mapped[Subject | None] = relationship()


class DailySummary(db.Model):
    """One guardian's digest of one school day: unique, so no run can send it twice."""

    __tablename__ = "classbook_daily_summaries"
    __table_args__ = (UniqueConstraint("guardian_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SummaryRun(db.Model):
    """What one summary run did for one school and day, for the admin page."""

    __tablename__ = "classbook_summary_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    built: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(300), default="")


class TermFigure(db.Model):
    """One pupil's average or rating in one subject and term, as the class's rules compute it
    from the pupil's grades.

    Kept by the grade save, in its transaction, so reports and pages read a row instead of
    reloading every grade and running the rules on each view. No row, or an empty one, means
    the term is not complete enough for a figure yet.
    """

    __tablename__ = "classbook_term_figures"

    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id"), primary_key=True, index=True)
    average_tenths: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[str | None] = mapped_column(String(16))

    @property
    def average(self) -> Decimal | None:
        return tenths_to_decimal(self.average_tenths)
