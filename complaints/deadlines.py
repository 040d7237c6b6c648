"""Answer deadlines for complaints, in working days of the official Chinese calendar.

The 投诉制度 asks for an answer the same or the next day for an ordinary complaint and within a
week for a complex one that involves several bodies; the portal counts these as 1 and 5 working
days after the day the complaint arrived, so holidays and 调休 working weekends are respected.
"""

from content.workdays import add_working_days

from .models import Complexity

WORKING_DAYS = {Complexity.ORDINARY: 1, Complexity.COMPLEX: 5}


def due_date(received_on, complexity=Complexity.ORDINARY):
    """The last day on which the answer is on time."""
    return add_working_days(received_on, WORKING_DAYS[Complexity(complexity)])
