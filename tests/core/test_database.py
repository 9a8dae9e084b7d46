"""Concurrent writers: several processes signing in at once lose no write."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select

from contactbook import create_app
from contactbook.core.directory import identity
from contactbook.core.directory.models import User, UserSession
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import base_config

PROCESSES = 4
SIGN_INS_EACH = 40


def sign_in_repeatedly(database_url: str, phone: str, times: int) -> None:
    """Do what the sign-in page does: read the user, then write a session and a count."""
    app = create_app(base_config(database_url))
    with app.app_context():
        for _ in range(times):
            identity.start_session(identity.find_user(phone))
            db.session.remove()


def test_concurrent_sign_ins_from_several_processes_are_all_kept(
    app, database_url, make_school, make_user
):
    user = make_user(Role.TEACHER, make_school())
    spawn = multiprocessing.get_context("spawn")
    workers = [
        spawn.Process(target=sign_in_repeatedly, args=(database_url, user.phone, SIGN_INS_EACH))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES

    with app.app_context():
        expected = PROCESSES * SIGN_INS_EACH
        assert db.session.get(User, user.id).sign_in_count == expected
        assert db.session.scalar(select(func.count(UserSession.id))) == expected
