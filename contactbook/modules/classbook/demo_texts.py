"""What teachers and the nurse write in the demo records: notes, health notes, comments."""

from __future__ import annotations

from contactbook.modules.classbook.models import HealthCategory

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
