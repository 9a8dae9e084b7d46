"""Vietnamese names: splitting and class-list order."""

from __future__ import annotations

import unicodedata

import pytest

from contactbook.core.directory.names import name_key, normalise, split_full_name, word_key


def sort_given(names: list[str]) -> list[str]:
    return sorted(names, key=word_key)


def test_bare_letter_comes_before_its_toned_forms():
    assert sort_given(["Bình", "Ánh", "Anh"]) == ["Anh", "Ánh", "Bình"]


def test_d_with_stroke_is_its_own_letter_after_d():
    assert sort_given(["Đạt", "Dũng", "Em"]) == ["Dũng", "Đạt", "Em"]


def test_letters_with_breve_circumflex_and_horn_follow_the_alphabet():
    names = ["Yến", "Ưng", "Uyên", "Ơn", "Ông", "Oanh", "Ân", "Ăn", "An", "Ê", "Em"]
    assert sort_given(names) == [
        "An",
        "Ăn",
        "Ân",
        "Em",
        "Ê",
        "Oanh",
        "Ông",
        "Ơn",
        "Uyên",
        "Ưng",
        "Yến",
    ]


def test_letters_decide_before_tones():
    # "Hòa" and "Hóa" differ only by tone, "Hoan" by a letter: letters win over the whole word.
    assert sort_given(["Hoan", "Hóa", "Hòa", "Hoa"]) == ["Hoa", "Hòa", "Hóa", "Hoan"]


def test_class_list_sorts_by_given_then_middle_then_family_name():
    pupils = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Thị Minh", "Anh"),
        ("Lê", "Thị", "Anh"),
        ("Phạm", "", "Ánh"),
        ("Đỗ", "Văn", "Bình"),
    ]
    ordered = sorted(pupils, key=lambda parts: name_key(*parts))
    assert ordered == [
        ("Lê", "Thị", "Anh"),
        ("Nguyễn", "Thị Minh", "Anh"),
        ("Phạm", "", "Ánh"),
        ("Đỗ", "Văn", "Bình"),
        ("Trần", "Văn", "Bình"),
    ]


def test_decomposed_text_from_excel_sorts_and_stores_like_composed_text():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    assert normalise(decomposed) == "Nguyễn Thị Ánh"
    assert word_key(unicodedata.normalize("NFD", "Ánh")) == word_key("Ánh")


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Thị Minh Anh", ("Nguyễn", "Thị Minh", "Anh")),
        ("  Lê   Văn  Tám ", ("Lê", "Văn", "Tám")),
        ("Phạm Quang", ("Phạm", "", "Quang")),
        ("Tôn Nữ Thị Ngọc Hân", ("Tôn", "Nữ Thị Ngọc", "Hân")),
    ],
)
def test_full_name_splits_on_first_and_last_word(full, parts):
    assert tuple(split_full_name(full)) == parts


def test_empty_name_is_refused():
    with pytest.raises(ValueError):
        split_full_name("   ")
