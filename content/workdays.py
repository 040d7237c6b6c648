"""Working-day arithmetic with the official Chinese holiday calendar (法定节假日 and 调休 working weekends).

`chinese_calendar` publishes each year's State Council arrangement. For a year it does not cover yet,
the statutory holidays fixed by 《全国年节及纪念日放假办法》 (as amended in 2024) are still days off —
their dates are known years ahead, the lunar ones computed with `lunar_python` — and only the 调休
(swapped weekends and bridge days) is unknown; `covered()` says so, so callers tell people the date
is provisional.
"""

import datetime
from functools import cache

import chinese_calendar
from lunar_python import Lunar, Solar


def covered(day):
    """True when the official arrangement for `day`'s year is known."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def _solar(lunar):
    solar = lunar.getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


@cache
def statutory_holidays(year):
    """The days off the law itself fixes in `year`, before any 调休.

    元旦 1 day, 春节 4 days (除夕 to 初三), 清明 1 (the solar term), 劳动节 2 (1–2 May), 端午 1,
    中秋 1, 国庆 3 (1–3 October). 除夕 of the lunar year starting in `year` can fall in `year` only,
    as can 初一 to 初三.
    """
    spring = _solar(Lunar.fromYmd(year, 1, 1))
    qingming = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()["清明"]
    return frozenset(
        {
            datetime.date(year, 1, 1),
            *(spring + datetime.timedelta(days=offset) for offset in range(-1, 3)),
            datetime.date(year, qingming.getMonth(), qingming.getDay()),
            datetime.date(year, 5, 1),
            datetime.date(year, 5, 2),
            _solar(Lunar.fromYmd(year, 5, 5)),
            _solar(Lunar.fromYmd(year, 8, 15)),
            *(datetime.date(year, 10, day) for day in (1, 2, 3)),
        }
    )


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5 and day not in statutory_holidays(day.year)


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
