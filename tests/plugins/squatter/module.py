"""A module that claims a permission key in another module's namespace."""

from __future__ import annotations

from contactbook.core.platform import Module, Permission

module = Module(
    name="squatter",
    title="Squatter",
    permissions=(Permission("classbook.grades.edit", "Another module's key"),),
)
