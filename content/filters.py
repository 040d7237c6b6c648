"""The catalog's faceted filters: which items match, and how many would match each other choice.

Every facet keeps its state in the query string (GET), so a filtered catalog can be bookmarked, shared
and paged. A facet's counts are computed over all the *other* active filters, the way faceted search
does: ticking a second topic shows how many items that topic would add, not zero.

Counts and the page of results come from the in-memory bitsets of `content.facet_index`, so a request
costs the same few small queries whatever the number of items. `ServiceFilter.qs` still gives the same
selection as SQL (through the ServicePageQuerySet verbs) for callers that need a queryset.
"""

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

import django_filters

from content import facet_index
from content.facets import Chip, Facet, FacetOption
from content.models.halls import HallLevel, HallPage
from content.models.services import AUDIENCES, Handling, ItemType, ServicePage
from content.models.taxonomy import Department, Topic

YES = facet_index.YES


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
            queryset = ServicePage.objects.readable()
        super().__init__(data, queryset=queryset, **kwargs)
        # The open-ended choices are read once per request, not once per validated value.
        self.topics = list(Topic.objects.order_by("sort_order", "name"))
        self.departments = list(Department.objects.order_by("code"))
        # Sorted here: ORDER BY path makes SQLite walk every page of the tree to find the few halls.
        self.halls = sorted(HallPage.objects.readable().order_by(), key=lambda hall: hall.path)
        self.filters["topic"].extra["choices"] = [(t.name, t.name) for t in self.topics]
        self.filters["department"].extra["choices"] = [(d.code, d.name) for d in self.departments]
        self.filters["hall"].extra["choices"] = [(h.code, h.title) for h in self.halls]
        self._topic_ids = {t.name: t.pk for t in self.topics}
        self._department_ids = {d.code: d.pk for d in self.departments}
        self._hall_ids = {h.code: h.pk for h in self.halls}

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

    # Counts and results, from the in-memory facet index.

    def _option_mask(self, index, name, value):
        """The items having `value` for facet `name`, as a bitmask of the facet index."""
        if name == "topic":
            return index.mask(name, self._topic_ids.get(value))
        if name == "department":
            return index.mask(name, self._department_ids.get(value))
        if name == "hall":
            return index.mask(name, self._hall_ids.get(value))
        if name == "level":
            return index.any_of("hall", [h.pk for h in self.halls if h.level == value])
        return index.mask(name, value)

    def _masks(self):
        """(index, {facet: mask of its selection}, mask of the whole selection)."""
        if not hasattr(self, "_mask_cache"):
            index = facet_index.current()
            selection = {}
            for name, values in self.selected.items():
                mask = 0
                for value in values:
                    mask |= self._option_mask(index, name, value)
                selection[name] = mask
            matched = index.everything
            for mask in selection.values():
                matched &= mask
            self._mask_cache = (index, selection, matched)
        return self._mask_cache

    def _counts(self):
        """{facet name: {option value: count}}, each facet counted over the other active filters."""
        index, selection, matched = self._masks()
        counts = {}
        for name, filter_ in self.filters.items():
            base = matched
            if name in selection:
                base = index.everything
                for other, mask in selection.items():
                    if other != name:
                        base &= mask
            counts[name] = {
                value: (base & self._option_mask(index, name, value)).bit_count()
                for value, _ in filter_.extra["choices"]
            }
        return counts

    @property
    def total(self):
        return self._masks()[2].bit_count()

    def results(self):
        """The matching readable items in catalog order, as a sliceable sequence for `paginate`."""
        return Results(self)

    def facets(self):
        """(facets, total): every facet with its options, counts and toggle addresses, and the match count.

        Options that would match nothing are left out unless they are selected.
        """
        counts, total = self._counts(), self.total
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


class Results:
    """The filtered catalog as a sequence: slicing loads just that slice of pages, in catalog order."""

    def __init__(self, catalog_filter):
        self.catalog_filter = catalog_filter

    def __len__(self):
        return self.catalog_filter.total

    def count(self):
        return len(self)

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("Results only support simple slices")
        index, _selection, matched = self.catalog_filter._masks()
        start, stop, _step = item.indices(len(self))
        ids = index.page_ids(matched, start, stop)
        pages = {p.pk: p for p in ServicePage.objects.readable().filter(pk__in=ids).for_listing()}
        # A page unpublished or restricted since the index was built is simply left out.
        return [pages[pk] for pk in ids if pk in pages]
