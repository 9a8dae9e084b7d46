"""Messaging's link on a pupil's page: one tap to the conversation about the child.

The contact book's child page asks the registry for links about a pupil; this answers for the
people who take part in the conversation from the start: the child's guardians and the
homeroom teacher of the child's class. Both are read from the child as the page loaded it
(guardians and current class), so the link costs the page no statement of its own.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from contactbook.core.directory import Student, User
from contactbook.core.platform import PageLink
from contactbook.modules.messaging.services.conversation_members import leads_childs_class


def student_links(user: User, student: Student) -> list[PageLink]:
    """The link to the child's conversation, worded for the family or for the teacher."""
    if any(guardianship.user_id == user.id for guardianship in student.guardianships):
        label = _("Message the teacher")
    elif leads_childs_class(user, student):
        label = _("Message the family")
    else:
        return []
    return [PageLink(label, url_for("messaging_conversations.child", student_id=student.id))]
