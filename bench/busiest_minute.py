"""The busiest minute of a school, on PostgreSQL: teachers saving roll calls while parents look.

  .venv/bin/python -m bench.busiest_minute [--teachers 60] [--parents 1500] [--postgres URL]

Loads the demo into the database at URL (emptied first), adds the teachers (a class of 40
each) and the parents (one child each), signs everybody in before the minute starts, as their
phones already are, and serves the app with 2 gunicorn workers. Then, within one minute, at
moments drawn at random (the same every run): every teacher saves a roll call (40 marks, three
away or late, their families told) and every parent opens the home page and then their child's
page. Arrivals do not wait for answers (an open load, as phones are). Prints the answers that
were not 200, p50/p95/max per kind of request and overall, and each web worker's resident
memory after the minute.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.crowd import SignedIn, signed_in_crowd
from bench.server import DEFAULT_POSTGRES

MINUTE = 60.0
STATUSES = ("unexcused", "excused", "late")


class Tally:
    """Times in ms and failures, per kind of request."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.failures: dict[str, list[str]] = {}

    async def time(self, kind: str, call) -> None:
        """Await one request, keep how long it took and whether it failed."""
        started = time.perf_counter()
        try:
            status = await call()
            failure = None if status == 200 else f"status {status}"
        except (TimeoutError, aiohttp.ClientError) as error:
            failure = repr(error)
        self.times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        if failure:
            self.failures.setdefault(kind, []).append(failure)


def roll_call(seat, n: int) -> dict:
    """A first save of the newest roll call: three pupils away or late, the rest present."""
    return {
        "marks": [
            {"student_id": pupil, "status": STATUSES[i % 3] if i < 3 else "present"}
            for i, pupil in enumerate(seat.student_ids[n % 37 :] + seat.student_ids[: n % 37])
        ]
    }


async def minute(run: SignedIn) -> Tally:
    """Send everybody's requests at their drawn moments within one minute."""
    tally = Tally()
    day, session = run.crowd.slots[0]
    draw = random.Random(2026)
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        run.server.url, connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:

        async def get(path: str, browser) -> int:
            async with http.get(path, headers={"Cookie": browser.cookie}) as answer:
                await answer.read()
                return answer.status

        async def teacher(n: int, seat, browser) -> None:
            await asyncio.sleep(draw_teachers[n])
            body = {"day": day, "session": session, **roll_call(seat, n)}
            headers = {
                "Cookie": browser.cookie,
                "X-CSRFToken": browser.csrf,
                "Idempotency-Key": f"minute-{time.time_ns()}-{n}",
            }

            async def put() -> int:
                path = f"/api/classbook/classes/{seat.classroom_id}/attendance"
                async with http.put(path, json=body, headers=headers) as answer:
                    await answer.read()
                    return answer.status

            await tally.time("teacher: roll-call save", put)

        async def parent(n: int, family, browser) -> None:
            await asyncio.sleep(draw_parents[n])
            await tally.time("parent: home", lambda: get("/", browser))
            child = f"/classbook/children/{family.student_id}"
            await tally.time("parent: child page", lambda: get(child, browser))

        draw_teachers = [draw.uniform(0, MINUTE) for _ in run.crowd.teachers]
        draw_parents = [draw.uniform(0, MINUTE) for _ in run.crowd.parents]
        await asyncio.gather(
            *(
                teacher(n, seat, browser)
                for n, (seat, browser) in enumerate(
                    zip(run.crowd.teachers, run.teachers, strict=True)
                )
            ),
            *(
                parent(n, family, browser)
                for n, (family, browser) in enumerate(
                    zip(run.crowd.parents, run.parents, strict=True)
                )
            ),
        )
    return tally


def report(tally: Tally, rss: list[float], seconds: float) -> None:
    """Print failures, latency per kind and overall, and the workers' memory."""
    everything = [t for times in tally.times.values() for t in times]
    rows = [*tally.times.items(), ("all", everything)]
    print(f"the minute took {seconds:.1f} s (last answer included)")
    print(f"{'requests':<26} {'count':>6} {'failed':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, times in rows:
        failed = (
            sum(map(len, tally.failures.values()))
            if kind == "all"
            else len(tally.failures.get(kind, []))
        )
        p = statistics.quantiles(times, n=100, method="inclusive")
        print(
            f"{kind:<26} {len(times):>6} {failed:>6} {p[49]:>8.1f} {p[94]:>8.1f} {max(times):>8.1f}"
        )
    for kind, failures in tally.failures.items():
        print(f"first failures of {kind}: {sorted(set(failures))[:3]}")
    print("web workers' resident memory after: " + ", ".join(f"{mb:.0f} MB" for mb in rss))


def main() -> None:
    """Prepare the crowd, run the minute, print what happened."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=60)
    parser.add_argument("--parents", type=int, default=1500)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        with signed_in_crowd(options.postgres, workdir, options.teachers, options.parents) as run:
            run.forget_roll_calls()
            started = time.perf_counter()
            tally = asyncio.run(minute(run))
            seconds = time.perf_counter() - started
            rss = run.server.worker_rss_mb()
            marks = run.marks()
    report(tally, rss, seconds)
    print(f"marks written: {marks} (40 a roll call)")


if __name__ == "__main__":
    main()
