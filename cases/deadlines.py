"""Deadlines in working days of the official Chinese calendar (holidays and 调休 working weekends)."""

from content.workdays import add_working_days

from . import kinds


def due_date(case, received_on=None):
    """The last day on which the answer to `case` is on time, by its kind's working days."""
    kind = kinds.of(case)
    return add_working_days(received_on or case.received_on, kind.working_days(case))
