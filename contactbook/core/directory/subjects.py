"""The 2018 general education programme's subjects by stable code: rules and data name these.

A subject's name is what people read and may be worded differently by each school; its code
is what the rules recognise it by. A school may add subjects of its own with codes of its own.
"""

from __future__ import annotations

import enum


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
