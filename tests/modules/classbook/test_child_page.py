"""The child page in sections, short lists with the rest on a paged timeline, charts that can
be read without seeing them, and an attendance calendar that does not rely on colour."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from contactbook.core.platform.records import utcnow
from contactbook.modules.classbook.models import HealthNote
from tests.conftest import saved
from tests.modules.classbook.conftest import SCHOOL_DAY, SCHOOL_ZONE, term_id

MID_MORNING = datetime(2026, 11, 20, 10, tzinfo=SCHOOL_ZONE)  # nowhere near midnight
SECTIONS = ("today", "grades", "attendance", "comments", "health")


def section(html: str, name: str) -> str:
    """The markup of <section id=name>, which holds no other section."""
    return html.split(f'<section id="{name}">', 1)[1].split("</section>", 1)[0]


def text_of(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def add_notes(app, world, count: int, newest_days_ago: int = 1) -> None:
    """Health notes "Ghi chú số 1" (oldest) .. count (newest), a day apart, the newest
    `newest_days_ago` days ago."""
    now = utcnow()
    saved(
        app,
        *(
            HealthNote(
                student_id=world.child.id,
                category="other",
                text=f"Ghi chú số {number}",
                observed_at=now,
                author_id=world.nurse.id,
                created_at=now - timedelta(days=newest_days_ago + count - number),
            )
            for number in range(1, count + 1)
        ),
    )


def shown_notes(markup: str) -> list[int]:
    return [int(number) for number in re.findall(r"Ghi chú số (\d+)\b", markup)]


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_opens_on_links_to_its_five_sections(client, login, school_class):
    login(school_class.parent.phone)
    html = page_of(client, f"/classbook/children/{school_class.child.id}")
    nav = html.split('<nav class="section-nav" aria-label="Các mục của trang">', 1)[1]
    nav = nav.split("</nav>", 1)[0]
    assert re.findall(r'href="#(\w+)">([^<]+)</a>', nav) == [
        ("today", "Hôm nay"),
        ("grades", "Điểm"),
        ("attendance", "Chuyên cần"),
        ("comments", "Nhận xét"),
        ("health", "Sức khỏe"),
    ]
    assert [html.index(f'<section id="{name}">') for name in SECTIONS] == sorted(
        html.index(f'<section id="{name}">') for name in SECTIONS
    ), "the sections come in the order of their links"


def test_a_reader_of_no_grades_has_no_grades_section_nor_its_link(client, login, school_class):
    login(school_class.nurse.phone)
    html = page_of(client, f"/classbook/children/{school_class.child.id}")
    assert 'href="#grades"' not in html
    assert 'id="grades"' not in html
    assert 'href="#health"' in html


def test_the_first_page_is_short_and_the_timeline_pages_the_rest(app, client, login, school_class):
    world = school_class
    add_notes(app, world, 25)
    login(world.parent.phone)
    child = page_of(client, f"/classbook/children/{world.child.id}")
    assert shown_notes(section(child, "today")) == [25, 24, 23, 22, 21]
    assert shown_notes(section(child, "health")) == [25, 24, 23]
    assert f'href="/classbook/children/{world.child.id}/timeline">Xem cả dòng thời gian' in child
    assert "Ghi chú số 20" not in child

    timeline = f"/classbook/children/{world.child.id}/timeline"
    first = page_of(client, timeline)
    assert shown_notes(first) == list(range(25, 5, -1))
    assert f'rel="next" href="{timeline}?page=2">Cũ hơn</a>' in first
    assert 'rel="prev"' not in first

    second = page_of(client, f"{timeline}?page=2")
    assert shown_notes(second) == [5, 4, 3, 2, 1]
    assert f'rel="prev" href="{timeline}?page=1">Mới hơn</a>' in second
    assert 'rel="next"' not in second

    beyond = page_of(client, f"{timeline}?page=3")
    assert shown_notes(beyond) == []
    assert "Không còn mục nào." in beyond


def test_todays_entries_lead_and_older_ones_follow_as_recent(
    app, client, login, school_class, time_machine
):
    time_machine.move_to(MID_MORNING, tick=True)
    world = school_class
    add_notes(app, world, 3)
    saved(app, today_note(world, 99))
    login(world.parent.phone)
    today = section(page_of(client, f"/classbook/children/{world.child.id}"), "today")
    head, recent = today.split("<h3>Gần đây</h3>")
    assert shown_notes(head) == [99]
    assert shown_notes(recent) == [3, 2, 1]


def test_a_busy_day_still_makes_a_short_first_page(app, client, login, school_class, time_machine):
    time_machine.move_to(MID_MORNING, tick=True)
    world = school_class
    saved(app, *(today_note(world, number) for number in range(1, 9)))
    login(world.parent.phone)
    today = section(page_of(client, f"/classbook/children/{world.child.id}"), "today")
    assert len(shown_notes(today)) == 5
    assert "Gần đây" not in today
    assert "Xem cả dòng thời gian" in today


def today_note(world, number: int) -> HealthNote:
    """A health note written now, seconds apart by number: today's in the middle of a morning."""
    return HealthNote(
        student_id=world.child.id,
        category="temperature",
        text=f"Ghi chú số {number}",
        observed_at=utcnow(),
        author_id=world.nurse.id,
        created_at=utcnow() - timedelta(seconds=10 - number),
    )


def test_the_timeline_shows_one_kind_when_asked(app, client, login, write, school_class):
    world = school_class
    add_notes(app, world, 2)
    maths_teacher = app.test_client()
    login(world.maths_teacher.phone, on=maths_teacher)
    comment = {"kind": "praise", "text": "Em chăm chỉ làm bài tập"}
    url = f"/api/classbook/students/{world.child.id}/comments"
    assert write("POST", url, comment, on=maths_teacher).status_code in (200, 201)
    login(world.parent.phone)
    timeline = f"/classbook/children/{world.child.id}/timeline"

    comments = page_of(client, f"{timeline}?kind=comments")
    assert "Em chăm chỉ làm bài tập" in comments
    assert shown_notes(comments) == []
    assert f'href="{timeline}?kind=comments" aria-current="page">Nhận xét</a>' in comments

    health = page_of(client, f"{timeline}?kind=health")
    assert shown_notes(health) == [2, 1]
    assert "Em chăm chỉ làm bài tập" not in health

    child = page_of(client, f"/classbook/children/{world.child.id}")
    assert "Em chăm chỉ làm bài tập" in section(child, "comments")
    assert f'href="{timeline}?kind=comments">Xem mọi nhận xét</a>' in child


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "page=1001", "page=" + "9" * 40, "kind=secret"]
)
def test_a_bad_page_or_kind_is_a_plain_400(client, login, school_class, query):
    login(school_class.parent.phone)
    response = client.get(f"/classbook/children/{school_class.child.id}/timeline?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("parent", 200),
        ("homeroom", 200),
        ("nurse", 200),
        ("admin", 200),
        ("other_parent", 404),
        ("outsider_teacher", 404),
    ],
)
def test_the_timeline_page_is_seen_by_those_who_see_the_child(
    client, login, school_class, who, status
):
    login(getattr(school_class, who).phone)
    response = client.get(f"/classbook/children/{school_class.child.id}/timeline")
    assert response.status_code == status


def test_the_timeline_page_keeps_grades_from_those_who_may_not_read_them(
    app, client, login, write, school_class
):
    world = school_class
    add_notes(app, world, 1)
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    column = {"subject_id": world.maths.id, "term_id": term_id(app, world.school)}
    column |= {"kind": "regular", "slot": 1, "entries": [{"student_id": world.child.id}]}
    column["entries"][0]["score"] = "7,5"
    grades = f"/api/classbook/classes/{world.room.id}/grades"
    assert write("PUT", grades, column, on=teacher).status_code == 200

    nurse = app.test_client()
    login(world.nurse.phone, on=nurse)
    nurse_sees = page_of(nurse, f"/classbook/children/{world.child.id}/timeline")
    assert shown_notes(nurse_sees) == [1]
    assert "7,5" not in nurse_sees
    login(world.parent.phone)
    parent_sees = page_of(client, f"/classbook/children/{world.child.id}/timeline")
    assert "Toán · ĐĐGtx 1:" in parent_sees


def record_maths(app, login, write, world, scores) -> None:
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    term = term_id(app, world.school)
    for (kind, slot), score in scores.items():
        payload = {"subject_id": world.maths.id, "term_id": term, "kind": kind, "slot": slot}
        payload["entries"] = [{"student_id": world.child.id, "score": score}]
        grades = f"/api/classbook/classes/{world.room.id}/grades"
        assert write("PUT", grades, payload, on=teacher).status_code == 200


def test_a_score_chart_has_axes_names_and_its_values_in_words(
    app, client, login, write, school_class
):
    world = school_class
    record_maths(
        app, login, write, world, {("regular", 1): "4", ("regular", 3): "8,5", ("midterm", 1): "7"}
    )
    login(world.parent.phone)
    grades = section(page_of(client, f"/classbook/children/{world.child.id}"), "grades")
    maths = grades.split("<strong>Toán</strong>", 1)[1].split('<li class="subject">', 1)[0]
    figure = maths.split('<figure class="score-chart">', 1)[1].split("</figure>", 1)[0]
    chart_id = re.search(r'<figcaption id="([\w-]+)">', figure).group(1)
    assert text_of(figure.split("</figcaption>")[0]) == "Biểu đồ điểm: Toán, Học kì I"
    svg = figure.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert f'role="img" aria-labelledby="{chart_id}" aria-describedby="{chart_id}-values"' in svg
    ticks = re.findall(r'class="chart-tick" text-anchor="end">(\d+)</text>', svg)
    assert ticks == ["0", "2", "4", "6", "8", "10"], "the score axis is labelled"
    names = re.findall(r'<text y="[\d.]+" class="chart-name"[^>]*>(.*?)</text>', svg)
    assert [text_of(name) for name in names] == ["ĐĐGtx 1", "ĐĐGtx 3", "ĐĐGgk"]
    assert re.findall(r'class="chart-label" text-anchor="middle">([\d,]+)<', svg) == [
        "4,0",
        "8,5",
        "7,0",
    ]
    values = figure.split(f'<ol class="chart-values" id="{chart_id}-values">', 1)[1]
    assert text_of(values.split("</ol>")[0]) == "ĐĐGtx 1: 4,0 ĐĐGtx 3: 8,5 ĐĐGgk: 7,0"
    dots = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert dots[0] > dots[2] > dots[1], "a higher score sits higher"


def test_one_score_draws_no_chart(app, client, login, write, school_class):
    world = school_class
    record_maths(app, login, write, world, {("regular", 1): "6"})
    login(world.parent.phone)
    html = page_of(client, f"/classbook/children/{world.child.id}")
    assert "ĐĐGtx: 6,0" in section(html, "grades")
    assert "<svg" not in section(html, "grades")


def test_calendar_days_carry_a_letter_the_legend_explains(app, client, login, write, school_class):
    world = school_class
    homeroom = app.test_client()
    login(world.homeroom.phone, on=homeroom)
    roll_call = f"/api/classbook/classes/{world.room.id}/attendance"
    october = date(2026, 10, 5)  # a Monday, a month before any clock the tests run on
    for day, status in (
        (SCHOOL_DAY, "excused"),
        (SCHOOL_DAY - timedelta(days=3), "late"),
        (october, "unexcused"),
    ):
        marks = [{"student_id": world.child.id, "status": status, "note": ""}]
        body = {"day": day.isoformat(), "session": "morning", "marks": marks}
        assert write("PUT", roll_call, body, on=homeroom).status_code == 200
    login(world.parent.phone)
    attendance = section(page_of(client, f"/classbook/children/{world.child.id}"), "attendance")
    legend = attendance.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    assert text_of(legend).endswith("P Vắng có phép (P) K Vắng không phép (K) M Đi muộn"), (
        "every letter of the calendar is in the legend"
    )
    for status, text in (
        ("excused", "16 P Vắng có phép (P)"),
        ("late", "13 M Đi muộn"),
        ("unexcused", "5 K Vắng không phép (K)"),
    ):
        cell = attendance.split(f'<td class="day-{status}">', 1)[1].split("</td>", 1)[0]
        assert text_of(cell) == text, "a letter besides the colour, and words"
        assert f'<span class="day-letter" aria-hidden="true">{text.split()[1]}</span>' in cell
    folded = attendance.split('<details class="month">\n    <summary>10/2026', 1)[1]
    assert text_of(folded.split("</summary>", 1)[0]) == "· Vắng không phép (K): 1"
