"""Seeing the school: its admins open every class read-only and see whose roll call is missing."""

from __future__ import annotations

from datetime import datetime

import pytest

from contactbook.core.directory.models import ClosedDay
from contactbook.core.platform.module_contract import Role
from tests.conftest import saved
from tests.modules.classbook.conftest import SCHOOL_DAY, SCHOOL_ZONE, SUNDAY

MONDAY_MORNING = datetime(2026, 11, 16, 10, 0, tzinfo=SCHOOL_ZONE)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("district_admin", 200),
        ("homeroom", 403),
        ("nurse", 403),
        ("other_admin", 404),
        ("parent", 403),
    ],
)
def test_the_school_admin_reaches_every_class_by_taps(
    client, login, make_user, make_school, school_class, who, status
):
    world = school_class
    world.district_admin = make_user(Role.DISTRICT_ADMIN, world.school)
    world.other_admin = make_user(Role.SCHOOL_ADMIN, make_school())
    login(getattr(world, who).phone)
    classes = f"/classbook/schools/{world.school.id}/classes"
    missing = f"/classbook/schools/{world.school.id}/missing-roll-calls"
    home = client.get("/").get_data(as_text=True)
    index = client.get("/classbook/").get_data(as_text=True)
    page = client.get(classes)
    assert (page.status_code, client.get(missing).status_code) == (status, status)
    assert (classes in index and missing in index) is (status == 200)
    if status == 200:
        assert 'href="/classbook/"' in home
        html = page.get_data(as_text=True)
        for room in (world.room, world.other_room):
            assert f"/classbook/classes/{room.id}/attendance" in html
        assert f"/classbook/classes/{world.room.id}/grades/{world.maths.id}" in html


def test_classes_without_a_roll_call_today_are_listed_until_it_is_taken(
    app, client, login, write, school_class, time_machine
):
    time_machine.move_to(MONDAY_MORNING)
    world = school_class
    page = f"/classbook/schools/{world.school.id}/missing-roll-calls"
    login(world.admin.phone)
    html = client.get(page).get_data(as_text=True)
    assert "16/11/2026" in html
    assert "Lớp 6A" in html and "Lớp 6B" in html

    teacher = app.test_client()
    login(world.homeroom.phone, on=teacher)
    roll_call = {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": []}
    url = f"/api/classbook/classes/{world.room.id}/attendance"
    assert write("PUT", url, roll_call, on=teacher).status_code == 200
    html = client.get(page).get_data(as_text=True)
    assert "Lớp 6A" not in html
    assert f'href="/classbook/classes/{world.other_room.id}/attendance"' in html


@pytest.mark.parametrize("day", ["sunday", "closed"])
def test_no_roll_call_is_missing_on_a_day_without_lessons(
    app, client, login, school_class, time_machine, day
):
    world = school_class
    if day == "sunday":
        time_machine.move_to(datetime.combine(SUNDAY, MONDAY_MORNING.timetz()))
    else:
        time_machine.move_to(MONDAY_MORNING)
        saved(app, ClosedDay(school_id=world.school.id, day=SCHOOL_DAY, reason="Bão"))
    login(world.admin.phone)
    html = client.get(f"/classbook/schools/{world.school.id}/missing-roll-calls")
    html = html.get_data(as_text=True)
    assert "Hôm nay không cần điểm danh" in html
    assert "Lớp 6B" not in html
    assert "Lớp 6A" not in html
