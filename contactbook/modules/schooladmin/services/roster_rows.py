"""One roster row's cells made into a pupil and their parents, with each problem it has.

Names are split into family, middle and given name; dates are read as dd/mm/yyyy text or Excel
dates; phone numbers in any usual spelling become one stored form. A cell that cannot be read
is a problem naming its row and column, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from contactbook.core.directory import (
    Gender,
    InvalidPhoneNumber,
    Relationship,
    normalise_phone,
    split_full_name,
)
from contactbook.modules.schooladmin.services.roster_read import fold

EARLIEST_BIRTH = date(1950, 1, 1)
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
EXCEL_SERIAL = re.compile(r"\d{5}")
GENDERS = {"nam": Gender.MALE, "male": Gender.MALE, "nu": Gender.FEMALE, "female": Gender.FEMALE}
RELATIONSHIP_WORDS = {
    "bố": Relationship.FATHER,
    "cha": Relationship.FATHER,
    "ba": Relationship.FATHER,
    "father": Relationship.FATHER,
    "mẹ": Relationship.MOTHER,
    "má": Relationship.MOTHER,
    "mother": Relationship.MOTHER,
    "ông": Relationship.GRANDFATHER,
    "bà": Relationship.GRANDMOTHER,
    "người": Relationship.GUARDIAN,
    "giám": Relationship.GUARDIAN,
    "khác": Relationship.GUARDIAN,
    "guardian": Relationship.GUARDIAN,
}
# (name column, phone column, the relationship it stands for; None: read the Quan hệ column)
GUARDIAN_COLUMNS = (
    ("guardian_name", "guardian_phone", None),
    ("father_name", "father_phone", Relationship.FATHER),
    ("mother_name", "mother_phone", Relationship.MOTHER),
)
LIMITS = {"code": 32, "family": 50, "middle": 100, "given": 50, "guardian": 200}


@dataclass(frozen=True)
class Problem:
    """Why a row cannot be imported, and where: the row number and column as the file has them."""

    row: int
    column: str
    letter: str
    message: str


@dataclass(frozen=True)
class GuardianIn:
    name: str
    phone: str
    relationship: Relationship


@dataclass
class PupilRow:
    """A row read: the pupil, their parents, what could not be read and what was left out."""

    row: int
    code: str = ""
    family: str = ""
    middle: str = ""
    given: str = ""
    date_of_birth: date | None = None
    gender: Gender | None = None
    class_name: str = ""
    guardians: list[GuardianIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part)


class RowReader:
    """Reads rows of one sheet; knows its columns to name them in problems."""

    def __init__(self, columns: dict[str, dict[str, str]], today: date) -> None:
        self.columns = columns
        self.today = today

    def problem(self, row: int, name: str, message: str) -> Problem:
        """A problem in the named column of a row, located as the file shows it."""
        column = self.columns.get(name, {"label": name, "letter": ""})
        return Problem(row, column["label"], column["letter"], message)

    def read(self, stored: dict[str, Any]) -> PupilRow:
        """Make one stored row into a pupil row, collecting every problem rather than the first."""
        cells: dict[str, str] = stored["cells"]
        pupil = PupilRow(row=stored["row"])
        for name in ("code", "full_name", "date_of_birth", "gender", "class_name"):
            if not cells.get(name):
                pupil.problems.append(self.problem(pupil.row, name, _("This cell is empty.")))
        pupil.code = cells.get("code", "")
        pupil.class_name = cells.get("class_name", "")
        if len(pupil.code) > LIMITS["code"]:
            pupil.problems.append(self.problem(pupil.row, "code", _("The code is too long.")))
        self._read_name(pupil, cells.get("full_name", ""))
        self._read_birth(pupil, cells.get("date_of_birth", ""))
        self._read_gender(pupil, cells.get("gender", ""))
        for name_column, phone_column, kind in GUARDIAN_COLUMNS:
            self._read_guardian(pupil, cells, name_column, phone_column, kind)
        return pupil

    def _read_name(self, pupil: PupilRow, text: str) -> None:
        if not text:
            return
        pupil.family, pupil.middle, pupil.given = split_full_name(text)
        parts = {"family": pupil.family, "middle": pupil.middle, "given": pupil.given}
        if any(len(value) > LIMITS[part] for part, value in parts.items()):
            pupil.problems.append(self.problem(pupil.row, "full_name", _("The name is too long.")))

    def _read_birth(self, pupil: PupilRow, text: str) -> None:
        if not text:
            return
        try:
            born = read_date(text)
        except ValueError:
            message = _("%(text)s is not a possible date (dd/mm/yyyy).", text=text)
            pupil.problems.append(self.problem(pupil.row, "date_of_birth", message))
            return
        if not EARLIEST_BIRTH <= born <= self.today:
            message = _("%(text)s is not a possible date of birth.", text=text)
            pupil.problems.append(self.problem(pupil.row, "date_of_birth", message))
            return
        pupil.date_of_birth = born

    def _read_gender(self, pupil: PupilRow, text: str) -> None:
        if not text:
            return
        pupil.gender = GENDERS.get(fold(text))
        if pupil.gender is None:
            message = _("Write Nam or Nữ, not %(text)s.", text=text)
            pupil.problems.append(self.problem(pupil.row, "gender", message))

    def _read_guardian(
        self,
        pupil: PupilRow,
        cells: dict[str, str],
        name_column: str,
        phone_column: str,
        kind: Relationship | None,
    ) -> None:
        name, phone = cells.get(name_column, ""), cells.get(phone_column, "")
        if not phone:
            if name:
                pupil.notes.append(_("%(name)s has no phone number and is not added.", name=name))
            return
        problems = []
        try:
            e164 = normalise_phone(phone)
        except InvalidPhoneNumber:
            message = _("%(text)s is not a Vietnamese mobile number.", text=phone)
            problems.append(self.problem(pupil.row, phone_column, message))
        if not name:
            problems.append(
                self.problem(pupil.row, name_column, _("The parent's name is missing."))
            )
        elif len(name) > LIMITS["guardian"]:
            problems.append(self.problem(pupil.row, name_column, _("The name is too long.")))
        relationship = kind or read_relationship(cells.get("relationship", ""))
        if relationship is None:
            message = _("Write Bố, Mẹ, Ông, Bà or Người giám hộ.")
            problems.append(self.problem(pupil.row, "relationship", message))
        pupil.problems.extend(problems)
        if not problems:
            pupil.guardians.append(GuardianIn(name, e164, relationship))


def read_date(text: str) -> date:
    """Read 31/12/2014 (also with - or .), an Excel date, or an Excel day number."""
    # openpyxl (some 8 MB) loads with the first spreadsheet, not in every web worker.
    from openpyxl.utils.datetime import from_excel

    if EXCEL_SERIAL.fullmatch(text):
        return from_excel(int(text)).date()
    match = DAY_MONTH_YEAR.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    return datetime.strptime(text, "%Y-%m-%d").date()


def read_relationship(text: str) -> Relationship | None:
    """Bố, cha, mẹ, ông ngoại, bà nội, người giám hộ...; an empty cell is a guardian."""
    words = text.casefold().split()
    if not words:
        return Relationship.GUARDIAN
    return RELATIONSHIP_WORDS.get(words[0])
