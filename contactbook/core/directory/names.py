"""Vietnamese personal names: splitting a full name and the class-list sort order."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# Letters in Vietnamese alphabet order; a letter with a tone mark sorts after the bare letter.
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Tone marks (combining characters after NFD), in dictionary order: ngang, huyền, hỏi, ngã,
# sắc, nặng.
TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# A base letter with a breve, circumflex or horn is a letter of its own, not a tone.
LETTER_FORMS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Letters from outside the Vietnamese alphabet (f, j, w, z in foreign names) sort after it.
FOREIGN_BASE = len(ALPHABET)


class NameParts(NamedTuple):
    """A name in Vietnamese order: family name first, the given name (the one called) last."""

    family: str
    middle: str
    given: str


def normalise(text: str) -> str:
    """Return text in NFC with single spaces: files from Excel are often NFD."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_full_name(text: str) -> NameParts:
    """Split "Nguyễn Thị Minh Anh" into family, middle and given name on the first and last word."""
    words = normalise(text).split(" ")
    if not words or not words[0]:
        raise ValueError("empty name")
    if len(words) == 1:
        return NameParts("", "", words[0])
    return NameParts(words[0], " ".join(words[1:-1]), words[-1])


def full_name(family: str, middle: str, given: str) -> str:
    """Join the parts the way the name is written, skipping a missing middle name."""
    return " ".join(part for part in (family, middle, given) if part)


def word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Compare letters first over the whole word, tone marks only to break ties."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", word).lower():
        base, marks = _decompose(char)
        letters.append(LETTER_RANK.get(base, FOREIGN_BASE + ord(base)))
        tones.append(max((TONE_RANK.get(mark, 0) for mark in marks), default=0))
    return tuple(letters), tuple(tones)


def _decompose(char: str) -> tuple[str, str]:
    """Split a character into its Vietnamese letter and the tone marks on it."""
    base, *marks = unicodedata.normalize("NFD", char)
    tones = ""
    for mark in marks:
        letter = LETTER_FORMS.get((base, mark))
        if letter:
            base = letter
        else:
            tones += mark
    return base, tones


def name_key(family: str, middle: str, given: str) -> tuple[object, ...]:
    """Sort key for a class list: given name, then middle name, then family name."""
    return (
        word_key(given),
        tuple(word_key(word) for word in middle.split()),
        word_key(family),
    )
