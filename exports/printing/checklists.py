"""The materials checklist (一次性告知单): every material at once, where to go and when it will be done.

It prints from the same PrintedGuide as the guide PDF (values and wording from content.guide): 容缺
materials say 容缺 with their deadline, 免提交 ones are listed apart as not to bring, forms carry their
QR code, and a 暂停受理 or 调整中 status and the 特别程序 outside the time limit are said.

The expected completion date counts from the day the checklist is printed, as if the application
were accepted today: working-day limits skip weekends and public holidays and count 调休 working
weekends (content.workdays, from the State Council calendar); natural-day limits add calendar days,
and a period whose last day is a holiday ends on the next working day (民法典第二百零三条).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from content import guide
from content.models import LimitUnit, ServiceStatus
from content.workdays import add_working_days, covered, is_working_day

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Completion:
    """When an application accepted on `start` is due, and whether the holiday calendar already covers it."""

    start: datetime.date
    date: datetime.date
    on_the_spot: bool
    estimate: bool

    @property
    def weekday(self):
        return f"星期{WEEKDAYS[self.date.weekday()]}"


def expected_completion(days, unit, start):
    """The due date of a time limit of `days` `unit` for an application accepted on `start`."""
    if not days:
        return Completion(start=start, date=start, on_the_spot=True, estimate=False)
    if unit == LimitUnit.CALENDAR_DAYS:
        date = start + datetime.timedelta(days=days)
        while not is_working_day(date):
            date += datetime.timedelta(days=1)
    else:
        date = add_working_days(start, days)
    return Completion(start=start, date=date, on_the_spot=False, estimate=not (covered(start) and covered(date)))


class Checklist:
    """One guide's checklist as printed on a given day."""

    def __init__(self, guide, today):
        self.guide = guide
        self.today = today

    @property
    def page(self):
        return self.guide.page

    @property
    def accepting(self):
        """False while the service is 暂停受理 on the day printed: then no application is accepted
        today and the checklist gives no expected date (as the web page gives none)."""
        return guide.status_on(self.guide.data["status"], self.today) != ServiceStatus.SUSPENDED

    @cached_property
    def completion(self):
        limit = self.guide.data["promised_limit"]
        return expected_completion(limit["days"], limit["unit"], self.today)

    @property
    def compact(self):
        """Many materials print in a tighter table so the checklist stays on one sheet."""
        materials = self.guide.to_bring
        notes = sum(len(m.note or "") + len(m.deferral) for m in materials)
        return len(materials) > 8 or notes > 600
