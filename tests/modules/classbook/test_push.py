"""A roll call with one absence reaches each of the family's phones, once, in plain words."""

from __future__ import annotations

from contactbook.core.delivery import worker
from contactbook.extensions import db
from tests.modules.classbook.conftest import SCHOOL_DAY


def subscribe(client, write, device, label):
    payload = {**device.subscription_info(), "label": label}
    response = write("POST", "/api/core/push/subscriptions", payload, on=client)
    assert response.status_code == 201


def test_an_absence_reaches_every_device_of_the_family_once(
    app, login, write, push_service, school_class
):
    world = school_class
    phone, tablet = push_service.new_device(), push_service.new_device()
    parent = app.test_client()
    login(world.parent.phone, on=parent)
    subscribe(parent, write, phone, "Chrome · Android")
    subscribe(parent, write, tablet, "Firefox · Android")
    stranger_device = push_service.new_device()
    other = app.test_client()
    login(world.other_parent.phone, on=other)
    subscribe(other, write, stranger_device, "Chrome · Android")

    teacher = app.test_client()
    login(world.homeroom.phone, on=teacher)
    marks = [{"student_id": world.child.id, "status": "unexcused", "note": ""}]
    roll_call = {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": marks}
    url = f"/api/classbook/classes/{world.room.id}/attendance"
    assert write("PUT", url, roll_call, on=teacher).status_code == 200

    with app.app_context():
        worker.run_once()
        db.session.remove()
    for device in (phone, tablet):
        [message] = push_service.wait_for(device, 1)
        body = message.json()
        assert body["title"] == "Ngọc (6A) vắng không phép sáng 16/11"
        assert body["url"] == f"/classbook/children/{world.child.id}"
        assert message.urgency == "high"
    assert stranger_device.received == []
    assert push_service.rejections == []
    with app.app_context():
        worker.run_once()
    assert len(phone.received) == len(tablet.received) == 1
