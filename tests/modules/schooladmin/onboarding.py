"""A class of families from the roster: guardians without passwords, for invites and resets."""

from __future__ import annotations

import re
from types import SimpleNamespace

from contactbook.core.directory.models import User
from contactbook.core.directory.phones import normalise_phone
from contactbook.core.platform.module_contract import Role
from tests.conftest import csrf_token_from, saved

SLIP = re.compile(
    r'<p><strong>([^<]+)</strong>.*?<p class="slip-code">([0-9A-Z]{5}-[0-9A-Z]{5})</p>', re.DOTALL
)


def roster_guardian(app, phone: str, name: str) -> User:
    """A guardian as the roster import makes one: a phone number, no password yet."""
    return saved(app, User(phone=normalise_phone(phone), display_name=name, password_hash=None))


def build_class(app, schools, make_student, make_user, make_classroom, assign_teacher):
    """Class 6A of school A with three pupils; the mother of two of them is on the roster twice."""
    mother_an = roster_guardian(app, "0903111111", "Phạm Thị Lan")
    mother_binh = roster_guardian(app, "0903222222", "Phạm Thị Lan")
    father = roster_guardian(app, "0903333333", "Đỗ Văn Hải")
    an = make_student(schools.classroom, schools.a, "Nguyễn Văn An", guardians=(mother_an,))
    binh = make_student(schools.classroom, schools.a, "Nguyễn Thị Bình", guardians=(mother_binh,))
    cuong = make_student(schools.classroom, schools.a, "Đỗ Minh Cường", guardians=(father,))
    subject_teacher = make_user(Role.TEACHER, schools.a, name="Vũ Thị Mai")
    assign_teacher(subject_teacher, schools.classroom, schools.a)
    room_b = make_classroom(schools.b, "7B")
    return SimpleNamespace(
        mother_an=mother_an,
        mother_binh=mother_binh,
        father=father,
        an=an,
        binh=binh,
        cuong=cuong,
        subject_teacher=subject_teacher,
        room_b=room_b,
    )


def post_form(client, path: str, data: dict | None = None, page: str = "/"):
    """Submit a form as the browser does, with the CSRF token a page gave it."""
    token = csrf_token_from(client, page)
    return client.post(path, data={**(data or {}), "csrf_token": token})


def codes_on(response) -> dict[str, str]:
    """The codes a printed sheet shows, by pupil."""
    assert response.status_code == 200
    return dict(SLIP.findall(response.get_data(as_text=True)))


def print_codes(client, classroom_id: int) -> dict[str, str]:
    """Print the class sheet and read the codes off it, by pupil."""
    return codes_on(post_form(client, f"/schooladmin/invites/classes/{classroom_id}/sheet"))
