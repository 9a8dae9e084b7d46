"""Roll-call saves of classes of 40 by many teachers at once, on PostgreSQL, with wrk.

  .venv/bin/python -m bench.roll_call [--teachers 50] [--seconds 20] [--postgres URL]

Loads the demo into the database at URL (emptied first), adds `teachers` homeroom teachers
with a class of 40 pupils each, signs them in and serves the app with 2 gunicorn workers.
wrk then keeps one connection per teacher busy (2 threads) with `PUT
/api/classbook/classes/<id>/attendance`, each a signed-in teacher's first save of a day and
session (40 marks, three pupils away or late, so their families are told) with its own
Idempotency-Key. Prints saves per second, p50/p95/p99/max, errors, and the marks written
(40 a save; saves that timed out in wrk may still have been written).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.crowd import SignedIn, signed_in_crowd
from bench.load import THREADS, wrk
from bench.server import DEFAULT_POSTGRES


def check_one_save(run: SignedIn) -> None:
    """Fail unless the first teacher's save of the newest roll call answers 200."""
    seat, browser = run.crowd.teachers[0], run.teachers[0]
    day, session = run.crowd.slots[0]
    body = {
        "day": day,
        "session": session,
        "marks": [{"student_id": i, "status": "present"} for i in seat.student_ids],
    }

    async def put() -> tuple[int, str]:
        headers = {"Cookie": browser.cookie, "X-CSRFToken": browser.csrf}
        async with aiohttp.ClientSession() as http:
            async with http.put(
                f"{run.server.url}/api/classbook/classes/{seat.classroom_id}/attendance",
                json=body,
                headers=headers,
            ) as answer:
                return answer.status, await answer.text()

    status, text = asyncio.run(put())
    if status != 200:
        raise RuntimeError(f"a roll-call save answered {status}: {text[:500]}")


def write_inputs(run: SignedIn, folder: Path) -> tuple[Path, Path]:
    """The teachers' seats and the roll calls, as the wrk script reads them."""
    seats, slots = folder / "seats.tsv", folder / "slots.tsv"
    seats.write_text(
        "".join(
            f"{browser.cookie}\t{browser.csrf}\t{seat.classroom_id}\t"
            f"{','.join(map(str, seat.student_ids))}\n"
            for seat, browser in zip(run.crowd.teachers, run.teachers, strict=True)
        )
    )
    slots.write_text("".join(f"{day}\t{session}\n" for day, session in run.crowd.slots))
    return seats, slots


def main() -> None:
    """Prepare, check one save, run wrk with one connection per teacher, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        with signed_in_crowd(options.postgres, workdir, options.teachers, 0) as run:
            check_one_save(run)
            run.forget_roll_calls()
            seats, slots = write_inputs(run, workdir)
            figures = wrk(
                run.server.url + "/",
                seconds=options.seconds,
                connections=options.teachers,
                script="roll_call.lua",
                args=[str(seats), str(slots), f"run{int(time.time())}", str(THREADS)],
            )
            figures["marks_written"] = run.marks()
    print(
        f"{options.teachers} teachers saving roll calls of 40 pupils for {options.seconds} s "
        f"({len(run.crowd.slots)} roll calls each may save)"
    )
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
