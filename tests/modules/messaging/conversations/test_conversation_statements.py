"""Reading a conversation costs the same SQL statements with 2 messages in it or 20."""

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
    mother, teacher = app.test_client(), app.test_client()
    login("0912000001", on=mother)
    login("hanh", on=teacher)
    url = f"/api/messaging/conversations/{conversation['id']}/messages"

    def exchange(times: int) -> None:
        for n in range(times):
            for sender in (mother, teacher):
                sent = write("POST", url, form={"text": f"Tin nhắn {n}"}, on=sender)
                assert sent.status_code == 201

    exchange(1)
    short = {"mother": _costs(app, mother, conversation["id"])}
    short["teacher"] = _costs(app, teacher, conversation["id"])
    exchange(9)
    long = {"mother": _costs(app, mother, conversation["id"])}
    long["teacher"] = _costs(app, teacher, conversation["id"])

    assert long == short
    for reader, costs in long.items():
        over = {path: cost for path, cost in costs.items() if cost > STATEMENT_BUDGET}
        assert not over, (reader, over)
