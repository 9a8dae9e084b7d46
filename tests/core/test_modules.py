"""The module contract: a module listed in MODULES contributes everything; unlisted, nothing."""

from __future__ import annotations

import importlib

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from contactbook import create_app
from contactbook.core.platform.module_contract import (
    ModuleError,
    NotificationType,
    Role,
    Urgency,
    registry,
)
from contactbook.core.platform.scheduler import add_jobs
from tests.conftest import base_config, csrf_token_from
from tests.plugins.sample import module as sample

ENTRY_POINTS = """[contactbook.modules]
sample = tests.plugins.sample.module:module
misnamed = tests.plugins.misnamed.module:module
squatter = tests.plugins.squatter.module:module
"""


@pytest.fixture(autouse=True)
def installed_plugins(tmp_path, monkeypatch):
    """Install the test modules the way a pip-installed plugin is found: by entry point."""
    dist_info = tmp_path / "site" / "contactbook_test_plugins-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: contactbook-test-plugins\nVersion: 1.0\n"
    )
    (dist_info / "entry_points.txt").write_text(ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()


@pytest.fixture
def app_config(app_config, request):
    """A module list, or a dict of settings, from the test's parameters."""
    extra = request.param if isinstance(request.param, dict) else {"MODULES": request.param}
    return {**app_config, **extra, "SAMPLE_MARK": "ran in app context"}


def scheduled_job_ids(app) -> list[str]:
    scheduler = BackgroundScheduler()
    add_jobs(app, scheduler)
    return [job.id for job in scheduler.get_jobs()]


@pytest.mark.parametrize("app_config", [["sample"]], indirect=True)
def test_listed_module_contributes_everything(app, client, login, make_school, make_user):
    school = make_school()
    teacher = make_user(Role.TEACHER, school)
    login(teacher.phone)

    page = client.get("/sample/")
    assert page.status_code == 200
    assert "Sample module page" in page.get_data(as_text=True)
    assert client.get("/api/sample/ping").get_json() == {"pong": True}
    assert 'href="/sample/"' in client.get("/").get_data(as_text=True)
    assert "/api/sample/ping" in client.get("/api/openapi.json").get_json()["paths"]

    found = registry(app)
    assert found.permissions["sample.things.view"].roles == {Role.TEACHER}
    assert [link.endpoint for link in found.signin_links] == ["sample.help_page"]
    assert "sample.thing_happened" in found.notification_types
    assert scheduled_job_ids(app) == ["sample.tidy_up"]


@pytest.mark.parametrize("app_config", [["sample"]], indirect=True)
def test_module_api_writes_need_csrf_and_valid_input(client, login, make_school, make_user):
    login(make_user(Role.TEACHER, make_school()).phone)
    refused = client.post("/api/sample/echo", json={"word": "xin chào"})
    assert refused.status_code == 400
    assert refused.get_json()["message"].startswith("Biểu mẫu đã hết hạn")

    token = csrf_token_from(client, "/")
    headers = {"X-CSRFToken": token}
    invalid = client.post("/api/sample/echo", json={"word": ""}, headers=headers)
    assert invalid.status_code == 422
    assert set(invalid.get_json()["errors"]) == {"word"}
    accepted = client.post("/api/sample/echo", json={"word": "xin chào"}, headers=headers)
    assert accepted.get_json() == {"word": "xin chào"}


@pytest.mark.parametrize("app_config", [["sample"]], indirect=True)
def test_module_job_runs_inside_the_app(app):
    scheduler = BackgroundScheduler()
    add_jobs(app, scheduler)
    sample.job_runs.clear()
    scheduler.get_job("sample.tidy_up").func()
    assert sample.job_runs == ["ran in app context"]


@pytest.mark.parametrize("app_config", [["sample"]], indirect=True)
def test_module_menu_follows_permissions(client, login, make_school, make_user):
    school = make_school()
    parent = make_user(Role.GUARDIAN, school)
    login(parent.phone)
    assert 'href="/sample/"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [["sample"]], indirect=True)
def test_module_links_show_under_the_sign_in_form(client):
    page = client.get("/signin").get_data(as_text=True)
    assert '<a href="/sample/help">Sample help</a>' in page
    assert "Sample help for everyone" in client.get("/sample/help").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [[]], indirect=True)
def test_unlisted_module_contributes_nothing(app, client, login, make_school, make_user):
    school = make_school()
    teacher = make_user(Role.TEACHER, school)
    login(teacher.phone)

    assert client.get("/sample/").status_code == 404
    assert client.get("/api/sample/ping").status_code == 404
    assert 'href="/sample/"' not in client.get("/").get_data(as_text=True)
    assert "/sample/help" not in client.get("/signin").get_data(as_text=True)
    assert "/api/sample/ping" not in client.get("/api/openapi.json").get_json()["paths"]

    found = registry(app)
    assert "sample.things.view" not in found.permissions
    assert "sample.thing_happened" not in found.notification_types
    assert scheduled_job_ids(app) == []


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        (
            ["sample", "nowhere"],
            "'nowhere' is listed in CONTACTBOOK_MODULES but is neither built in",
        ),
        (["squatter"], "permission 'classbook.grades.edit' must start with 'squatter.'"),
        (["misnamed"], "table 'things' must start with 'misnamed_'"),
        (["sample", "sample"], "'sample' is listed twice in CONTACTBOOK_MODULES"),
    ],
)
def test_start_up_stops_on_a_broken_module_list(database_url, modules, message):
    with pytest.raises(ModuleError, match=message.replace("(", r"\(")):
        create_app({**base_config(database_url), "MODULES": modules})


def test_modules_come_from_the_environment(database_url, monkeypatch):
    monkeypatch.setenv("CONTACTBOOK_MODULES", "sample, ")
    app = create_app(base_config(database_url))
    assert list(registry(app).modules) == ["core", "sample"]


@pytest.mark.parametrize(
    ("app_config", "expected"),
    [
        ({"MODULES": ["sample"], "CONTACTBOOK_JOBS": "sample.tidy_up=off"}, {}),
        (
            {"MODULES": ["sample"], "CONTACTBOOK_JOBS": "sample.tidy_up=0 6 * * 1"},
            {"sample.tidy_up": "6"},
        ),
    ],
    indirect=["app_config"],
)
def test_jobs_can_be_rescheduled_or_turned_off_by_configuration(app, expected):
    scheduler = BackgroundScheduler()
    add_jobs(app, scheduler)
    hours = {job.id: str(job.trigger.fields[5]) for job in scheduler.get_jobs()}
    assert hours == expected


def test_notification_types_take_only_known_urgencies():
    assert NotificationType("sample.x", "X", "high").urgency is Urgency.HIGH
    with pytest.raises(ValueError, match="urgent"):
        NotificationType("sample.y", "Y", "urgent")
