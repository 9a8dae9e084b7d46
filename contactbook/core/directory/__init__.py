"""The school directory and the people in it, and who may see what of it.

Here live the directory's tables (districts to enrollments, users, sessions, memberships),
passwords and server-side sessions, the sign-in pages and their limits, the access rules every
record query starts from, Vietnamese names and phone numbers, and the home page that shows a
person's classes and children, the permission guards of pages and routes, and the usual
recipients of a module's news (`recipients`). It may import `platform` only; `delivery`,
`demo` and the modules build on it.
"""

from contactbook.core.directory import (
    access,
    identity,
    passwords,
    phones,
    recipients,
    second_factor,
)
from contactbook.core.directory.guards import permission_required
from contactbook.core.directory.models import (
    Assessment,
    Classroom,
    ClosedDay,
    District,
    Enrollment,
    Gender,
    Guardianship,
    Membership,
    Relationship,
    School,
    SchoolLevel,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    Term,
    TermKind,
    User,
    UserSession,
)
from contactbook.core.directory.names import name_key, split_full_name
from contactbook.core.directory.navigation import badges_token, read_with_badges
from contactbook.core.directory.phones import InvalidPhoneNumber, display_phone, normalise_phone
from contactbook.core.directory.signing_in import finish_sign_in
from contactbook.core.directory.subjects import ProgrammeSubject, SubjectCode, programme_for_grade

__all__ = [
    "second_factor",
    "finish_sign_in",
    "Assessment",
    "Classroom",
    "ClosedDay",
    "District",
    "Enrollment",
    "Gender",
    "Guardianship",
    "InvalidPhoneNumber",
    "Membership",
    "ProgrammeSubject",
    "Relationship",
    "School",
    "SchoolLevel",
    "SchoolYear",
    "Student",
    "Subject",
    "SubjectCode",
    "TeachingAssignment",
    "Term",
    "TermKind",
    "User",
    "UserSession",
    "access",
    "display_phone",
    "identity",
    "name_key",
    "normalise_phone",
    "passwords",
    "permission_required",
    "phones",
    "programme_for_grade",
    "badges_token",
    "read_with_badges",
    "recipients",
    "split_full_name",
]
