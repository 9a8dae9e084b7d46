"""docs/modules.md, followed from an empty folder: the files it gives, installed as pip installs a
package, make a module that migrates, serves its page and API, notifies in Vietnamese, runs its
job, adds to the daily summary and to `flask demo`, and can be turned off again.

The guide's steps run on a database of their own (SQLite in the test's folder), from empty,
as a district's developer would run them.
"""

from __future__ import annotations

import importlib
import re
import tomllib
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from contactbook import create_app
from contactbook.core.demo import DEMO_SIGN_INS
from contactbook.core.directory.models import Membership, School, User
from contactbook.core.platform import registry, utcnow
from contactbook.extensions import db
from tests.conftest import base_config, csrf_token_from

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "modules.md"
FILE_BLOCK = re.compile(r"^```\w+ file=(\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
BUILT_IN = ["classbook", "schooladmin", "messaging"]
SIGN_INS = {role: (who, password) for role, who, password in DEMO_SIGN_INS}


def follow_the_guide(folder: Path) -> Path:
    """Write every file the guide gives; return the package's folder."""
    files = FILE_BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(files) >= 9, "the guide gives the module's files"
    for name, text in files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "contactbook-news"


def compile_catalogues(package: Path) -> None:
    """What `make translations` does for a module's catalogues."""
    for po_path in package.glob("*/translations/*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalogue)


def install(package: Path, site: Path, monkeypatch) -> None:
    """Install the package as `pip install -e` does: its entry points and its folder on the path."""
    project = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    entry_points = project["entry-points"]["contactbook.modules"]
    dist_info = site / f"contactbook_news-{project['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (dist_info / "entry_points.txt").write_text(f"[contactbook.modules]\n{lines}")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(package))
    importlib.invalidate_caches()


def cli(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def signed_in(app: Flask, role: str):
    client = app.test_client()
    who, password = SIGN_INS[role]
    token = csrf_token_from(client)
    answer = client.post(
        "/signin", data={"identifier": who, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 302
    return client


def post_news(client, body: dict, key: str | None = None):
    headers = {
        "X-CSRFToken": csrf_token_from(client, "/"),
        "Idempotency-Key": key or str(uuid.uuid4()),
    }
    return client.post("/api/news/posts", json=body, headers=headers)


def test_the_module_the_guide_describes_works(tmp_path, monkeypatch):
    package = follow_the_guide(tmp_path / "work")
    compile_catalogues(package)
    install(package, tmp_path / "site", monkeypatch)
    config = base_config(f"sqlite:///{tmp_path / 'guide.db'}")
    app = create_app({**config, "MODULES": [*BUILT_IN, "news"]})

    cli(app, "db", "upgrade")
    cli(app, "db", "check")  # fails (exit 1) on any difference between models and tables
    assert "news posts" in cli(app, "demo")

    admin = signed_in(app, "school admin")
    with app.app_context():
        admin_id = db.session.scalar(
            select(User.id).where(User.username == SIGN_INS["school admin"][0])
        )
        school_id = db.session.scalar(
            select(Membership.school_id).where(Membership.user_id == admin_id)
        )
        other_school = db.session.scalar(select(School.id).where(School.id != school_id))
        demo_posts = _count_posts(school_id)
    key = str(uuid.uuid4())
    news = {"school_id": school_id, "title": "Họp phụ huynh cuối kỳ", "body": "Thứ Bảy, 8 giờ."}
    first = post_news(admin, news, key)
    assert first.status_code == 201, first.get_json()
    assert post_news(admin, news, key).get_json()["id"] == first.get_json()["id"]
    missing_title = post_news(admin, {"school_id": school_id, "body": "Không tiêu đề"})
    assert missing_title.status_code == 422
    assert "title" in missing_title.get_json()["errors"]
    assert post_news(admin, news | {"school_id": other_school}).status_code == 404
    with app.app_context():
        assert _count_posts(school_id) == demo_posts + 1, "one post, however many tries"

    parent = signed_in(app, "parent")
    page = parent.get("/news/").get_data(as_text=True)
    assert "Tin nhà trường" in page
    assert "Họp phụ huynh cuối kỳ" in page
    inbox = parent.get("/inbox").get_data(as_text=True)
    assert "Tin nhà trường" in inbox
    assert "Họp phụ huynh cuối kỳ" in inbox
    assert post_news(parent, news).status_code == 404, "families read news, never post it"

    module = registry(app).modules["news"]
    with app.test_request_context(), force_locale("vi"):
        school = db.session.get(School, school_id)
        lines = module.summary_lines(school, school.today())
        assert lines, "the day's news reaches the daily summary"
        worded = {module.render_summary_line(item) for items in lines.values() for item in items}
        today = _count_posts(school_id)
    assert worded == {f"Tin nhà trường hôm nay: {today} tin"}

    with time_machine.travel(utcnow() + timedelta(days=400)), app.app_context():
        registry(app).jobs["news.tidy"].func()
        assert _count_posts(school_id) == 0

    without = create_app({**config, "MODULES": BUILT_IN})
    cli(without, "db", "upgrade")
    cli(without, "db", "check")
    assert signed_in(without, "parent").get("/news/").status_code == 404


def _count_posts(school_id: int) -> int:
    """The school's posts, counted in the module's table as the guide's models declare it."""
    posts = db.metadata.tables["news_posts"]
    return db.session.scalar(
        select(func.count()).select_from(posts).where(posts.c.school_id == school_id)
    )


@pytest.mark.parametrize("name", ["module.py", "models.py", "services.py", "views.py"])
def test_the_guides_python_imports_only_core_and_itself(name):
    files = dict(FILE_BLOCK.findall(GUIDE.read_text(encoding="utf-8")))
    text = files[f"contactbook-news/contactbook_news/{name}"]
    imported = re.findall(r"^(?:from|import) (contactbook\S*)", text, re.MULTILINE)
    assert imported
    for module in imported:
        assert module.startswith(
            ("contactbook.core.", "contactbook.extensions", "contactbook_news")
        )
        assert not module.startswith("contactbook.modules")
