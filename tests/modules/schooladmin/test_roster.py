"""Roster import: a dry run first, then one all-or-nothing write that a re-import updates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from contactbook.core.directory import (
    Enrollment,
    Gender,
    Guardianship,
    Membership,
    Relationship,
    Student,
    User,
)
from contactbook.core.platform import AuditEntry, Role
from contactbook.extensions import db
from tests.modules.schooladmin.roster_files import confirm, csv_bytes, upload, xlsx

GOOD_ROWS = [
    (
        "HS001",
        "Nguyễn Thị Minh Anh",
        "08/03/2014",
        "Nữ",
        "6A",
        "Trần Thị Lan",
        "0912 345 678",
        "Mẹ",
    ),
    ("HS002", "Lê Văn Bình", "15/11/2014", "Nam", "6B", "Lê Văn Hùng", "0987654321", "Bố"),
    ("HS003", "Phạm Gia Huy", "01/01/2014", "Nam", "6A", "", "", ""),
]


@pytest.fixture
def school(schools, make_classroom):
    """School A with classes 6A and 6B; its admin signs in as admin.a."""
    make_classroom(schools.a, "6B")
    return schools


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def pupil(app, code: str) -> dict:
    with app.app_context():
        student = db.session.scalar(select(Student).where(Student.student_code == code))
        return {
            "parts": (student.family_name, student.middle_name, student.given_name),
            "born": student.date_of_birth,
            "gender": student.gender,
            "classes": sorted(e.classroom.name for e in student.enrollments),
            "guardians": sorted(
                (g.user.display_name, g.user.phone, g.relationship_kind, g.is_primary_contact)
                for g in student.guardianships
            ),
        }


@pytest.mark.parametrize(
    ("data", "name"),
    [(xlsx(GOOD_ROWS), "danh-sach.xlsx"), (csv_bytes(GOOD_ROWS), "danh-sach.csv")],
    ids=["xlsx", "csv"],
)
def test_a_good_file_shows_its_plan_and_writes_only_when_confirmed(
    app, client, login, school, data, name
):
    login("admin.a")
    checked = upload(client, school.a.id, data, name)
    assert checked.status_code == 201
    body = checked.get_json()
    assert body["problems"] == []
    assert body["counts"] == {"new_pupils": 3, "new_guardians": 2, "links": 2}
    first = next(row for row in body["rows"] if row["code"] == "HS001")
    assert first["changes"] == ["Học sinh mới, lớp 6A", "Phụ huynh mới Trần Thị Lan, 0912 345 678"]
    assert count(app, Student) == 0, "a dry run writes nothing"

    page = client.get(body["page"]).get_data(as_text=True)
    assert "Trần Thị Lan" in page and "Xác nhận nhập" in page

    assert confirm(client, body["id"]).get_json()["counts"]["new_pupils"] == 3
    assert pupil(app, "HS001") == {
        "parts": ("Nguyễn", "Thị Minh", "Anh"),
        "born": date(2014, 3, 8),
        "gender": Gender.FEMALE,
        "classes": ["6A"],
        "guardians": [("Trần Thị Lan", "+84912345678", Relationship.MOTHER, True)],
    }
    assert pupil(app, "HS002")["classes"] == ["6B"]
    assert pupil(app, "HS003")["guardians"] == []
    with app.app_context():
        mother = db.session.scalar(select(User).where(User.phone == "+84912345678"))
        assert mother.password_hash is None, "a parent sets a password by redeeming an invite"
        assert [(m.role, m.school_id) for m in mother.memberships] == [(Role.GUARDIAN, school.a.id)]
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "schooladmin.roster.imported")
        )
        assert entry.actor_id == school.admin.id and entry.after["new_pupils"] == 3


def test_siblings_sharing_a_phone_get_one_parent_account(app, client, login, school):
    rows = [
        ("HS010", "Võ Minh Khang", "02/02/2013", "Nam", "6A", "Võ Thị Hằng", "0905111222", "Mẹ"),
        (
            "HS011",
            "Võ Minh Khôi",
            "03/03/2014",
            "Nam",
            "6B",
            "Võ Thị Hằng",
            "+84 905 111 222",
            "Mẹ",
        ),
    ]
    login("admin.a")
    body = upload(client, school.a.id, xlsx(rows)).get_json()
    assert body["counts"] == {"new_pupils": 2, "new_guardians": 1, "links": 2}
    confirm(client, body["id"])
    with app.app_context():
        mothers = db.session.scalars(select(User).where(User.phone == "+84905111222")).all()
        assert len(mothers) == 1
        children = sorted(g.student.student_code for g in mothers[0].guardianships)
        assert children == ["HS010", "HS011"]
    assert pupil(app, "HS011")["guardians"] == [
        ("Võ Thị Hằng", "+84905111222", Relationship.MOTHER, True)
    ]


def test_bad_rows_are_each_listed_and_nothing_is_written(app, client, login, school):
    rows = [
        ("HS001", "Nguyễn Văn An", "31/02/2014", "Nam", "6A", "Nguyễn Văn Bảo", "0912345678", "Bố"),
        ("HS002", "Trần Thị Bích", "12/05/2014", "Nữ", "6E", "Trần Văn Cường", "0912345679", "Bố"),
        ("HS001", "Lê Thị Cúc", "12/05/2014", "Nữ", "6A", "Lê Văn Dũng", "12345", "Bố"),
        ("HS004", "Đỗ Văn Đức", "12/05/2014", "Trai?", "6A", "", "", ""),
        ("HS005", "Hồ Thị Em", "12/05/2014", "Nữ", "6A", "Hồ Văn Phú", "0912345670", "Bố"),
    ]
    login("admin.a")
    body = upload(client, school.a.id, xlsx(rows)).get_json()
    found = {(p["row"], p["letter"], p["column"]) for p in body["problems"]}
    assert found == {
        (2, "C", "Ngày sinh"),
        (2, "A", "Mã HS"),
        (3, "E", "Lớp"),
        (4, "A", "Mã HS"),
        (4, "G", "Số điện thoại"),
        (5, "D", "Giới tính"),
    }
    messages = {(p["row"], p["letter"]): p["message"] for p in body["problems"]}
    assert messages[(3, "E")] == "Không có lớp 6E trong năm học 2026–2027."
    assert messages[(2, "A")] == "Mã HS001 cũng có ở dòng 4."
    page = client.get(body["page"]).get_data(as_text=True)
    assert "Dòng 3, cột E (Lớp):" in page and "Xác nhận nhập" not in page

    refused = confirm(client, body["id"])
    assert refused.status_code == 422
    assert (
        "Dòng 2, cột C (Ngày sinh): 31/02/2014 không phải ngày hợp lệ (dd/mm/yyyy)."
        in (refused.get_json()["errors"]["rows"])
    )
    assert count(app, Student) == 0 and count(app, User) == 4, "no parent was created"
    assert "Xác nhận nhập" not in client.get(body["page"]).get_data(as_text=True)


def test_importing_again_updates_by_code_and_creates_no_duplicates(app, client, login, school):
    login("admin.a")
    confirm(client, upload(client, school.a.id, xlsx(GOOD_ROWS)).get_json()["id"])
    again = upload(client, school.a.id, xlsx(GOOD_ROWS)).get_json()
    assert again["counts"] == {"unchanged_pupils": 3}
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][1] = "Nguyễn Thị Minh Ánh"
    changed[0][4] = "6B"
    changed[2][5:8] = ["Phạm Văn Tú", "0913000111", "Bố"]
    body = upload(client, school.a.id, xlsx(changed)).get_json()
    first = next(row for row in body["rows"] if row["code"] == "HS001")
    assert first["changes"] == ["Cập nhật học sinh: họ tên", "Chuyển từ lớp 6A sang lớp 6B"]
    assert body["counts"] == {
        "updated_pupils": 1,
        "unchanged_pupils": 2,
        "new_guardians": 1,
        "links": 1,
    }
    confirm(client, body["id"])
    assert count(app, Student) == 3 and count(app, Enrollment) == 3
    assert count(app, Guardianship) == 3
    assert pupil(app, "HS001")["parts"] == ("Nguyễn", "Thị Minh", "Ánh")
    assert pupil(app, "HS001")["classes"] == ["6B"]
    assert pupil(app, "HS003")["guardians"] == [
        ("Phạm Văn Tú", "+84913000111", Relationship.FATHER, True)
    ]


def test_confirming_twice_writes_once(app, client, login, school):
    login("admin.a")
    body = upload(client, school.a.id, xlsx(GOOD_ROWS)).get_json()
    first = confirm(client, body["id"])
    second = confirm(client, body["id"])
    assert first.status_code == second.status_code == 200
    assert second.get_json() == first.get_json()
    assert count(app, Student) == 3 and count(app, Guardianship) == 2
    with app.app_context():
        entries = select(func.count()).where(AuditEntry.action == "schooladmin.roster.imported")
        assert db.session.scalar(entries) == 1
    page = client.get(body["page"]).get_data(as_text=True)
    assert "Đã nhập lúc" in page and "Xác nhận nhập" not in page


def test_a_parent_already_known_is_linked_not_created_again(app, client, login, school):
    login("admin.a")
    known = school.teacher.phone
    rows = [("HS020", "Trần Minh Nhật", "04/04/2014", "Nam", "6A", "Bố Nhật", known, "Bố")]
    body = upload(client, school.a.id, xlsx(rows)).get_json()
    assert body["counts"] == {"new_pupils": 1, "links": 1}
    confirm(client, body["id"])
    assert pupil(app, "HS020")["guardians"] == [("Trần Văn Bình", known, Relationship.FATHER, True)]
    with app.app_context():
        roles = db.session.scalars(
            select(Membership.role).where(Membership.user_id == school.teacher.id)
        ).all()
        assert sorted(roles) == sorted([Role.TEACHER, Role.GUARDIAN])
