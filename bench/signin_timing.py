"""Does a failed sign-in take as long for a known number as for an unknown one?

    .venv/bin/python -m bench.signin_timing [count] [database url]

Loads the demo (SQLite in a temporary folder unless a URL is given; that database is emptied
first) with sign-in limits off, then posts the sign-in form `count` times (default 200) for
each of: the demo parent's number with a wrong password, a number nobody has, and the demo
parent's number with the right password while a second factor is on (the code is asked next),
taking turns so a busy machine slows all three alike. Prints the median and the 10th/90th
percentiles of each, and the difference of the medians: someone guessing which numbers have an
account must not read it from the time an answer takes.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyotp

from bench.profile_child import demo_app
from contactbook.core.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS
from contactbook.core.directory import identity, second_factor

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
UNKNOWN = "0987 000 999"


def timed_post(client, identifier: str, password: str) -> tuple[float, int]:
    """One sign-in through the form: milliseconds and the answer's status."""
    token = CSRF_TOKEN.search(client.get("/signin").get_data(as_text=True)).group(1)
    started = time.perf_counter()
    answer = client.post(
        "/signin", data={"identifier": identifier, "password": password, "csrf_token": token}
    )
    return (time.perf_counter() - started) * 1000, answer.status_code


def summary(times: list[float]) -> str:
    """Median with the 10th and 90th percentiles."""
    deciles = statistics.quantiles(times, n=10)
    return (
        f"median {statistics.median(times):6.1f} ms (p10 {deciles[0]:.1f}, p90 {deciles[-1]:.1f})"
    )


def main() -> None:
    """Time the three kinds of sign-in in turns and print how far apart they are."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(folder) / 'demo.db'}"
        # Sign-in limits off, so every try reaches the password check.
        app = demo_app(url, RATELIMIT_ENABLED=False)
        parent = dict((role, who) for role, who, _ in DEMO_SIGN_INS)["parent"]
        with app.app_context():
            user = identity.find_user(parent)
            secret = second_factor.new_secret()
            second_factor.turn_on(user, secret, pyotp.TOTP(secret).now())
        kinds = {
            "known number, wrong password": (parent, "not the password"),
            "unknown number": (UNKNOWN, "not the password"),
            "known number, right password, code asked": (parent, DEMO_PASSWORD),
        }
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        statuses: dict[str, set[int]] = {kind: set() for kind in kinds}
        for _round in range(count):
            for kind, (identifier, password) in kinds.items():
                took, status = timed_post(app.test_client(), identifier, password)
                times[kind].append(took)
                statuses[kind].add(status)
    for kind in kinds:
        print(f"{kind:<42} {summary(times[kind])}  status {sorted(statuses[kind])}")
    known, unknown = (statistics.median(times[kind]) for kind in list(kinds)[:2])
    print(f"medians apart (known - unknown, wrong password): {known - unknown:+.1f} ms")


if __name__ == "__main__":
    main()
