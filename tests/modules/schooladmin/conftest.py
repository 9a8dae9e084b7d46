"""The test world of school administration: two schools of one district, and their people."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from contactbook.core.platform.module_contract import Role
from tests.modules.schooladmin.structure_world import world, write  # noqa: F401


@pytest.fixture
def schools(make_school, make_user, make_classroom):
    """School A with its admin, a teacher and class 6A; school B next door with its own admin."""
    school_a = make_school()
    school_b = make_school(district_id=school_a.district_id)
    teacher = make_user(Role.TEACHER, school_a, name="Trần Văn Bình")
    return SimpleNamespace(
        a=school_a,
        b=school_b,
        admin=make_user(Role.SCHOOL_ADMIN, school_a, username="admin.a", name="Lê Thị Hoa"),
        admin_b=make_user(Role.SCHOOL_ADMIN, school_b, username="admin.b"),
        district_admin=make_user(Role.DISTRICT_ADMIN, school_a, username="district"),
        teacher=teacher,
        classroom=make_classroom(school_a, "6A", homeroom_teacher=teacher),
    )
