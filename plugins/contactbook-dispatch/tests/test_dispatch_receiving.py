"""Recipients open, confirm and reply; the sender follows who did, reminds, and exports a CSV.
Everyone else finds nothing, and every route says who may use it."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from dispatch_world import PDF, count, document_form, rows

from contactbook.core.delivery import Notification
from contactbook.core.platform import registry, utcnow
from tests.conftest import assert_error


@pytest.fixture
def sent(send, phone_of, district):
    """A document from the district to both schools' admins, asking for a reply."""
    form = document_form(
        school_ids=[district.north.id, district.south.id],
        reply_requested="true",
        reply_deadline=(utcnow() + timedelta(days=10)).date().isoformat(),
        issued_on=(utcnow() - timedelta(days=2)).date().isoformat(),
    )
    answer = send("/api/dispatch/documents", form, on=phone_of(district.officer))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def url(document, tail: str = "") -> str:
    return f"/api/dispatch/documents/{document['id']}{tail}"


def waiting_in_the_menu(phone) -> str:
    """The count beside "Công văn" in the "Thêm" sheet, "" when there is none."""
    sheet = phone.get("/more").get_data(as_text=True)
    entry = sheet[sheet.index('href="/dispatch/"') :].split("</a>")[0]
    found = re.search(r'class="badge">(\d+)', entry)
    return found.group(1) if found else ""


def test_confirming_twice_records_one_confirmation(app, send, phone_of, district, sent):
    admin = phone_of(district.north_admin)
    assert waiting_in_the_menu(admin) == "1"
    first = send(url(sent, "/confirmation"), on=admin)
    again = send(url(sent, "/confirmation"), on=admin)
    assert first.status_code == again.status_code == 200
    assert first.get_json()["confirmed_at"] == again.get_json()["confirmed_at"]
    assert rows(app, "dispatch_recipients", "confirmed_at IS NOT NULL") == 1
    assert waiting_in_the_menu(admin) == ""


def test_opening_is_recorded_once(app, phone_of, district, sent, send):
    admin = phone_of(district.north_admin)
    first = send(url(sent, "/opened"), on=admin).get_json()["opened_at"]
    assert send(url(sent, "/opened"), on=admin).get_json()["opened_at"] == first
    page = admin.get(f"/dispatch/documents/{sent['id']}").get_data(as_text=True)
    assert f"/api/dispatch/documents/{sent['id']}/opened" in page


@pytest.mark.parametrize("who", ["north_teacher", "outsider_admin", "parent", "south_teacher"])
def test_someone_outside_the_addressed_set_finds_nothing(phone_of, district, sent, send, who):
    phone = phone_of(getattr(district, who))
    assert_error(phone.get(url(sent)), 404)
    assert_error(send(url(sent, "/confirmation"), on=phone), 404)
    assert_error(send(url(sent, "/reply"), {"text": "Đã nhận"}, on=phone), 404)
    assert_error(phone.get(url(sent, "/status")), 404)
    assert phone.get(f"/dispatch/documents/{sent['id']}").status_code == 404
    assert phone.get(f"/dispatch/documents/{sent['id']}/attachment").status_code == 404
    assert phone.get(f"/dispatch/documents/{sent['id']}/status.csv").status_code == 404
    assert phone.get("/api/dispatch/documents").get_json() == []


def test_a_reply_with_a_pdf_reaches_the_sender(app, send, phone_of, district, sent):
    admin = phone_of(district.north_admin)
    answer = send(
        url(sent, "/reply"),
        {"text": "Trường đã lập lịch kiểm tra.", "attachment": (io.BytesIO(PDF), "lich.pdf")},
        on=admin,
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["confirmed_at"]
    again = send(url(sent, "/reply"), {"text": "Lần nữa"}, on=admin)
    assert "text" in assert_error(again, 422)

    officer = phone_of(district.officer)
    status = officer.get(url(sent, "/status")).get_json()
    assert (status["total"], status["opened"], status["confirmed"], status["replied"]) == (
        2,
        1,
        1,
        1,
    )
    replied = next(line for line in status["recipients"] if line["replied_at"])
    assert replied["name"] == "Cô Hiệu trưởng Bắc"
    assert replied["reply_text"] == "Trường đã lập lịch kiểm tra."
    path = f"/dispatch/documents/{sent['id']}/replies/{replied['recipient_id']}/attachment"
    pdf = officer.get(path)
    assert pdf.data == PDF
    pdf.close()
    assert phone_of(district.south_admin).get(path).status_code == 404


def test_a_reply_with_a_bad_file_stores_nothing(app, send, phone_of, district, sent):
    admin = phone_of(district.north_admin)
    answer = send(
        url(sent, "/reply"),
        {"text": "Đã nhận", "attachment": (io.BytesIO(b"MZ\x90 a program"), "lich.pdf")},
        on=admin,
    )
    assert "attachment" in assert_error(answer, 422)
    assert rows(app, "dispatch_recipients", "replied_at IS NOT NULL") == 0
    assert rows(app, "dispatch_recipients", "confirmed_at IS NOT NULL") == 0


def test_no_reply_where_none_is_asked(send, phone_of, district):
    form = document_form(school_ids=[district.north.id])
    document = send("/api/dispatch/documents", form, on=phone_of(district.officer)).get_json()
    answer = send(url(document, "/reply"), {"text": "Đã nhận"}, on=phone_of(district.north_admin))
    assert "text" in assert_error(answer, 422)


def test_the_csv_lists_every_recipient(send, phone_of, district, sent):
    send(url(sent, "/confirmation"), on=phone_of(district.south_admin))
    answer = phone_of(district.officer).get(f"/dispatch/documents/{sent['id']}/status.csv")
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Người nhận", "Trường"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Cô Hiệu trưởng Bắc", "Thầy Hiệu trưởng Nam"}
    assert by_name["Thầy Hiệu trưởng Nam"][4] and not by_name["Cô Hiệu trưởng Bắc"][4]


def test_recipients_may_not_follow_or_remind(send, phone_of, district, sent):
    admin = phone_of(district.north_admin)
    assert_error(admin.get(url(sent, "/status")), 403)
    assert_error(send(url(sent, "/reminders"), on=admin), 403)
    assert admin.get(f"/dispatch/documents/{sent['id']}/status.csv").status_code == 403


def test_the_sender_reminds_those_who_have_not_confirmed(app, send, phone_of, district, sent):
    send(url(sent, "/confirmation"), on=phone_of(district.north_admin))
    answer = send(url(sent, "/reminders"), on=phone_of(district.officer))
    assert answer.get_json() == {"reminded": 1}
    reminders = Notification.event == "dispatch.confirmation_reminder"
    assert count(app, Notification, reminders, Notification.user_id == district.south_admin.id) == 1
    assert count(app, Notification, reminders) == 1


def test_the_job_reminds_once_after_the_set_days(app, send, phone_of, district, sent, time_machine):
    app.config["DISPATCH_REMIND_AFTER_DAYS"] = 2
    send(url(sent, "/confirmation"), on=phone_of(district.north_admin))
    reminders = Notification.event == "dispatch.confirmation_reminder"
    sent_at = utcnow()
    job = registry(app).jobs["dispatch.confirmation_reminders"].func
    for later, reminded in [(timedelta(days=1, hours=23), 0), (timedelta(days=2, minutes=1), 1)]:
        time_machine.move_to(sent_at + later, tick=False)
        with app.app_context():
            job()
        assert rows(app, "dispatch_recipients", "reminded_at IS NOT NULL") == reminded
    time_machine.move_to(sent_at + timedelta(days=5), tick=False)
    with app.app_context():
        job()
    assert count(app, Notification, reminders, Notification.user_id == district.south_admin.id) == 1
    assert count(app, Notification, reminders) == 1


def test_the_notification_reads_in_vietnamese(phone_of, district, sent):
    inbox = phone_of(district.north_admin).get("/inbox").get_data(as_text=True)
    assert "Công văn mới: Kế hoạch kiểm tra cuối học kì I" in inbox


ROUTES = [
    ("GET", "/api/dispatch/documents"),
    ("GET", "/api/dispatch/documents/sent"),
    ("POST", "/api/dispatch/documents"),
    ("GET", "/api/dispatch/documents/{id}"),
    ("POST", "/api/dispatch/documents/{id}/opened"),
    ("POST", "/api/dispatch/documents/{id}/confirmation"),
    ("POST", "/api/dispatch/documents/{id}/reply"),
    ("GET", "/api/dispatch/documents/{id}/status"),
    ("POST", "/api/dispatch/documents/{id}/reminders"),
    ("GET", "/dispatch/"),
    ("GET", "/dispatch/sent"),
    ("GET", "/dispatch/new"),
    ("GET", "/dispatch/documents/{id}"),
    ("GET", "/dispatch/documents/{id}/attachment"),
    ("GET", "/dispatch/documents/{id}/status.csv"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_wants_a_signed_in_user(app, sent, method, path):
    anonymous = app.test_client()
    answer = anonymous.open(path.format(id=sent["id"]), method=method)
    assert answer.status_code in {302, 401, 400}
    if answer.status_code == 302:
        assert "/signin" in answer.headers["Location"]


@pytest.mark.parametrize("path", ["/dispatch/sent", "/dispatch/new"])
def test_sending_pages_are_for_senders_only(phone_of, district, path):
    assert phone_of(district.north_teacher).get(path).status_code == 404
    assert phone_of(district.parent).get(path).status_code == 404
    assert phone_of(district.officer).get(path).status_code == 200
