"""How a facet is shown: its options with their counts and toggle addresses, and the active filter chips.

Plain display classes, shared by the catalog's filters (`content.filters`) and the search results page
(`search`), so neither has to import the other's machinery to draw the same facet panel.
"""

from dataclasses import dataclass, field


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
    """One active filter value, with the address of the same page without it."""

    facet_label: str
    label: str
    remove_url: str
