"""Lighthouse's four scores (default mobile settings) for the pages a phone uses most.

Usage: python -m bench.lighthouse [BASE_URL] [--lighthouse COMMAND] [--runs N]

BASE_URL is a running app with the demo data (`make run`: http://127.0.0.1:5000). The pages:
sign-in (signed out), the demo parent's first child page, the demo teacher's first roll call,
the parent's inbox and the parent's first conversation. Signed-in pages are opened with the
session cookie of a sign-in through the real form, sent by Lighthouse as a request header.
Lighthouse is the npm package run on Debian's Chromium (CHROME_PATH, /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PASSWORD = "demo1234"
PARENT = "0912 000 002"
TEACHER = "0912 000 001"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def signed_in(base: str, identifier: str) -> requests.Session:
    """A session signed in through the sign-in form, as a browser would."""
    session = requests.Session()
    form = session.get(f"{base}/signin", timeout=30).text
    token = CSRF.search(form)
    if not token:
        sys.exit(f"no sign-in form at {base}/signin")
    answer = session.post(
        f"{base}/signin",
        data={"identifier": identifier, "password": PASSWORD, "csrf_token": token.group(1)},
        timeout=30,
    )
    if answer.url.rstrip("/") != base.rstrip("/"):
        sys.exit(f"could not sign in as {identifier}: is the demo data loaded?")
    return session


def first_link(session: requests.Session, base: str, pattern: str, pages: tuple[str, ...]) -> str:
    """The first link like `pattern` on the first of `pages` that has one, redirects followed."""
    for page in pages:
        found = re.search(rf'href="({pattern})"', session.get(f"{base}{page}", timeout=30).text)
        if found:
            return session.get(f"{base}{found.group(1)}", timeout=30).url
    sys.exit(f"no link like {pattern} on {', '.join(pages)}")


def audit(lighthouse: list[str], url: str, cookie: str | None, folder: Path) -> dict:
    """One Lighthouse run: the category scores (0-100) and the audits that lost points."""
    report = folder / "report.json"
    command = [
        *lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
    subprocess.run(command, check=True, env=environment)
    result = json.loads(report.read_text())
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    losses = sorted(
        {
            audit_id
            for name in CATEGORIES
            for ref in result["categories"][name]["auditRefs"]
            if ref["weight"]
            and (audit_id := ref["id"])
            and result["audits"][audit_id]["score"] is not None
            and result["audits"][audit_id]["score"] < 1
        }
    )
    return {"scores": scores, "losses": losses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:5000")
    parser.add_argument("--lighthouse", default="npx --yes lighthouse@12")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    arguments = parser.parse_args()
    base = arguments.base.rstrip("/")

    parent = signed_in(base, PARENT)
    teacher = signed_in(base, TEACHER)
    pages = [
        ("sign-in", f"{base}/signin", None),
        (
            "child page (parent)",
            first_link(parent, base, r"/classbook/children/\d+", ("/", "/classbook/")),
            parent,
        ),
        (
            "roll call (teacher)",
            first_link(teacher, base, r"/classbook/classes/\d+/attendance", ("/", "/classbook/")),
            teacher,
        ),
        ("inbox (parent)", f"{base}/inbox", parent),
        (
            "conversation (parent)",
            first_link(parent, base, r"/messaging/children/\d+", ("/messaging/",)),
            parent,
        ),
    ]
    print("| page | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|")
    lost: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for label, url, session in pages:
            cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items()) if session else None
            runs = [
                audit(shlex.split(arguments.lighthouse), url, cookie, Path(folder))
                for _ in range(arguments.runs)
            ]
            median = {
                name: sorted(run["scores"][name] for run in runs)[len(runs) // 2]
                for name in CATEGORIES
            }
            losses = sorted({loss for run in runs for loss in run["losses"]})
            cells = " | ".join(str(median[name]) for name in CATEGORIES)
            print(f"| {label} | {cells} |", flush=True)
            if losses:
                lost.append(f"{label}: {', '.join(losses)}")
    if lost:
        print("\nAudits that lost points:", *lost, sep="\n- ")


if __name__ == "__main__":
    main()
