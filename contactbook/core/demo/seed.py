"""`flask demo`: load a demo district with two schools, their people and semester I so far, once.

The records (attendance, grades, health notes, comments) come from each module's demo hook.
Longer than 300 lines on purpose: it is one job, a district built in order (schools, years,
classes, staff, pupils, families), and reads best top to bottom in one place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from contactbook.core.demo.names import (
    ADULT_MIDDLE_NAMES,
    ADULT_USUAL_MIDDLE_NAME,
    CHILD_MIDDLE_NAMES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    PLANS,
    SchoolPlan,
)
from contactbook.core.directory.identity import find_user, hash_password
from contactbook.core.directory.models import (
    Assessment,
    Classroom,
    District,
    Enrollment,
    Gender,
    Guardianship,
    Membership,
    Relationship,
    School,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    Term,
    TermKind,
    User,
)
from contactbook.core.directory.names import full_name
from contactbook.core.directory.phones import InvalidPhoneNumber, normalise_phone
from contactbook.core.directory.subjects import SubjectCode
from contactbook.core.platform.module_contract import DemoSeed, Role, registry
from contactbook.extensions import db

# Published in the README; `flask demo` refuses to run in production (seed_demo).
DEMO_PASSWORD = "demo1234"  # noqa: S105 - known on purpose, see above  # nosec B105
DISTRICT_CODE = "DEMO"
DISTRICT_NAME = "Phòng Giáo dục và Đào tạo huyện Demo"
TEACHER_PHONE = "0912 000 001"
PARENT_PHONE = "0912 000 002"
DISTRICT_ADMIN_USERNAME = "quan.tri.huyen"
# (role, sign-in name, password): fixed accounts for trying the app and for tests.
DEMO_SIGN_INS: tuple[tuple[str, str, str], ...] = (
    ("teacher", TEACHER_PHONE, DEMO_PASSWORD),
    ("parent", PARENT_PHONE, DEMO_PASSWORD),
    ("school admin", PLANS[0].admin_username, DEMO_PASSWORD),
    ("district admin", DISTRICT_ADMIN_USERNAME, DEMO_PASSWORD),
)

SEED = 2026
YEAR_NAME = "2026–2027"
YEAR_DATES = (date(2026, 9, 5), date(2027, 5, 31))
TERMS = (
    (TermKind.HK1, date(2026, 9, 5), date(2027, 1, 16)),
    (TermKind.HK2, date(2027, 1, 18), date(2027, 5, 31)),
)
GRADE_1_BIRTH_YEAR = 2020  # children start grade 1 in the year they turn six
MOBILE_PREFIXES = (
    "032 033 034 035 036 037 038 039 070 076 077 078 079 081 082 083 084 085 086 088 089 "
    "090 091 093 094 096 097 098"
).split()
# Share of pupils whose family already has a child at a demo school: about 8% end up siblings.
SIBLING_CHANCE = 0.055
MAX_CHILDREN = 3
# Who is on record for a new family, with weights: both parents is by far the most common.
GUARDIAN_SETS: tuple[tuple[tuple[Relationship, ...], float], ...] = (
    ((Relationship.MOTHER, Relationship.FATHER), 55),
    ((Relationship.MOTHER,), 25),
    ((Relationship.FATHER,), 10),
    ((Relationship.GRANDMOTHER, Relationship.GRANDFATHER), 4),
    ((Relationship.GRANDMOTHER,), 2),
    ((Relationship.GUARDIAN,), 4),
)
MALE_KINDS = (Relationship.FATHER, Relationship.GRANDFATHER)
FEMALE_KINDS = (Relationship.MOTHER, Relationship.GRANDMOTHER)

# The demo parent's two children: one in the demo teacher's 6A, one at the primary school.
PARENT_CLASSES = (("DEMO-THCS", "6A"), ("DEMO-TH", "3A"))


@dataclass
class _Family:
    """Guardians that siblings share; the children carry the father's family name."""

    family_name: str
    guardians: list[tuple[User, Relationship, bool]]
    places: list[tuple[str, int]] = field(default_factory=list)  # (school, grade) per child


class _Builder:
    """Makes every demo row from one seeded generator, so each fresh run gives the same data."""

    def __init__(self, password_hash: str) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, no secret  # nosec B311
        self.password_hash = password_hash
        self.phones = set(db.session.scalars(select(User.phone).where(User.phone.is_not(None))))
        self.usernames = set(
            db.session.scalars(select(func.lower(User.username)).where(User.username.is_not(None)))
        )
        self.reserved = {normalise_phone(TEACHER_PHONE), normalise_phone(PARENT_PHONE)}
        self.rows: list[object] = []
        self.families: list[_Family] = []
        self.pupil_numbers: dict[str, int] = {}

    def build(self) -> None:
        district = District(code=DISTRICT_CODE, name=DISTRICT_NAME)
        schools = [
            School(district=district, code=plan.code, name=plan.name, level=plan.level)
            for plan in PLANS
        ]
        db.session.add_all([district, *schools])
        db.session.flush()  # subjects refer to their school by id only
        admin = self.user(self.adult_name(Gender.MALE), username=DISTRICT_ADMIN_USERNAME)
        self.rows.append(Membership(user=admin, role=Role.DISTRICT_ADMIN, district=district))
        parent_family = self.new_family(parent_phone=PARENT_PHONE)
        for plan, school in zip(PLANS, schools, strict=True):
            self.build_school(plan, school, parent_family)
        db.session.add_all(self.rows)

    def parent_children(self) -> list[Student]:
        """The demo parent's children, in school order: the 6A pupil first, then the 3A one."""
        phone = normalise_phone(PARENT_PHONE)
        return [
            row.student
            for row in self.rows
            if isinstance(row, Guardianship) and row.user.phone == phone
        ]

    def build_school(self, plan: SchoolPlan, school: School, parent_family: _Family) -> None:
        starts_on, ends_on = YEAR_DATES
        year = SchoolYear(school=school, name=YEAR_NAME, starts_on=starts_on, ends_on=ends_on)
        year.terms = [Term(kind=kind, starts_on=start, ends_on=end) for kind, start, end in TERMS]
        rooms = [
            Classroom(school_year=year, name=f"{grade}{letter}", grade_level=grade)
            for grade in plan.grades
            for letter in plan.class_letters
        ]
        subjects = {
            (grade, code): Subject(
                school_id=school.id,
                grade_level=grade,
                code=code,
                name=name,
                periods_per_year=periods,
                assessment=Assessment.SCORE if scored else Assessment.COMMENT,
            )
            for code, name, periods_by_grade, scored in plan.subjects
            for grade, periods in periods_by_grade.items()
        }
        self.rows += [year, *rooms, *subjects.values()]
        principal = self.user(self.adult_name(self.staff_gender()), username=plan.admin_username)
        self.member(principal, Role.SCHOOL_ADMIN, school)
        self.member(self.user(self.adult_name(Gender.FEMALE)), Role.NURSE, school)
        self.assign_teachers(plan, school, rooms, subjects)
        for room in rooms:
            forced = parent_family if (plan.code, room.name) in PARENT_CLASSES else None
            for position in range(self.rng.randint(*plan.class_size)):
                family = forced if position == 0 and forced else self.family_for(plan, room)
                self.add_student(plan, school, room, family)

    def assign_teachers(
        self,
        plan: SchoolPlan,
        school: School,
        rooms: list[Classroom],
        subjects: dict[tuple[int, str], Subject],
    ) -> None:
        """Subject teachers share the classes by grade; each class gets one homeroom teacher."""
        homeroom = [self.teacher(school) for _ in rooms] if plan.homeroom_teaches_most else []
        lead_phone = TEACHER_PHONE if plan.has_demo_teacher else None
        teaching: list[tuple[User, list[Classroom]]] = []
        for codes, count in plan.staffing:
            having = [
                room for room in rooms if any((room.grade_level, c) in subjects for c in codes)
            ]
            for index in range(count):
                teacher = self.teacher(school, lead_phone)
                lead_phone = None
                share = having[index * len(having) // count : (index + 1) * len(having) // count]
                for room in share:
                    self.teach(teacher, room, codes, subjects)
                teaching.append((teacher, share))
        free = list(teaching)  # by position: UserMixin makes unsaved users compare equal
        for room in rooms[len(homeroom) :]:
            # A subject teacher of the class if one is still free, as schools prefer.
            pick = min(range(len(free)), key=lambda index: room not in free[index][1])
            homeroom.append(free.pop(pick)[0])
        for room, teacher in zip(rooms, homeroom, strict=True):
            room.homeroom_teacher = teacher
            self.teach(teacher, room, plan.homeroom_subjects, subjects)

    def teach(
        self,
        teacher: User,
        room: Classroom,
        codes: tuple[SubjectCode, ...],
        subjects: dict[tuple[int, str], Subject],
    ) -> None:
        for code in codes:
            subject = subjects.get((room.grade_level, code))
            if subject is not None:
                self.rows.append(
                    TeachingAssignment(teacher=teacher, classroom=room, subject=subject)
                )

    def family_for(self, plan: SchoolPlan, room: Classroom) -> _Family:
        """Now and then a brother or sister of an earlier pupil, otherwise a new family."""
        place = (plan.code, room.grade_level)
        if self.families and self.rng.random() < SIBLING_CHANCE:
            family = self.rng.choice(self.families)
            if len(family.places) < MAX_CHILDREN and place not in family.places:
                return family
        family = self.new_family()
        self.families.append(family)
        return family

    def new_family(self, parent_phone: str | None = None) -> _Family:
        """The demo parent's family is always mother (the demo sign-in, primary) and father."""
        rng = self.rng
        surname = self.family_name()
        if parent_phone:
            kinds: tuple[Relationship, ...] = (Relationship.MOTHER, Relationship.FATHER)
        else:
            sets, weights = zip(*GUARDIAN_SETS, strict=True)
            kinds = rng.choices(sets, weights=weights)[0]
        primary = 1 if len(kinds) == 2 and not parent_phone and rng.random() < 0.3 else 0
        guardians = []
        for index, kind in enumerate(kinds):
            if kind in MALE_KINDS:
                gender, family_name = Gender.MALE, surname
            else:
                female = kind in FEMALE_KINDS or rng.random() < 0.6
                gender, family_name = (Gender.FEMALE if female else Gender.MALE), self.family_name()
            name = self.adult_name(gender, family_name)
            user = self.user(name, parent_phone if index == 0 else None)
            guardians.append((user, kind, index == primary))
        return _Family(surname, guardians)

    def add_student(
        self, plan: SchoolPlan, school: School, room: Classroom, family: _Family
    ) -> None:
        rng = self.rng
        if all(code != plan.code for code, _ in family.places):
            for user, _, _ in family.guardians:
                self.member(user, Role.GUARDIAN, school)
        family.places.append((plan.code, room.grade_level))
        gender = Gender.FEMALE if rng.random() < 0.49 else Gender.MALE
        middle, given = self.name_parts(gender, adult=False)
        born = date(GRADE_1_BIRTH_YEAR + 1 - room.grade_level, 1, 1)
        number = self.pupil_numbers[plan.code] = self.pupil_numbers.get(plan.code, 0) + 1
        student = Student(
            school=school,
            student_code=f"{plan.code_prefix}{number:04d}",
            family_name=family.family_name,
            middle_name=middle,
            given_name=given,
            date_of_birth=born + timedelta(days=rng.randrange(365)),
            gender=gender,
        )
        self.rows += [student, Enrollment(classroom=room, student=student)]
        self.rows += [
            Guardianship(
                student=student, user=user, relationship_kind=kind, is_primary_contact=main
            )
            for user, kind, main in family.guardians
        ]

    def teacher(self, school: School, phone: str | None = None) -> User:
        user = self.user(self.adult_name(self.staff_gender()), phone)
        self.member(user, Role.TEACHER, school)
        return user

    def member(self, user: User, role: Role, school: School) -> None:
        self.rows.append(Membership(user=user, role=role, school=school))

    def user(self, name: str, phone: str | None = None, username: str | None = None) -> User:
        if username is not None:
            self.claim(self.usernames, username.lower(), username)
        number = self.random_phone() if phone is None else normalise_phone(phone)
        self.claim(self.phones, number, phone or number)
        user = User(
            phone=number,
            username=username,
            password_hash=self.password_hash,
            display_name=name,
            language="vi",
        )
        self.rows.append(user)
        return user

    @staticmethod
    def claim(taken: set[str], value: str, shown: str) -> None:
        """Fail clearly, before any insert, when a fixed sign-in belongs to someone already."""
        if value in taken:
            raise click.ClickException(f"{shown} already belongs to a user; use an empty database.")
        taken.add(value)

    def random_phone(self) -> str:
        while True:
            text = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            try:
                number = normalise_phone(text)
            except InvalidPhoneNumber:
                continue
            if number not in self.phones and number not in self.reserved:
                return number

    def staff_gender(self) -> Gender:
        """Most teachers in Vietnamese schools are women."""
        return Gender.FEMALE if self.rng.random() < 0.7 else Gender.MALE

    def family_name(self) -> str:
        names, weights = zip(*FAMILY_NAMES, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def adult_name(self, gender: Gender, family_name: str | None = None) -> str:
        family_name = family_name or self.family_name()
        return full_name(family_name, *self.name_parts(gender, adult=True))

    def name_parts(self, gender: Gender, adult: bool) -> tuple[str, str]:
        """Parents mostly have one middle name, often Thị or Văn; children zero to two."""
        rng = self.rng
        if adult and rng.random() < 0.6:
            middle = [ADULT_USUAL_MIDDLE_NAME[gender]]
        elif adult:
            middle = rng.sample(ADULT_MIDDLE_NAMES[gender], 1)
        else:
            count = rng.choices((0, 1, 2), weights=(1, 13, 6))[0]
            middle = rng.sample(CHILD_MIDDLE_NAMES[gender], count)
        given = rng.choice([name for name in GIVEN_NAMES[gender] if name not in middle])
        return " ".join(middle), given


def _print_sign_ins() -> None:
    rows = [("Role", "Sign-in", "Password", "Name")]
    for label, identifier, password in DEMO_SIGN_INS:
        user = find_user(identifier)
        rows.append((label, identifier, password, user.display_name if user else "(missing)"))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for role, identifier, password, name in rows:
        click.echo(
            f"  {role:<{widths[0]}}  {identifier:<{widths[1]}}  {password:<{widths[2]}}  {name}"
        )


@click.command("demo")
@with_appcontext
def cli() -> None:
    """Load demo schools, classes, pupils, families and their records once, in one transaction."""
    if current_app.config["CONTACTBOOK_ENV"] == "production":
        raise click.ClickException(
            "Demo data is for trying the app; production refuses it (its known passwords would "
            "open real accounts)."
        )
    if db.session.scalar(select(District).where(District.code == DISTRICT_CODE)):
        click.echo("Demo data is already loaded; nothing changed. Sign in with:")
        _print_sign_ins()
        return
    builder = _Builder(hash_password(DEMO_PASSWORD))  # hashed once: argon2 takes ~30 ms a hash
    builder.build()
    db.session.flush()  # the records refer to pupils, classes and teachers by id
    seed = DemoSeed(builder.rows, builder.parent_children(), builder.rng)
    records: dict[str, int] = {}
    for module in registry().modules.values():
        if module.demo:
            records |= module.demo(seed)
    db.session.commit()
    counts = {
        kind.__name__: sum(1 for row in builder.rows if isinstance(row, kind))
        for kind in (Classroom, Student, User, Guardianship)
    }
    added = "; " + ", ".join(f"{number:,} {label}" for label, number in records.items())
    click.echo(
        f"Demo data loaded: {len(PLANS)} schools, {counts['Classroom']} classes, "
        f"{counts['Student']:,} pupils, {counts['User']:,} users, "
        f"{counts['Guardianship']:,} guardianships{added if records else ''}. Sign in with:"
    )
    _print_sign_ins()
