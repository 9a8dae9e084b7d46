"""The demo schools on paper: subjects, staffing and names for their people."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from contactbook.core.directory.models import Gender, SchoolLevel
from contactbook.core.directory.subjects import (
    LOWER_SECONDARY,
    LOWER_SECONDARY_PROGRAMME,
    PRIMARY,
    PRIMARY_PROGRAMME,
    SubjectCode,
)


def _words(text: str) -> tuple[str, ...]:
    """Split a list of words and compose it (NFC), however this file happens to be saved."""
    return tuple(unicodedata.normalize("NFC", text).split())


# Family names with rough shares in percent: Nguyễn alone is close to two in five people.
FAMILY_NAMES: tuple[tuple[str, float], ...] = tuple(
    (name, float(weight))
    for name, weight in zip(
        _words(
            "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý "
            "Đinh Trương Mai Lương Cao Lâm"
        ),
        (38, 11, 9.5, 7, 4, 3, 4.5, 2.5, 2.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5)
        + (0.8, 0.8, 0.5, 0.5, 0.5, 0.4),
        strict=True,
    )
)

# Middle names parents of today's pupils were given: Thị and Văn dominate, so they are
# drawn apart from these lists.
ADULT_MIDDLE_NAMES: dict[Gender, tuple[str, ...]] = {
    Gender.FEMALE: _words("Ngọc Thu Thanh Minh Kim Hồng Thùy Phương Mỹ Bích Thúy Hải"),
    Gender.MALE: _words("Đức Minh Quốc Hữu Thanh Công Quang Xuân Hoàng Tuấn Ngọc Trọng"),
}
ADULT_USUAL_MIDDLE_NAME: dict[Gender, str] = {Gender.FEMALE: "Thị", Gender.MALE: "Văn"}

CHILD_MIDDLE_NAMES: dict[Gender, tuple[str, ...]] = {
    Gender.FEMALE: _words(
        "Thị Ngọc Thu Minh Gia Thanh Bảo Khánh Phương Mai Quỳnh Hà Diệu Tường Như Thảo Kim An"
    ),
    Gender.MALE: _words(
        "Văn Minh Gia Đức Hoàng Quốc Thanh Bảo Khánh Anh Hữu Nhật Đăng Tuấn Hải Thành Trung"
    ),
}

GIVEN_NAMES: dict[Gender, tuple[str, ...]] = {
    Gender.FEMALE: _words(
        "Anh Ánh Chi Giang Hà Hương Lan Linh Mai My Ngân Ngọc Nhung Phương Thảo Trang Uyên Vy "
        "Yến Hạnh Hằng Hoa Huyền Hiền Nga Nhi Quỳnh Tâm Thư Trâm Vân Châu Thủy Hân An Khuê Như"
    ),
    Gender.MALE: _words(
        "Anh Bình Dũng Đạt Hải Hiếu Hòa Hùng Khánh Khoa Long Nam Phúc Quân Quang Sơn Tâm "
        "Thắng Trí Tú Tuấn Minh Huy Kiên Lâm Nhân Phong Thịnh Toàn Vinh Việt Duy Hưng Khang "
        "An Đức Khôi Nguyên Bảo"
    ),
}


# (code, name, periods a year by grade, has scores): the programme's defaults, as schools start.
SubjectPlan = tuple[SubjectCode, str, dict[int, int], bool]
THCS_SUBJECTS: tuple[SubjectPlan, ...] = tuple(
    (s.code, s.name, s.periods_by_grade, s.is_scored) for s in LOWER_SECONDARY_PROGRAMME
)
TH_SUBJECTS: tuple[SubjectPlan, ...] = tuple(
    (s.code, s.name, s.periods_by_grade, s.is_scored) for s in PRIMARY_PROGRAMME
)


@dataclass(frozen=True)
class SchoolPlan:
    """One demo school; staffing lists (subjects, teachers) who share the classes having them."""

    code: str
    name: str
    level: SchoolLevel
    grades: range
    class_letters: str
    class_size: tuple[int, int]
    code_prefix: str
    admin_username: str
    subjects: tuple[SubjectPlan, ...]
    staffing: tuple[tuple[tuple[SubjectCode, ...], int], ...]
    homeroom_subjects: tuple[SubjectCode, ...]
    homeroom_teaches_most: bool
    has_demo_teacher: bool = False  # its first subject teacher signs in as the demo teacher


PLANS = (
    SchoolPlan(
        code="DEMO-THCS",
        name="Trường THCS Nguyễn Du",
        level=SchoolLevel.LOWER_SECONDARY,
        grades=LOWER_SECONDARY,
        class_letters="ABC",
        class_size=(30, 40),
        code_prefix="THCS26",
        admin_username="admin.thcs",
        subjects=THCS_SUBJECTS,
        staffing=(
            ((SubjectCode.TOAN,), 3),
            ((SubjectCode.NGU_VAN,), 3),
            ((SubjectCode.KHOA_HOC_TU_NHIEN,), 3),
            ((SubjectCode.NGOAI_NGU_1,), 2),
            ((SubjectCode.LICH_SU_DIA_LI,), 2),
            ((SubjectCode.GIAO_DUC_CONG_DAN, SubjectCode.GIAO_DUC_DIA_PHUONG), 1),
            ((SubjectCode.TIN_HOC, SubjectCode.CONG_NGHE), 2),
            ((SubjectCode.GIAO_DUC_THE_CHAT,), 2),
            ((SubjectCode.NGHE_THUAT,), 1),  # music
            ((SubjectCode.NGHE_THUAT,), 1),  # fine art
        ),
        homeroom_subjects=(SubjectCode.HOAT_DONG_TRAI_NGHIEM_HUONG_NGHIEP,),
        homeroom_teaches_most=False,
        has_demo_teacher=True,
    ),
    SchoolPlan(
        code="DEMO-TH",
        name="Trường Tiểu học Kim Đồng",
        level=SchoolLevel.PRIMARY,
        grades=PRIMARY,
        class_letters="AB",
        class_size=(25, 35),
        code_prefix="TH26",
        admin_username="admin.tieuhoc",
        subjects=TH_SUBJECTS,
        staffing=(
            ((SubjectCode.NGOAI_NGU_1,), 1),
            ((SubjectCode.TIN_HOC_CONG_NGHE,), 1),
            ((SubjectCode.GIAO_DUC_THE_CHAT,), 1),
            ((SubjectCode.NGHE_THUAT,), 1),  # music
            ((SubjectCode.NGHE_THUAT,), 1),  # fine art
        ),
        homeroom_subjects=(
            SubjectCode.TIENG_VIET,
            SubjectCode.TOAN,
            SubjectCode.DAO_DUC,
            SubjectCode.TU_NHIEN_XA_HOI,
            SubjectCode.KHOA_HOC,
            SubjectCode.LICH_SU_DIA_LI,
            SubjectCode.HOAT_DONG_TRAI_NGHIEM,
        ),
        homeroom_teaches_most=True,
    ),
)
