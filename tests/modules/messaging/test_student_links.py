"""The child's page links to the conversation about the child through the module contract:
there for the family and the homeroom teacher, and gone when messaging is not loaded."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("wednesday_morning")


def child_page(client, student) -> str:
    page = client.get(f"/classbook/children/{student.id}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_family_reaches_the_conversation_in_one_tap(client, login, world):
    login(world.parent.phone)
    link = f'href="/messaging/children/{world.child.id}">Trao đổi với giáo viên</a>'
    assert link in child_page(client, world.child)
    start = client.get(f"/messaging/children/{world.child.id}").get_data(as_text=True)
    assert "start-conversation" in start


@pytest.mark.parametrize(
    ("who", "label"),
    [("homeroom", "Trao đổi với phụ huynh"), ("subject_teacher", None), ("admin", None)],
)
def test_only_the_homeroom_teacher_among_staff_gets_the_link(client, login, world, who, label):
    login(getattr(world, who).phone)
    page = child_page(client, world.child)
    assert (f"/messaging/children/{world.child.id}" in page) is (label is not None)
    if label:
        assert label in page


@pytest.mark.parametrize("app_config", [["classbook", "schooladmin"]], indirect=True)
def test_without_messaging_the_child_page_has_no_such_link(client, login, world):
    login(world.parent.phone)
    page = child_page(client, world.child)
    assert "/messaging/" not in page
    assert "Trao đổi với giáo viên" not in page
    assert client.get(f"/messaging/children/{world.child.id}").status_code == 404


@pytest.fixture
def app_config(app_config, request):
    """The default modules, or the list a test names."""
    modules = getattr(request, "param", None)
    return {**app_config, "MODULES": modules} if modules else app_config
