"""The readable catalog as bitsets, so the faceted catalog answers in milliseconds with tens of thousands of items.

Bit i of every mask stands for the i-th readable service item (live, under no view restriction) in
catalog (code) order. A facet value's mask has the bits of the items that have that value; ANDing the
masks of the active filters and counting bits (`int.bit_count`) gives every facet count without
touching the database, and the set bits of the result are the page of items to show, already in
catalog order.

The index is held per process and rebuilt when the catalog may have changed:

- this process learns of changes from model signals (saves, deletes, topic changes, publishing, imports);
- other processes notice a new fingerprint: the newest revision, page-history and page ids, which
  every Wagtail edit, publication, unpublication, move, page creation and catalog import advances,
  and the newest id and number of view restrictions, which setting or lifting one changes;
- and an index is never used for longer than `MAX_AGE` seconds, as a bound on anything both would miss.

Only ids are cached; names, codes and levels are read fresh by the caller, so renaming a topic or a
department shows at once.
"""

import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision

from content.models.services import AUDIENCES, ServiceFee, ServiceHall, ServicePage

MAX_AGE = 300
YES = "1"

_lock = threading.Lock()
_state = {"index": None, "key": None, "built": 0.0, "generation": 0}


@dataclass(frozen=True)
class FacetIndex:
    ids: tuple  # page ids in catalog order: bit i stands for ids[i]
    masks: dict  # (facet name, key) → mask; keys are ids for topic, department and hall
    everything: int

    def mask(self, facet, key):
        return self.masks.get((facet, key), 0)

    def count(self, facet, key):
        """How many readable items have `key` for `facet`."""
        return self.mask(facet, key).bit_count()

    def any_of(self, facet, keys):
        """The items having any of `keys` for `facet` (OR within a facet)."""
        result = 0
        for key in keys:
            result |= self.mask(facet, key)
        return result

    def page_ids(self, mask, start, stop):
        """Ids of the items in `mask` from the start-th to the (stop-1)-th, in catalog order."""
        bits = bin(mask)[:1:-1]  # bits[i] == "1" when item i is in the mask
        found = []
        position = bits.find("1")
        seen = 0
        while position != -1 and seen < stop:
            if seen >= start:
                found.append(self.ids[position])
            seen += 1
            position = bits.find("1", position + 1)
        return found


def build():
    """Read the readable catalog into a FacetIndex: four queries, whatever the number of items."""
    fees = ServiceFee.objects.filter(service=OuterRef("pk"))
    rows = list(
        ServicePage.objects.readable()
        .order_by("code")
        .annotate(charges_fee=Exists(fees))
        .values_list(
            "pk",
            "department_id",
            "handling",
            "item_type",
            "for_individuals",
            "for_organisations",
            "visits",
            "online_available",
            "charges_fee",
        )
    )
    bit_of = {}
    masks = {}

    def add(facet, key, bit):
        masks[(facet, key)] = masks.get((facet, key), 0) | bit

    for position, (
        pk,
        department,
        handling,
        item_type,
        individuals,
        organisations,
        visits,
        online,
        charged,
    ) in enumerate(rows):
        bit = 1 << position
        bit_of[pk] = bit
        add("department", department, bit)
        add("handling", handling, bit)
        add("item_type", item_type, bit)
        if individuals:
            add("audience", AUDIENCES[0], bit)
        if organisations:
            add("audience", AUDIENCES[1], bit)
        if visits <= 1:
            add("visits", YES, bit)
        if online:
            add("online", YES, bit)
        if not charged:
            add("free", YES, bit)
    through = ServicePage.topics.through
    for service_id, topic_id in through.objects.values_list("servicepage_id", "topic_id").iterator():
        if service_id in bit_of:
            add("topic", topic_id, bit_of[service_id])
    for service_id, hall_id in ServiceHall.objects.values_list("service_id", "hall_id").iterator():
        if service_id in bit_of:
            add("hall", hall_id, bit_of[service_id])
    return FacetIndex(ids=tuple(row[0] for row in rows), masks=masks, everything=(1 << len(rows)) - 1)


def fingerprint():
    """The newest revision, page-history, page and view-restriction ids and the number of view
    restrictions, read in one query of indexed lookups.

    They change with every Wagtail edit, publication, unpublication, move, deletion through the admin,
    catalog import and page creation, and with every view restriction set or lifted (even one made
    without the admin, which would leave no page-history entry).
    """
    # Table names come from model metadata, never from input.
    tables = [connection.ops.quote_name(m._meta.db_table) for m in (Revision, PageLogEntry, Page, PageViewRestriction)]
    lookups = [f"(SELECT MAX(id) FROM {table})" for table in tables]  # noqa: S608
    lookups.append(f"(SELECT COUNT(*) FROM {tables[-1]})")  # noqa: S608
    sql = "SELECT " + ", ".join(lookups)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return (connection.alias, connection.settings_dict["NAME"], *cursor.fetchone())


def current():
    """The index of the readable catalog as it is now, rebuilt only when it may have changed."""
    key = fingerprint()
    with _lock:
        index = _state["index"]
        if index is not None and _state["key"] == key and time.monotonic() - _state["built"] < MAX_AGE:
            return index
        generation = _state["generation"]
    index = build()  # outside the lock: a slow rebuild never blocks readers of a still-valid index
    with _lock:
        # Keep it only if nothing was invalidated while it was being built.
        if _state["generation"] == generation:
            _state.update(index=index, key=key, built=time.monotonic())
    return index


def invalidate(**kwargs):
    """Forget the index now and again once the current transaction commits (signal receiver)."""
    _forget()
    transaction.on_commit(_forget)


def _forget():
    with _lock:
        _state["index"] = None
        _state["generation"] += 1
