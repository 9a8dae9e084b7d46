"""The 2018 general education programme's subjects by stable code: rules and data name these.

A subject's name is what people read and may be worded differently by each school; its code
is what the rules recognise it by. A school may add subjects of its own with codes of its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class SubjectCode(enum.StrEnum):
    """Subjects of primary (grades 1-5) and lower secondary (grades 6-9) school."""

    TIENG_VIET = "tieng_viet"
    NGU_VAN = "ngu_van"
    TOAN = "toan"
    NGOAI_NGU_1 = "ngoai_ngu_1"
    DAO_DUC = "dao_duc"
    TU_NHIEN_XA_HOI = "tu_nhien_xa_hoi"
    KHOA_HOC = "khoa_hoc"
    KHOA_HOC_TU_NHIEN = "khoa_hoc_tu_nhien"
    LICH_SU_DIA_LI = "lich_su_dia_li"
    GIAO_DUC_CONG_DAN = "giao_duc_cong_dan"
    TIN_HOC_CONG_NGHE = "tin_hoc_cong_nghe"
    CONG_NGHE = "cong_nghe"
    TIN_HOC = "tin_hoc"
    GIAO_DUC_THE_CHAT = "giao_duc_the_chat"
    NGHE_THUAT = "nghe_thuat"
    HOAT_DONG_TRAI_NGHIEM = "hoat_dong_trai_nghiem"
    HOAT_DONG_TRAI_NGHIEM_HUONG_NGHIEP = "hoat_dong_trai_nghiem_huong_nghiep"
    GIAO_DUC_DIA_PHUONG = "giao_duc_dia_phuong"


@dataclass(frozen=True)
class ProgrammeSubject:
    """A subject of the 2018 programme as a new school year starts with it: a school edits it.

    `is_scored`: Circular 22 grades PE, arts, local content and activities by comment alone;
    Circular 27 comments on every primary subject and scores end-of-term tests in some.
    """

    code: SubjectCode
    name: str
    periods_by_grade: dict[int, int]
    is_scored: bool


def _each(grades: range, periods: int) -> dict[int, int]:
    return dict.fromkeys(grades, periods)


LOWER_SECONDARY = range(6, 10)
PRIMARY = range(1, 6)
# Periods a year, *verify per school*: DOMAIN.md "Assessment" lists the lower secondary ones.
LOWER_SECONDARY_PROGRAMME: tuple[ProgrammeSubject, ...] = (
    ProgrammeSubject(SubjectCode.NGU_VAN, "Ngữ văn", _each(LOWER_SECONDARY, 140), True),
    ProgrammeSubject(SubjectCode.TOAN, "Toán", _each(LOWER_SECONDARY, 140), True),
    ProgrammeSubject(SubjectCode.NGOAI_NGU_1, "Ngoại ngữ 1", _each(LOWER_SECONDARY, 105), True),
    ProgrammeSubject(
        SubjectCode.KHOA_HOC_TU_NHIEN, "Khoa học tự nhiên", _each(LOWER_SECONDARY, 140), True
    ),
    ProgrammeSubject(
        SubjectCode.LICH_SU_DIA_LI, "Lịch sử và Địa lí", _each(LOWER_SECONDARY, 105), True
    ),
    ProgrammeSubject(
        SubjectCode.GIAO_DUC_CONG_DAN, "Giáo dục công dân", _each(LOWER_SECONDARY, 35), True
    ),
    ProgrammeSubject(SubjectCode.CONG_NGHE, "Công nghệ", {6: 35, 7: 35, 8: 35, 9: 52}, True),
    ProgrammeSubject(SubjectCode.TIN_HOC, "Tin học", _each(LOWER_SECONDARY, 35), True),
    ProgrammeSubject(
        SubjectCode.GIAO_DUC_THE_CHAT, "Giáo dục thể chất", _each(LOWER_SECONDARY, 70), False
    ),
    ProgrammeSubject(SubjectCode.NGHE_THUAT, "Nghệ thuật", _each(LOWER_SECONDARY, 70), False),
    ProgrammeSubject(
        SubjectCode.HOAT_DONG_TRAI_NGHIEM_HUONG_NGHIEP,
        "Hoạt động trải nghiệm, hướng nghiệp",
        _each(LOWER_SECONDARY, 105),
        False,
    ),
    ProgrammeSubject(
        SubjectCode.GIAO_DUC_DIA_PHUONG,
        "Nội dung giáo dục của địa phương",
        _each(LOWER_SECONDARY, 35),
        False,
    ),
)
# Circular 27: comments throughout; "scored" marks the subjects with end-of-term test scores.
PRIMARY_PROGRAMME: tuple[ProgrammeSubject, ...] = (
    ProgrammeSubject(
        SubjectCode.TIENG_VIET, "Tiếng Việt", {1: 420, 2: 350, 3: 245, 4: 245, 5: 245}, True
    ),
    ProgrammeSubject(SubjectCode.TOAN, "Toán", {1: 105, 2: 175, 3: 175, 4: 175, 5: 175}, True),
    ProgrammeSubject(SubjectCode.DAO_DUC, "Đạo đức", _each(PRIMARY, 35), False),
    ProgrammeSubject(
        SubjectCode.TU_NHIEN_XA_HOI, "Tự nhiên và Xã hội", _each(range(1, 4), 70), False
    ),
    ProgrammeSubject(SubjectCode.KHOA_HOC, "Khoa học", _each(range(4, 6), 70), True),
    ProgrammeSubject(SubjectCode.LICH_SU_DIA_LI, "Lịch sử và Địa lí", _each(range(4, 6), 70), True),
    ProgrammeSubject(SubjectCode.NGOAI_NGU_1, "Ngoại ngữ 1", _each(range(3, 6), 140), True),
    ProgrammeSubject(
        SubjectCode.TIN_HOC_CONG_NGHE, "Tin học và Công nghệ", _each(range(3, 6), 70), True
    ),
    ProgrammeSubject(SubjectCode.GIAO_DUC_THE_CHAT, "Giáo dục thể chất", _each(PRIMARY, 70), False),
    ProgrammeSubject(SubjectCode.NGHE_THUAT, "Nghệ thuật", _each(PRIMARY, 70), False),
    ProgrammeSubject(
        SubjectCode.HOAT_DONG_TRAI_NGHIEM, "Hoạt động trải nghiệm", _each(PRIMARY, 105), False
    ),
)


def programme_for_grade(grade_level: int) -> list[tuple[ProgrammeSubject, int]]:
    """The programme's subjects of one grade with their periods a year, to prefill a school's.

    Upper secondary (grades 10-12) chooses subject combinations school by school: none here.
    """
    programme = PRIMARY_PROGRAMME if grade_level in PRIMARY else LOWER_SECONDARY_PROGRAMME
    return [
        (subject, subject.periods_by_grade[grade_level])
        for subject in programme
        if grade_level in subject.periods_by_grade
    ]
