"""The school directory: districts, schools, years and terms, classes, pupils, families, staff.

A little over 300 lines on purpose: these tables refer to one another throughout (a class to its
year and teacher, a pupil to enrollments and guardians), and read best side by side.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory.names import full_name, name_key
from contactbook.core.platform.module_contract import Role
from contactbook.core.platform.records import UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db


class SchoolLevel(enum.StrEnum):
    PRIMARY = "primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"


class TermKind(enum.StrEnum):
    HK1 = "hk1"
    HK2 = "hk2"


class Assessment(enum.StrEnum):
    SCORE = "score"
    COMMENT = "comment"


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Relationship(enum.StrEnum):
    FATHER = "father"
    MOTHER = "mother"
    GRANDFATHER = "grandfather"
    GRANDMOTHER = "grandmother"
    GUARDIAN = "guardian"


class District(db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    # The district's staff must sign in with a second factor (set by its district admins).
    staff_second_factor_required: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )

    schools: Mapped[list[School]] = relationship(back_populates="district")


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[SchoolLevel] = mapped_column(storable_enum(SchoolLevel))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    daily_summary_time: Mapped[time] = mapped_column(Time, default=time(17, 30))
    # "No news, no message" unless the school wants a summary every school day.
    always_send_summary: Mapped[bool] = mapped_column(default=False, server_default=false())
    # ISO weekdays with lessons (1 = Monday): Saturday morning lessons are common.
    school_days: Mapped[str] = mapped_column(String(7), default="123456", server_default="123456")

    district: Mapped[District] = relationship(back_populates="schools")
    school_years: Mapped[list[SchoolYear]] = relationship(back_populates="school")

    def teaches_on(self, day: date) -> bool:
        """A day of the week with lessons; closed days (holidays, storms) are ClosedDay rows."""
        return str(day.isoweekday()) in self.school_days

    def today(self) -> date:
        """The date at the school now, in its own time zone."""
        return utcnow().astimezone(ZoneInfo(self.timezone)).date()


class SchoolYear(db.Model):
    __tablename__ = "school_years"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    # A year is almost always read for its school (time zone, level, rules): loaded with it.
    school: Mapped[School] = relationship(back_populates="school_years", lazy="joined")
    terms: Mapped[list[Term]] = relationship(back_populates="school_year", order_by="Term.kind")
    classrooms: Mapped[list[Classroom]] = relationship(back_populates="school_year")
    # The school's closed days within the year, read-only: a page asks about many days at once.
    closed_days: Mapped[list[ClosedDay]] = relationship(
        primaryjoin="and_(foreign(ClosedDay.school_id) == SchoolYear.school_id, "
        "foreign(ClosedDay.day) >= SchoolYear.starts_on, "
        "foreign(ClosedDay.day) <= SchoolYear.ends_on)",
        viewonly=True,
    )


class Term(db.Model):
    __tablename__ = "terms"
    __table_args__ = (
        UniqueConstraint("school_year_id", "kind"),
        CheckConstraint("starts_on <= ends_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), index=True)
    kind: Mapped[TermKind] = mapped_column(storable_enum(TermKind))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    is_closed: Mapped[bool] = mapped_column(default=False)

    school_year: Mapped[SchoolYear] = relationship(back_populates="terms", lazy="joined")


class ClosedDay(db.Model):
    """A school day without school: a holiday, Tết, a storm day."""

    __tablename__ = "closed_days"
    __table_args__ = (UniqueConstraint("school_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class Classroom(db.Model):
    __tablename__ = "classrooms"
    __table_args__ = (UniqueConstraint("school_year_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    grade_level: Mapped[int] = mapped_column(Integer)
    homeroom_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A class with records is never deleted; archived, it leaves lists and keeps its history.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    # Every page of a class asks its year and school (rules, time zone, roles): one query.
    school_year: Mapped[SchoolYear] = relationship(back_populates="classrooms", lazy="joined")
    homeroom_teacher: Mapped[User | None] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="classroom")

    @property
    def school(self) -> School:
        return self.school_year.school


class Subject(db.Model):
    __tablename__ = "subjects"
    __table_args__ = (
        UniqueConstraint("school_id", "grade_level", "name"),
        UniqueConstraint("school_id", "grade_level", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    grade_level: Mapped[int] = mapped_column(Integer)
    # What rules recognise the subject by (a SubjectCode, or a school's own); `name` is shown.
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    periods_per_year: Mapped[int] = mapped_column(Integer)
    assessment: Mapped[Assessment] = mapped_column(storable_enum(Assessment))
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TeachingAssignment(db.Model):
    __tablename__ = "teaching_assignments"
    __table_args__ = (UniqueConstraint("classroom_id", "subject_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)

    teacher: Mapped[User] = relationship()
    classroom: Mapped[Classroom] = relationship()
    subject: Mapped[Subject] = relationship()


class Student(db.Model):
    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("school_id", "student_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    student_code: Mapped[str] = mapped_column(String(32))
    family_name: Mapped[str] = mapped_column(String(50))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    given_name: Mapped[str] = mapped_column(String(50))
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[Gender] = mapped_column(storable_enum(Gender))
    # Left the school or graduated: kept with every record, out of the current lists.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    school: Mapped[School] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="student")
    guardianships: Mapped[list[Guardianship]] = relationship(back_populates="student")

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)

    @property
    def sort_key(self) -> tuple[object, ...]:
        """Where the pupil stands in a class list: Vietnamese order, by given name first."""
        return name_key(self.family_name, self.middle_name, self.given_name)

    @property
    def current_classroom(self) -> Classroom | None:
        """The class of the latest school year the student is enrolled in."""
        rooms = [enrollment.classroom for enrollment in self.enrollments]
        return max(rooms, key=lambda room: room.school_year.starts_on, default=None)


class Enrollment(db.Model):
    """A student's place in a class for one school year."""

    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("classroom_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)

    classroom: Mapped[Classroom] = relationship(back_populates="enrollments")
    student: Mapped[Student] = relationship(back_populates="enrollments")


class Guardianship(db.Model):
    __tablename__ = "guardianships"
    __table_args__ = (UniqueConstraint("student_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    relationship_kind: Mapped[Relationship] = mapped_column(
        "relationship", storable_enum(Relationship)
    )
    is_primary_contact: Mapped[bool] = mapped_column(default=False)

    student: Mapped[Student] = relationship(back_populates="guardianships")
    user: Mapped[User] = relationship(back_populates="guardianships")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("phone IS NOT NULL OR username IS NOT NULL", name="has_sign_in_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    # None until the person sets one: a guardian from a roster import redeems an invite first.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="vi")
    email: Mapped[str | None] = mapped_column(String(254))
    # Non-urgent pushes wait for the end of these hours (school time zone).
    quiet_start: Mapped[time] = mapped_column(Time, default=time(21, 0), server_default="21:00:00")
    quiet_end: Mapped[time] = mapped_column(Time, default=time(6, 0), server_default="06:00:00")
    is_active: Mapped[bool] = mapped_column(default=True)
    sign_in_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")
    guardianships: Mapped[list[Guardianship]] = relationship(back_populates="user")


class UserSession(db.Model):
    """A signed-in browser; ending the row ends the session whatever cookie the browser keeps."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # When the browser last used it, to the few minutes (see session_lifetimes.py).
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The browser's own description of itself, so its owner can tell their devices apart.
    user_agent: Mapped[str] = mapped_column(String(300), default="", server_default="")
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship()


class SecondFactor(db.Model):
    """A user's authenticator app (TOTP), asked for after the password at every sign-in.

    `last_step` is the 30-second step of the last code accepted: a code is taken once, and never
    one older than it, so a code seen over a shoulder is worth nothing after its owner used it.
    """

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)
    enabled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RecoveryCode(db.Model):
    """A one-time code printed when the second factor is turned on, for a lost phone."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # A keyed hash: the codes are random, so a fast hash is as safe as a slow one here.
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Membership(db.Model):
    """A role at a school, or over a whole district for district admins."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "school_id"),
        UniqueConstraint("user_id", "role", "district_id"),
        CheckConstraint(
            "(role = 'district_admin' AND district_id IS NOT NULL AND school_id IS NULL)"
            " OR (role <> 'district_admin' AND school_id IS NOT NULL AND district_id IS NULL)",
            name="scope_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[Role] = mapped_column(storable_enum(Role))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    school: Mapped[School | None] = relationship()
    district: Mapped[District | None] = relationship()
