"""Working-day arithmetic with the official Chinese holiday calendar (法定节假日 and 调休 working weekends).

`chinese_calendar` publishes each year's State Council arrangement; for a year it does not cover yet,
weekdays count as working days and `covered()` says so, so callers can tell people the date is an estimate.
"""

import datetime

import chinese_calendar


def covered(day):
    """True when the official arrangement for `day`'s year is known."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start, days):
    """The date on which `days` working days counted from the day after `start` are complete.

    0 days means the same day (即办件). Counting starts the day after acceptance, as the
    行政许可法 counts time limits.
    """
    if days < 0:
        raise ValueError("days must be ≥ 0")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
