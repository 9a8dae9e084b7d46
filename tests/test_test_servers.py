"""The local push and mail servers behave like real ones when driven by third-party clients."""

from __future__ import annotations

import json
import smtplib
import time
from email.message import EmailMessage

import pytest
import requests
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from tests.mailserver import MailServer
from tests.pushservice import Device, PushService

SUB = "mailto:test@example.invalid"


@pytest.fixture(scope="module")
def vapid() -> Vapid02:
    key = Vapid02()
    key.generate_keys()
    return key


def push(
    vapid: Vapid02,
    device: Device,
    data: dict,
    *,
    claims: dict | None = None,
    keys_from: Device | None = None,
    session: requests.Session | None = None,
) -> requests.Response:
    """Send like the app would, through pywebpush; return the response even when it failed."""
    subscription = device.subscription_info()
    if keys_from is not None:
        subscription["keys"] = keys_from.subscription_info()["keys"]
    try:
        return webpush(
            subscription_info=subscription,
            data=json.dumps(data),
            vapid_private_key=vapid,
            vapid_claims=dict(claims or {"sub": SUB}),
            ttl=60,
            headers={"Urgency": "high", "Topic": "grade-1"},
            requests_session=session,
        )
    except WebPushException as exc:
        assert exc.response is not None
        return exc.response


def test_push_is_verified_decrypted_and_recorded(push_service: PushService, vapid: Vapid02):
    device = push_service.new_device()

    response = push(vapid, device, {"title": "Điểm mới", "score": 9.5})

    assert response.status_code == 201
    assert response.headers["Location"].startswith(push_service.origin + "/message/")
    [message] = push_service.wait_for(device, 1)
    assert message.json() == {"title": "Điểm mới", "score": 9.5}
    assert (message.ttl, message.urgency, message.topic) == (60, "high", "grade-1")
    assert message.endpoint == device.endpoint
    assert message.headers["content-encoding"] == "aes128gcm"
    assert push_service.rejections == []
    assert push_service.attempts[device.endpoint] == 1


def test_keep_alive_connection_carries_several_pushes(push_service: PushService, vapid: Vapid02):
    device = push_service.new_device()

    with requests.Session() as session:
        for number in range(3):
            assert push(vapid, device, {"n": number}, session=session).status_code == 201

    assert [m.json()["n"] for m in push_service.wait_for(device, 3)] == [0, 1, 2]
    assert push_service.rejections == []


def test_jwt_for_another_audience_is_rejected(push_service: PushService, vapid: Vapid02):
    device = push_service.new_device()

    response = push(vapid, device, {"x": 1}, claims={"sub": SUB, "aud": "http://127.0.0.1:1"})

    assert response.status_code in (401, 403)
    assert "aud" in response.text
    assert len(push_service.rejections) == 1
    assert "aud" in push_service.rejections[0]
    assert device.received == []


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"sub": SUB, "exp": 2 * 24 * 3600}, "24 hours"),
        ({"sub": "test@example.invalid"}, "sub"),
    ],
)
def test_jwt_with_bad_claims_is_rejected(
    push_service: PushService, vapid: Vapid02, claims: dict, reason: str
):
    """An "exp" given here is seconds from now, read when the test runs, not when collected."""
    if "exp" in claims:
        claims = {**claims, "exp": int(time.time()) + claims["exp"]}
    device = push_service.new_device()
    lenient = Vapid02(private_key=vapid.private_key, conf={"no-strict": True})

    response = push(lenient, device, {"x": 1}, claims=claims)

    assert response.status_code == 403
    assert reason in response.text
    assert len(push_service.rejections) == 1
    assert device.received == []


def test_missing_authorization_is_rejected(push_service: PushService):
    device = push_service.new_device()

    response = requests.post(
        device.endpoint,
        data=b"x",
        headers={"TTL": "0", "Content-Encoding": "aes128gcm"},
        timeout=10,
    )

    assert response.status_code == 401
    assert push_service.rejections == [f"401 {device.endpoint}: Authorization header missing"]


def test_body_encrypted_for_another_device_is_rejected(push_service: PushService, vapid: Vapid02):
    device, other = push_service.new_device(), push_service.new_device()

    response = push(vapid, device, {"secret": True}, keys_from=other)

    assert response.status_code == 400
    assert "decrypt" in response.text
    assert len(push_service.rejections) == 1
    assert device.received == [] and other.received == []


def test_scripted_responses_come_first_and_deliver_nothing(
    push_service: PushService, vapid: Vapid02
):
    device = push_service.new_device()
    push_service.respond(device, (429, {"Retry-After": "2"}))

    throttled = push(vapid, device, {"try": 1})
    delivered = push(vapid, device, {"try": 2})

    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "2"
    assert delivered.status_code == 201
    assert [m.json() for m in push_service.wait_for(device, 1)] == [{"try": 2}]
    assert push_service.attempts[device.endpoint] == 2
    assert push_service.rejections == []


def test_wait_for_fails_clearly_when_nothing_arrives(push_service: PushService):
    device = push_service.new_device()

    with pytest.raises(AssertionError, match="expected 1"):
        push_service.wait_for(device, 1, timeout=0.1)


def test_mail_sent_over_smtp_arrives(mail_server: MailServer):
    message = EmailMessage()
    message["From"] = "school@example.invalid"
    message["To"] = "parent@example.invalid"
    message["Subject"] = "Thông báo họp phụ huynh"
    message.set_content("Họp lúc 8 giờ sáng thứ Bảy.")

    with smtplib.SMTP(mail_server.host, mail_server.port, timeout=5) as client:
        client.send_message(message)

    [received] = mail_server.wait_for(1)
    assert received["Subject"] == "Thông báo họp phụ huynh"
    assert received.get_content().strip() == "Họp lúc 8 giờ sáng thứ Bảy."
    assert mail_server.envelopes == [("school@example.invalid", ["parent@example.invalid"])]
