"""Health notes about one pupil, from the nurse or the homeroom teacher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _

from contactbook.core.delivery import notify
from contactbook.core.directory import Student, User, access
from contactbook.core.platform import Invalid, Urgency, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AuditAction,
    HealthCategory,
    HealthNote,
)


@dataclass(frozen=True)
class HealthNoteIn:
    """A health note as its author sends it; without `observed_at` it was seen just now."""

    category: HealthCategory
    text: str
    is_urgent: bool = False
    measured_value: Decimal | None = None
    observed_at: datetime | None = None


def add_health_note(actor: User, student: Student, note: HealthNoteIn) -> HealthNote:
    """Record a health note and tell the family; an urgent one arrives at once, at night too."""
    access.require(actor, "classbook.health_notes.record", student)
    observed_at = note.observed_at or utcnow()
    if observed_at > utcnow():
        raise Invalid({"observed_at": [_("This time is in the future.")]})
    with atomic():
        row = HealthNote(
            student_id=student.id,
            category=note.category,
            is_urgent=note.is_urgent,
            text=note.text,
            measured_tenths=None if note.measured_value is None else int(note.measured_value * 10),
            observed_at=observed_at,
            author_id=actor.id,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            actor,
            AuditAction.HEALTH_NOTE,
            row,
            school_id=student.school_id,
            after={"category": str(note.category), "urgent": note.is_urgent},
        )
        notify(
            access.guardians_of(student),
            "classbook.health_note_added",
            student_id=student.id,
            urgency=Urgency.HIGH if note.is_urgent else Urgency.NORMAL,
            student_name=student.full_name,
            category=str(note.category),
            note_id=row.id,
        )
    return row
