"""Comments: the kind is chosen, and the author corrects or withdraws a comment within a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from contactbook.core.delivery.models import Delivery, Notification
from contactbook.core.directory.models import User
from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from contactbook.modules.classbook.models import Comment
from contactbook.modules.classbook.notifications import render_comment
from contactbook.modules.classbook.services.summary_news import summaries_for
from tests.modules.classbook.conftest import count_rows

CONCERN = "Em hay quên vở bài tập."
PRAISE = "Em giải bài khó rất nhanh."
PAGE_TEXT_CORRECTED = "(đã sửa)"
TOO_LATE = "Chỉ có thể sửa hoặc rút lại nhận xét trong vòng 24 giờ sau khi viết."


def comments_url(student) -> str:
    return f"/api/classbook/students/{student.id}/comments"


def comment_url(comment_id: int) -> str:
    return f"/api/classbook/comments/{comment_id}"


def child_page(client, student) -> str:
    response = client.get(f"/classbook/children/{student.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def praised_by_mistake(app, login, write, school_class):
    """The maths teacher meant a concern about Ngọc in maths, but sent it as praise."""
    world = school_class
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    payload = {"kind": "praise", "text": CONCERN, "subject_id": world.maths.id}
    response = write("POST", comments_url(world.child), payload, on=teacher)
    assert response.status_code == 201
    return response.get_json()["id"]


def the_comment(app, comment_id: int) -> Comment:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        db.session.expunge(comment)
        return comment


def notifications_of(app, user) -> list[Notification]:
    with app.app_context():
        return db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        ).all()


def audit_of(app, comment_id: int) -> list[tuple[str, dict | None, dict | None]]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "Comment", AuditEntry.object_id == str(comment_id))
            .order_by(AuditEntry.id)
        )
        return [(row.action, row.before, row.after) for row in rows]


def test_a_comment_without_a_kind_is_refused_in_words(app, login, write, school_class):
    login(school_class.maths_teacher.phone)
    response = write("POST", comments_url(school_class.child), {"text": CONCERN})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"kind": ["Hãy chọn khen hoặc nhắc nhở."]}
    assert count_rows(app, Comment) == 0


def test_the_comment_form_has_no_kind_chosen(app, client, login, school_class):
    login(school_class.maths_teacher.phone)
    html = child_page(client, school_class.child)
    form = html[html.index('<select id="c-kind"') : html.index("</select>", html.index("c-kind"))]
    assert 'name="kind" required' in form
    assert '<option value="" selected>Chọn…</option>' in form
    assert form.count("selected") == 1, "no kind is chosen for the teacher"


def test_the_author_corrects_a_comment_and_the_family_sees_it_was_corrected(
    app, client, login, write, school_class, praised_by_mistake
):
    world = school_class
    login(world.maths_teacher.phone)
    change = {"kind": "concern", "text": CONCERN + " Cần nhắc em mỗi tối."}
    response = write("PATCH", comment_url(praised_by_mistake), change)
    assert response.status_code == 200
    assert response.get_json()["kind"] == "concern"
    assert response.get_json()["corrected_at"] is not None
    assert response.get_json()["subject_id"] == world.maths.id, "a field not sent is kept"

    assert audit_of(app, praised_by_mistake)[1:] == [
        (
            "classbook.comment_corrected",
            {"kind": "praise", "text": CONCERN, "subject_id": world.maths.id},
            {"kind": "concern", "text": change["text"], "subject_id": world.maths.id},
        )
    ]
    family = app.test_client()
    login(world.parent.phone, on=family)
    html = child_page(family, world.child)
    assert f'Nhắc nhở</span> {change["text"]} · Toán <em class="corrected">(đã sửa)</em>' in html
    assert "Khen</span>" not in html
    assert "Sửa</summary>" not in html, "the family cannot change it"


def test_a_wrong_kind_is_told_again_a_corrected_text_is_not(
    app, login, write, school_class, praised_by_mistake
):
    world = school_class
    login(world.maths_teacher.phone)
    write("PATCH", comment_url(praised_by_mistake), {"text": CONCERN + " (môn Toán)"})
    news = notifications_of(app, world.parent)
    assert [(n.event, n.replaced_at) for n in news] == [("classbook.comment_added", None)]

    write("PATCH", comment_url(praised_by_mistake), {"kind": "concern"})
    news = notifications_of(app, world.parent)
    assert [n.data["kind"] for n in news] == ["praise", "concern"]
    assert news[0].replaced_at is not None, "the unread news that said 'praised' is replaced"
    assert news[1].replaced_at is None
    assert news[1].data["corrected"] is True
    with app.test_request_context():
        told = render_comment(news[1].data | {"student_id": world.child.id})
    assert told.title == "Giáo viên có nhận xét về Nguyễn Bảo Ngọc"
    assert told.body == "Giáo viên đã sửa nhận xét này."


def test_an_unchanged_correction_changes_nothing(
    app, login, write, school_class, praised_by_mistake
):
    login(school_class.maths_teacher.phone)
    response = write("PATCH", comment_url(praised_by_mistake), {"kind": "praise"})
    assert response.status_code == 200
    assert response.get_json()["corrected_at"] is None
    assert len(audit_of(app, praised_by_mistake)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"kind": None}, "kind"),
        ({"text": ""}, "text"),
        ({"subject_id": "Toán"}, "subject_id"),
    ],
)
def test_bad_corrections_get_field_errors(
    app, login, write, school_class, praised_by_mistake, change, field
):
    login(school_class.maths_teacher.phone)
    response = write("PATCH", comment_url(praised_by_mistake), change)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]
    assert the_comment(app, praised_by_mistake).corrected_at is None


def test_a_correction_keeps_to_the_subjects_the_author_teaches(
    app, login, write, school_class, praised_by_mistake
):
    world = school_class
    login(world.maths_teacher.phone)
    refused = write("PATCH", comment_url(praised_by_mistake), {"subject_id": world.arts.id})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["subject_id"]
    general = write("PATCH", comment_url(praised_by_mistake), {"subject_id": None})
    assert general.status_code == 200
    assert the_comment(app, praised_by_mistake).subject_id is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("maths_teacher", None),
        ("homeroom", 403),
        ("nurse", 403),
        ("admin", 403),
        ("parent", 403),
        ("other_parent", 404),
        ("outsider_teacher", 404),
    ],
)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_only_the_author_corrects_or_withdraws(
    app, login, write, school_class, praised_by_mistake, who, status, method
):
    login(getattr(school_class, who).phone)
    response = write(method, comment_url(praised_by_mistake), {"kind": "concern"})
    expected = status or (200 if method == "PATCH" else 204)
    assert response.status_code == expected
    comment = the_comment(app, praised_by_mistake)
    changed = comment.corrected_at is not None or comment.withdrawn_at is not None
    assert changed is (status is None)


def test_the_homeroom_teacher_is_told_why(app, login, write, school_class, praised_by_mistake):
    login(school_class.homeroom.phone)
    response = write("DELETE", comment_url(praised_by_mistake), {})
    assert response.status_code == 403
    assert response.get_json()["message"] == (
        "Chỉ giáo viên viết nhận xét mới có thể sửa hoặc rút lại nhận xét đó."
    )


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_day_after_writing_the_comment_stands(
    app, login, write, school_class, praised_by_mistake, time_machine, method
):
    written = the_comment(app, praised_by_mistake).created_at
    login(school_class.maths_teacher.phone)
    time_machine.move_to(written + timedelta(hours=24), tick=False)
    response = write(method, comment_url(praised_by_mistake), {"kind": "concern"})
    assert response.status_code == 403
    assert response.get_json()["message"] == TOO_LATE
    comment = the_comment(app, praised_by_mistake)
    assert (comment.kind, comment.corrected_at, comment.withdrawn_at) == ("praise", None, None)


@pytest.mark.parametrize(("method", "status"), [("PATCH", 200), ("DELETE", 204)])
def test_just_under_a_day_the_author_may_still_change_it(
    app, login, write, school_class, praised_by_mistake, time_machine, method, status
):
    written = the_comment(app, praised_by_mistake).created_at
    login(school_class.maths_teacher.phone)
    time_machine.move_to(written + timedelta(hours=24, seconds=-1), tick=False)
    response = write(method, comment_url(praised_by_mistake), {"kind": "concern"})
    assert response.status_code == status


def test_the_pupil_page_offers_changes_only_to_the_author_within_a_day(
    app, client, login, school_class, praised_by_mistake, time_machine
):
    world = school_class
    written = the_comment(app, praised_by_mistake).created_at
    login(world.maths_teacher.phone)
    html = child_page(client, world.child)
    assert 'data-method="PATCH"' in html
    assert "Rút lại</button>" in html
    homeroom = app.test_client()
    login(world.homeroom.phone, on=homeroom)
    assert "Rút lại</button>" not in child_page(homeroom, world.child)
    time_machine.move_to(written + timedelta(hours=24), tick=False)
    html = child_page(client, world.child)
    assert CONCERN in html
    assert "Rút lại</button>" not in html


def test_a_withdrawn_comment_leaves_the_family_and_is_not_told_again(
    app, login, write, school_class, praised_by_mistake
):
    world = school_class
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == world.parent.id).values(email="mai@example.invalid")
        )
        db.session.commit()
    family = app.test_client()
    login(world.parent.phone, on=family)
    assert CONCERN in child_page(family, world.child)
    # A second comment, so the family's own email waits in the outbox (none was set before).
    login(world.maths_teacher.phone)
    second = write("POST", comments_url(world.child), {"kind": "praise", "text": PRAISE})
    second_id = second.get_json()["id"]
    with app.app_context():
        waiting = db.session.scalars(
            select(Delivery.id)
            .join(Notification, Notification.id == Delivery.notification_id)
            .where(Notification.data["comment_id"].as_integer() == second_id)
        ).all()
    assert len(waiting) == 1
    before = len(notifications_of(app, world.parent))

    response = write("DELETE", comment_url(second_id), {})
    assert response.status_code == 204

    html = child_page(family, world.child)
    assert PRAISE not in html
    assert CONCERN in html, "only the withdrawn comment is gone"
    news = notifications_of(app, world.parent)
    assert len(news) == before, "nothing new is sent about a withdrawal"
    assert [n.replaced_at is not None for n in news] == [False, True]
    with app.app_context():
        assert db.session.get(Delivery, waiting[0]) is None, "its news is not sent late"
    inbox = family.get("/inbox").get_data(as_text=True)
    assert inbox.count("Nguyễn Bảo Ngọc") == 1
    assert audit_of(app, second_id)[1:] == [
        (
            "classbook.comment_withdrawn",
            {"kind": "praise", "text": PRAISE, "subject_id": None},
            None,
        )
    ]


def test_a_withdrawn_comment_is_gone_for_its_author_too(
    app, login, write, school_class, praised_by_mistake
):
    login(school_class.maths_teacher.phone)
    key = "withdraw-once"
    assert write("DELETE", comment_url(praised_by_mistake), {}, key=key).status_code == 204
    replay = write("DELETE", comment_url(praised_by_mistake), {}, key=key)
    assert replay.status_code == 204
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert write("DELETE", comment_url(praised_by_mistake), {}).status_code == 404
    assert write("PATCH", comment_url(praised_by_mistake), {"text": PRAISE}).status_code == 404
    assert len(audit_of(app, praised_by_mistake)) == 2


def test_later_daily_summaries_leave_a_withdrawn_comment_out(
    app, login, write, school_class, praised_by_mistake
):
    world = school_class

    def praise_in_summary() -> int:
        with app.app_context():
            school = db.session.merge(world.school)
            lines = summaries_for(school, school.today())[world.parent.id]
            return lines[0]["praise"]

    assert praise_in_summary() == 1
    login(world.maths_teacher.phone)
    write("DELETE", comment_url(praised_by_mistake), {})
    assert praise_in_summary() == 0
