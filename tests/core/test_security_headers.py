"""Security headers on every response: each GET route, for every role and signed out."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import date, datetime
from html.parser import HTMLParser
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from contactbook.core.directory.models import Term
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, DailySummary, Grade, GradeKind
from tests.browser import sign_in_on
from tests.conftest import PASSWORD, saved

SCHOOL_MORNING = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
STATIC_PREFIXES = ("/pwa/", "/static/", "/api/docs/assets/")
STATIC_PATHS = {"/sw.js", "/manifest.webmanifest"}
REVALIDATED = {
    "core.home",
    "classbook.child",
    "classbook.child_timeline",
    "classbook_api.get_roll_call",
    "classbook_api.get_grade_column",
    "messaging_conversations_api.new_messages",
}
FILES = {"pwa.static": "css/app.css", "api_docs.docs_asset": "swagger-ui.css"}
QUERIES = {"classbook_api.get_roll_call": {"day": "2026-11-16", "session": "morning"}}
HSTS = "max-age=31536000; includeSubDomains"
ROLES = ("guardian", "teacher", "nurse", "school admin", "district admin")

# Pages each role must really reach (200), so personal data is what the headers are checked on.
REACHED = {
    "guardian": ("classbook.child", "classbook.summary", "push.settings", "inbox.inbox"),
    "teacher": ("core.classroom", "classbook.roll_call", "classbook_api.get_roll_call"),
    "nurse": ("classbook.child", "core.classroom"),
    "school admin": ("classbook.summary_admin", "inbox.dead_deliveries"),
    "district admin": ("core.home", "classbook.summary_admin"),
    None: ("auth.signin", "pwa.offline", "api_docs.docs_page", "api-docs.openapi_json"),
}


@pytest.fixture
def on_a_school_morning(time_machine):
    time_machine.move_to(SCHOOL_MORNING)


@pytest.fixture
def world(
    app, on_a_school_morning, make_school, make_user, make_classroom, make_student, assign_teacher
):
    """Class 6A: its homeroom teacher, a pupil with two maths scores (a chart), her parent."""
    school = make_school()
    teacher = make_user(Role.TEACHER, school, name="Cô Hạnh")
    room = make_classroom(school, "6A", homeroom_teacher=teacher)
    maths = assign_teacher(teacher, room, school)
    parent = make_user(Role.GUARDIAN, school, name="Chị Mai")
    child = make_student(room, school, "Nguyễn Bảo Ngọc", guardians=(parent,))
    make_student(room, school, "Trần Minh Anh")
    with app.app_context():
        term_id = db.session.scalar(
            select(Term.id).where(Term.school_year_id == room.school_year_id, Term.kind == "hk1")
        )
    for slot, tenths in ((1, 70), (2, 85)):
        saved(
            app,
            Grade(
                student_id=child.id,
                subject_id=maths.subject_id,
                term_id=term_id,
                kind=GradeKind.REGULAR,
                slot=slot,
                score_tenths=tenths,
                recorded_by_id=teacher.id,
            ),
        )
    summary = saved(
        app,
        DailySummary(guardian_id=parent.id, school_id=school.id, day=date(2026, 11, 13), lines=[]),
    )
    return SimpleNamespace(
        room=room,
        child=child,
        subject_id=maths.subject_id,
        users={
            "guardian": parent,
            "teacher": teacher,
            "nurse": make_user(Role.NURSE, school),
            "school admin": make_user(Role.SCHOOL_ADMIN, school),
            "district admin": make_user(Role.DISTRICT_ADMIN, school),
        },
        arguments={
            "classroom_id": room.id,
            "student_id": child.id,
            "subject_id": maths.subject_id,
            "school_id": school.id,
            "summary_id": summary.id,
        },
    )


def get_routes(app: Flask, arguments: dict[str, int]) -> dict[str, str]:
    """Every GET route's endpoint -> a URL, with the world's ids (1 for an id it does not have)."""
    urls = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            values = {
                name: FILES.get(rule.endpoint, "none.txt")
                if name == "filename"
                else arguments.get(name, 1)
                for name in rule.arguments
            }
            query = QUERIES.get(rule.endpoint, {})
            urls[rule.endpoint] = url_for(rule.endpoint, **values, **query)
    return urls


def policy_of(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: sources for name, sources in directives}


class InlineCode(HTMLParser):
    """Finds what a Content-Security-Policy without 'unsafe-inline' would block on a page: any
    inline script but one whose hash the policy's script-src lists."""

    def __init__(self, script_src: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.allowed = script_src.split()
        self.script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.script = []
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            digest = hashlib.sha256("".join(self.script).encode()).digest()
            if f"'sha256-{base64.b64encode(digest).decode()}'" not in self.allowed:
                self.found.append("<script> without src")
            self.script = None


def inline_code_in(html: str, script_src: str = "'self'") -> list[str]:
    parser = InlineCode(script_src)
    parser.feed(html)
    return parser.found


def walk(client: FlaskClient, urls: dict[str, str]) -> dict[str, object]:
    """GET every route and return endpoint -> response."""
    responses = {}
    for endpoint, url in urls.items():
        with client.get(url) as response:
            response.get_data()
            responses[endpoint] = response
    return responses


def check_headers(responses: dict[str, object], urls: dict[str, str], *, production: bool) -> None:
    for endpoint, response in responses.items():
        path = urls[endpoint]
        where = f"{endpoint} ({path}, {response.status_code})"
        # The readiness check says 503 by design here: no worker or scheduler runs in tests.
        assert response.status_code < 500 or endpoint == "health.readyz", where
        policy = policy_of(response)
        assert policy["default-src"] == "'self'", where
        assert policy["object-src"] == "'none'", where
        assert policy["base-uri"] == "'none'", where
        assert policy["frame-ancestors"] == "'none'", where
        assert "unsafe" not in response.headers["Content-Security-Policy"], where
        assert "style-src" not in policy, where
        # Scripts from this site, and one inline script (the import map) by its hash.
        assert re.fullmatch(r"'self' 'sha256-[A-Za-z0-9+/]{43}='", policy["script-src"]), where
        assert response.headers["X-Content-Type-Options"] == "nosniff", where
        assert response.headers["Referrer-Policy"] == "same-origin", where
        assert response.headers["X-Frame-Options"] == "DENY", where
        if production:
            assert response.headers["Strict-Transport-Security"] == HSTS, where
        else:
            assert "Strict-Transport-Security" not in response.headers, where
        is_static = path.startswith(STATIC_PREFIXES) or path in STATIC_PATHS
        cache = response.headers.get("Cache-Control", "")
        if is_static:
            assert "no-store" not in cache, where
        elif endpoint in REVALIDATED and response.status_code == 200:
            # Kept by the reader's browser alone, asked again on every use (conditional GET).
            assert cache == "private, no-cache", where
            assert response.headers["ETag"].startswith('W/"'), where
        else:
            assert cache == "no-store", where
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert inline_code_in(html, policy["script-src"]) == [], where


@pytest.mark.parametrize("role", [*ROLES, None])
def test_every_get_route_sends_the_security_headers(app, client, login, world, role):
    if role:
        assert login(world.users[role].phone).status_code == 302
    urls = get_routes(app, world.arguments)
    responses = walk(client, urls)

    check_headers(responses, urls, production=False)
    for endpoint in REACHED[role]:
        assert responses[endpoint].status_code == 200, endpoint
    if role == "guardian":  # the score chart, drawn as SVG, is on the page the CSP is checked on
        assert "<polyline" in responses["classbook.child"].get_data(as_text=True)


def test_production_adds_strict_transport_security(another_app, login, world):
    production = another_app(
        CONTACTBOOK_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        CONTACTBOOK_SQLITE_IN_PRODUCTION=1,
    )
    urls = get_routes(production, world.arguments)
    signed_out = production.test_client()
    check_headers(walk(signed_out, urls), urls, production=True)

    teacher = production.test_client()
    login(world.users["teacher"].phone, on=teacher)
    responses = walk(teacher, urls)
    check_headers(responses, urls, production=True)
    assert responses["classbook.roll_call"].status_code == 200


def test_the_api_docs_page_allows_only_data_images_beyond_the_policy(client):
    with client.get("/api/docs") as response:
        html = response.get_data(as_text=True)
    assert policy_of(response)["img-src"] == "'self' data:"
    assert inline_code_in(html) == []
    assert 'data-spec-url="/api/openapi.json"' in html


@pytest.mark.browser
def test_pages_work_in_chromium_under_the_policy(app, live_server, browser, phone, world):
    """A teacher saves a roll call and a parent saves notification settings, with no violation."""
    errors: list[str] = []

    def watch(page) -> None:
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))

    phone.on("page", watch)
    teacher = sign_in_on(phone, live_server, world.users["teacher"].phone, PASSWORD)
    teacher.goto(f"{live_server}/classbook/classes/{world.room.id}/attendance?day=2026-11-16")
    teacher.get_by_role("radiogroup", name="Nguyễn Bảo Ngọc").get_by_role(
        "radio", name="Vắng không phép (K)"
    ).check()
    teacher.get_by_role("button", name="Lưu").click()
    teacher.get_by_role("status").filter(has_text="Đã lưu.").wait_for()
    with app.app_context():
        marks = {
            (mark.student_id, mark.status) for mark in db.session.scalars(select(AttendanceMark))
        }
    assert (world.child.id, "unexcused") in marks

    teacher.goto(f"{live_server}/classbook/classes/{world.room.id}/grades/{world.subject_id}")
    teacher.locator("ol.grades input.score").first.wait_for()
    teacher.goto(f"{live_server}/api/docs")
    teacher.locator("#swagger-ui .swagger-ui").wait_for()  # started by pwa/js/apidocs.js
    teacher.wait_for_load_state("networkidle")
    # Swagger UI read the OpenAPI 3.1 document and lists the routes.
    attendance = "/api/classbook/classes/{classroom_id}/attendance"
    teacher.locator(f'.opblock-summary-path[data-path="{attendance}"]').first.wait_for()

    family = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    try:
        family.on("page", watch)
        parent = sign_in_on(family, live_server, world.users["guardian"].phone, PASSWORD)
        parent.goto(f"{live_server}/classbook/children/{world.child.id}")
        assert parent.locator("#grades polyline").count() == 1
        parent.goto(f"{live_server}/notifications")
        parent.locator("fieldset").first.get_by_label("Tắt").check()
        with parent.expect_navigation():  # saved, the page reloads to show the choice kept
            parent.get_by_role("button", name="Lưu").click()
        assert parent.locator("fieldset").first.get_by_label("Tắt").is_checked()
    finally:
        family.close()
    assert errors == []

    # The policy is in force: a script injected inline is refused, and the refusal is reported.
    teacher.goto(f"{live_server}/")
    teacher.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.append(s); }"
    )
    assert teacher.evaluate("window.injected") is None
    teacher.wait_for_timeout(100)
    assert any("Content Security Policy" in error for error in errors), errors
