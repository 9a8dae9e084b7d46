"""bandit and ruff's security rules over the app's code, as CI runs them (`make test`).

CI runs only `make test`, so the static checks live here: a HIGH bandit finding, an unexplained
MEDIUM one or a ruff S finding fails the build like a failing test. A false positive is marked
on its own line (`# noqa: S105 - why  # nosec B105`), never by a file-wide ignore, and the last
test checks that every such mark names its rule and says why. docs/security.md has the figures.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# What ships: core, the modules, the dispatch plugin's package and the WSGI entry point.
APP_CODE = ("contactbook", "plugins/contactbook-dispatch/contactbook_dispatch", "wsgi.py")
NOSEC = re.compile(r"#\s*nosec\b(?P<ids>[^#]*)")
NOQA = re.compile(r"#\s*noqa\b(?P<codes>:[^#]*)?", re.IGNORECASE)
RULE_ID = re.compile(r"\b(?:B\d{3}|[A-Z]+\d+)\b")
# A pragma and the rules it names, which leaves the reason when taken out of a comment.
PRAGMA = re.compile(r"#\s*(?:nosec|noqa):?(?:[\s,]*(?:B\d{3}|[A-Z]+\d+)\b)*", re.IGNORECASE)


def app_files() -> list[Path]:
    """Every Python file CI checks, relative to the project."""
    found: list[Path] = []
    for target in APP_CODE:
        path = ROOT / target
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [path.relative_to(ROOT) for path in found]


def describe(finding: dict) -> str:
    """One bandit finding as a person fixes it: where, which test, what."""
    return (
        f"{finding['filename']}:{finding['line_number']} {finding['test_id']} "
        f"[{finding['issue_severity']}/{finding['issue_confidence']}] {finding['issue_text']}"
    )


@pytest.fixture(scope="module")
def bandit_report() -> dict:
    """bandit's JSON report over the app's code, every severity and confidence, run once."""
    done = subprocess.run(  # the venv's bandit, our own arguments
        [str(BIN / "bandit"), "-r", *APP_CODE, "-c", "pyproject.toml", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # 0: nothing found, 1: findings (judged by the tests below); anything else is a crash.
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def with_severity(report: dict, severity: str) -> list[str]:
    """The findings of one severity, described, so a failure lists every one of them."""
    return [describe(r) for r in report["results"] if r["issue_severity"] == severity]


def test_bandit_reads_every_file_of_the_app(bandit_report: dict):
    """A file bandit cannot parse, or one an exclude swallows, would pass unchecked."""
    assert bandit_report["errors"] == []
    scanned = {Path(name) for name in bandit_report["metrics"] if name != "_totals"}
    assert set(app_files()) - scanned == set()


def test_bandit_finds_no_high_severity_issue(bandit_report: dict):
    high = with_severity(bandit_report, "HIGH")
    assert not high, "bandit HIGH findings:\n" + "\n".join(high)


def test_bandit_medium_findings_are_fixed_or_marked_with_a_reason(bandit_report: dict):
    """A marked false positive (`# nosec B704` and why) leaves the report; anything else fails."""
    medium = with_severity(bandit_report, "MEDIUM")
    assert not medium, "bandit MEDIUM findings (fix, or `# nosec Bxxx` with why):\n" + "\n".join(
        medium
    )


def test_ruff_security_rules_pass_on_the_app():
    done = subprocess.run(  # the venv's ruff, our own arguments
        [str(BIN / "ruff"), "check", "--no-cache", "--select", "S"]
        + ["--output-format", "concise", *APP_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def comments(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, comment, whether a comment line sits right above it) for each comment in path."""
    source = (ROOT / path).read_text(encoding="utf-8")
    lines = source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            row = token.start[0]
            above = row >= 2 and lines[row - 2].lstrip().startswith("#")
            yield row, token.string, above


def pragma_problem(comment: str, reason_above: bool) -> str | None:
    """Why a `nosec`/`noqa` comment would hide a finding without telling the reader why."""
    nosec, noqa = NOSEC.search(comment), NOQA.search(comment)
    if not nosec and not noqa:
        return None
    if nosec and not RULE_ID.search(nosec["ids"]):
        return "bare `# nosec`: name the bandit test (B105)"
    if noqa and not (noqa["codes"] and RULE_ID.search(noqa["codes"])):
        return "bare `# noqa`: name the rule (S105)"
    reason = PRAGMA.sub("", comment)
    words = re.findall(r"[^\W\d_]{2,}", reason)
    if len(words) < 2 and not reason_above:
        return "say why, after the rule or on the comment line above"
    return None


def test_every_security_pragma_names_its_rule_and_says_why():
    problems = [
        f"{path}:{row} {problem}: {comment}"
        for path in app_files()
        for row, comment, above in comments(path)
        if (problem := pragma_problem(comment, above))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("comment", "above", "fine"),
    [
        ("# noqa: S105 - an action's name  # nosec B105", False, True),
        ("# nosec B105", True, True),
        ("# nosec B105", False, False),
        ("# nosec", True, False),
        ("# noqa", True, False),
        ("# noqa: S603", False, False),
        ("# noqa: BLE001 - keep the worker alive", False, True),
        ("# a plain comment", False, True),
    ],
)
def test_pragma_check_tells_a_reason_from_none(comment: str, above: bool, fine: bool):
    """The check above can fail: a pragma with no rule or no reason is caught."""
    assert (pragma_problem(comment, above) is None) == fine
