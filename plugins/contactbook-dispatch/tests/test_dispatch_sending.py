"""Sending a document: who receives it, what the sender may address, and bad files refused."""

from __future__ import annotations

import io

import pytest
from dispatch_world import PDF, count, document_form, files_on_disk, rows
from sqlalchemy import text

from contactbook.core.delivery import Notification
from contactbook.extensions import db
from tests.conftest import assert_error


def recipients_of(app, document_id: int) -> set[int]:
    with app.app_context():
        return {
            row.user_id
            for row in db.session.execute(
                text("SELECT user_id FROM dispatch_recipients WHERE document_id = :id"),
                {"id": document_id},
            )
        }


def test_the_district_sends_to_its_schools_admins(app, send, phone_of, district):
    officer = phone_of(district.officer)
    answer = send(
        "/api/dispatch/documents",
        document_form(school_ids=[district.north.id, district.south.id]),
        on=officer,
    )
    assert answer.status_code == 201, answer.get_json()
    document = answer.get_json()
    assert recipients_of(app, document["id"]) == {district.north_admin.id, district.south_admin.id}
    assert count(app, Notification, Notification.event == "dispatch.document_received") == 2
    assert len(files_on_disk(app)) == 1

    admin = phone_of(district.north_admin)
    inbox = admin.get("/api/dispatch/documents").get_json()
    assert [item["subject"] for item in inbox] == ["Kế hoạch kiểm tra cuối học kì I"]
    pdf = admin.get(inbox[0]["attachment_url"])
    assert pdf.status_code == 200
    assert pdf.data == PDF
    pdf.close()


def test_roles_within_schools_reach_those_roles_only(app, send, phone_of, district):
    form = document_form(
        audience="staff", school_ids=[district.north.id, district.south.id], roles=["teacher"]
    )
    answer = send("/api/dispatch/documents", form, on=phone_of(district.officer))
    assert answer.status_code == 201, answer.get_json()
    expected = {district.north_teacher.id, district.south_teacher.id}
    assert recipients_of(app, answer.get_json()["id"]) == expected


def test_a_school_sends_a_notice_to_a_class_families(app, send, phone_of, district):
    # A school box ticked too, before choosing families, changes nothing.
    form = document_form(
        audience="families", classroom_ids=[district.room.id], school_ids=[district.north.id]
    )
    answer = send("/api/dispatch/documents", form, on=phone_of(district.north_admin))
    assert answer.status_code == 201, answer.get_json()
    assert recipients_of(app, answer.get_json()["id"]) == {district.parent.id}


@pytest.mark.parametrize(
    ("sender", "where"),
    [
        ("north_admin", {"school_ids": "south"}),
        ("outsider_admin", {"school_ids": "north"}),
        ("north_teacher", {"school_ids": "north"}),
        ("officer", {"school_ids": "elsewhere"}),
        ("south_admin", {"audience": "families", "classroom_ids": "room"}),
    ],
)
def test_a_school_the_sender_does_not_manage_is_not_found(
    app, send, phone_of, district, sender, where
):
    form = document_form(
        **{
            key: (value if key == "audience" else [getattr(district, value).id])
            for key, value in where.items()
        }
    )
    answer = send("/api/dispatch/documents", form, on=phone_of(getattr(district, sender)))
    assert_error(answer, 404)
    assert rows(app, "dispatch_documents") == 0
    assert files_on_disk(app) == []


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"GIF89a not a document at all", "cong-van.pdf"),
        (b"%PDF-1.4 cut short, no end of file", "cong-van.pdf"),
        (b"%PDF-1.4\n" + b"0" * (100 * 1024) + b"\n%%EOF\n", "lon-qua.pdf"),
        (b"", "rong.pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_too_large_stores_nothing(
    app, send, phone_of, district, data, name
):
    form = document_form(school_ids=[district.north.id], attachment=(io.BytesIO(data), name))
    answer = send("/api/dispatch/documents", form, on=phone_of(district.officer))
    assert "attachment" in assert_error(answer, 422)
    assert rows(app, "dispatch_documents") == 0
    assert rows(app, "dispatch_recipients") == 0
    assert count(app, Notification) == 0
    assert files_on_disk(app) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"attachment": None}, "attachment"),
        ({"subject": "   "}, "subject"),
        ({"issued_on": "2099-01-01"}, "issued_on"),
        ({"reply_requested": "true"}, "reply_deadline"),
        ({"audience": "staff"}, "roles"),
        ({"roles": ["guardian"], "audience": "staff"}, "roles"),
        ({"audience": "families", "school_ids": None}, "classroom_ids"),
    ],
)
def test_incomplete_documents_are_refused_on_their_field(
    app, send, phone_of, district, changes, field
):
    form = document_form(**{"school_ids": [district.north.id], **changes})
    answer = send("/api/dispatch/documents", form, on=phone_of(district.officer))
    errors = assert_error(answer, 422)
    assert any(key.startswith(field) for key in errors), errors
    assert rows(app, "dispatch_documents") == 0
    assert files_on_disk(app) == []


def test_a_repeated_send_with_the_same_key_sends_once(app, send, phone_of, district):
    officer = phone_of(district.officer)
    first = send(
        "/api/dispatch/documents",
        document_form(school_ids=[district.north.id]),
        on=officer,
        key="same-key",
    )
    again = send(
        "/api/dispatch/documents",
        document_form(school_ids=[district.north.id]),
        on=officer,
        key="same-key",
    )
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert rows(app, "dispatch_documents") == 1


def test_the_sender_is_never_their_own_recipient(app, send, phone_of, district):
    admin = phone_of(district.north_admin)
    form = document_form(
        audience="staff", school_ids=[district.north.id], roles=["school_admin", "teacher"]
    )
    answer = send("/api/dispatch/documents", form, on=admin)
    assert recipients_of(app, answer.get_json()["id"]) == {district.north_teacher.id}
    alone = send("/api/dispatch/documents", document_form(school_ids=[district.north.id]), on=admin)
    assert "audience" in assert_error(alone, 422)
    assert rows(app, "dispatch_documents") == 1
    assert len(files_on_disk(app)) == 1
