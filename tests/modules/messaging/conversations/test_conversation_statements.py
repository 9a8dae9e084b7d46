"""Reading a conversation costs the same SQL statements with 2 messages in it or 24, and with
more people taking part: within the page budget for a parent, the teacher and the school admin."""

from __future__ import annotations

from tests.modules.messaging.conversations.conftest import TUESDAY_MORNING
from tests.statements import statements
from tests.test_statement_budget import STATEMENT_BUDGET


def _costs(app, reader, conversation_id: int) -> dict[str, int]:
    paths = [
        "/messaging/",
        f"/messaging/conversations/{conversation_id}",
        "/api/messaging/conversations",
        f"/api/messaging/conversations/{conversation_id}",
        f"/api/messaging/conversations/{conversation_id}/messages?after=0",
    ]
    costs = {}
    for path in paths:
        with statements(app) as sent:
            response = reader.get(path)
        assert response.status_code == 200, path
        costs[path] = len(sent)
    return costs


def test_a_long_conversation_reads_like_a_short_one(
    app, login, write, world, conversation, time_machine
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    mother, teacher, admin = app.test_client(), app.test_client(), app.test_client()
    login("0912000001", on=mother)
    login("hanh", on=teacher)
    login("admin", on=admin)
    readers = {"mother": mother, "teacher": teacher, "admin": admin}
    url = f"/api/messaging/conversations/{conversation['id']}/messages"

    def exchange(times: int, senders) -> None:
        for n in range(times):
            for sender in senders:
                sent = write("POST", url, form={"text": f"Tin nhắn {n}"}, on=sender)
                assert sent.status_code == 201

    def costs() -> dict[str, dict[str, int]]:
        return {name: _costs(app, reader, conversation["id"]) for name, reader in readers.items()}

    exchange(1, (mother, teacher))
    short = costs()
    joining = f"/api/messaging/conversations/{conversation['id']}/participants"
    for staff in (world.maths, world.nurse):
        added = write("POST", joining, {"user_id": staff.id}, on=teacher)
        assert added.status_code == 201
    maths, nurse = app.test_client(), app.test_client()
    login("nam", on=maths)
    login("nurse", on=nurse)
    exchange(5, (mother, teacher, maths, nurse))
    long = costs()

    assert long == short
    for reader, found in long.items():
        over = {path: cost for path, cost in found.items() if cost > STATEMENT_BUDGET}
        assert not over, (reader, over)
