"""What every room of core and every module stands on.

Here live the module contract and its loader (`module_contract`, with the Role vocabulary and
core's own declaration), the scheduler, the API object and the one error shape, the database
set-up, `atomic()` transactions, idempotent writes, the audit trail, records (the one clock,
stored times and enums), i18n, what a request may carry (ids, JSON, shared schema fields),
security headers, safe redirects, and the PWA shell's routes. It imports no other room of core.
"""

from contactbook.core.platform import audit, change_stamps, module_hooks
from contactbook.core.platform.audit import AuditEntry, CoreAction
from contactbook.core.platform.change_stamps import StudentStamp
from contactbook.core.platform.conditional import Stamp, conditional
from contactbook.core.platform.database import conflict_insert
from contactbook.core.platform.errors import Hidden, Invalid, Refused
from contactbook.core.platform.fields import AwareDateTime, Id, WholeNumber
from contactbook.core.platform.hook_data import ExcusedAbsence, ExpectedAbsence, PageLink, TermGap
from contactbook.core.platform.idempotency import idempotent
from contactbook.core.platform.inputs import parse_id
from contactbook.core.platform.module_contract import (
    DemoSeed,
    Job,
    MenuItem,
    Module,
    NotificationType,
    Permission,
    PublicLink,
    RenderedNotification,
    Role,
    Urgency,
    registry,
)
from contactbook.core.platform.module_hooks import term_close_gaps
from contactbook.core.platform.public_routes import public
from contactbook.core.platform.records import UtcDateTime, storable_enum, utcnow
from contactbook.core.platform.reports import Report, ReportChart, ReportTable, percent
from contactbook.core.platform.transactions import atomic, write_file

__all__ = [
    "conflict_insert",
    "AuditEntry",
    "AwareDateTime",
    "CoreAction",
    "DemoSeed",
    "ExcusedAbsence",
    "ExpectedAbsence",
    "Hidden",
    "Id",
    "Invalid",
    "Job",
    "MenuItem",
    "Module",
    "NotificationType",
    "PageLink",
    "Permission",
    "PublicLink",
    "Refused",
    "Report",
    "ReportChart",
    "ReportTable",
    "Stamp",
    "StudentStamp",
    "RenderedNotification",
    "Role",
    "TermGap",
    "Urgency",
    "UtcDateTime",
    "WholeNumber",
    "atomic",
    "audit",
    "change_stamps",
    "conditional",
    "idempotent",
    "percent",
    "public",
    "registry",
    "module_hooks",
    "parse_id",
    "storable_enum",
    "term_close_gaps",
    "utcnow",
    "write_file",
]
