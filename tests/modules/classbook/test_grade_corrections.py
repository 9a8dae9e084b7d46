"""A corrected grade reaches each family once, even while the first news is still being sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contactbook.core.delivery import worker
from contactbook.core.directory.models import Guardianship, Relationship, User
from contactbook.core.platform.module_contract import Role
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db
from tests.modules.classbook.conftest import term_id
from tests.smsgateway import SmsGateway

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_MORNING = datetime(2026, 11, 16, 10, 0, tzinfo=ZONE)
NEW_GRADE = "Nguyễn Bảo Ngọc: có điểm mới môn Toán"
CHANGED_GRADE = "Nguyễn Bảo Ngọc: điểm môn Toán đã được sửa"


@pytest.fixture
def sms_gateway() -> Iterator[SmsGateway]:
    with SmsGateway() as gateway:
        yield gateway


@pytest.fixture
def app_config(app_config, mail_server, sms_gateway):
    return {
        **app_config,
        "CONTACTBOOK_SMTP_HOST": mail_server.host,
        "CONTACTBOOK_SMTP_PORT": mail_server.port,
        "CONTACTBOOK_SMS_GATEWAY_URL": sms_gateway.url,
        "CONTACTBOOK_BASE_URL": "https://sll.example.edu.vn",
    }


@pytest.fixture
def family(app, school_class, make_user):
    """Ngọc's mother reads email (no device); her grandmother has only a phone, so SMS."""
    world = school_class
    grandmother = make_user(Role.GUARDIAN, world.school, phone="0987 654 321", name="Bà Lan")
    with app.app_context():
        db.session.get(User, world.parent.id).email = "mai@example.invalid"
        db.session.add(
            Guardianship(
                student_id=world.child.id,
                user_id=grandmother.id,
                relationship_kind=Relationship.GRANDMOTHER,
            )
        )
        db.session.commit()
    return world


def enter_maths(app, write, world, score: str, teacher) -> None:
    payload = {"subject_id": world.maths.id, "term_id": term_id(app, world.school)}
    payload |= {"kind": "regular", "slot": 1}
    payload["entries"] = [{"student_id": world.child.id, "score": score}]
    response = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", payload, on=teacher)
    assert response.status_code == 200, response.get_json()


def run_worker(app, later: timedelta = timedelta(0)) -> int:
    with app.app_context():
        return worker.run_once(now=utcnow() + later)


class Worker(threading.Thread):
    """One worker pass in a thread of its own, as `flask notify worker` runs beside the web."""

    def __init__(self, app) -> None:
        super().__init__()
        self.app = app
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            with self.app.app_context():
                worker.run_once()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test's assertion
            self.errors.append(error)


def correct_while_the_sms_is_on_the_wire(app, login, write, world, sms_gateway) -> Worker:
    """Enter 8, start sending its news, correct it to 9 while the SMS gateway holds the send."""
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    enter_maths(app, write, world, "8", teacher)
    sms_gateway.hold()
    sending = Worker(app)
    sending.start()
    sms_gateway.wait_until_held()
    enter_maths(app, write, world, "9", teacher)
    sms_gateway.release()
    sending.join(timeout=30)
    assert not sending.is_alive()
    return sending


def texts_without_links(gateway: SmsGateway) -> list[str]:
    return sorted(text.split(" https://")[0] for text in gateway.texts())


def test_a_grade_corrected_while_its_news_is_being_sent_reaches_the_family_once(
    app, login, write, family, mail_server, sms_gateway, time_machine
):
    time_machine.move_to(MONDAY_MORNING)
    sending = correct_while_the_sms_is_on_the_wire(app, login, write, family, sms_gateway)
    assert sending.errors == [], "the worker records the batch that was on the wire"

    assert run_worker(app) == 2, "the correction: one email, one SMS"
    run_worker(app, later=worker.LEASE + timedelta(minutes=1))
    run_worker(app, later=timedelta(hours=2))
    assert sorted(mail["Subject"] for mail in mail_server.messages) == [
        NEW_GRADE,
        CHANGED_GRADE,
    ]
    assert [to for _sender, [to] in mail_server.envelopes] == ["mai@example.invalid"] * 2
    assert texts_without_links(sms_gateway) == [NEW_GRADE, CHANGED_GRADE]


def test_news_that_failed_on_the_wire_is_not_retried_once_corrected(
    app, login, write, family, mail_server, sms_gateway, time_machine
):
    time_machine.move_to(MONDAY_MORNING)
    sms_gateway.answer(503)
    sending = correct_while_the_sms_is_on_the_wire(app, login, write, family, sms_gateway)
    assert sending.errors == []

    for later in (timedelta(0), timedelta(minutes=10), timedelta(hours=2)):
        run_worker(app, later=later)
    assert texts_without_links(sms_gateway) == [CHANGED_GRADE], "the old grade is not sent late"
    assert sms_gateway.attempts == 2
    assert sorted(mail["Subject"] for mail in mail_server.messages) == [
        NEW_GRADE,
        CHANGED_GRADE,
    ]


def test_a_correction_reaches_the_phone_with_an_id_of_its_own(
    app, login, write, school_class, push_service, time_machine
):
    time_machine.move_to(MONDAY_MORNING)
    world = school_class
    parent = app.test_client()
    login(world.parent.phone, on=parent)
    device = push_service.new_device()
    subscription = {**device.subscription_info(), "label": "Chrome · Android"}
    assert write("POST", "/api/core/push/subscriptions", subscription, on=parent).status_code == 201
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)

    enter_maths(app, write, world, "8", teacher)
    run_worker(app)
    enter_maths(app, write, world, "9", teacher)
    run_worker(app)
    first, second = (message.json() for message in push_service.wait_for(device, 2))
    assert (first["title"], second["title"]) == (NEW_GRADE, CHANGED_GRADE)
    assert first["id"] != second["id"], "the phone shows each id once: a reused id is dropped"
    inbox = parent.get("/inbox").get_data(as_text=True)
    assert CHANGED_GRADE in inbox
    assert NEW_GRADE not in inbox, "the correction replaces the unread news in the inbox"
