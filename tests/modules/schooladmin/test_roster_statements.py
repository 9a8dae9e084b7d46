"""A roster's dry run costs the same SQL statements for a file of 10 rows or of 45."""

from __future__ import annotations

import pytest

from tests.modules.schooladmin.roster_files import confirm, csv_bytes, upload
from tests.statements import statements
from tests.test_statement_budget import STATEMENT_BUDGET


@pytest.fixture
def school(schools, make_classroom):
    """School A with classes 6A and 6B; its admin signs in as admin.a."""
    make_classroom(schools.a, "6B")
    return schools


def _rows(size: int, start: int) -> list[tuple[str, ...]]:
    return [
        (
            f"HS{start + n:03d}",
            f"Nguyễn Văn Học {n}",
            "08/03/2014",
            "Nam",
            "6A" if n % 2 else "6B",
            f"Trần Thị Mẹ {n}",
            f"0912{start + n:06d}",
            "Mẹ",
        )
        for n in range(size)
    ]


def _dry_run_costs(app, client, school_id: int, rows) -> tuple[dict[str, int], int]:
    checked = upload(client, school_id, csv_bytes(rows), "danh-sach.csv")
    assert checked.status_code == 201
    body = checked.get_json()
    costs = {}
    for path in (body["page"], f"/api/schooladmin/roster/imports/{body['id']}"):
        with statements(app) as sent:
            response = client.get(path)
        assert response.status_code == 200, path
        costs[path.split("/")[1]] = len(sent)
    return costs, body["id"]


@pytest.mark.parametrize("size", [10, 45])
def test_a_dry_run_reads_the_same_for_any_file_size(app, client, login, school, size):
    login("admin.a")
    baseline, _ = _dry_run_costs(app, client, school.a.id, _rows(10, 500))

    fresh, import_id = _dry_run_costs(app, client, school.a.id, _rows(size, 1))
    assert confirm(client, import_id).status_code == 200
    again, _ = _dry_run_costs(app, client, school.a.id, _rows(size, 1))

    assert fresh == baseline and again == baseline
    assert max(baseline.values()) <= STATEMENT_BUDGET, baseline
