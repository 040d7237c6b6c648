import datetime

from django.utils import timezone

import pytest

from complaints.models import Complaint
from ratings.models import Rating
from tests.factories import ComplaintFactory, HallFactory, RatingFactory, ServicePageFactory
from transparency.statistics import charts_for, figures, month_start

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def complaint(hall, received, due, replied=None):
    made = ComplaintFactory(hall=hall, received_at=at(received), due_on=due)
    if replied:
        made.replied_at = at(replied, 16)
        made.reply = "答复"
        made.save()
    return made


@pytest.fixture
def known():
    """Two halls with known items, complaints and ratings in October and November 2026."""
    a = HallFactory(title="甲中心")
    b = HallFactory(title="乙中心")
    for _ in range(3):
        ServicePageFactory(parts__hall=a)
    shared = ServicePageFactory(parts__hall=b)
    from content.models import ServiceHall

    ServiceHall.objects.create(service=shared, hall=a, sort_order=1)
    draft = ServicePageFactory(parts__hall=a)
    draft.unpublish()

    oct_, nov = datetime.date(2026, 10, 12), datetime.date(2026, 11, 16)
    complaint(a, oct_, datetime.date(2026, 10, 13), replied=datetime.date(2026, 10, 13))  # on time (last day)
    complaint(a, oct_, datetime.date(2026, 10, 13), replied=datetime.date(2026, 10, 15))  # late
    complaint(a, nov, datetime.date(2026, 11, 17))  # unanswered, overdue: due, not on time
    complaint(b, nov, datetime.date(2026, 11, 23))  # unanswered, still within its deadline: not counted
    complaint(None, nov, datetime.date(2026, 11, 17), replied=datetime.date(2026, 11, 16))  # no hall
    complaint(
        a, datetime.date(2025, 10, 1), datetime.date(2025, 10, 9), replied=datetime.date(2025, 10, 2)
    )  # outside the period

    for score, hall, day in [
        (5, a, oct_),
        (4, a, oct_),
        (3, a, oct_),
        (2, a, oct_),  # October at a: 3 of 4 satisfied
        (1, a, nov),
        (5, b, nov),  # November: 1 of 2
        (5, None, nov),  # a rating without a hall
        (1, a, datetime.date(2025, 1, 5)),  # outside the period
    ]:
        RatingFactory(score=score, hall=hall, created_at=at(day))
    return a, b


def test_per_hall_figures(known):
    a, b = known
    stats = figures(months=12, today=TODAY)
    assert stats.start == datetime.date(2025, 12, 1) and stats.end == TODAY
    rows = {row.hall.title: row for row in stats.halls}
    row_a, row_b = rows["甲中心"], rows["乙中心"]
    assert (row_a.items, row_a.received, row_a.on_time, row_a.due) == (4, 3, 1, 3)
    assert (row_a.ratings, row_a.satisfied) == (5, 3)
    assert row_a.on_time_rate == pytest.approx(1 / 3) and row_a.satisfaction_rate == pytest.approx(3 / 5)
    assert (row_b.items, row_b.received, row_b.on_time, row_b.due) == (1, 1, 0, 0)
    assert row_b.on_time_rate is None and row_b.satisfaction_rate == 1
    assert (stats.unassigned.received, stats.unassigned.on_time, stats.unassigned.ratings) == (1, 1, 1)
    total = stats.total
    assert (total.items, total.received, total.on_time, total.due, total.ratings, total.satisfied) == (4, 5, 2, 4, 7, 5)


def test_per_month_figures(known):
    stats = figures(months=12, today=TODAY)
    assert [m.month for m in stats.months] == [month_start(TODAY, back) for back in range(11, -1, -1)]
    october, november = stats.months[-2], stats.months[-1]
    assert october.label == "2026年10月" and november.label == "2026年11月"
    assert (october.received, october.on_time, october.due, october.ratings, october.satisfied) == (2, 1, 2, 4, 3)
    assert (november.received, november.on_time, november.due, november.ratings, november.satisfied) == (3, 1, 2, 3, 2)
    assert all(m.received == 0 and m.ratings == 0 and m.satisfaction_rate is None for m in stats.months[:-2])


def test_month_boundaries_follow_beijing_time(known):
    a, _b = known
    # 2026-10-31 23:30 in Beijing is still October, although it is 15:30 UTC.
    late_evening = timezone.make_aware(datetime.datetime(2026, 10, 31, 23, 30))
    RatingFactory(score=5, hall=a, created_at=late_evening)
    stats = figures(months=2, today=TODAY)
    assert [m.ratings for m in stats.months] == [5, 3]


def test_charts_carry_the_same_figures(known):
    stats = figures(months=12, today=TODAY)
    charts = charts_for(stats)
    complaints_chart = charts[0]
    received = [bar for bar in complaints_chart.bars if bar.css == "series-a"]
    assert [bar.value_label for bar in received][-2:] == ["2", "3"]
    satisfaction = charts[2]
    assert [bar.value_label for bar in satisfaction.bars] == ["60.0%", "100.0%"]
    assert all(bar.height >= 0 for chart in charts for bar in chart.bars)


def test_statistics_page_renders_charts_and_tables(client, known):
    from transparency.demo import load_transparency_demo

    load_transparency_demo()
    html = client.get("/statistics/").content.decode()
    assert html.count("<svg") == 4 and "按月统计表" in html and "按大厅统计表" in html
    assert "甲中心" in html and "指标说明" in html
    assert Complaint.objects.count() == 6 and Rating.objects.count() == 8
