"""A class's card and page open what each reader may open of it; pupils' names open their page."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD


def links_on(client, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200
    return set(re.findall(r'href="(/classbook/[^"]+)"', response.get_data(as_text=True)))


def class_pages(world, *subjects) -> set[str]:
    base = f"/classbook/classes/{world.room.id}"
    return {f"{base}/attendance"} | {f"{base}/grades/{subject.id}" for subject in subjects}


def pupil_pages(world) -> set[str]:
    return {f"/classbook/children/{pupil.id}" for pupil in world.pupils}


def test_a_subject_teacher_is_offered_their_own_subjects_and_every_pupil(
    client, login, school_class
):
    world = school_class
    login(world.maths_teacher.phone, PASSWORD)
    page = links_on(client, f"/classes/{world.room.id}")
    assert page - {"/classbook/"} == class_pages(world, world.maths, world.history) | pupil_pages(
        world
    )
    home = links_on(client, "/")
    assert class_pages(world, world.maths, world.history) <= home
    assert f"/classbook/classes/{world.room.id}/grades/{world.arts.id}" not in home


def test_the_schools_admin_reads_every_subject_and_the_nurse_the_roll_call(
    client, app, login, school_class
):
    world = school_class
    login(world.admin.phone, PASSWORD)
    every = class_pages(world, world.maths, world.history, world.arts)
    assert every | pupil_pages(world) <= links_on(client, f"/classes/{world.room.id}")

    nurse = app.test_client()
    login(world.nurse.phone, PASSWORD, on=nurse)
    page = links_on(nurse, f"/classes/{world.room.id}")
    assert class_pages(world) | pupil_pages(world) <= page
    assert not any("/grades/" in link for link in page)


def test_a_parents_child_card_opens_only_their_own_child(client, login, school_class):
    world = school_class
    login(world.parent.phone, PASSWORD)
    home = links_on(client, "/")
    assert f"/classbook/children/{world.child.id}" in home
    assert not {f"/classbook/children/{pupil.id}" for pupil in world.pupils[1:]} & home
    assert client.get(f"/classes/{world.room.id}").status_code == 404
