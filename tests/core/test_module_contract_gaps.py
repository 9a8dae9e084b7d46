"""The module contract as an outside module's author meets it: each gap a newcomer found, closed.

The test modules are installed the way pip installs a plugin: by an entry point in a
distribution's metadata (see `installed`).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext
from sqlalchemy import select

from contactbook import create_app
from contactbook.core.delivery.notify import notify
from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    Relationship,
    School,
    SchoolYear,
    Student,
    User,
    recipients,
)
from contactbook.core.directory.models import Gender
from contactbook.core.platform.module_contract import ModuleError, Role, registry
from contactbook.extensions import db
from contactbook.modules.classbook.models import DailySummary
from contactbook.modules.classbook.notifications import render_summary
from contactbook.modules.classbook.services.summaries import build_school_day
from tests.conftest import assert_error, base_config, saved
from tests.plugins.bulletin.module import module as bulletin
from tests.plugins.bulletin.module import render_posted
from tests.statements import statements

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENTRY_POINTS = """[contactbook.modules]
sample = tests.plugins.sample.module:module
bulletin = tests.plugins.bulletin.module:module
badmenu = tests.plugins.badmenu.module:module
strays = tests.plugins.strays.module:module
borrower = tests.plugins.borrower.module:module
badguard = tests.plugins.badguard.module:module
shutlink = tests.plugins.shutlink.module:module
"""


def install(site: Path, monkeypatch, name: str, entry_points: str) -> None:
    """Make a distribution's entry points findable, as `pip install` does."""
    dist_info = site / f"{name}-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(entry_points)
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()


@pytest.fixture(autouse=True)
def installed(tmp_path, monkeypatch):
    install(tmp_path / "site", monkeypatch, "contactbook_gap_plugins", ENTRY_POINTS)


@pytest.fixture(scope="session", autouse=True)
def bulletin_catalogue():
    """Compile the bulletin's catalogue where it ships it, as `make translations` does."""
    folder = Path(bulletin.translations, "vi", "LC_MESSAGES")
    with (folder / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale="vi")
    with (folder / "messages.mo").open("wb") as target:
        write_mo(target, catalogue)


@pytest.fixture
def app_config(app_config, request):
    modules = getattr(request, "param", ["bulletin"])
    return {**app_config, "MODULES": modules}


def start(database_url: str, modules: list[str]):
    return create_app({**base_config(database_url), "MODULES": modules})


# Start-up checks


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        (
            ["badmenu"],
            "Module 'badmenu': menu entry 'badmenu.index' names the unknown permission "
            "'badmenu.typo.view'",
        ),
        (
            ["badguard"],
            "View 'badguard.index' requires the unknown permission 'badguard.typo.view'",
        ),
        (
            ["shutlink"],
            "Module 'shutlink': sign-in link 'shutlink.help_page' opens a page strangers cannot "
            "open; mark its view `public`.",
        ),
        (["strays"], "Module 'strays': table 'boxes' must start with 'strays_'."),
        (["nowhere"], "Module 'nowhere' is listed in CONTACTBOOK_MODULES but is neither built in"),
    ],
)
def test_start_up_refuses_what_used_to_slip_through(database_url, modules, message):
    with pytest.raises(ModuleError) as refused:
        start(database_url, modules)
    [problem] = refused.value.problems
    assert problem.startswith(message)


def test_an_outside_module_importing_other_modules_is_refused(database_url):
    with pytest.raises(ModuleError) as refused:
        start(database_url, ["sample", "borrower"])
    [problem] = refused.value.problems
    assert problem.startswith("Module 'borrower' imports another module (")
    assert "module.py imports contactbook.modules.classbook" in problem
    assert "helpers.py imports tests.plugins.sample" in problem


def test_a_module_may_be_a_top_level_package_or_file(tmp_path, monkeypatch, database_url):
    site = tmp_path / "top"
    (site / "cbnews").mkdir(parents=True)
    (site / "cbnews" / "__init__.py").write_text(
        "from contactbook.core.platform import Module\n"
        "from cbnews.tables import Post\n"
        "module = Module(name='cbnews', title=Post.__tablename__)\n"
    )
    (site / "cbnews" / "tables.py").write_text(
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
        "class Base(DeclarativeBase):\n    pass\n"
        "class Post(Base):\n"
        "    __tablename__ = 'cbnews_posts'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    (site / "cbsolo.py").write_text(
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
        "from contactbook.core.platform import Module\n"
        "class Base(DeclarativeBase):\n    pass\n"
        "class Thing(Base):\n"
        "    __tablename__ = 'solo_things'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "module = Module(name='cbsolo', title='Solo')\n"
    )
    install(
        site,
        monkeypatch,
        "top_level",
        "[contactbook.modules]\ncbnews = cbnews:module\ncbsolo = cbsolo:module\n",
    )
    assert registry(start(database_url, ["cbnews"])).modules["cbnews"].title == "cbnews_posts"
    with pytest.raises(ModuleError, match="table 'solo_things' must start with 'cbsolo_'"):
        start(database_url, ["cbsolo"])


def test_a_module_names_its_catalogues_by_absolute_path(tmp_path, monkeypatch, database_url):
    site = tmp_path / "words"
    site.mkdir()
    (site / "cbwords.py").write_text(
        "from contactbook.core.platform import Module\n"
        "module = Module(name='cbwords', title='Words', translations='translations')\n"
    )
    install(site, monkeypatch, "words", "[contactbook.modules]\ncbwords = cbwords:module\n")
    with pytest.raises(ModuleError, match="translations 'translations' has no 'vi' catalogue"):
        start(database_url, ["cbwords"])


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """An operator's shell: development settings, a module listed that is not installed."""
    for name in ("SECRET_KEY", "DATABASE_URL", "CONTACTBOOK_ENV", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONTACTBOOK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/operator.db")
    monkeypatch.setenv("CONTACTBOOK_MODULES", "classbook,nowhere")
    return dict(os.environ)


NOT_INSTALLED = (
    "Refused to start: Module 'nowhere' is listed in CONTACTBOOK_MODULES but is neither built "
    "in nor installed (no entry point 'nowhere' in group 'contactbook.modules')."
)


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["flask", "--app", "wsgi", "db", "upgrade"], 3),
        (["flask", "--app", "contactbook:create_app", "routes"], 1),
    ],
)
def test_a_listed_module_not_installed_stops_commands_in_one_line(environment, command, code):
    ran = subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == code
    assert ran.stderr.strip() == NOT_INSTALLED


def test_a_listed_module_not_installed_stops_gunicorn_in_one_line(environment):
    ran = subprocess.run(
        [str(BIN / "gunicorn"), "--bind", "127.0.0.1:0", "wsgi:app"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode != 0
    assert NOT_INSTALLED in ran.stderr.splitlines()
    assert "Traceback" not in ran.stderr


# Permissions guard pages and routes


@pytest.fixture
def people(make_school, make_user):
    school = make_school()
    return {
        "teacher": make_user(Role.TEACHER, school),
        "admin": make_user(Role.SCHOOL_ADMIN, school),
        "parent": make_user(Role.GUARDIAN, school),
    }


@pytest.mark.parametrize(
    ("who", "board", "drafts"),
    [("teacher", 200, 404), ("admin", 200, 200), ("parent", 404, 404)],
)
def test_a_menu_entry_and_permission_required_guard_their_pages(
    client, login, people, who, board, drafts
):
    login(people[who].phone)
    assert client.get("/bulletin/").status_code == board
    assert client.get("/bulletin/drafts").status_code == drafts


def test_signed_out_readers_are_sent_to_sign_in_from_guarded_pages(client):
    for path in ("/bulletin/", "/bulletin/drafts"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/signin?next=/bulletin/")


def test_permission_required_guards_api_routes_with_the_json_error_shape(
    app, client, login, people
):
    assert_error(client.get("/api/bulletin/drafts"), 401)
    login(people["teacher"].phone)
    assert_error(client.get("/api/bulletin/drafts"), 404)
    admin = app.test_client()
    login(people["admin"].phone, on=admin)
    assert admin.get("/api/bulletin/drafts").get_json() == {"drafts": ["Họp phụ huynh"]}


# A module's own translations


def test_a_module_speaks_the_readers_language_from_its_own_catalogue(app, client, login, people):
    with app.test_request_context():
        with force_locale("vi"):
            vietnamese = render_posted({"title": "Lịch thi"})
        with force_locale("en"):
            english = render_posted({"title": "Exams"})
    assert (vietnamese.title, vietnamese.body) == (
        "Bài mới trên bảng tin",
        "Lịch thi đã có trên bảng tin.",
    )
    assert (english.title, english.body) == ("New bulletin post", "Exams is on the bulletin board.")

    login(people["teacher"].phone)
    page = client.get("/bulletin/").get_data(as_text=True)
    assert "<h1>Bảng tin của trường</h1>" in page
    assert "Bảng tin" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, people["teacher"].id).language = "en"
        db.session.commit()
    assert "<h1>Bulletin board</h1>" in client.get("/bulletin/").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [["sample"]], indirect=True)
def test_an_app_without_the_module_keeps_core_words_only(app):
    with app.test_request_context(), force_locale("vi"):
        assert gettext("Bulletin board") == "Bulletin board"
        assert gettext("Inbox") == "Thông báo"


# A module turned off


def test_news_of_a_module_turned_off_no_longer_counts_in_the_badge(app, another_app, login, people):
    with app.app_context():
        teacher = db.session.get(User, people["teacher"].id)
        notify([teacher], "bulletin.posted", title="Lịch thi")
        notify([teacher], "core.test", name="Mai")
        db.session.commit()
    with_it = app.test_client()
    login(people["teacher"].phone, on=with_it)
    assert 'class="badge">2<span' in with_it.get("/").get_data(as_text=True)

    without = another_app(MODULES=[]).test_client()
    login(people["teacher"].phone, on=without)
    assert 'class="badge">1<span' in without.get("/").get_data(as_text=True)
    inbox = without.get("/inbox").get_data(as_text=True)
    assert "Mai" in inbox
    assert "Lịch thi" not in inbox


# The usual recipients


def pupil(school: School, room: Classroom, code: str, *guardians: User, left: bool = False):
    return Student(
        school_id=school.id,
        student_code=code,
        family_name="Trần",
        given_name=code,
        date_of_birth=date(2014, 1, 1),
        gender=Gender.MALE,
        archived_at=datetime(2026, 10, 1) if left else None,
        enrollments=[Enrollment(classroom_id=room.id)],
        guardianships=[
            Guardianship(user_id=guardian.id, relationship_kind=Relationship.FATHER)
            for guardian in guardians
        ],
    )


@pytest.fixture
def two_schools(app, make_school, make_user, make_classroom):
    """Two schools: families in classes this year and last, a pupil who left, a closed account."""
    north, south = make_school(), make_school()
    users = {name: make_user(Role.GUARDIAN, north, name=name) for name in "ABCDEF"}
    users["G"] = make_user(Role.GUARDIAN, south, name="G")
    with app.app_context():
        db.session.get(User, users["E"].id).is_active = False
        db.session.commit()
    room_6a, room_7a = make_classroom(north, "6A"), make_classroom(north, "7A")
    room_6b = make_classroom(south, "6B")
    last_year = saved(
        app,
        SchoolYear(
            school_id=north.id,
            name="2025–2026",
            starts_on=date(2025, 9, 5),
            ends_on=date(2026, 5, 31),
        ),
    )
    old_room = saved(app, Classroom(school_year_id=last_year.id, name="5A", grade_level=5))
    saved(
        app,
        pupil(north, room_6a, "an", users["A"]),
        pupil(north, room_7a, "binh", users["A"], users["B"]),
        pupil(north, room_6a, "chi", users["C"], left=True),
        pupil(north, old_room, "dung", users["D"]),
        pupil(north, room_6a, "em", users["E"]),
        pupil(south, room_6b, "giang", users["G"], users["F"]),
    )
    return north, south, room_6a, room_7a, users


def names(found: list[User]) -> list[str]:
    return [user.display_name for user in found]


def test_guardians_of_schools_and_classes_each_once_in_one_statement(app, two_schools):
    north, south, room_6a, room_7a, _users = two_schools
    with app.app_context(), statements(app) as sent:
        assert names(recipients.guardians(schools=[north.id])) == ["A", "B"]
        assert names(recipients.guardians(classrooms=[room_6a.id])) == ["A"]
        assert names(recipients.guardians(classrooms=[room_7a.id])) == ["A", "B"]
        assert names(recipients.guardians([south.id], [room_6a.id])) == ["A", "F", "G"]
    assert len(sent) == 4


def test_staff_of_schools_by_role_in_one_statement(app, make_school, make_user):
    north, south = make_school(), make_school()
    make_user(Role.TEACHER, north, name="Teacher")
    make_user(Role.TEACHER, south, name="Elsewhere")
    admin = make_user(Role.SCHOOL_ADMIN, north, name="Admin")
    make_user(Role.DISTRICT_ADMIN, north, name="District")
    closed = make_user(Role.TEACHER, north, name="Closed")
    with app.app_context():
        db.session.get(User, closed.id).is_active = False
        twice = db.session.get(User, admin.id)
        twice.memberships[0].role = Role.TEACHER
        twice.memberships.append(type(twice.memberships[0])(role=Role.NURSE, school_id=north.id))
        db.session.commit()
    with app.app_context(), statements(app) as sent:
        assert names(recipients.staff([north.id], [Role.TEACHER, Role.NURSE])) == [
            "Teacher",
            "Admin",
        ]
        assert names(recipients.staff([north.id], [Role.DISTRICT_ADMIN])) == ["District"]
        assert names(recipients.staff([south.id], [Role.TEACHER])) == ["Elsewhere"]
    assert len(sent) == 3


# Daily summary


@pytest.mark.parametrize("app_config", [["classbook", "bulletin"]], indirect=True)
def test_an_outside_module_adds_a_line_to_a_familys_daily_summary(
    app, make_school, make_user, make_classroom, make_student
):
    school = make_school()
    parent = make_user(Role.GUARDIAN, school)
    make_student(make_classroom(school), school, "Lê Văn Nam", guardians=(parent,))
    monday = date(2026, 11, 16)
    with app.app_context():
        build_school_day(db.session.get(School, school.id), monday)
        summary = db.session.scalars(select(DailySummary)).one()
        assert summary.guardian_id == parent.id
        data = {"summary_id": summary.id, "day": monday.isoformat(), "lines": summary.lines}
    with app.test_request_context():
        body = render_summary(data).body
    assert "2 bài mới trên bảng tin" in body
