"""Files sent with announcements and leave requests: checked by content, refused files leave
nothing behind, and each file opens only for those its record allows (anyone else: 404)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from contactbook.core.delivery.models import Notification
from contactbook.modules.messaging.models import Announcement, LeaveRequest, StoredFile
from tests.conftest import assert_error
from tests.modules.messaging.school_world import count

pytestmark = pytest.mark.usefixtures("wednesday_morning")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
MEETING = {"title": "Họp phụ huynh", "body": "Thứ Bảy, 8 giờ, phòng 6A."}
SICK = {"starts_on": "2026-11-18", "ends_on": "2026-11-19", "reason": "Cháu bị sốt"}


def picture(fmt: str = "JPEG", size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, fmt)
    return out.getvalue()


def file_field(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def files_on_disk(app) -> list[Path]:
    folder = Path(app.config["MESSAGING_UPLOAD_FOLDER"])
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def post_to_class(send, world, data: bytes, name: str = "thu-moi.pdf", on=None):
    form = {
        **MEETING,
        "audience": "class",
        "classroom_id": world.room.id,
        "attachment": file_field(data, name),
    }
    return send("/api/messaging/announcements", form, on=on)


def ask_leave(send, world, data: bytes, name: str = "giay-kham.jpg", on=None):
    form = {**SICK, "doctors_note": file_field(data, name)}
    return send(f"/api/messaging/students/{world.child.id}/leave-requests", form, on=on)


def signed_in(app, login, user):
    """Another phone, signed in as someone else than the test's own client."""
    phone = app.test_client()
    login(user.phone, on=phone)
    return phone


@pytest.fixture
def announced(app, login, send, world):
    """A class announcement from the homeroom teacher with a PDF invitation attached."""
    posted = post_to_class(send, world, PDF, on=signed_in(app, login, world.homeroom))
    assert posted.status_code == 201
    return posted.get_json()


@pytest.fixture
def asked(app, login, send, world):
    """A leave request from the child's parent with a photo of the doctor's note."""
    phone = signed_in(app, login, world.parent)
    answer = ask_leave(send, world, picture(size=(2000, 1500)), on=phone)
    assert answer.status_code == 201
    return answer.get_json()


def test_a_family_opens_the_pdf_sent_with_an_announcement(app, client, login, world, announced):
    login(world.parent.phone)
    page = client.get(f"/messaging/announcements/{announced['id']}").get_data(as_text=True)
    assert f'href="{announced["attachment_url"]}"' in page
    assert "Mở tệp PDF đính kèm" in page
    answer = client.get(announced["attachment_url"])
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert answer.data == PDF
    assert answer.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in answer.headers["Cache-Control"]
    answer.close()


def test_a_photo_attachment_is_shown_on_the_page(app, client, login, send, world):
    teacher = signed_in(app, login, world.homeroom)
    posted = post_to_class(send, world, picture("PNG"), "so-do.png", on=teacher).get_json()
    login(world.parent.phone)
    page = client.get(f"/messaging/announcements/{posted['id']}").get_data(as_text=True)
    assert f'<img src="{posted["attachment_url"]}"' in page
    answer = client.get(posted["attachment_url"])
    answer.close()
    assert (answer.status_code, answer.mimetype) == (200, "image/jpeg")


def test_an_announcement_without_a_file_has_no_attachment(app, client, login, send, world):
    login(world.homeroom.phone)
    form = {**MEETING, "audience": "class", "classroom_id": world.room.id}
    posted = send("/api/messaging/announcements", form).get_json()
    assert posted["attachment_url"] is None
    assert client.get(f"/messaging/announcements/{posted['id']}/attachment").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("parent", 200),
        ("second_parent", 200),
        ("homeroom", 200),
        ("subject_teacher", 200),
        ("admin", 200),
        ("other_parent", 404),
        ("seventh_parent", 404),
        ("other_homeroom", 404),
        ("outsider_admin", 404),
        ("outsider_parent", 404),
    ],
)
def test_an_attachment_opens_only_for_readers_of_the_announcement(
    app, client, login, world, announced, who, status
):
    login(getattr(world, who).phone)
    answer = client.get(announced["attachment_url"])
    answer.close()
    assert answer.status_code == status


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00 a program, not a letter" * 20, "thu-moi.pdf", "không phải"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "so-do.png", "không phải"),
        (PDF[:-7], "thu-moi.pdf", "hỏng"),
        (b"%PDF-" + b"0" * (200 * 1024), "lon.pdf", "lớn hơn"),
    ],
    ids=["exe-named-pdf", "svg", "cut-pdf", "oversized"],
)
def test_a_bad_attachment_is_refused_and_nothing_is_posted(
    app, login, send, world, data, name, message
):
    login(world.homeroom.phone)
    answer = post_to_class(send, world, data, name)
    assert message in assert_error(answer, 422)["attachment"][0]
    assert count(app, Announcement) == 0
    assert count(app, StoredFile) == 0
    assert count(app, Notification) == 0
    assert files_on_disk(app) == []


def test_the_teacher_deciding_sees_the_doctors_note(app, client, login, world, asked):
    login(world.homeroom.phone)
    page = client.get(f"/messaging/leave/{asked['id']}").get_data(as_text=True)
    assert f'<img src="{asked["doctors_note_url"]}"' in page
    answer = client.get(asked["doctors_note_url"])
    assert (answer.status_code, answer.mimetype) == (200, "image/jpeg")
    with Image.open(io.BytesIO(answer.data)) as shown:
        assert max(shown.size) == 1600
    answer.close()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("parent", 200),
        ("homeroom", 200),
        ("subject_teacher", 404),
        ("admin", 404),
        ("second_parent", 404),
        ("other_parent", 404),
        ("other_homeroom", 404),
        ("outsider_admin", 404),
        ("outsider_teacher", 404),
    ],
)
def test_a_doctors_note_opens_only_for_the_family_and_the_deciding_teacher(
    app, client, login, world, asked, who, status
):
    login(getattr(world, who).phone)
    answer = client.get(asked["doctors_note_url"])
    answer.close()
    assert answer.status_code == status


def test_others_reading_the_request_do_not_see_the_note(app, client, login, world, asked):
    login(world.subject_teacher.phone)
    page = client.get(f"/messaging/leave/{asked['id']}")
    assert page.status_code == 200
    assert asked["doctors_note_url"] not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PDF, "giay-kham.jpg", "không phải"),
        (b"MZ\x90\x00 a program" * 20, "giay-kham.jpg", "không phải"),
        (b"", "giay-kham.jpg", "trống"),
        (b"\x00" * (200 * 1024 + 1), "giay-kham.jpg", "lớn hơn"),
    ],
    ids=["pdf", "exe", "empty", "oversized"],
)
def test_a_bad_doctors_note_is_refused_and_nothing_is_asked(
    app, login, send, world, data, name, message
):
    login(world.parent.phone)
    answer = ask_leave(send, world, data, name)
    assert message in assert_error(answer, 422)["doctors_note"][0]
    assert count(app, LeaveRequest) == 0
    assert count(app, StoredFile) == 0
    assert count(app, Notification) == 0
    assert files_on_disk(app) == []
