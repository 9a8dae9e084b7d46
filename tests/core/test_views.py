"""The shell: role-aware home, language switch, error pages, and the PWA files."""

from __future__ import annotations

import json

import pytest

from contactbook.core.platform.module_contract import Role
from tests.conftest import csrf_token_from


@pytest.fixture
def family(make_school, make_user, make_classroom, make_student):
    school = make_school()
    teacher = make_user(Role.TEACHER, school, name="Cô Hạnh")
    room = make_classroom(school, "6A", homeroom_teacher=teacher)
    parent = make_user(Role.GUARDIAN, school, name="Chị Mai")
    make_student(room, school, "Nguyễn Bảo Ngọc", guardians=(parent,))
    make_student(room, school, "Trần Minh Anh")
    return {"school": school, "teacher": teacher, "parent": parent}


def page(client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_parent_home_shows_their_child_and_no_class_lists(client, login, family):
    login(family["parent"].phone)
    html = page(client)
    assert "Con của tôi" in html
    assert "Nguyễn Bảo Ngọc" in html
    assert "Lớp 6A" in html
    assert "Trần Minh Anh" not in html
    assert "/classes/" not in html


def test_teacher_home_lists_their_class_and_its_roster_sorted(client, login, family):
    login(family["teacher"].phone)
    html = page(client)
    assert "Lớp của tôi" in html
    assert "Giáo viên chủ nhiệm" in html
    roster = page(client, html.split('href="/classes/')[1].split('"')[0].join(["/classes/", ""]))
    assert roster.index("Trần Minh Anh") < roster.index("Nguyễn Bảo Ngọc")


def test_school_admin_home_shows_school_counts(client, login, family, make_user):
    admin = make_user(Role.SCHOOL_ADMIN, family["school"])
    login(admin.phone)
    html = page(client)
    assert family["school"].name in html
    assert "1 lớp, 2 học sinh" in html


def test_language_switch_remembers_the_choice(app, client, login, family):
    assert "Đăng nhập" in page(client, "/signin")
    token = csrf_token_from(client)
    client.post("/language", data={"lang": "en", "csrf_token": token})
    assert "Sign in" in page(client, "/signin")

    login(family["teacher"].phone)
    token = csrf_token_from(client, "/")
    client.post("/language", data={"lang": "en", "csrf_token": token})
    assert "My classes" in page(client)
    other_device = app.test_client()
    login(family["teacher"].phone, on=other_device)
    assert "My classes" in page(other_device)


def test_unknown_language_changes_nothing(client):
    token = csrf_token_from(client)
    client.post("/language", data={"lang": "xx", "csrf_token": token})
    assert "Đăng nhập" in page(client, "/signin")


def test_missing_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Trang này không tồn tại" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    body = response.get_json()
    assert body["code"] == 404
    assert body["message"]
    assert body["errors"] == {}


def test_wrong_method_is_405_not_500(client):
    assert client.get("/signout").status_code == 405


def test_manifest_describes_an_installable_app(client):
    with client.get("/manifest.webmanifest") as response:
        assert response.mimetype == "application/manifest+json"
        manifest = json.loads(response.get_data(as_text=True))
    assert manifest["lang"] == "vi"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    icons = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200


def test_service_worker_is_served_from_the_root_with_a_content_version(app, client):
    response = client.get("/sw.js")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert "__VERSION__" not in body
    assert app.extensions["pwa_version"] in body
    assert '"/offline"' in body


def test_offline_page_needs_no_sign_in_and_holds_no_personal_data(client, login, family):
    login(family["teacher"].phone)
    html = page(client, "/offline")
    assert "Bạn đang ngoại tuyến" in html
    assert "Cô Hạnh" not in html
    assert "csrf" not in html


def test_api_docs_work_without_internet(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/classbook/classes/{classroom_id}/attendance" in spec["paths"]
    docs = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in docs
    with client.get("/api/docs/assets/swagger-ui-bundle.js") as script:
        assert script.status_code == 200
        assert "SwaggerUIBundle" in script.get_data(as_text=True)
