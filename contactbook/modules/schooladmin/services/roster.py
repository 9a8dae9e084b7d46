"""Roster import: upload and dry run, then one confirmed, all-or-nothing write.

An upload is read and kept (`RosterImport`) without touching the directory; its dry run is a
plan made from the kept rows. Confirming makes the plan again, refuses it while any row has a
problem, and writes it in one transaction with its audit entry. A second confirmation finds the
import done and writes nothing.
"""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload

from contactbook.core.directory import School, User, access
from contactbook.core.platform import Invalid, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.schooladmin.models import ImportStatus, RosterImport
from contactbook.modules.schooladmin.services.roster_apply import apply_plan
from contactbook.modules.schooladmin.services.roster_plan import Plan, make_plan
from contactbook.modules.schooladmin.services.roster_read import TEMPLATE_HEADERS, read_roster

PERMISSION = "schooladmin.roster.import"
# Large enough for a whole school's export with formatting; refused unread past it.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
RECENT_IMPORTS = 10


def imports_visible_to(user: User) -> Select:
    """Imports of the schools the user administers: another school's looks missing."""
    return select(RosterImport).where(RosterImport.school_id.in_(access.managed_school_ids(user)))


def import_or_404(user: User, import_id: int) -> RosterImport:
    """An import the user may see, found from a request's id."""
    # The school comes in the same statement: the dry run and the page ask for it.
    return access.get_visible_or_404(
        imports_visible_to(user).options(joinedload(RosterImport.school)), RosterImport, import_id
    )


def school_of(roster_import: RosterImport) -> School:
    """The school the import is for, where the right to import is held."""
    return db.session.get(School, roster_import.school_id)


def check_upload(actor: User, school: School, file_name: str, data: bytes) -> RosterImport:
    """Read an uploaded roster and keep its rows for the dry run; the directory is untouched."""
    access.require(actor, PERMISSION, school)
    sheet = read_roster(data)
    if not sheet.rows:
        raise Invalid({"file": [_("The sheet has headers but no pupils.")]})
    with atomic():
        roster_import = RosterImport(
            school_id=school.id,
            uploaded_by_id=actor.id,
            file_name=file_name[:255],
            content=sheet.as_content(),
        )
        db.session.add(roster_import)
    return roster_import


def dry_run(actor: User, roster_import: RosterImport) -> Plan:
    """What confirming would write now, row by row, with every problem."""
    school = school_of(roster_import)
    access.require(actor, PERMISSION, school)
    return make_plan(school, roster_import.content)


def confirm(actor: User, roster_import: RosterImport) -> dict[str, int]:
    """Write the import once, all or nothing; a repeat returns what the first one wrote."""
    school = school_of(roster_import)
    access.require(actor, PERMISSION, school)
    with atomic():
        # Claiming the row first makes a simultaneous second confirmation wait, then find it done.
        claimed = db.session.execute(
            update(RosterImport)
            .where(RosterImport.id == roster_import.id)
            .where(RosterImport.status == ImportStatus.CHECKED)
            .values(status=ImportStatus.IMPORTED, imported_at=utcnow())
        ).rowcount
        if not claimed:
            db.session.refresh(roster_import)
            return roster_import.result or {}
        plan = make_plan(school, roster_import.content)
        if plan.problems:
            raise Invalid({"rows": [problem_line(problem) for problem in plan.problems]})
        apply_plan(plan, school.id)
        result = dict(plan.counts)
        db.session.execute(
            update(RosterImport).where(RosterImport.id == roster_import.id).values(result=result)
        )
        audit.record(
            actor,
            "schooladmin.roster.imported",
            roster_import,
            school_id=school.id,
            after={"file_name": roster_import.file_name, **result},
        )
    db.session.refresh(roster_import)
    return result


def problem_line(problem: Any) -> str:
    """One problem as a sentence that says where: "Row 7, column C (Ngày sinh): ..."."""
    return _(
        "Row %(row)d, column %(letter)s (%(column)s): %(message)s",
        row=problem.row,
        letter=problem.letter,
        column=problem.column,
        message=problem.message,
    )


def recent_imports(school: School) -> list[RosterImport]:
    """The school's latest uploads, newest first, to go back to a dry run."""
    query = (
        select(RosterImport)
        .where(RosterImport.school_id == school.id)
        .order_by(RosterImport.id.desc())
        .limit(RECENT_IMPORTS)
    )
    return list(db.session.scalars(query))


def template_workbook() -> bytes:
    """An empty roster with the Vietnamese headers, for schools without an export of their own."""
    # openpyxl (some 8 MB) loads with the first spreadsheet, not in every web worker.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách học sinh"
    sheet.append(list(TEMPLATE_HEADERS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 6)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
