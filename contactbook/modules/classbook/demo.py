"""Semester I so far, for the demo: roll calls, grades, health notes and teachers' comments.

The rows are made from the objects `flask demo` has just flushed and go in as bulk inserts of
plain dicts: some 65,000 attendance marks as ORM objects would take most of a minute.
Longer than 300 lines on purpose: one job (a semester of believable records), read top to bottom.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from contactbook.core.directory import (
    Assessment,
    Classroom,
    Enrollment,
    Membership,
    School,
    SchoolLevel,
    Student,
    Subject,
    SubjectCode,
    TeachingAssignment,
    TermKind,
)
from contactbook.core.platform import DemoSeed, Role
from contactbook.extensions import db
from contactbook.modules.classbook.demo_texts import (
    CLASS_PRAISE,
    CONCERNS,
    FEVER_NOTE,
    HEALTH_NOTES,
    LATE_NOTES,
    LEAVE_NOTES,
    PRAISES,
    SENT_HOME_NOTE,
    SICK_NOTES,
)
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Comment,
    CommentKind,
    DaySession,
    Grade,
    GradeKind,
    HealthCategory,
    HealthNote,
)
from contactbook.modules.classbook.rules import circular22, circular27
from contactbook.modules.classbook.services.term_figures import refresh_every_term_figure

Row = dict[str, Any]
Event = tuple[AttendanceStatus, str]  # a day off the usual for one pupil: status and note

# The demo stands on this Friday, whatever today is, so every run makes the same records.
AS_OF = date(2026, 11, 20)
FIRST_DAY = date(2026, 9, 7)  # the first Monday after the opening ceremony on 5 September
SESSIONS = {
    SchoolLevel.LOWER_SECONDARY: (DaySession.MORNING,),
    SchoolLevel.PRIMARY: (DaySession.MORNING, DaySession.AFTERNOON),
}
SESSION_STARTS = {DaySession.MORNING: 7.0, DaySession.AFTERNOON: 13.5}  # local hours

# Chances per pupil and school day, for about 1.5% excused, 0.5% unexcused and 1% late marks:
# sick spells add some 0.3% excused, and late marks are for the morning session only.
EXCUSED_RATE = 0.012
UNEXCUSED_RATE = 0.005
LATE_RATE = 0.014
SICK_SPELL_SHARE = 0.07
# Most pupils are seldom away or late; a few are, several times as often as the rest.
HABITS = ((0.5, 55), (1.0, 30), (2.0, 10), (4.0, 5))

# When teachers give the semester's assessments, as (first day, last day).
REGULAR_SPAN = (date(2026, 9, 14), date(2026, 11, 18))
MIDTERM_WEEKS = (date(2026, 10, 26), date(2026, 11, 6))
FINAL_DAYS = (date(2026, 11, 16), date(2026, 11, 19))
# Only one class has sat its end-of-term tests, so the demo can show term averages.
FINALS_GIVEN = frozenset({("6A", SubjectCode.TOAN), ("6A", SubjectCode.NGU_VAN)})
PASS_SHARE = 0.95  # comment-assessed subjects: Đạt, otherwise Chưa đạt
# Primary levels from the pupil's showing: about 45% htt, 50% ht and 5% cht.
HTT_FROM = 7.4
HT_FROM = 5.0

PRAISE_SUBJECT = SubjectCode.TOAN  # the demo parent's children are praised by their maths teacher
HEALTH_NOTES_PER_SCHOOL = 20
COMMENTS_PER_SCHOOL = 30
PRAISE_SHARE = 0.65


@dataclass
class _Class:
    """One class as the records need it; the demo's rows are flushed, so ids are set."""

    room: Classroom
    school: School
    term_id: int
    pupils: list[Student] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    teachers: dict[int, list[int]] = field(default_factory=dict)  # subject id -> teacher ids


def _classes(rows: Sequence[object]) -> list[_Class]:
    """Sort the demo's rows into classes with their pupils, subjects and subject teachers."""
    classes: dict[int, _Class] = {}
    for row in rows:
        if isinstance(row, Classroom):
            year = row.school_year
            term = next(term for term in year.terms if term.kind is TermKind.HK1)
            classes[row.id] = _Class(row, year.school, term.id)
        elif isinstance(row, Enrollment):
            classes[row.classroom_id].pupils.append(row.student)
        elif isinstance(row, TeachingAssignment):
            taught = classes[row.classroom_id]
            if row.subject_id not in taught.teachers:
                taught.subjects.append(row.subject)
            taught.teachers.setdefault(row.subject_id, []).append(row.teacher_id)
    return list(classes.values())


def _school_days(school: School) -> list[date]:
    """The days with lessons so far: the school chooses its weekdays."""
    span = (AS_OF - FIRST_DAY).days + 1
    days = (FIRST_DAY + timedelta(days=offset) for offset in range(span))
    return [day for day in days if school.teaches_on(day)]


def _at(school: School, day: date, hour: float) -> datetime:
    """A moment of a day at the school, to the second, as a UTC datetime."""
    local = datetime.combine(day, time()) + timedelta(seconds=round(hour * 3600))
    return local.replace(tzinfo=ZoneInfo(school.timezone)).astimezone(UTC)


def _temperature(tenths: int) -> str:
    """Tenths of a degree as written in Vietnamese, with a decimal comma: 385 is "38,5"."""
    return f"{tenths // 10},{tenths % 10}"


class _Records:
    """Makes the semester's records school by school, as plain rows for bulk inserts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.marks: list[Row] = []
        self.grades: list[Row] = []
        self.notes: list[Row] = []
        self.comments: list[Row] = []
        self.ability: dict[int, float] = {}
        self.urgent_told = False  # the first fever story is the demo's one urgent health note

    def add_school(
        self, classes: list[_Class], nurse_id: int, featured: list[tuple[_Class, Student]]
    ) -> None:
        """Plan the absences first: health notes fall on days the pupil was at school."""
        school = classes[0].school
        days = _school_days(school)
        events = {pupil.id: self.absences(days) for taught in classes for pupil in taught.pupils}
        sent_home: set[tuple[int, date]] = set()
        for taught, pupil in featured:
            self.story(taught, pupil, days, events[pupil.id], sent_home, nurse_id)
        for _ in range(HEALTH_NOTES_PER_SCHOOL - len(featured)):
            self.health_note(classes, days, events, sent_home, nurse_id)
        for taught in classes:
            self.roll_calls(taught, days, events, sent_home)
            if school.level is SchoolLevel.PRIMARY:
                self.primary_grades(taught)
            else:
                self.secondary_grades(taught)
        for taught, pupil in featured:
            self.comment(taught, pupil, days, CLASS_PRAISE, CommentKind.PRAISE, PRAISE_SUBJECT)
        for _ in range(COMMENTS_PER_SCHOOL - len(featured)):
            self.random_comment(classes, days)

    def absences(self, days: list[date]) -> dict[date, Event]:
        """A pupil's days off the usual: now and then away or late, sometimes ill a few days."""
        rng = self.rng
        factors, weights = zip(*HABITS, strict=True)
        habit = rng.choices(factors, weights=weights)[0]
        events: dict[date, Event] = {}
        for day in days:
            draw = rng.random() / habit
            if draw < EXCUSED_RATE:
                events[day] = (AttendanceStatus.EXCUSED, rng.choice(LEAVE_NOTES))
            elif draw < EXCUSED_RATE + UNEXCUSED_RATE:
                events[day] = (AttendanceStatus.UNEXCUSED, "")
            elif draw < EXCUSED_RATE + UNEXCUSED_RATE + LATE_RATE:
                events[day] = (AttendanceStatus.LATE, rng.choice(LATE_NOTES))
        if rng.random() < SICK_SPELL_SHARE:
            start, note = rng.randrange(len(days) - 4), rng.choice(SICK_NOTES)
            for day in days[start : start + rng.randint(2, 4)]:
                events[day] = (AttendanceStatus.EXCUSED, note)
        return events

    def story(
        self,
        taught: _Class,
        pupil: Student,
        days: list[date],
        events: dict[date, Event],
        sent_home: set[tuple[int, date]],
        nurse_id: int,
    ) -> None:
        """The demo parent's child: sent home with a fever, two days off sick, late once."""
        start = self.rng.randrange(20, len(days) - 10)
        fever_day = days[start]
        events.pop(fever_day, None)
        for day in days[start + 1 : start + 3]:
            events[day] = (AttendanceStatus.EXCUSED, "Sốt")
        events[self.rng.choice(days[start + 5 :])] = (AttendanceStatus.LATE, "")
        observed = _at(taught.school, fever_day, 9.5)
        self.notes.append(
            {
                "student_id": pupil.id,
                "category": HealthCategory.TEMPERATURE,
                "is_urgent": not self.urgent_told,
                "text": FEVER_NOTE.format(temperature=_temperature(385)),
                "measured_tenths": 385,
                "observed_at": observed,
                "author_id": nurse_id,
                "created_at": observed + timedelta(minutes=12),
            }
        )
        sent_home.add((pupil.id, fever_day))
        self.urgent_told = True

    def health_note(
        self,
        classes: list[_Class],
        days: list[date],
        events: dict[int, dict[date, Event]],
        sent_home: set[tuple[int, date]],
        nurse_id: int,
    ) -> None:
        """A visit to the school nurse on a morning the pupil came to school."""
        rng = self.rng
        pupil = rng.choice(rng.choice(classes).pupils)
        day = rng.choice([day for day in days if day not in events[pupil.id]])
        category, text, temperatures, sends_home = rng.choice(HEALTH_NOTES)
        measured = rng.randint(*temperatures) if temperatures else None
        if measured is not None:
            text = text.format(temperature=_temperature(measured))
        observed = _at(classes[0].school, day, rng.uniform(7.5, 11))
        self.notes.append(
            {
                "student_id": pupil.id,
                "category": category,
                "is_urgent": False,
                "text": text,
                "measured_tenths": measured,
                "observed_at": observed,
                "author_id": nurse_id,
                "created_at": observed + timedelta(minutes=rng.randint(3, 40)),
            }
        )
        if sends_home:
            sent_home.add((pupil.id, day))

    def roll_calls(
        self,
        taught: _Class,
        days: list[date],
        events: dict[int, dict[date, Event]],
        sent_home: set[tuple[int, date]],
    ) -> None:
        """Every pupil, every session, saved by the homeroom teacher at the start of it."""
        teacher_id = taught.room.homeroom_teacher_id
        for day in days:
            for session in SESSIONS[taught.school.level]:
                hour = SESSION_STARTS[session] + self.rng.uniform(0, 0.5)
                saved = _at(taught.school, day, hour)
                for pupil in taught.pupils:
                    status, note = self.mark(events[pupil.id].get(day), session)
                    if session is DaySession.AFTERNOON and (pupil.id, day) in sent_home:
                        status, note = AttendanceStatus.EXCUSED, SENT_HOME_NOTE
                    self.marks.append(
                        {
                            "classroom_id": taught.room.id,
                            "student_id": pupil.id,
                            "day": day,
                            "session": session,
                            "status": status,
                            "note": note,
                            "recorded_by_id": teacher_id,
                            "updated_at": saved,
                        }
                    )

    @staticmethod
    def mark(event: Event | None, session: DaySession) -> Event:
        """An absence covers the whole day; pupils are late for the morning only."""
        if event is None or (
            event[0] is AttendanceStatus.LATE and session is not DaySession.MORNING
        ):
            return AttendanceStatus.PRESENT, ""
        return event

    def secondary_grades(self, taught: _Class) -> None:
        """Circular 22 so far: every ĐĐGtx and the mid-term; finals only where FINALS_GIVEN."""
        rng = self.rng
        for subject in taught.subjects:
            count = circular22.regular_count(subject.periods_per_year)
            columns = [
                (GradeKind.REGULAR, slot, self.regular_day(slot, count))
                for slot in range(1, count + 1)
            ]
            if subject.assessment is Assessment.COMMENT:
                for kind, slot, day in columns:
                    ratings = [
                        circular22.PASS if rng.random() < PASS_SHARE else circular22.FAIL
                        for _ in taught.pupils
                    ]
                    self.column(taught, subject, kind, slot, day, [(None, r) for r in ratings])
                continue
            columns.append((GradeKind.MIDTERM, 1, self.day_between(*MIDTERM_WEEKS)))
            if (taught.room.name, subject.code) in FINALS_GIVEN:
                columns.append((GradeKind.FINAL, 1, self.day_between(*FINAL_DAYS)))
            levels = self.levels(taught, rng.gauss(0, 0.3))
            for kind, slot, day in columns:
                scores = [(self.score(level), None) for level in levels]
                self.column(taught, subject, kind, slot, day, scores)

    def primary_grades(self, taught: _Class) -> None:
        """Circular 27 mid-semester: a level in every subject, a test score in the tested ones."""
        tested = circular27.tested_subjects(taught.room.grade_level, term_end=False)
        day = self.day_between(*MIDTERM_WEEKS)
        for subject in taught.subjects:
            entries = []
            for level in self.levels(taught, 0.0):
                showing = min(10.0, max(0.0, level + self.rng.uniform(-1.5, 1.5)))
                score = round(showing) * 10 if subject.code in tested else None
                entries.append((score, self.primary_level(showing)))
            self.column(taught, subject, GradeKind.MIDTERM, 1, day, entries)

    def levels(self, taught: _Class, subject_shift: float) -> list[float]:
        """Each pupil's level in one subject: their ability, give or take a personal knack.

        `subject_shift` moves the whole class, as some subjects come harder to a class than others.
        """
        rng = self.rng
        for pupil in taught.pupils:
            if pupil.id not in self.ability:
                self.ability[pupil.id] = min(9.5, max(5.0, rng.gauss(7.2, 1.1)))
        return [self.ability[p.id] + subject_shift + rng.gauss(0, 0.4) for p in taught.pupils]

    def score(self, level: float) -> int:
        """A score near the pupil's level, in tenths: mostly whole or half marks, as given."""
        rng = self.rng
        showing = min(10.0, max(0.0, level + rng.uniform(-1.5, 1.5)))
        draw = rng.random()
        if draw < 0.6:
            return round(showing) * 10
        if draw < 0.9:
            return round(showing * 2) * 5
        return round(showing * 10)

    @staticmethod
    def primary_level(showing: float) -> str:
        """Hoàn thành tốt, Hoàn thành or Chưa hoàn thành, in step with the test score."""
        if showing >= HTT_FROM:
            return circular27.HTT
        return circular27.HT if showing >= HT_FROM else circular27.CHT

    def regular_day(self, slot: int, count: int) -> date:
        """Regular assessments spread over the weeks so far: slot k in the k-th of `count` parts."""
        first, last = REGULAR_SPAN
        width = (last - first).days / count
        start = first + timedelta(days=int(width * (slot - 1)))
        return self.day_between(start, start + timedelta(days=int(width) - 1))

    def day_between(self, first: date, last: date) -> date:
        """Any day of the span, both ends included: teachers also enter grades at weekends."""
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def column(
        self,
        taught: _Class,
        subject: Subject,
        kind: GradeKind,
        slot: int,
        day: date,
        entries: list[tuple[int | None, str | None]],
    ) -> None:
        """One assessment for the whole class, typed in one evening by a teacher of it."""
        teachers = taught.teachers[subject.id]
        teacher_id = teachers[(slot - 1) % len(teachers)]  # music and fine art take turns
        saved = _at(taught.school, day, self.rng.uniform(15, 21.5))
        for position, (pupil, (score_tenths, rating)) in enumerate(
            zip(taught.pupils, entries, strict=True)
        ):
            entered = saved + timedelta(seconds=15 * position)
            self.grades.append(
                {
                    "student_id": pupil.id,
                    "subject_id": subject.id,
                    "term_id": taught.term_id,
                    "kind": kind,
                    "slot": slot,
                    "score_tenths": score_tenths,
                    "rating": rating,
                    "recorded_by_id": teacher_id,
                    "created_at": entered,
                    "updated_at": entered,
                }
            )

    def random_comment(self, classes: list[_Class], days: list[date]) -> None:
        """Praise more often than concern, as teachers write in a contact book."""
        rng = self.rng
        taught = rng.choice(classes)
        praise = rng.random() < PRAISE_SHARE
        text, about_subject = rng.choice(PRAISES if praise else CONCERNS)
        subject = rng.choice(taught.subjects).code if about_subject else None
        kind = CommentKind.PRAISE if praise else CommentKind.CONCERN
        self.comment(taught, rng.choice(taught.pupils), days, text, kind, subject)

    def comment(
        self,
        taught: _Class,
        pupil: Student,
        days: list[date],
        text: str,
        kind: CommentKind,
        subject_code: str | None,
    ) -> None:
        """By a teacher of the subject, or by the homeroom teacher when about the class."""
        subject = next((s for s in taught.subjects if s.code == subject_code), None)
        if subject is None:
            author_id = taught.room.homeroom_teacher_id
        else:
            author_id = self.rng.choice(taught.teachers[subject.id])
        self.comments.append(
            {
                "student_id": pupil.id,
                "kind": kind,
                "text": text,
                "subject_id": subject.id if subject else None,
                "author_id": author_id,
                "created_at": _at(taught.school, self.rng.choice(days), self.rng.uniform(10, 21)),
            }
        )


def add_records(seed: DemoSeed) -> dict[str, int]:
    """Add semester I up to AS_OF for the flushed demo rows; return how many of each kind.

    The featured students (the demo parent's children) are sure to have a health note, an
    excused absence, a late mark and a praise, so the parent pages show every kind of record.
    """
    rows, featured, rng = seed.rows, seed.featured_students, seed.rng
    classes = _classes(rows)
    nurses = {
        row.school_id: row.user_id
        for row in rows
        if isinstance(row, Membership) and row.role is Role.NURSE
    }
    records = _Records(rng)
    for school_id, nurse_id in nurses.items():
        at_school = [taught for taught in classes if taught.school.id == school_id]
        chosen = [
            (taught, pupil)
            for pupil in featured
            for taught in at_school
            if any(other is pupil for other in taught.pupils)
        ]
        records.add_school(at_school, nurse_id, chosen)
    inserts: tuple[tuple[str, type, list[Row]], ...] = (
        ("attendance marks", AttendanceMark, records.marks),
        ("grades", Grade, records.grades),
        ("health notes", HealthNote, records.notes),
        ("comments", Comment, records.comments),
    )
    for _label, model, batch in inserts:
        db.session.execute(insert(model), batch)
    refresh_every_term_figure()
    return {label: len(batch) for label, _model, batch in inserts}
