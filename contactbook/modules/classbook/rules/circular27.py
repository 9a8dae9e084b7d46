"""Primary assessment rules of Thông tư 27/2020/TT-BGDĐT: levels, tests, year results, RuleSet."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from flask_babel import gettext as _

from contactbook.core.directory import Subject, SubjectCode
from contactbook.modules.classbook.models import GradeKind
from contactbook.modules.classbook.rules.ruleset import (
    ColumnChoice,
    Entries,
    EntryForm,
    RuleSet,
    TermCell,
)

VERSION = "TT27/2020"
TITLE = "Thông tư 27/2020/TT-BGDĐT"

# Periodic assessment of each subject (Art. 6).
HTT = "htt"
HT = "ht"
CHT = "cht"
LEVELS = (HTT, HT, CHT)
LEVEL_LABELS = {HTT: "Hoàn thành tốt", HT: "Hoàn thành", CHT: "Chưa hoàn thành"}
LEVEL_ABBREVIATIONS = {HTT: "HTT", HT: "HT", CHT: "CHT"}

# Periodic assessment of each quality and competence.
TOT = "tot"
DAT = "dat"
CCG = "ccg"
TRAIT_RATINGS = (TOT, DAT, CCG)
TRAIT_LABELS = {TOT: "Tốt", DAT: "Đạt", CCG: "Cần cố gắng"}

QUALITIES = (
    ("yeu_nuoc", "Yêu nước"),
    ("nhan_ai", "Nhân ái"),
    ("cham_chi", "Chăm chỉ"),
    ("trung_thuc", "Trung thực"),
    ("trach_nhiem", "Trách nhiệm"),
)
GENERAL_COMPETENCES = (
    ("tu_chu_tu_hoc", "Tự chủ và tự học"),
    ("giao_tiep_hop_tac", "Giao tiếp và hợp tác"),
    ("giai_quyet_van_de_sang_tao", "Giải quyết vấn đề và sáng tạo"),
)
SPECIFIC_COMPETENCES = (
    ("ngon_ngu", "Ngôn ngữ"),
    ("tinh_toan", "Tính toán"),
    ("khoa_hoc", "Khoa học"),
    ("cong_nghe", "Công nghệ"),
    ("tin_hoc", "Tin học"),
    ("tham_mi", "Thẩm mĩ"),
    ("the_chat", "Thể chất"),
)
COMPETENCES = GENERAL_COMPETENCES + SPECIFIC_COMPETENCES

# Year result (Art. 9).
HTXS = "htxs"
YEAR_RESULTS = (HTXS, HTT, HT, CHT)
YEAR_RESULT_LABELS = {
    HTXS: "Hoàn thành xuất sắc",
    HTT: "Hoàn thành tốt",
    HT: "Hoàn thành",
    CHT: "Chưa hoàn thành",
}

# Circular 27 sets no absence limit of its own; primary families are shown the one secondary
# schools apply (Circular 22 Art. 12) until the school's guidance says otherwise (verify).
ABSENCE_LIMIT_DAYS = 45
ABSENCE_WARNING_DAYS = 35

GRADES = range(1, 6)
TIENG_VIET = SubjectCode.TIENG_VIET
TOAN = SubjectCode.TOAN
NGOAI_NGU_1 = SubjectCode.NGOAI_NGU_1
TIN_HOC_CONG_NGHE = SubjectCode.TIN_HOC_CONG_NGHE
KHOA_HOC = SubjectCode.KHOA_HOC
LICH_SU_DIA_LI = SubjectCode.LICH_SU_DIA_LI

_TEST_SCORE_MESSAGE = "Điểm kiểm tra định kì là số nguyên từ 0 đến 10."
_INTEGER_TEXT = re.compile(r"[+-]?\d+")


class ScoreError(ValueError):
    """A test score that cannot go into the record; the message is shown to the teacher."""


def parse_test_score(value: str | int | Decimal) -> int:
    """Parse a periodic test score: a whole number from 0 to 10."""
    if isinstance(value, bool):
        raise ScoreError(_TEST_SCORE_MESSAGE)
    if isinstance(value, str):
        text = value.strip()
        if not _INTEGER_TEXT.fullmatch(text):
            raise ScoreError(_TEST_SCORE_MESSAGE)
        score = int(text)
    elif isinstance(value, int):
        score = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        score = int(value)
    else:
        # Floats are refused outright: a test score is never fractional.
        raise ScoreError(_TEST_SCORE_MESSAGE)
    if not 0 <= score <= 10:
        raise ScoreError(_TEST_SCORE_MESSAGE)
    return score


def tested_subjects(grade_level: int, term_end: bool) -> frozenset[SubjectCode]:
    """Return the codes of the subjects with a periodic test, at end or middle of a semester."""
    if grade_level not in GRADES:
        raise ValueError(f"primary grades are 1 to 5, got {grade_level}")
    # Art. 7: verify the exact list against the circular and each year's guidance.
    if not term_end:
        # Only grades 4 and 5 sit mid-semester tests, and only in Tiếng Việt and Toán.
        return frozenset({TIENG_VIET, TOAN}) if grade_level >= 4 else frozenset()
    subjects = {TIENG_VIET, TOAN}
    if grade_level >= 3:
        subjects |= {NGOAI_NGU_1, TIN_HOC_CONG_NGHE}
    if grade_level >= 4:
        subjects |= {KHOA_HOC, LICH_SU_DIA_LI}
    return frozenset(subjects)


def year_result(
    subject_levels: Mapping[str, str],
    trait_ratings: Mapping[str, str],
    test_scores: Mapping[str, int],
) -> str:
    """Rate a pupil's year: htxs, htt, ht or cht (Art. 9).

    `subject_levels` holds each subject's end-of-year level, `trait_ratings` each quality and
    competence's end-of-year rating, and `test_scores` each end-of-year test score.
    """
    if not subject_levels:
        raise ValueError("a year result needs at least one subject")
    for level in subject_levels.values():
        if level not in LEVEL_LABELS:
            raise ValueError(f"unknown subject level {level!r}")
    for rating in trait_ratings.values():
        if rating not in TRAIT_LABELS:
            raise ValueError(f"unknown quality or competence rating {rating!r}")
    scores = [parse_test_score(score) for score in test_scores.values()]
    levels = set(subject_levels.values())
    ratings = set(trait_ratings.values())
    lowest_score = min(scores, default=10)

    if levels <= {HTT} and ratings <= {TOT} and lowest_score >= 9:
        return HTXS
    # verify: the test score threshold of 7 for Hoàn thành tốt.
    if levels <= {HTT} and ratings <= {TOT} and lowest_score >= 7:
        return HTT
    # verify: the test score threshold of 5 for Hoàn thành.
    if levels <= {HTT, HT} and ratings <= {TOT, DAT} and lowest_score >= 5:
        return HT
    return CHT


class Circular27(RuleSet):
    """Circular 27 as the contact book asks it: levels and test scores, qualities, competences."""

    VERSION = VERSION
    TITLE = TITLE
    traits = QUALITIES + COMPETENCES
    trait_labels = TRAIT_LABELS
    trait_slots = (1, 2)
    absence_limit_days = ABSENCE_LIMIT_DAYS
    absence_warning_days = ABSENCE_WARNING_DAYS

    def trait_columns(self) -> list[tuple[dict[str, str | int], str]]:
        """Each quality and competence at the end of term (slot 2), then at mid-term (slot 1)."""
        return [
            ({"trait": key, "slot": slot}, f"{label} · {moment}")
            for slot, moment in ((2, _("End of term")), (1, _("Mid-term")))
            for key, label in self.traits
        ]

    def columns(self, subject: Subject) -> list[ColumnChoice]:
        """The mid-term (slot 1) and end-of-term (slot 2) assessments."""
        return [
            ColumnChoice(GradeKind.MIDTERM, 1, _("Mid-term")),
            ColumnChoice(GradeKind.FINAL, 2, _("End of term")),
        ]

    def entry_form(self, subject: Subject) -> EntryForm:
        """A level for every subject, with a whole-number test score where there is a test."""
        return EntryForm("primary", LEVEL_LABELS, _("A whole number from 0 to 10."))

    def parse_entry(
        self, subject: Subject, grade_level: int, slot: int, score: str, rating: str | None
    ) -> tuple[int | None, str | None]:
        """A level, and a test score only where the subject is tested at this point."""
        if rating is not None and rating not in LEVEL_LABELS:
            raise ValueError(_("Choose Hoàn thành tốt, Hoàn thành or Chưa hoàn thành."))
        if not score:
            return None, rating
        tested = tested_subjects(grade_level, term_end=slot == 2)
        if subject.code not in tested:
            raise ValueError(_("This subject has no test score at this point of the term."))
        return parse_test_score(score) * 10, rating

    def format_score(self, score: Decimal) -> str:
        """A periodic test score is a whole number, and is written as one: 9."""
        return str(int(score))

    def rating_label(self, rating: str) -> str:
        """Hoàn thành tốt, Hoàn thành or Chưa hoàn thành."""
        return LEVEL_LABELS.get(rating, rating)

    def short_label(self, rating: str) -> str | None:
        """HTT, HT or CHT, as teachers abbreviate the levels."""
        return LEVEL_ABBREVIATIONS.get(rating)

    def term_cell(self, subject: Subject, entries: Entries) -> TermCell:
        """Each periodic assessment's level, with its test score as a whole number."""
        cell = TermCell()
        for label, key in (
            (_("Mid-term"), (GradeKind.MIDTERM, 1)),
            (_("End of term"), (GradeKind.FINAL, 2)),
        ):
            score, rating = entries.get(key, (None, None))
            shown = LEVEL_LABELS.get(rating, "–")
            if score is not None:
                shown += f" · {self.format_score(score)}"
                cell.scores.append((label, score, self.format_score(score)))
            cell.parts.append((label, shown))
        return cell


RULES = Circular27()
