"""What the child's pages and a class's sheets are made from, read in one statement, so a
reader who already has the answer gets "304 Not Modified" (see core's conditional GET)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import func, select

from contactbook.core.directory import Enrollment, badges_token, read_with_badges
from contactbook.core.platform import Stamp, StudentStamp, change_stamps
from contactbook.extensions import db


def child_stamp(student_id: int, **_args: Any) -> Stamp:
    """The pupil's change stamp, the directory's (the class, subjects and teachers named) and
    the reader's menu badges, read together in one statement: the page shows all three, so
    any changing makes it new."""
    stamp = select(StudentStamp.version, StudentStamp.changed_at).where(
        StudentStamp.student_id == student_id
    )
    (version, changed_at, directory), badges = read_with_badges(
        current_user,
        [
            stamp.with_only_columns(StudentStamp.version).scalar_subquery(),
            stamp.with_only_columns(StudentStamp.changed_at).scalar_subquery(),
            change_stamps.directory_version(),
        ],
    )
    return Stamp(f"{student_id}:{version}:{directory}:{badges_token(badges)}", changed_at)


def class_stamp(classroom_id: int, **_args: Any) -> Stamp:
    """The stamps of the class's pupils together, with the directory's: any write about one of
    them changes it, and so does a pupil joining or leaving, or the class or its subjects
    changing."""
    count, total, changed_at, directory = db.session.execute(
        select(
            func.count(),
            func.sum(StudentStamp.version),
            func.max(StudentStamp.changed_at),
            change_stamps.directory_version(),
        )
        .select_from(Enrollment)
        .outerjoin(StudentStamp, StudentStamp.student_id == Enrollment.student_id)
        .where(Enrollment.classroom_id == classroom_id)
    ).one()
    return Stamp(f"{classroom_id}:{count}:{total}:{directory}", changed_at)
