"""The catalog's faceted filters: which items match, and how many would match each other choice.

Every facet keeps its state in the query string (GET), so a filtered catalog can be bookmarked, shared
and paged. A facet's counts are computed over all the *other* active filters, the way faceted search
does: ticking a second topic shows how many items that topic would add, not zero.

Counting costs a fixed handful of queries whatever the number of items: one conditional aggregate for
all fixed-choice facets (plus one for each such facet that is itself active) and one GROUP BY query for
each open-ended facet (topic, department, hall).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

import django_filters

from content.models import (
    AUDIENCES,
    Department,
    HallLevel,
    HallPage,
    Handling,
    ItemType,
    ServiceFee,
    ServiceHall,
    ServicePage,
    Topic,
)

YES = "1"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)

    fold_after: int = 8

    @property
    def active(self):
        return any(option.selected for option in self.options)

    @property
    def shown(self):
        """The options always on show: the first few, plus any selected further down."""
        return [o for i, o in enumerate(self.options) if i < self.fold_after or o.selected]

    @property
    def folded(self):
        """The rest, shown behind a “more” toggle."""
        return [o for i, o in enumerate(self.options) if i >= self.fold_after and not o.selected]


@dataclass
class Chip:
    """One active filter value, with the address of the same catalog without it."""

    facet_label: str
    label: str
    remove_url: str


class ServiceFilter(django_filters.FilterSet):
    """The catalog's filters; the order here is the order facets are shown in."""

    topic = django_filters.MultipleChoiceFilter(label=_("主题"), method="filter_topic")
    audience = django_filters.ChoiceFilter(
        label=_("服务对象"), choices=[(a, a) for a in AUDIENCES], method="filter_audience"
    )
    handling = django_filters.MultipleChoiceFilter(
        label=_("办件类型"), choices=Handling.choices, method="filter_handling"
    )
    visits = django_filters.ChoiceFilter(label=_("跑动次数"), choices=[(YES, _("最多跑一次"))], method="filter_visits")
    online = django_filters.ChoiceFilter(label=_("网上办理"), choices=[(YES, _("可网上办理"))], method="filter_online")
    free = django_filters.ChoiceFilter(label=_("收费情况"), choices=[(YES, _("不收费"))], method="filter_free")
    level = django_filters.MultipleChoiceFilter(label=_("大厅层级"), choices=HallLevel.choices, method="filter_level")
    hall = django_filters.MultipleChoiceFilter(label=_("办理大厅"), method="filter_hall")
    department = django_filters.MultipleChoiceFilter(label=_("实施部门"), method="filter_department")
    item_type = django_filters.MultipleChoiceFilter(
        label=_("事项类型"), choices=ItemType.choices, method="filter_item_type"
    )

    class Meta:
        model = ServicePage
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = ServicePage.objects.live()
        super().__init__(data, queryset=queryset, **kwargs)
        # The open-ended choices are read once per request, not once per validated value.
        self.topics = list(Topic.objects.order_by("sort_order", "name"))
        self.departments = list(Department.objects.order_by("code"))
        self.halls = list(HallPage.objects.live().order_by("path"))
        self.filters["topic"].extra["choices"] = [(t.name, t.name) for t in self.topics]
        self.filters["department"].extra["choices"] = [(d.code, d.name) for d in self.departments]
        self.filters["hall"].extra["choices"] = [(h.code, h.title) for h in self.halls]

    # Filters: each delegates to a ServicePageQuerySet verb.

    def filter_topic(self, queryset, name, value):
        return queryset.for_topics(Topic.objects.filter(name__in=value))

    def filter_audience(self, queryset, name, value):
        return queryset.for_audience(value)

    def filter_handling(self, queryset, name, value):
        return queryset.with_handling(value)

    def filter_visits(self, queryset, name, value):
        return queryset.at_most_visits(1)

    def filter_online(self, queryset, name, value):
        return queryset.online()

    def filter_free(self, queryset, name, value):
        return queryset.free_of_charge()

    def filter_level(self, queryset, name, value):
        return queryset.for_hall_levels(value)

    def filter_hall(self, queryset, name, value):
        return queryset.for_halls(HallPage.objects.filter(code__in=value))

    def filter_department(self, queryset, name, value):
        return queryset.for_departments(Department.objects.filter(code__in=value))

    def filter_item_type(self, queryset, name, value):
        return queryset.of_types(value)

    # State.

    @property
    def selected(self):
        """The valid, non-empty filter values as {name: [values]} in facet order; invalid values are dropped."""
        if not hasattr(self, "_selected"):
            cleaned = {}
            if self.is_bound:
                self.form.is_valid()
                cleaned = self.form.cleaned_data
            self._selected = {}
            for name in self.filters:
                value = cleaned.get(name)
                if value in (None, "", [], ()):
                    continue
                self._selected[name] = list(value) if isinstance(value, list | tuple) else [value]
        return self._selected

    def filter_queryset(self, queryset):
        return self._apply(queryset)

    def _apply(self, queryset, excluding=None):
        for name, values in self.selected.items():
            if name == excluding:
                continue
            value = values if isinstance(self.filters[name], django_filters.MultipleChoiceFilter) else values[0]
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def url_for(self, changes):
        """The catalog address (query string only) with `changes` ({name: [values]}) replacing the current state."""
        state = {**self.selected, **changes}
        pairs = [(name, v) for name in self.filters for v in state.get(name, [])]
        return "?" + urlencode(pairs) if pairs else "?"

    def toggle_url(self, name, value):
        current = self.selected.get(name, [])
        if value in current:
            values = [v for v in current if v != value]
        elif isinstance(self.filters[name], django_filters.MultipleChoiceFilter):
            values = [*current, value]
        else:
            values = [value]
        return self.url_for({name: values})

    # Counts.

    def _conditions(self):
        """For each fixed-choice facet, {option value: condition on a service row}."""
        fees = ServiceFee.objects.filter(service=OuterRef("pk"))
        return {
            "audience": {AUDIENCES[0]: Q(for_individuals=True), AUDIENCES[1]: Q(for_organisations=True)},
            "handling": {value: Q(handling=value) for value in Handling.values},
            "visits": {YES: Q(visits__lte=1)},
            "online": {YES: Q(online_available=True)},
            "free": {YES: ~Exists(fees)},
            "level": {
                level: Exists(ServiceHall.objects.filter(service=OuterRef("pk"), hall__level=level))
                for level in HallLevel.values
            },
            "item_type": {value: Q(item_type=value) for value in ItemType.values},
        }

    def _counts(self):
        """{facet name: {option value: count}} and the total number of matching items."""
        conditions = self._conditions()
        counts = {}
        # All facets that are not active share the fully filtered queryset: one aggregate for them all.
        shared = {name: opts for name, opts in conditions.items() if name not in self.selected}
        aggregates = {"total": Count("pk")}
        for name, opts in shared.items():
            for i, condition in enumerate(opts.values()):
                aggregates[f"{name}__{i}"] = Count("pk", filter=condition)
        row = self._apply(self.queryset).order_by().aggregate(**aggregates)
        total = row["total"]
        for name, opts in shared.items():
            counts[name] = {value: row[f"{name}__{i}"] for i, value in enumerate(opts)}
        for name, opts in conditions.items():
            if name in shared:
                continue
            aggregates = {f"c{i}": Count("pk", filter=condition) for i, condition in enumerate(opts.values())}
            row = self._apply(self.queryset, excluding=name).order_by().aggregate(**aggregates)
            counts[name] = {value: row[f"c{i}"] for i, value in enumerate(opts)}

        def ids(name):
            return self._apply(self.queryset, excluding=name).order_by().values("pk")

        through = ServicePage.topics.through
        topic_rows = (
            through.objects.filter(servicepage__in=ids("topic")).order_by().values("topic_id").annotate(n=Count("pk"))
        )
        by_topic_id = {r["topic_id"]: r["n"] for r in topic_rows}
        counts["topic"] = {t.name: by_topic_id.get(t.pk, 0) for t in self.topics}
        department_rows = ids("department").values("department_id").annotate(n=Count("pk"))
        by_department_id = {r["department_id"]: r["n"] for r in department_rows}
        counts["department"] = {d.code: by_department_id.get(d.pk, 0) for d in self.departments}
        hall_rows = (
            ServiceHall.objects.filter(service__in=ids("hall"))
            .order_by()
            .values("hall_id")
            .annotate(n=Count("service", distinct=True))
        )
        by_hall_id = {r["hall_id"]: r["n"] for r in hall_rows}
        counts["hall"] = {h.code: by_hall_id.get(h.pk, 0) for h in self.halls}
        return counts, total

    def facets(self):
        """(facets, total): every facet with its options, counts and toggle addresses, and the match count.

        Options that would match nothing are left out unless they are selected.
        """
        counts, total = self._counts()
        facets = []
        for name, filter_ in self.filters.items():
            facet = Facet(name=name, label=filter_.label)
            selected = self.selected.get(name, [])
            for value, label in filter_.extra["choices"]:
                count = counts[name].get(value, 0)
                if count or value in selected:
                    facet.options.append(
                        FacetOption(
                            value=value,
                            label=label,
                            count=count,
                            selected=value in selected,
                            url=self.toggle_url(name, value),
                        )
                    )
            if facet.options:
                facets.append(facet)
        return facets, total

    def chips(self):
        """The active filter values, each removable on its own."""
        chips = []
        for name, values in self.selected.items():
            filter_ = self.filters[name]
            labels = dict(filter_.extra["choices"])
            for value in values:
                chips.append(Chip(filter_.label, labels.get(value, value), self.toggle_url(name, value)))
        return chips
