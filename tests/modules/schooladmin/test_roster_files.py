"""Roster files as real schools send them, and files that are no roster at all."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from contactbook.core.directory import Relationship, Student, User
from contactbook.extensions import db
from tests.conftest import assert_error
from tests.modules.schooladmin.roster_files import HEADERS, confirm, csv_bytes, upload, xlsx


@pytest.fixture
def school(schools, make_classroom):
    make_classroom(schools.a, "6B")
    return schools


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def messy_export() -> bytes:
    """An export as a school's software writes it: a title block with merged cells, headers in
    another order and spelling, Excel dates, decomposed Vietnamese, phones every which way,
    a parent per column, blank rows and a numbered empty row at the end."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    sheet.merge_cells("A1:H1")
    sheet["A2"] = "DANH SÁCH HỌC SINH NĂM HỌC 2026 - 2027"
    sheet.merge_cells("A2:H2")
    sheet["A3"] = "Lớp: 6A, 6B"
    sheet.append([])
    sheet.append(
        [
            "STT",
            " HỌ  VÀ TÊN ",
            "lớp",
            "Mã học sinh (*)",
            "Ngày tháng năm sinh",
            "GIỚI TÍNH",
            "Họ tên mẹ",
            "SĐT mẹ",
            "Họ tên cha",
            "Số điện thoại cha",
        ]
    )
    sheet.append(
        [
            1,
            nfd("Nguyễn  Thị Minh Anh"),
            "6a",
            "HS100",
            datetime(2014, 3, 8),
            nfd("Nữ"),
            nfd("Trần Thị Lan"),
            "+84 912 345 678",
            nfd("Nguyễn Văn Hải"),
            "0912.345.679",
        ]
    )
    sheet.append([])
    sheet.append([None, None, None, None, None, None, None, None])
    sheet.append(
        [2, "Lê Bảo Ngọc", "6B ", 4711, "5/9/2014", "nữ", "Phạm Thị Hoa", 987654321, None, None]
    )
    sheet.append([3, None, None, None, None, None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_messy_real_export_is_read_and_imported(app, client, login, school):
    login("admin.a")
    checked = upload(client, school.a.id, messy_export(), "DS HS 2026.xlsx")
    assert checked.status_code == 201, checked.get_json()
    body = checked.get_json()
    assert body["problems"] == []
    assert [row["row"] for row in sorted(body["rows"], key=lambda r: r["row"])] == [6, 9]
    assert body["counts"] == {"new_pupils": 2, "new_guardians": 3, "links": 3}
    assert confirm(client, body["id"]).status_code == 200
    with app.app_context():
        anh = db.session.scalar(select(Student).where(Student.student_code == "HS100"))
        assert (anh.family_name, anh.middle_name, anh.given_name) == ("Nguyễn", "Thị Minh", "Anh")
        assert unicodedata.is_normalized("NFC", anh.middle_name + anh.given_name)
        assert anh.date_of_birth.isoformat() == "2014-03-08"
        assert anh.current_classroom.name == "6A"
        parents = sorted(
            (g.user.display_name, g.user.phone, g.relationship_kind) for g in anh.guardianships
        )
        assert parents == [
            ("Nguyễn Văn Hải", "+84912345679", Relationship.FATHER),
            ("Trần Thị Lan", "+84912345678", Relationship.MOTHER),
        ]
        assert all(unicodedata.is_normalized("NFC", name) for name, _p, _k in parents)
        ngoc = db.session.scalar(select(Student).where(Student.student_code == "4711"))
        assert ngoc.date_of_birth.isoformat() == "2014-09-05"
        assert ngoc.current_classroom.name == "6B"
        assert db.session.scalar(select(User.display_name).where(User.phone == "+84987654321")) == (
            "Phạm Thị Hoa"
        )


def test_a_semicolon_csv_without_byte_order_mark_is_read(app, client, login, school):
    rows = [
        ("HS1", nfd("Đặng Thu Hà"), "2014-10-20", "Nữ", "6A", "Đặng Văn Tâm", "0912 000 111", "bố")
    ]
    login("admin.a")
    body = upload(
        client, school.a.id, csv_bytes(rows, bom=False, delimiter=";"), "ds.csv"
    ).get_json()
    assert body["problems"] == [] and body["counts"]["new_pupils"] == 1
    assert body["rows"][0]["name"] == "Đặng Thu Hà"


def zipped_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "danh-sach.xlsx",
            "không phải bảng tính",
        ),
        (zipped_document(), "danh-sach.xlsx", "không phải bảng tính"),
        ("Mã HS,Họ và tên\n".encode("utf-16"), "danh-sach.csv", "không phải bảng tính"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "ds.xls", "tệp .xls cũ"),
        (xlsx([("a", "b")], headers=("Tên", "Điểm")), "diem.xlsx", "Không tìm thấy dòng tiêu đề"),
        (
            xlsx([("HS1", "An")], headers=("Mã HS", "Họ và tên")),
            "ds.xlsx",
            "Thiếu các cột: Ngày sinh, Giới tính, Lớp.",
        ),
        (xlsx([], headers=HEADERS), "ds.xlsx", "không có học sinh nào"),
    ],
    ids=["png", "zip-not-workbook", "utf16", "old-xls", "no-headers", "missing-columns", "no-rows"],
)
def test_a_file_that_is_no_roster_is_refused_and_kept_nowhere(
    app, client, login, school, data, name, says
):
    login("admin.a")
    errors = assert_error(upload(client, school.a.id, data, name), 422)
    assert says in errors["file"][0]
    assert "Các lần tải lên trước" not in client.get(
        f"/schooladmin/roster/schools/{school.a.id}"
    ).get_data(as_text=True)


def test_an_oversized_upload_is_refused_clearly(client, login, school):
    login("admin.a")
    response = upload(client, school.a.id, b"x" * (5 * 1024 * 1024 + 1), "to.csv")
    assert response.status_code == 413
    assert response.get_json()["message"] == "Tệp lớn hơn 5 MB."


def test_a_roster_just_under_the_size_limit_is_accepted_past_the_forms_limit(client, login, school):
    rows = [(f"HS{n}", "Lê Văn An", "01/01/2014", "Nam", "6A", "", "", "") for n in range(40000)]
    data = csv_bytes(rows)
    assert 1024 * 1024 < len(data) < 5 * 1024 * 1024
    login("admin.a")
    errors = assert_error(upload(client, school.a.id, data, "to.csv"), 422)
    assert errors["file"] == ["Danh sách có tối đa 10000 dòng."]


def test_the_template_reads_back_as_a_roster(client, login, school):
    login("admin.a")
    response = client.get(f"/schooladmin/roster/schools/{school.a.id}/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('"danh-sach-hoc-sinh.xlsx"')
    from openpyxl import load_workbook

    header = next(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert header == HEADERS
