"""Term figures: each pupil's subject average or rating, kept when a grade column is saved."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import delete, select

from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade, GradeKind, TermFigure
from tests.modules.classbook.conftest import SCHOOL_DAY, term_id
from tests.statements import statements

HISTORY_TERM = [  # 105 periods a year: four regular scores, then midterm and final
    ("regular", 1, "8", "9"),
    ("regular", 2, "7", "9"),
    ("regular", 3, "9", "9"),
    ("regular", 4, "6", None),
    ("midterm", 1, "7,5", "9"),
    ("final", 1, "8", "9"),
]


def figures(app) -> dict[int, tuple[Decimal | None, str | None]]:
    with app.app_context():
        return {
            figure.student_id: (figure.average, figure.rating)
            for figure in db.session.scalars(select(TermFigure))
        }


def save(app, write, world, kind, slot, **scores):
    payload = {
        "subject_id": world.history.id,
        "term_id": term_id(app, world.school),
        "kind": kind,
        "slot": slot,
        "entries": [
            {"student_id": world.pupils[int(key[1:])].id, "score": value}
            for key, value in scores.items()
        ],
    }
    response = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", payload)
    assert response.status_code == 200, response.get_json()
    return response


def record_history(app, login, write, world) -> None:
    login(world.maths_teacher.phone)
    for kind, slot, first, second in HISTORY_TERM:
        save(app, write, world, kind, slot, p0=first, **({"p1": second} if second else {}))


def test_a_complete_term_has_the_average_the_rules_give(app, login, write, school_class):
    world = school_class
    record_history(app, login, write, school_class)
    # (8 + 7 + 9 + 6 + 2 × 7,5 + 3 × 8) ÷ (4 + 5) = 69 ÷ 9 = 7,666… → 7,7; the second pupil
    # lacks a regular score, so no average yet; the third has no grade, so no figure at all.
    assert figures(app) == {
        world.pupils[0].id: (Decimal("7.7"), None),
        world.pupils[1].id: (None, None),
    }


def test_a_corrected_or_cleared_grade_changes_the_figure(app, login, write, school_class):
    world = school_class
    record_history(app, login, write, school_class)
    save(app, write, world, "final", 1, p0="9", p1="9")
    # (30 + 15 + 27) ÷ 9 = 8,0
    assert figures(app)[world.pupils[0].id] == (Decimal("8.0"), None)
    save(app, write, world, "regular", 4, p1="6")
    # (9 + 9 + 9 + 6 + 2 × 9 + 3 × 9) ÷ 9 = 78 ÷ 9 = 8,666… → 8,7
    assert figures(app)[world.pupils[1].id] == (Decimal("8.7"), None)
    save(app, write, world, "final", 1, p0="")
    assert figures(app)[world.pupils[0].id] == (None, None)


def test_a_column_save_writes_the_figures_in_one_statement(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    with statements(app) as sent:
        save(app, write, world, "regular", 1, p0="8", p1="7", p2="9")
    figure_writes = [s for s in sent if "classbook_term_figures" in s]
    assert len(figure_writes) == 1, figure_writes
    assert figure_writes[0].lstrip().upper().startswith("INSERT")
    assert len(figures(app)) == 3


def test_the_command_computes_figures_for_grades_saved_before_they_were_kept(
    app, login, write, runner, school_class
):
    record_history(app, login, write, school_class)
    kept = figures(app)
    with app.app_context():
        db.session.execute(delete(TermFigure))
        db.session.commit()
        assert db.session.scalar(select(Grade.id).where(Grade.kind == GradeKind.FINAL))
    assert figures(app) == {}
    result = runner.invoke(args=["classbook", "term-figures"])
    assert result.exit_code == 0, result.output
    assert "Term figures computed: 2." in result.output
    assert figures(app) == kept
    assert runner.invoke(args=["classbook", "term-figures"]).exit_code == 0
    assert figures(app) == kept


def test_the_term_averages_report_reads_the_figures(app, login, write, school_class):
    world = school_class
    record_history(app, login, write, school_class)
    save(app, write, world, "final", 1, p0="9", p1="9")
    save(app, write, world, "regular", 4, p1="6")
    admin = app.test_client()
    login(world.admin.phone, on=admin)
    url = f"/schooladmin/reports/schools/{world.school.id}/classbook.term_averages/export.csv"
    response = admin.get(f"{url}?start={SCHOOL_DAY}&end={SCHOOL_DAY}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    # Both pupils have an average (8,0 and 8,7): the class's mean is 8,35, none below 5,0.
    assert rows[1:] == [["Học kì I", world.room.name, world.history.name, "2", "8.35", "0"]]
