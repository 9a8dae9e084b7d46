"""A module that reaches into a built-in module and another installed one: start-up refuses it."""

from __future__ import annotations

from contactbook.core.platform import Module
from tests.plugins.borrower.helpers import sample_word


def borrowed_grades() -> object:
    from contactbook.modules.classbook import models

    return models.Grade


module = Module(name="borrower", title=sample_word())
