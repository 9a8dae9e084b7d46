"""Invite codes: printed per class, used once, for 30 days, several children into one account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from contactbook.core.directory.models import Guardianship, User
from contactbook.core.platform import AuditEntry
from contactbook.extensions import db
from tests.modules.schooladmin.onboarding import build_class, codes_on, post_form, print_codes

NEW_PASSWORD = "mưa rơi trên mái ngói 7"


@pytest.fixture
def families(app, schools, make_student, make_user, make_classroom, assign_teacher):
    return build_class(app, schools, make_student, make_user, make_classroom, assign_teacher)


def join(client, code: str, password: str = NEW_PASSWORD):
    """Open the slip's link and set a password, as a parent who has no account yet."""
    page = f"/schooladmin/invites/join/{code}"
    return post_form(client, page, {"password": password, "confirm": password}, page=page)


def children_on_home(client) -> str:
    return client.get("/").get_data(as_text=True)


def test_the_homeroom_teacher_prints_a_code_with_its_qr_for_each_family(
    client, login, schools, families
):
    login(schools.teacher.phone)
    response = post_form(client, f"/schooladmin/invites/classes/{schools.classroom.id}/sheet")
    page = response.get_data(as_text=True)
    assert set(codes_on(response)) == {"Nguyễn Văn An", "Nguyễn Thị Bình", "Đỗ Minh Cường"}
    assert page.count('<svg width="') == 3
    assert "printing again replaces the codes not used yet" in page.lower() or "thay" in page
    assert "@media print" not in page, "print rules live in the stylesheet"


def test_a_parent_types_the_code_sets_a_password_and_sees_their_child(
    app, client, login, schools, families
):
    login_page = client.get("/signin").get_data(as_text=True)
    assert 'href="/schooladmin/invites/join"' in login_page
    teacher = _as(app, login, schools.teacher.phone)
    code = print_codes(teacher, schools.classroom.id)["Đỗ Minh Cường"]

    typed = client.get(f"/schooladmin/invites/join?code={code.lower().replace('-', ' ')}")
    assert typed.status_code == 302
    form = client.get(typed.headers["Location"]).get_data(as_text=True)
    assert 'value="0903 333 333" readonly' in form
    assert join(client, code).status_code == 302
    assert "Đỗ Minh Cường" in children_on_home(client)
    with app.app_context():
        father = db.session.get(User, families.father.id)
        assert father.password_hash is not None
        assert db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "schooladmin.invite_redeem")
        )


def test_a_code_works_once(app, client, login, schools, families):
    login(schools.teacher.phone)
    code = print_codes(client, schools.classroom.id)["Đỗ Minh Cường"]
    parent = app.test_client()
    assert join(parent, code).status_code == 302
    stranger = app.test_client()
    again = stranger.get(f"/schooladmin/invites/join/{code}")
    assert again.status_code == 410
    assert "đã được dùng" in again.get_data(as_text=True)


def test_a_code_expires_after_30_days(app, client, login, schools, families, time_machine):
    time_machine.move_to("2026-10-01T08:00:00+07:00", tick=False)
    login(schools.teacher.phone)
    code = print_codes(client, schools.classroom.id)["Đỗ Minh Cường"]
    parent = app.test_client()
    time_machine.shift(timedelta(days=29, hours=23))
    assert parent.get(f"/schooladmin/invites/join/{code}").status_code == 200
    time_machine.shift(timedelta(hours=2))
    expired = parent.get(f"/schooladmin/invites/join/{code}")
    assert expired.status_code == 410
    assert "đã hết hạn" in expired.get_data(as_text=True)


def test_printing_again_replaces_unused_codes_and_skips_families_who_joined(
    app, client, login, schools, families
):
    login(schools.teacher.phone)
    first = print_codes(client, schools.classroom.id)
    assert join(app.test_client(), first["Đỗ Minh Cường"]).status_code == 302
    second = print_codes(client, schools.classroom.id)
    assert set(second) == {"Nguyễn Văn An", "Nguyễn Thị Bình"}
    old = app.test_client().get(f"/schooladmin/invites/join/{first['Nguyễn Văn An']}")
    assert old.status_code == 410
    assert "mã mới hơn" in old.get_data(as_text=True)
    assert join(app.test_client(), second["Nguyễn Văn An"]).status_code == 302


def test_the_teacher_sees_who_joined_and_reprints_one_familys_code(
    app, client, login, schools, families
):
    login(schools.teacher.phone)
    codes = print_codes(client, schools.classroom.id)
    join(app.test_client(), codes["Đỗ Minh Cường"])
    page = client.get(f"/schooladmin/invites/classes/{schools.classroom.id}")
    assert "1 / 3" in page.get_data(as_text=True) or "1 of 3" in page.get_data(as_text=True)
    with app.app_context():
        guardianship_id = db.session.scalar(
            select(Guardianship.id).where(Guardianship.student_id == families.an.id)
        )
    reprinted = codes_on(
        post_form(client, f"/schooladmin/invites/families/{guardianship_id}/sheet")
    )
    assert set(reprinted) == {"Nguyễn Văn An"}
    assert reprinted["Nguyễn Văn An"] != codes["Nguyễn Văn An"]
    assert (
        app.test_client().get(f"/schooladmin/invites/join/{codes['Nguyễn Văn An']}").status_code
        == 410
    )


def test_a_mother_redeems_both_childrens_codes_into_one_account(
    app, client, login, schools, families
):
    teacher = app.test_client()
    login(schools.teacher.phone, on=teacher)
    codes = print_codes(teacher, schools.classroom.id)
    assert join(client, codes["Nguyễn Văn An"]).status_code == 302
    second = f"/schooladmin/invites/join/{codes['Nguyễn Thị Bình']}"
    confirm = client.get(second).get_data(as_text=True)
    assert "Thêm vào tài khoản của tôi" in confirm
    assert post_form(client, second, page=second).status_code == 302
    home = children_on_home(client)
    assert "Nguyễn Văn An" in home and "Nguyễn Thị Bình" in home
    with app.app_context():
        empty = db.session.get(User, families.mother_binh.id)
        assert empty.guardianships == []
        assert empty.password_hash is None


def test_a_parent_with_an_account_types_its_password_to_add_a_child(
    app, client, login, schools, families
):
    teacher = app.test_client()
    login(schools.teacher.phone, on=teacher)
    first = print_codes(teacher, schools.classroom.id)
    join(app.test_client(), first["Đỗ Minh Cường"])
    with app.app_context():
        db.session.add(
            Guardianship(
                student_id=families.an.id,
                user_id=families.father.id,
                relationship_kind="father",
            )
        )
        db.session.commit()
    code = print_codes(teacher, schools.classroom.id)["Nguyễn Văn An"]
    page = f"/schooladmin/invites/join/{code}"
    codes_for_father = [
        c for c in (code,) if "đã có tài khoản" in client.get(page).get_data(as_text=True)
    ]
    assert codes_for_father == [], "An's code is his mother's: she has no account yet"
    wrong = post_form(client, page, {"password": "not it at all"}, page=page)
    assert wrong.status_code == 400


def test_failed_redemptions_are_limited_per_address(client, schools, families):
    for attempt in range(10):
        assert client.get(f"/schooladmin/invites/join/ZZZZZ-ZZZZ{attempt}").status_code == 404
    blocked = client.get("/schooladmin/invites/join/ZZZZZ-ZZZZZ")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("teacher", 200), ("subject_teacher", 403), ("admin_b", 404), ("parent", 404)],
)
def test_who_may_see_and_print_a_classs_codes(app, client, login, schools, families, who, status):
    people = {
        "admin": "admin.a",
        "teacher": schools.teacher.phone,
        "subject_teacher": families.subject_teacher.phone,
        "admin_b": "admin.b",
    }
    if who == "parent":
        join(
            app.test_client(),
            print_codes(_as(app, login, "admin.a"), schools.classroom.id)["Đỗ Minh Cường"],
        )
        login(families.father.phone, NEW_PASSWORD)
    else:
        login(people[who])
    room = schools.classroom.id
    assert client.get(f"/schooladmin/invites/classes/{room}").status_code == status
    sheet = post_form(client, f"/schooladmin/invites/classes/{room}/sheet")
    assert sheet.status_code == status
    with app.app_context():
        guardianship_id = db.session.scalar(
            select(Guardianship.id).where(Guardianship.student_id == families.an.id)
        )
    reprint = post_form(client, f"/schooladmin/invites/families/{guardianship_id}/sheet")
    assert reprint.status_code == status
    listed = client.get("/schooladmin/invites/").get_data(as_text=True)
    assert (f"/schooladmin/invites/classes/{room}" in listed) is (status == 200)


def test_another_schools_class_is_missing_for_this_schools_admin(client, login, schools, families):
    login("admin.a")
    assert client.get(f"/schooladmin/invites/classes/{families.room_b.id}").status_code == 404


def _as(app, login, identifier):
    other = app.test_client()
    login(identifier, on=other)
    return other
