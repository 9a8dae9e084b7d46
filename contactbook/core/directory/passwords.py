"""What a new password may not be: the current one, the phone number, or easy to guess.

Guessability comes from zxcvbn: its frequency lists of leaked passwords, common words and
names, keyboard patterns, repeats, sequences and dates, plus the account's own words (phone
number, username, name) given as user inputs.
"""

from __future__ import annotations

import threading
import unicodedata

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from contactbook.core.directory.models import User
from contactbook.core.directory.phones import display_phone

# zxcvbn's score 2 is "somewhat guessable": over 10^6 guesses, far beyond the sign-in limits.
MIN_SCORE = 2
# zxcvbn refuses longer input; a longer password is judged by its first characters.
_JUDGED_LENGTH = 72
# zxcvbn keeps the user inputs in a module-level dictionary while it scores.
_zxcvbn_lock = threading.Lock()

SAME_AS_CURRENT = _l("The new password must differ from the current one.")
PHONE_NUMBER = _l("Do not use your phone number in the password.")
EASY_TO_GUESS = _l(
    "This password is too common or too easy to guess. Try a few words that mean something "
    "to you, such as a short sentence."
)


def refusal(user: User, current: str, new: str) -> LazyString | None:
    """Say why `new` may not replace `current` as this user's password; None when it may."""
    if new == current:
        return SAME_AS_CURRENT
    if user.phone and _subscriber_number(user.phone) in _digits(new):
        return PHONE_NUMBER
    if _score(new, _personal_words(user)) < MIN_SCORE:
        return EASY_TO_GUESS
    return None


def _score(password: str, personal_words: list[str]) -> int:
    # Loaded on the first new password, not in every web worker: its lists take some 12 MB.
    from zxcvbn import zxcvbn

    with _zxcvbn_lock:
        return zxcvbn(password[:_JUDGED_LENGTH], user_inputs=personal_words)["score"]


def _personal_words(user: User) -> list[str]:
    words = [user.username or ""]
    for name in user.display_name.split():
        words += [name, _without_marks(name)]
    if user.phone:
        national = display_phone(user.phone).replace(" ", "")
        words += [user.phone, user.phone.lstrip("+"), national, _subscriber_number(user.phone)]
    return [word for word in words if word]


def _subscriber_number(e164: str) -> str:
    """The digits after +84: the part of a phone number every spelling shares."""
    return e164.removeprefix("+84")


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _without_marks(text: str) -> str:
    """Vietnamese without tone marks, as many type passwords: "Hoà" -> "Hoa", "Đức" -> "Duc"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
