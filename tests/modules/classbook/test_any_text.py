"""Whatever text a teacher types in a comment (Vietnamese in either Unicode form, emoji, markup,
symbols) is stored as given and shown to the family as text, never as markup."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from contactbook.extensions import db
from contactbook.modules.classbook.models import Comment

VIETNAMESE = "Em Ngọc tiến bộ rõ rệt ở môn Tiếng Việt, cô khen ngợi!"
TYPED = st.sampled_from(
    [
        VIETNAMESE,
        unicodedata.normalize("NFD", VIETNAMESE),
        "<script>alert('xss')</script>",
        "<img src=x onerror=alert(1)> & \"quotes\" 'single'",
        "😀👨‍👩‍👧 giỏi lắm 👏🏽",
        "{{ 7*7 }} {% raw %} ${7*7}",
    ]
)
# Any text of one line: letters of every script, symbols, emoji, markup and control characters.
ANY_LINE = st.text(
    # NUL is refused (no PostgreSQL text can hold it): the test below.
    st.characters(codec="utf-8", exclude_categories=("Cs", "Zl", "Zp"), exclude_characters="\x00"),
    min_size=1,
    max_size=120,
).filter(lambda text: text == text.strip() and text)


def test_any_comment_text_is_kept_as_typed_and_shown_as_text(app, login, write, school_class):
    world = school_class
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    family = app.test_client()
    login(world.parent.phone, on=family)

    @settings(
        max_examples=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=st.one_of(TYPED, ANY_LINE))
    def check(text: str) -> None:
        payload = {"kind": "praise", "text": text, "subject_id": world.maths.id}
        sent = write(
            "POST", f"/api/classbook/students/{world.child.id}/comments", payload, on=teacher
        )
        assert sent.status_code == 201, sent.get_json()
        with app.app_context():
            assert db.session.get(Comment, sent.get_json()["id"]).text == text
        page = family.get(f"/classbook/children/{world.child.id}").get_data(as_text=True)
        assert str(escape(text)) in page

    check()


def test_a_comment_holding_the_nul_character_is_refused_and_nothing_is_stored(
    app, login, write, school_class
):
    world = school_class
    login(world.maths_teacher.phone)
    payload = {"kind": "praise", "text": "Em\x00 giỏi", "subject_id": world.maths.id}
    sent = write("POST", f"/api/classbook/students/{world.child.id}/comments", payload)
    assert sent.status_code == 400
    assert "errors" in sent.get_json()
    with app.app_context():
        assert db.session.scalars(select(Comment)).all() == []
