"""An import killed half-way leaves the directory as it was, and can be confirmed again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from contactbook.core.directory import Enrollment, Student, User
from contactbook.extensions import db
from contactbook.modules.schooladmin.models import ImportStatus, RosterImport
from tests.modules.schooladmin.roster_files import confirm, upload, xlsx

ROOT = Path(__file__).resolve().parents[3]
# The real confirmation, in its own process, made to stop once pupils, class places and parent
# accounts are written and the parent links are going in; the test then kills it.
CONFIRM_UNTIL_LINKS = """
import sys, time
from sqlalchemy import event, text
from contactbook import create_app
from contactbook.core.directory import User
from contactbook.extensions import db
from contactbook.modules.schooladmin.models import RosterImport
from contactbook.modules.schooladmin.services import roster
from tests.conftest import base_config

app = create_app(base_config(sys.argv[1]))
with app.test_request_context():  # words in problems need a locale, as in a request
    @event.listens_for(db.engine, "before_cursor_execute")
    def stop_at_links(connection, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO GUARDIANSHIPS"):
            pupils = connection.exec_driver_sql("SELECT count(*) FROM students").scalar()
            print(f"writing links after {pupils} pupils", flush=True)
            time.sleep(120)

    actor = db.session.get(User, int(sys.argv[2]))
    roster.confirm(actor, db.session.get(RosterImport, int(sys.argv[3])))
"""

ROWS = [
    (
        f"HS{n:03d}",
        "Nguyễn Văn An",
        "08/03/2014",
        "Nam",
        "6A",
        "Nguyễn Văn Ba",
        f"0977000{n:03d}",
        "Bố",
    )
    for n in range(50)
]


def _counts(app) -> dict:
    # A page read's context: on SQLite it reads beside the writer instead of queueing behind it.
    with app.test_request_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        status = db.session.scalar(select(RosterImport.status))
        return {
            "pupils": count(Student),
            "places": count(Enrollment),
            "users": count(User),
            "status": status,
        }


def test_a_killed_import_writes_nothing(app, client, login, schools, database_url):
    login("admin.a")
    import_id = upload(client, schools.a.id, xlsx(ROWS)).get_json()["id"]
    before = _counts(app)
    assert before == {"pupils": 0, "places": 0, "users": 4, "status": ImportStatus.CHECKED}

    command = [sys.executable, "-c", CONFIRM_UNTIL_LINKS, database_url]
    command += [str(schools.admin.id), str(import_id)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        try:
            line = child.stdout.readline()
            assert line.strip() == "writing links after 50 pupils", child.stderr.read()
            assert _counts(app) == before, "nothing shows before the commit"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _counts(app) == before

    assert confirm(client, import_id).status_code == 200
    assert _counts(app) == {
        "pupils": 50,
        "places": 50,
        "users": 54,
        "status": ImportStatus.IMPORTED,
    }
