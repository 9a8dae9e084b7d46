"""Worked examples for the grading rule sets, checked by hand the way a teacher would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contactbook.core.directory.models import SchoolLevel
from contactbook.core.directory.subjects import SubjectCode
from contactbook.modules.classbook.rules import circular22 as tt22
from contactbook.modules.classbook.rules import circular27 as tt27
from contactbook.modules.classbook.rules import ruleset_for

D = Decimal
SCORED = (
    "Ngữ văn",
    "Toán",
    "Ngoại ngữ 1",
    "Khoa học tự nhiên",
    "Lịch sử và Địa lí",
    "Giáo dục công dân",
    "Công nghệ",
    "Tin học",
)
COMMENTED = (
    "Giáo dục thể chất",
    "Nghệ thuật",
    "Hoạt động trải nghiệm – hướng nghiệp",
    "Nội dung giáo dục của địa phương",
)


def scored(*values: str) -> dict[str, Decimal]:
    return dict(zip(SCORED, (D(value) for value in values), strict=True))


def commented(*failed: str) -> dict[str, str]:
    return {name: tt22.FAIL if name in failed else tt22.PASS for name in COMMENTED}


# --- Circular 22: scores and averages -------------------------------------------------------


def test_round_half_up_rounds_8_25_up():
    # The book shows 8,3; float round(8.25, 1) gives 8.2 because 8.25 is stored as 8.2499...
    assert tt22.round_half_up(D("8.25")) == D("8.3")
    assert tt22.round_half_up(D("8.24")) == D("8.2")
    assert tt22.round_half_up(D("7.95")) == D("8.0")


@pytest.mark.parametrize(("periods", "count"), [(35, 2), (36, 3), (70, 3), (71, 4), (140, 4)])
def test_regular_count_boundaries(periods, count):
    assert tt22.regular_count(periods) == count


def test_term_average_worked_example_with_105_periods():
    # Ngoại ngữ 1 has 105 periods a year, so 4 regular scores are needed: one is missing.
    regular = [D("8"), D("7"), D("9")]
    missing = tt22.missing_for_term(105, regular, D("7.5"), None)
    assert missing == ["regular_4", "final"]
    assert tt22.describe_missing(missing) == "ĐĐGtx 4, ĐĐGck"

    # With the fourth score 6 and final 8:
    # (8 + 7 + 9 + 6 + 2 × 7,5 + 3 × 8) ÷ (4 + 5) = (30 + 15 + 24) ÷ 9 = 69 ÷ 9 = 7,666… → 7,7
    regular.append(D("6"))
    assert tt22.missing_for_term(105, regular, D("7.5"), D("8")) == []
    assert tt22.term_average(regular, D("7.5"), D("8")) == D("7.7")


def test_missing_for_term_names_gaps_in_the_middle():
    assert tt22.missing_for_term(35, [None, D("8")], None, D("7")) == ["regular_1", "midterm"]
    assert tt22.describe_missing(["regular_2", "midterm", "final"]) == "ĐĐGtx 2, ĐĐGgk, ĐĐGck"


def test_term_average_sums_regular_scores_rather_than_averaging_them():
    # Right: (9 + 9 + 9 + 2 × 5 + 3 × 5) ÷ (3 + 5) = 52 ÷ 8 = 6,5
    # Wrong (average the regular scores first): (9 + 2 × 5 + 3 × 5) ÷ 6 = 34 ÷ 6 = 5,67 → 5,7
    assert tt22.term_average([D("9"), D("9"), D("9")], D("5"), D("5")) == D("6.5")


def test_term_average_rounds_an_exact_half_up():
    # (8 + 7,5 + 9 + 2 × 8 + 3 × 8,5) ÷ 8 = (24,5 + 16 + 25,5) ÷ 8 = 66 ÷ 8 = 8,25 → 8,3
    assert tt22.term_average([D("8"), D("7.5"), D("9")], D("8"), D("8.5")) == D("8.3")


def test_year_average():
    # (6,5 + 2 × 8,0) ÷ 3 = 22,5 ÷ 3 = 7,5
    assert tt22.year_average(D("6.5"), D("8.0")) == D("7.5")
    # (7 + 2 × 8) ÷ 3 = 23 ÷ 3 = 7,666… → 7,7
    assert tt22.year_average(D("7"), D("8")) == D("7.7")


def test_explanations_show_the_childs_numbers_with_decimal_commas():
    text = tt22.explain_term_average([D("8"), D("7.5"), D("9")], D("8"), D("8.5"))
    assert text == "(8,0 + 7,5 + 9,0 + 2 × 8,0 + 3 × 8,5) ÷ (3 + 5) = 66,0 ÷ 8 ≈ 8,3"
    assert tt22.explain_year_average(D("7.5"), D("8.1")) == "(7,5 + 2 × 8,1) ÷ 3 = 23,7 ÷ 3 = 7,9"
    assert tt22.format_decimal(D("8.5")) == "8,5"
    assert tt22.format_decimal(D("8")) == "8,0"


@pytest.mark.parametrize(
    ("typed", "score"),
    [("8,5", "8.5"), ("8.5", "8.5"), (" 8 ", "8.0"), (8, "8.0"), (D("8.5"), "8.5"), (8.5, "8.5")],
)
def test_parse_score_accepts(typed, score):
    parsed = tt22.parse_score(typed)
    assert parsed == D(score)
    assert str(parsed) == score


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10,5", "từ 0 đến 10"),
        (D("10.5"), "từ 0 đến 10"),
        (-1, "từ 0 đến 10"),
        ("7,25", "một chữ số thập phân"),
        (D("7.25"), "một chữ số thập phân"),
        (0.1 + 0.2, "một chữ số thập phân"),
        ("abc", "không hợp lệ"),
        ("1e1", "không hợp lệ"),
        ("", "Chưa nhập"),
        ("NaN", "không hợp lệ"),
        (D("Infinity"), "không hợp lệ"),
        (float("nan"), "không hợp lệ"),
        (True, "không hợp lệ"),
    ],
)
def test_parse_score_refuses(typed, message):
    with pytest.raises(tt22.ScoreError, match=message):
        tt22.parse_score(typed)


def test_comment_ratings():
    assert tt22.comment_term_rating([tt22.PASS, tt22.PASS]) == tt22.PASS
    assert tt22.comment_term_rating([tt22.PASS, tt22.FAIL]) == tt22.FAIL
    assert tt22.comment_year_rating(tt22.FAIL, tt22.PASS) == tt22.PASS
    assert tt22.comment_year_rating(tt22.PASS, tt22.FAIL) == tt22.FAIL


# --- Circular 22: academic results ----------------------------------------------------------


def test_result_tot_at_the_thresholds():
    # Exactly 6 subjects at 8,0 or more; the lowest exactly 6,5.
    result = tt22.academic_result_explained(
        scored("8.0", "8.5", "9.0", "8.0", "8.2", "8.0", "6.5", "7.0"), commented()
    )
    assert result == (tt22.TOT, [])


def test_result_kha_when_only_five_subjects_reach_8():
    level, reasons = tt22.academic_result_explained(
        scored("9", "9", "9", "9", "9", "7", "7", "7"), commented()
    )
    assert level == tt22.KHA
    assert reasons == ["Chỉ 5 môn từ 8,0 trở lên (cần ít nhất 6)"]


def test_result_one_level_down_is_not_raised():
    # Toán 6,4 alone keeps a Tốt student at Khá: one level, so Art. 9.3 does not apply.
    level, reasons = tt22.academic_result_explained(
        scored("9", "6.4", "9", "9", "9", "9", "9", "9"), commented()
    )
    assert level == tt22.KHA
    assert reasons == ["Toán 6,4 < 6,5"]


def test_result_dat():
    # Toán 4,0 < 5,0 rules out Khá; one comment subject Chưa đạt is still allowed for Đạt.
    assert (
        tt22.academic_result(
            scored("7", "4.0", "7", "7", "7", "6", "5", "7"), commented("Nghệ thuật")
        )
        == tt22.DAT
    )


def test_result_chua_dat_when_too_few_subjects_reach_5():
    assert (
        tt22.academic_result(scored("9", "4", "9", "4", "9", "4", "9", "9"), commented())
        == tt22.CHUA_DAT
    )


def test_result_raised_when_one_score_pulls_it_down_two_levels():
    # Seven subjects ≥ 8,0, Toán 3,0. Without the raise: Chưa đạt (a score < 3,5). But for Toán it
    # would be Tốt, three levels higher, so Art. 9.3 raises it one level, to Đạt.
    level, reasons = tt22.academic_result_explained(
        scored("8.5", "3.0", "9", "8", "8", "8.2", "9.1", "8"), commented()
    )
    assert level == tt22.DAT
    assert "Toán 3,0 < 3,5" in reasons
    assert any("khoản 3 Điều 9" in reason and "Toán" in reason for reason in reasons)


def test_result_raised_when_one_comment_subject_pulls_it_down_two_levels():
    # Tốt-level scores but Giáo dục thể chất Chưa đạt: Đạt without the raise, Tốt but for that one
    # subject, so it is raised to Khá.
    assert (
        tt22.academic_result(
            scored("9", "9", "9", "9", "9", "9", "9", "9"), commented("Giáo dục thể chất")
        )
        == tt22.KHA
    )


def test_result_not_raised_when_two_subjects_pull_it_down():
    # Toán 3,0 and Ngữ văn 3,2: lifting either one alone still leaves a score < 3,5.
    level, reasons = tt22.academic_result_explained(
        scored("3.2", "3.0", "9", "9", "9", "9", "9", "9"), commented()
    )
    assert level == tt22.CHUA_DAT
    assert reasons == ["Ngữ văn 3,2 < 3,5", "Toán 3,0 < 3,5"]


# --- Circular 27: primary -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "score"), [("8", 8), (" 10 ", 10), (0, 0), (D("7"), 7)])
def test_parse_test_score_accepts(typed, score):
    assert tt27.parse_test_score(typed) == score


@pytest.mark.parametrize("typed", ["8,5", "8.5", 11, -1, "", "abc", 8.0, D("8.5"), True])
def test_parse_test_score_refuses(typed):
    with pytest.raises(tt27.ScoreError, match="số nguyên từ 0 đến 10"):
        tt27.parse_test_score(typed)


def test_tested_subjects_by_grade():
    assert tt27.tested_subjects(2, term_end=True) == {SubjectCode.TIENG_VIET, SubjectCode.TOAN}
    assert tt27.tested_subjects(2, term_end=False) == frozenset()
    assert tt27.tested_subjects(3, term_end=True) == {
        SubjectCode.TIENG_VIET,
        SubjectCode.TOAN,
        SubjectCode.NGOAI_NGU_1,
        SubjectCode.TIN_HOC_CONG_NGHE,
    }
    assert tt27.tested_subjects(3, term_end=False) == frozenset()
    assert tt27.tested_subjects(4, term_end=True) == {
        SubjectCode.TIENG_VIET,
        SubjectCode.TOAN,
        SubjectCode.NGOAI_NGU_1,
        SubjectCode.TIN_HOC_CONG_NGHE,
        SubjectCode.KHOA_HOC,
        SubjectCode.LICH_SU_DIA_LI,
    }
    assert tt27.tested_subjects(4, term_end=False) == {SubjectCode.TIENG_VIET, SubjectCode.TOAN}
    with pytest.raises(ValueError):
        tt27.tested_subjects(6, term_end=True)


def test_year_result():
    all_tot = {key: tt27.TOT for key, _ in tt27.QUALITIES + tt27.COMPETENCES}
    all_htt = {"Tiếng Việt": tt27.HTT, "Toán": tt27.HTT, "Đạo đức": tt27.HTT}

    assert tt27.year_result(all_htt, all_tot, {"Tiếng Việt": 10, "Toán": 9}) == tt27.HTXS
    assert tt27.year_result(all_htt, all_tot, {"Tiếng Việt": 10, "Toán": 8}) == tt27.HTT
    assert tt27.year_result(all_htt, all_tot, {"Tiếng Việt": 10, "Toán": 6}) == tt27.HT
    one_ht = {**all_htt, "Đạo đức": tt27.HT}
    assert tt27.year_result(one_ht, all_tot, {"Tiếng Việt": 10, "Toán": 10}) == tt27.HT
    one_dat = {**all_tot, "cham_chi": tt27.DAT}
    assert tt27.year_result(all_htt, one_dat, {"Tiếng Việt": 5, "Toán": 5}) == tt27.HT
    assert tt27.year_result(all_htt, all_tot, {"Tiếng Việt": 4, "Toán": 10}) == tt27.CHT
    one_cht = {**all_htt, "Toán": tt27.CHT}
    assert tt27.year_result(one_cht, all_tot, {"Tiếng Việt": 10, "Toán": 10}) == tt27.CHT
    one_ccg = {**all_tot, "tinh_toan": tt27.CCG}
    assert tt27.year_result(all_htt, one_ccg, {"Tiếng Việt": 10, "Toán": 10}) == tt27.CHT
    assert tt27.YEAR_RESULT_LABELS[tt27.HTXS] == "Hoàn thành xuất sắc"


# --- Choosing a rule set --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "starts_on", "version"),
    [
        (SchoolLevel.PRIMARY, date(2020, 9, 5), "TT27/2020"),
        ("primary", date(2026, 9, 5), "TT27/2020"),
        (SchoolLevel.LOWER_SECONDARY, date(2021, 9, 5), "TT22/2021"),
        ("lower_secondary", date(2021, 8, 1), "TT22/2021"),
        (SchoolLevel.UPPER_SECONDARY, date(2026, 9, 5), "TT22/2021"),
    ],
)
def test_ruleset_for_picks_the_circular(level, starts_on, version):
    assert ruleset_for(level, starts_on).VERSION == version


@pytest.mark.parametrize(
    ("level", "starts_on"),
    [
        (SchoolLevel.LOWER_SECONDARY, date(2019, 9, 5)),
        ("upper_secondary", date(2020, 9, 5)),
        ("primary", date(2019, 9, 5)),
        ("kindergarten", date(2026, 9, 5)),
    ],
)
def test_ruleset_for_refuses_unknown_levels_and_earlier_years(level, starts_on):
    with pytest.raises(LookupError):
        ruleset_for(level, starts_on)
