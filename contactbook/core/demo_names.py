"""The demo schools on paper: subjects, staffing, names for their people, words for records."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from contactbook.core.models import Gender, SchoolLevel
from contactbook.modules.classbook.models import HealthCategory


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


# (subject, periods a year by grade, has scores)
SubjectPlan = tuple[str, dict[int, int], bool]


def _each(grades: range, periods: int) -> dict[int, int]:
    return dict.fromkeys(grades, periods)


LOWER_SECONDARY = range(6, 10)
PRIMARY = range(1, 6)
# The 2018 programme; Circular 22 grades PE, arts, local content and activities by comment.
THCS_SUBJECTS: tuple[SubjectPlan, ...] = (
    ("Ngữ văn", _each(LOWER_SECONDARY, 140), True),
    ("Toán", _each(LOWER_SECONDARY, 140), True),
    ("Ngoại ngữ 1", _each(LOWER_SECONDARY, 105), True),
    ("Khoa học tự nhiên", _each(LOWER_SECONDARY, 140), True),
    ("Lịch sử và Địa lí", _each(LOWER_SECONDARY, 105), True),
    ("Giáo dục công dân", _each(LOWER_SECONDARY, 35), True),
    ("Công nghệ", {6: 35, 7: 35, 8: 35, 9: 52}, True),
    ("Tin học", _each(LOWER_SECONDARY, 35), True),
    ("Giáo dục thể chất", _each(LOWER_SECONDARY, 70), False),
    ("Nghệ thuật", _each(LOWER_SECONDARY, 70), False),
    ("Hoạt động trải nghiệm, hướng nghiệp", _each(LOWER_SECONDARY, 105), False),
    ("Nội dung giáo dục của địa phương", _each(LOWER_SECONDARY, 35), False),
)
# Circular 27: comments throughout, end-of-term test scores only in these subjects.
TH_SUBJECTS: tuple[SubjectPlan, ...] = (
    ("Tiếng Việt", {1: 420, 2: 350, 3: 245, 4: 245, 5: 245}, True),
    ("Toán", {1: 105, 2: 175, 3: 175, 4: 175, 5: 175}, True),
    ("Đạo đức", _each(PRIMARY, 35), False),
    ("Tự nhiên và Xã hội", _each(range(1, 4), 70), False),
    ("Khoa học", _each(range(4, 6), 70), True),
    ("Lịch sử và Địa lí", _each(range(4, 6), 70), True),
    ("Ngoại ngữ 1", _each(range(3, 6), 140), True),
    ("Tin học và Công nghệ", _each(range(3, 6), 70), True),
    ("Giáo dục thể chất", _each(PRIMARY, 70), False),
    ("Nghệ thuật", _each(PRIMARY, 70), False),
    ("Hoạt động trải nghiệm", _each(PRIMARY, 105), False),
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
    staffing: tuple[tuple[tuple[str, ...], int], ...]
    homeroom_subjects: tuple[str, ...]
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
            (("Toán",), 3),
            (("Ngữ văn",), 3),
            (("Khoa học tự nhiên",), 3),
            (("Ngoại ngữ 1",), 2),
            (("Lịch sử và Địa lí",), 2),
            (("Giáo dục công dân", "Nội dung giáo dục của địa phương"), 1),
            (("Tin học", "Công nghệ"), 2),
            (("Giáo dục thể chất",), 2),
            (("Nghệ thuật",), 1),  # music
            (("Nghệ thuật",), 1),  # fine art
        ),
        homeroom_subjects=("Hoạt động trải nghiệm, hướng nghiệp",),
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
            (("Ngoại ngữ 1",), 1),
            (("Tin học và Công nghệ",), 1),
            (("Giáo dục thể chất",), 1),
            (("Nghệ thuật",), 1),  # music
            (("Nghệ thuật",), 1),  # fine art
        ),
        homeroom_subjects=(
            "Tiếng Việt",
            "Toán",
            "Đạo đức",
            "Tự nhiên và Xã hội",
            "Khoa học",
            "Lịch sử và Địa lí",
            "Hoạt động trải nghiệm",
        ),
        homeroom_teaches_most=True,
    ),
)


# What a homeroom teacher writes beside a mark in the roll call; most marks carry no note.
LEAVE_NOTES = ("Gia đình xin phép", "Việc gia đình", "Đi khám bệnh", "Về quê có việc")
SICK_NOTES = ("Ốm", "Sốt")
SENT_HOME_NOTE = "Ốm, gia đình đón về"
LATE_NOTES = ("", "", "", "Xe hỏng dọc đường", "Trời mưa to")

# What the school nurse writes: (category, text, temperature range in tenths of °C or None,
# sends the pupil home). "{temperature}" is filled in with a decimal comma: 38,5.
HealthNotePlan = tuple[HealthCategory, str, tuple[int, int] | None, bool]
FEVER_NOTE = "Sốt {temperature} °C, đã gọi phụ huynh đón về."
HEALTH_NOTES: tuple[HealthNotePlan, ...] = (
    (HealthCategory.TEMPERATURE, FEVER_NOTE, (380, 392), True),
    (
        HealthCategory.TEMPERATURE,
        "Hơi sốt {temperature} °C, đã cho nằm nghỉ và uống nước, theo dõi thêm.",
        (375, 379),
        False,
    ),
    (
        HealthCategory.ILLNESS,
        "Đau bụng, nôn một lần sau giờ ra chơi; đã cho nghỉ ở phòng y tế, báo gia đình đón về.",
        None,
        True,
    ),
    (
        HealthCategory.ILLNESS,
        "Đau đầu, chóng mặt trong giờ học; đã cho nằm nghỉ 30 phút, em đỡ và vào lớp học tiếp.",
        None,
        False,
    ),
    (
        HealthCategory.ILLNESS,
        "Ho, sổ mũi; đã nhắc em đeo khẩu trang, đề nghị gia đình theo dõi.",
        None,
        False,
    ),
    (
        HealthCategory.INJURY,
        "Trầy xước đầu gối khi chơi ở sân trường; đã rửa, sát trùng và băng lại.",
        None,
        False,
    ),
    (
        HealthCategory.INJURY,
        "Va đập nhẹ ở trán trong giờ thể dục; đã chườm lạnh, theo dõi không thấy bất thường.",
        None,
        False,
    ),
    (
        HealthCategory.INJURY,
        "Bong gân cổ chân khi đá cầu; đã chườm lạnh, băng cố định, báo gia đình đưa đi khám.",
        None,
        True,
    ),
    (
        HealthCategory.MEDICATION,
        "Phụ huynh gửi thuốc ho dạng siro; đã cho em uống 5 ml giữa buổi theo đơn.",
        None,
        False,
    ),
    (
        HealthCategory.MEDICATION,
        "Đã cho em uống thuốc chống dị ứng theo đơn phụ huynh gửi.",
        None,
        False,
    ),
    (
        HealthCategory.NURSE_VISIT,
        "Chảy máu cam; đã cầm máu, em tiếp tục học bình thường.",
        None,
        False,
    ),
    (
        HealthCategory.NURSE_VISIT,
        "Khám mắt đầu năm: thị lực giảm, đề nghị gia đình cho em đi khám mắt.",
        None,
        False,
    ),
    (
        HealthCategory.OTHER,
        "Phụ huynh báo em dị ứng hải sản; đã báo bếp ăn của trường.",
        None,
        False,
    ),
    (
        HealthCategory.OTHER,
        "Khám răng đầu năm: có răng sâu, đề nghị gia đình cho em đi chữa răng.",
        None,
        False,
    ),
)

# What teachers write: (text, about their own subject). General ones come from the homeroom
# teacher; subject ones from a teacher of that subject in the class.
CommentPlan = tuple[str, bool]
CLASS_PRAISE = "Em tích cực phát biểu xây dựng bài."
PRAISES: tuple[CommentPlan, ...] = (
    (CLASS_PRAISE, True),
    ("Em có tiến bộ rõ rệt so với đầu năm học.", True),
    ("Em chuẩn bị bài đầy đủ, trình bày vở sạch đẹp.", True),
    ("Em nhiệt tình giúp đỡ các bạn trong học tập.", False),
    ("Em đi học đều, đúng giờ, chấp hành tốt nội quy lớp.", False),
    ("Em nhặt được của rơi và trả lại người đánh mất.", False),
)
CONCERNS: tuple[CommentPlan, ...] = (
    ("Em chưa làm bài tập về nhà đầy đủ, đề nghị gia đình nhắc nhở.", True),
    ("Em cần cẩn thận hơn khi làm bài, còn mắc lỗi do chủ quan.", True),
    ("Em chưa tập trung trong giờ học, cần cố gắng hơn.", True),
    ("Em còn hay nói chuyện riêng trong giờ học.", False),
    ("Em hay quên sách vở, đồ dùng học tập; đề nghị gia đình nhắc em chuẩn bị từ tối.", False),
)
