"""Which stations 代办 which items, and who their 代办员 are: what the public pages and the forms read.

A station is any hall any visitor may read that is marked 可代办 for at least one readable item
(content.ServiceHall.can_assist) — village stations above all, but a township centre may do it too.
"""

from django.db.models import Exists, OuterRef

from content.models import HallPage, ServiceHall, ServicePage, StaffMember


def stations():
    """Readable halls that 代办 at least one readable item, in the order of the hall tree."""
    offers = ServiceHall.objects.filter(
        hall=OuterRef("pk"), can_assist=True, service__in=ServicePage.objects.readable()
    )
    return HallPage.objects.readable().filter(Exists(offers)).order_by("path")


def stations_for(service):
    """The readable halls that 代办 `service`, in the guide's order of halls."""
    links = ServiceHall.objects.filter(service=service, can_assist=True).order_by("sort_order", "pk")
    readable = set(HallPage.objects.readable().filter(pk__in=links.values("hall")).values_list("pk", flat=True))
    return [link.hall for link in links.select_related("hall") if link.hall_id in readable]


def items_at(hall):
    """The readable items `hall` 代办s, in catalog (code) order."""
    return ServicePage.objects.readable().assisted_at([hall]).order_by("code")


def assists(hall, service):
    return ServiceHall.objects.filter(hall=hall, service=service, can_assist=True).exists()


def agents(hall):
    """The station's 代办员 on duty, listed with their work phones."""
    return (
        StaffMember.objects.agents()
        .filter(hall=hall)
        .select_related("window")
        .order_by("window__sort_order", "post", "staff_id")
    )
