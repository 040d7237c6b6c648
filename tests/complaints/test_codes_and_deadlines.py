import datetime
import re

import pytest

from cases import codes
from cases.deadlines import due_date
from complaints.kind import COMPLAINT
from complaints.models import Complaint, Complexity
from content.workdays import is_working_day


def test_new_codes_have_the_documented_shape_and_differ():
    made = {codes.new_code("TS", 2026) for _ in range(500)}
    assert len(made) == 500
    for code in made:
        assert re.fullmatch(r"TS-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)


@pytest.mark.parametrize(
    "typed",
    ["TS-2026-7KQ4-M2XD", "ts-2026-7kq4-m2xd", " TS2026 7KQ4 M2XD ", "TS－2026－7KQ4－M2XD", "TS-2026-7KQ4-M2XD\n"],
)
def test_typed_codes_are_forgiven(typed):
    assert codes.normalise(typed) == (COMPLAINT, "TS-2026-7KQ4-M2XD")


def test_confusable_letters_are_read_as_digits():
    assert codes.normalise("TS-2026-OI1L-0000") == (COMPLAINT, "TS-2026-0111-0000")


@pytest.mark.parametrize(
    "typed", ["", "TS-2026-7KQ4", "XX-2026-7KQ4-M2XD", "TS-26-7KQ4-M2XD", "TS-2026-7KQ4-M2XDX", "TS-2026-7KQ4-M2X!"]
)
def test_impossible_codes_are_refused(typed):
    assert codes.normalise(typed) is None


# 2026: 中秋 9/25–27 off; 国庆 10/1–7 off; Sunday 9/20 and Saturday 10/10 are 调休 working days.


def test_calendar_knows_the_2026_national_day_arrangement():
    assert not is_working_day(datetime.date(2026, 10, 5))
    assert is_working_day(datetime.date(2026, 10, 10))  # Saturday, 调休
    assert is_working_day(datetime.date(2026, 9, 20))  # Sunday, 调休


@pytest.mark.parametrize(
    ("received", "complexity", "due"),
    [
        (datetime.date(2026, 9, 30), Complexity.ORDINARY, datetime.date(2026, 10, 8)),  # over the whole holiday
        (datetime.date(2026, 10, 3), Complexity.ORDINARY, datetime.date(2026, 10, 8)),  # received during it
        (datetime.date(2026, 10, 9), Complexity.ORDINARY, datetime.date(2026, 10, 10)),  # Saturday 调休 counts
        (datetime.date(2026, 9, 30), Complexity.COMPLEX, datetime.date(2026, 10, 13)),  # 8, 9, 10(Sat), 12, 13
        (datetime.date(2026, 9, 19), Complexity.ORDINARY, datetime.date(2026, 9, 20)),  # Saturday → Sunday 调休
        (datetime.date(2026, 9, 24), Complexity.ORDINARY, datetime.date(2026, 9, 28)),  # over 中秋
        (datetime.date(2026, 11, 20), Complexity.ORDINARY, datetime.date(2026, 11, 23)),  # plain weekend
        (datetime.date(2026, 11, 20), Complexity.COMPLEX, datetime.date(2026, 11, 27)),
    ],
)
def test_due_dates_count_working_days(received, complexity, due):
    assert due_date(Complaint(complexity=complexity), received) == due
