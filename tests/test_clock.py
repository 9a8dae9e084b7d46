"""The run's clock option: the whole suite can be run at a chosen moment, as CI does."""

from __future__ import annotations

pytest_plugins = ["pytester"]

SUNDAY_EVENING = "2026-11-29T22:30:00+07:00"


def test_the_clock_option_starts_every_test_at_the_chosen_moment(pytester):
    pytester.makepyfile(
        """
        from datetime import UTC, datetime
        from zoneinfo import ZoneInfo

        from contactbook.core.directory.models import School
        from contactbook.core.platform.records import utcnow

        def test_now_is_sunday_evening_in_vietnam():
            local = utcnow().astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
            assert (local.isoweekday(), local.hour, local.minute) == (7, 22, 30)

        def test_a_school_sees_that_sunday_as_today():
            school = School(timezone="Asia/Ho_Chi_Minh")
            assert school.today().isoformat() == "2026-11-29"
        """
    )
    result = pytester.runpytest_inprocess("-p", "tests.clock", f"--clock={SUNDAY_EVENING}")
    result.assert_outcomes(passed=2)


def test_the_clock_can_come_from_the_environment(pytester, monkeypatch):
    monkeypatch.setenv("CONTACTBOOK_TEST_CLOCK", SUNDAY_EVENING)
    pytester.makepyfile(
        """
        from datetime import date

        def test_today_is_that_sunday():
            assert date.today() == date(2026, 11, 29)
        """
    )
    result = pytester.runpytest_inprocess("-p", "tests.clock")
    result.assert_outcomes(passed=1)


def test_a_clock_without_an_offset_is_refused(pytester):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest_inprocess("-p", "tests.clock", "--clock=2026-11-29T22:30")
    assert "needs a UTC offset" in result.stderr.str()
