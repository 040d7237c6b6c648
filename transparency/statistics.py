"""The figures on the statistics page (统计公开), per hall and per month, and the charts drawn from them.

Definitions, also printed on the page:
- 在办事项: live guides offered at the hall today.
- 受理投诉: complaints received in the period.
- 按时答复: complaints whose reply was published no later than their deadline (`due_on`).
- 按时答复率: 按时答复 ÷ complaints already answered or past their deadline (those still within
  their deadline and unanswered are not counted either way).
- 满意率: 非常满意 + 满意 + 基本满意 ÷ all ratings in the period.

Sample complaints and ratings (演示数据, `SampleComplaint`, `SampleRating`) are counted like any
other, and `Statistics.sample_complaints` / `sample_ratings` say how many of the period's are, so
the public page can say its figures are not real.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from complaints.models import Complaint
from content.models import HallPage, ServiceHall, ServicePage
from ratings.models import SATISFIED_MIN, Rating

from .models import SampleComplaint, SampleRating


def _share(part, whole):
    return None if not whole else part / whole


@dataclass
class Figures:
    """One row of figures: complaints received/answered on time/due, ratings and satisfied ratings."""

    received: int = 0
    on_time: int = 0
    due: int = 0
    ratings: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self):
        return _share(self.on_time, self.due)

    @property
    def satisfaction_rate(self):
        return _share(self.satisfied, self.ratings)

    def add(self, other):
        for name in ("received", "on_time", "due", "ratings", "satisfied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class HallRow(Figures):
    hall: HallPage | None = None
    items: int = 0


@dataclass
class MonthRow(Figures):
    month: datetime.date = None

    @property
    def label(self):
        return f"{self.month.year}年{self.month.month}月"


@dataclass
class Statistics:
    start: datetime.date
    end: datetime.date
    halls: list = field(default_factory=list)
    months: list = field(default_factory=list)
    total: HallRow = None
    unassigned: HallRow = None
    sample_complaints: int = 0
    sample_ratings: int = 0

    @property
    def has_sample(self):
        return bool(self.sample_complaints or self.sample_ratings)

    @property
    def only_sample(self):
        """True when every complaint and rating counted is sample data (and there is some)."""
        return (
            self.has_sample
            and self.sample_complaints == self.total.received
            and self.sample_ratings == self.total.ratings
        )


def month_start(day, back=0):
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _complaint_counts(queryset, today):
    return queryset.annotate(
        received=Count("pk"),
        on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_day__lte=F("due_on"))),
        due=Count("pk", filter=Q(replied_at__isnull=False) | Q(due_on__lt=today)),
    )


def _rating_counts(queryset):
    return queryset.annotate(ratings=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=SATISFIED_MIN)))


def figures(months=12, today=None):
    """Per-hall figures over the last `months` calendar months (this one included) and per-month figures."""
    today = today or timezone.localdate()
    start = month_start(today, months - 1)
    since = _local_midnight(start)
    # Annotated before any values(): annotations added after values() would join the GROUP BY.
    complaints = Complaint.objects.filter(received_at__gte=since).annotate(replied_day=TruncDate("replied_at"))
    ratings = Rating.objects.filter(created_at__gte=since)

    halls = list(HallPage.objects.readable().order_by("path"))
    rows = {hall.pk: HallRow(hall=hall) for hall in halls}
    guides = ServicePage.objects.readable()
    unassigned = HallRow()
    items = (
        ServiceHall.objects.filter(service__in=guides, hall__in=halls)
        .order_by()
        .values("hall")
        .annotate(n=Count("service", distinct=True))
    )
    for entry in items:
        rows[entry["hall"]].items = entry["n"]
    for entry in _complaint_counts(complaints.values("hall"), today).values("hall", "received", "on_time", "due"):
        row = rows.get(entry["hall"], unassigned)
        row.add(Figures(received=entry["received"], on_time=entry["on_time"], due=entry["due"]))
    for entry in _rating_counts(ratings.values("hall")).values("hall", "ratings", "satisfied"):
        row = rows.get(entry["hall"], unassigned)
        row.add(Figures(ratings=entry["ratings"], satisfied=entry["satisfied"]))

    month_rows = {
        month_start(today, back): MonthRow(month=month_start(today, back)) for back in range(months - 1, -1, -1)
    }
    by_month = complaints.annotate(month=TruncMonth("received_at")).values("month")
    for entry in _complaint_counts(by_month, today).values("month", "received", "on_time", "due"):
        month_rows[_as_date(entry["month"])].add(
            Figures(received=entry["received"], on_time=entry["on_time"], due=entry["due"])
        )
    rating_months = ratings.annotate(month=TruncMonth("created_at")).values("month")
    for entry in _rating_counts(rating_months).values("month", "ratings", "satisfied"):
        month_rows[_as_date(entry["month"])].add(Figures(ratings=entry["ratings"], satisfied=entry["satisfied"]))

    total = HallRow(
        items=ServiceHall.objects.filter(service__in=guides, hall__in=halls)
        .order_by()
        .values("service")
        .distinct()
        .count()
    )
    for row in [*rows.values(), unassigned]:
        total.add(row)
    return Statistics(
        start=start,
        end=today,
        halls=list(rows.values()),
        months=list(month_rows.values()),
        total=total,
        unassigned=unassigned if (unassigned.received or unassigned.ratings) else None,
        sample_complaints=complaints.filter(pk__in=SampleComplaint.objects.values("complaint")).count(),
        sample_ratings=ratings.filter(pk__in=SampleRating.objects.values("rating")).count(),
    )


def _as_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


# ---- Charts: inline SVG drawn on the server, no JavaScript ----


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    value_label: str
    title: str

    @property
    def label_x(self):
        return self.x + self.width + 6

    @property
    def label_y(self):
        return self.y + self.height / 2 + 4


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list
    labels: list  # (x, y, text, anchor)
    gridlines: list  # (x1, y1, x2, y2, text, tx, ty, anchor)
    legend: list  # (x, y, css, text): a 12-pixel swatch at (x, y - 10), its text at (x + 18, y)
    description: str


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def _nice_max(value):
    """A round top for a count axis whose quarter marks are whole numbers."""
    for top in (4, 8, 12, 20, 40, 60, 80, 100, 200, 400, 600, 800, 1000, 2000, 4000, 6000, 8000, 10000):
        if value <= top:
            return top
    return (int(value) // 4000 + 1) * 4000


def _short(text, limit=12):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_chart(title, categories, series, *, percent=False, description=""):
    """Vertical grouped columns: `series` is [(name, css class, [value per category])].

    `categories` are (label, second line or "") pairs; the drawing is 400 units wide so its 12-unit
    text stays readable when the chart is scaled to a phone's width.
    """
    width, height = 400, 230
    left, right, top, bottom = 34, 6, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = 1.0 if percent else _nice_max(max([v or 0 for _, _, values in series for v in values] + [0]))
    group_w = plot_w / max(1, len(categories))
    bar_w = min(22, (group_w * 0.8) / max(1, len(series)))
    bars, labels, gridlines, legend = [], [], [], []
    for i in range(5):
        fraction = i / 4
        y = top + plot_h * (1 - fraction)
        text = f"{int(fraction * 100)}%" if percent else f"{int(peak * fraction)}"
        gridlines.append((left, y, width - right, y, text, left - 4, y + 4, "end"))
    for index, (label, second) in enumerate(categories):
        group_x = left + index * group_w + (group_w - bar_w * len(series)) / 2
        for s, (name, css, values) in enumerate(series):
            value = values[index]
            h = 0 if value is None else plot_h * min(1, value / peak)
            shown = _percent(value) if percent else str(value)
            bars.append(
                Bar(
                    group_x + s * bar_w,
                    top + plot_h - h,
                    bar_w - 1,
                    h,
                    css,
                    shown if value is not None else "",
                    f"{second or ''}{label} {name}：{shown}",
                )
            )
        center = left + index * group_w + group_w / 2
        labels.append((center, height - bottom + 16, label, "middle"))
        if second:
            labels.append((center, height - bottom + 32, second, "middle"))
    for s, (name, css, _values) in enumerate(series):
        legend.append((left + s * 100, 14, css, name))
    return Chart(title, width, height, bars, labels, gridlines, legend, description)


def row_chart(title, categories, values, *, css, percent=False, description=""):
    """Horizontal bars, one per category (long hall names read better this way).

    The label column fits 12 characters of 13-unit text (`_short` cuts longer names).
    """
    row_h, label_w, width = 26, 172, 400
    top, right = 8, 52
    height = top * 2 + row_h * max(1, len(categories))
    plot_w = width - label_w - right
    peak = 1.0 if percent else _nice_max(max([v or 0 for v in values] + [0]))
    bars, labels = [], []
    for index, (category, value) in enumerate(zip(categories, values, strict=True)):
        y = top + index * row_h
        w = 0 if value is None else plot_w * min(1, value / peak)
        shown = _percent(value) if percent else str(value)
        bars.append(Bar(label_w, y + 5, w, row_h - 10, css, shown, f"{category}：{shown}"))
        labels.append((label_w - 6, y + row_h / 2 + 4, _short(category), "end"))
    return Chart(title, width, height, bars, labels, [], [], description)


def charts_for(stats):
    # The year goes under each January, and under the first month unless a January follows at once.
    months = []
    for i, m in enumerate(stats.months):
        next_is_january = i + 1 < len(stats.months) and stats.months[i + 1].month.month == 1
        first = i == 0 and not next_is_january
        months.append((f"{m.month.month}月", f"{m.month.year}年" if (m.month.month == 1 or first) else ""))
    hall_names = [row.hall.title for row in stats.halls]
    return [
        column_chart(
            "每月受理投诉与按时答复",
            months,
            [
                ("受理投诉", "series-a", [m.received for m in stats.months]),
                ("按时答复", "series-b", [m.on_time for m in stats.months]),
            ],
            description="柱形图：每月受理的投诉件数和其中按时答复的件数，数据见下方“按月统计”表。",
        ),
        column_chart(
            "每月满意率",
            months,
            [("满意率", "series-c", [m.satisfaction_rate for m in stats.months])],
            percent=True,
            description="柱形图：每月好差评中非常满意、满意和基本满意所占比例；当月没有评价的不画柱。",
        ),
        row_chart(
            "各大厅满意率",
            hall_names,
            [row.satisfaction_rate for row in stats.halls],
            css="series-c",
            percent=True,
            description="条形图：统计期内各大厅的满意率，数据见下方“按大厅统计”表。",
        ),
        row_chart(
            "各大厅在办事项",
            hall_names,
            [row.items for row in stats.halls],
            css="series-a",
            description="条形图：各大厅目前可以办理的事项数。",
        ),
    ]
