"""Primary qualities and competences: the homeroom teacher rates them, the family reads them."""

from __future__ import annotations

import pytest

from contactbook.core.directory.models import SchoolLevel
from contactbook.core.platform.module_contract import Role
from contactbook.modules.classbook.models import TraitRating
from tests.modules.classbook.conftest import count_rows, term_id


@pytest.fixture
def primary_class(make_school, make_user, make_classroom, make_student):
    school = make_school(SchoolLevel.PRIMARY)
    homeroom = make_user(Role.TEACHER, school, name="Cô Lan")
    parent = make_user(Role.GUARDIAN, school)
    room = make_classroom(school, "2A", homeroom_teacher=homeroom)
    child = make_student(room, school, "Đỗ Minh Khôi", guardians=(parent,))
    return school, room, homeroom, parent, child


def payload(app, school, child, rating="tot", trait="cham_chi"):
    return {
        "term_id": term_id(app, school),
        "trait": trait,
        "slot": 2,
        "entries": [{"student_id": child.id, "rating": rating}],
    }


def test_homeroom_teacher_rates_and_the_family_reads(app, client, login, write, primary_class):
    school, room, homeroom, parent, child = primary_class
    teacher = app.test_client()
    login(homeroom.phone, on=teacher)
    url = f"/api/classbook/classes/{room.id}/traits"
    response = write("PUT", url, payload(app, school, child), on=teacher)
    assert response.status_code == 200
    assert response.get_json()["entries"][0]["rating"] == "tot"
    assert teacher.get(f"/classbook/classes/{room.id}/traits").status_code == 200

    login(parent.phone)
    html = client.get(f"/classbook/children/{child.id}").get_data(as_text=True)
    assert "Phẩm chất và năng lực" in html
    assert '<th scope="row">Chăm chỉ</th><td>–</td><td>Tốt</td>' in html


@pytest.mark.parametrize(
    ("change", "field"), [({"rating": "xuat_sac"}, "entries.0"), ({"trait": "bay"}, "trait")]
)
def test_unknown_ratings_and_traits_are_refused(app, login, write, primary_class, change, field):
    school, room, homeroom, _parent, child = primary_class
    login(homeroom.phone)
    body = payload(app, school, child, **change)
    response = write("PUT", f"/api/classbook/classes/{room.id}/traits", body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert count_rows(app, TraitRating) == 0


def test_secondary_classes_have_no_trait_ratings(app, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    response = write(
        "PUT",
        f"/api/classbook/classes/{world.room.id}/traits",
        payload(app, world.school, world.child),
    )
    assert response.status_code == 422


@pytest.mark.parametrize(("role", "status"), [(Role.TEACHER, 404), (Role.GUARDIAN, 404)])
def test_only_the_homeroom_teacher_rates(app, login, write, make_user, primary_class, role, status):
    school, room, _homeroom, _parent, child = primary_class
    login(make_user(role, school).phone)
    response = write("PUT", f"/api/classbook/classes/{room.id}/traits", payload(app, school, child))
    assert response.status_code == status
    assert count_rows(app, TraitRating) == 0


def test_an_unknown_rating_names_the_rule_sets_choices(app, login, write, primary_class):
    school, room, homeroom, _parent, child = primary_class
    login(homeroom.phone)
    body = payload(app, school, child, rating="xuat_sac")
    response = write("PUT", f"/api/classbook/classes/{room.id}/traits", body)
    assert response.get_json()["errors"]["entries.0"] == ["Chọn Tốt, Đạt hoặc Cần cố gắng."]
