"""Sign people in over HTTP and drive a server with wrk; the pieces every load benchmark shares."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

WRK_DIR = Path(__file__).resolve().parent / "wrk"
CSRF_TOKEN = re.compile(
    r'name="csrf-token" content="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"'
)
THREADS = 2


@dataclass
class Browser:
    """What a signed-in phone sends: its cookies and the page's CSRF token (if it writes)."""

    cookie: str
    csrf: str


async def _sign_in(
    connector: aiohttp.BaseConnector, base: str, identifier: str, password: str, writes: bool
) -> Browser:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(
        base, connector=connector, connector_owner=False, cookie_jar=jar
    ) as http:
        async with http.get("/signin") as page:
            token = _csrf(await page.text())
        form = {"identifier": identifier, "password": password, "csrf_token": token}
        async with http.post("/signin", data=form, allow_redirects=False) as answer:
            if answer.status != 302:
                raise RuntimeError(f"{identifier} could not sign in: {answer.status}")
        token = ""
        if writes:
            # The sign-in starts a new session; its CSRF token comes with the next page.
            async with http.get("/") as home:
                token = _csrf(await home.text())
        return Browser("; ".join(f"{c.key}={c.value}" for c in jar), token)


def _csrf(page: str) -> str:
    found = CSRF_TOKEN.search(page)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return next(group for group in found.groups() if group)


def sign_in_all(
    base: str, identifiers: Sequence[str], password: str, writes: bool = True
) -> list[Browser]:
    """Sign every identifier in through /signin, eight at a time; their browsers, in order.

    Only browsers that will write need a CSRF token, which costs a page after signing in.
    """

    async def run() -> list[Browser]:
        connector = aiohttp.TCPConnector(limit=8)
        # A sign-in's time counts from its turn, not from when it joined the queue.
        turns = asyncio.Semaphore(8)

        async def in_turn(who: str) -> Browser:
            async with turns:
                return await _sign_in(connector, base, who, password, writes)

        try:
            return await asyncio.gather(*(in_turn(who) for who in identifiers))
        finally:
            await connector.close()

    return asyncio.run(run())


def get(url: str, browser: Browser | None) -> tuple[int, str]:
    """One GET as this browser (or signed out), redirects not followed: status and text."""

    async def run() -> tuple[int, str]:
        headers = {"Cookie": browser.cookie} if browser else {}
        async with aiohttp.ClientSession() as http:
            async with http.get(url, headers=headers, allow_redirects=False) as answer:
                return answer.status, await answer.text()

    return asyncio.run(run())


def check_page(url: str, browser: Browser | None) -> None:
    """Fail unless the page answers 200 to this browser (so wrk does not time a redirect)."""
    status, _text = get(url, browser)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200")


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    script: str = "report.lua",
    headers: Sequence[str] = (),
    args: Sequence[str] = (),
) -> dict:
    """Run wrk with THREADS threads; its figures: requests, seconds, errors, p50/p95/p99/max ms."""
    command = [
        "wrk",
        f"--threads={THREADS}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={WRK_DIR / script}",
        *(option for header in headers for option in ("--header", header)),
        url,
        "--",
        *args,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    figures["per_second"] = figures["requests"] / figures["seconds"]
    return figures
