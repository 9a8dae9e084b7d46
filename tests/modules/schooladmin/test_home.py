"""The admin's start page lists the schools they run, and only to those who run one."""

from __future__ import annotations


def test_admin_sees_their_school_and_not_the_one_next_door(client, login, schools):
    login("admin.a")
    page = client.get("/schooladmin/").get_data(as_text=True)
    assert schools.a.name in page
    assert schools.b.name not in page


def test_district_admin_sees_every_school_of_the_district(client, login, schools):
    login("district")
    page = client.get("/schooladmin/").get_data(as_text=True)
    assert schools.a.name in page and schools.b.name in page


def test_a_teacher_is_refused(client, login, schools):
    login(schools.teacher.phone)
    assert client.get("/schooladmin/").status_code == 404
