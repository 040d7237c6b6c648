from django import template

from content.models import HallPage

from .. import stations

register = template.Library()


@register.simple_tag
def assistance_offers(page):
    """{hall id: (hall, its 代办员)} for the readable halls that 代办 the guide `page`, in the guide's order of
    halls; empty when none does (the guide then offers no “请服务站帮我办”).

    Read from the guide's own hall rows, so a preview shows what the draft says.
    """
    links = [link for link in page.service_halls.all() if link.can_assist]
    if not links:
        return {}
    halls = {hall.pk: hall for hall in HallPage.objects.readable().filter(pk__in=[link.hall_id for link in links])}
    return {
        link.hall_id: (halls[link.hall_id], list(stations.agents(link.hall_id)))
        for link in links
        if link.hall_id in halls
    }


@register.inclusion_tag("assistance/includes/guide_assistance.html")
def guide_assistance(page, offers):
    """“请服务站帮我办” on a guide, below its places: the stations that 代办 it and their 代办员."""
    return {"page": page, "offers": list(offers.values())}


@register.inclusion_tag("assistance/includes/hall_assistance.html")
def hall_assistance(hall):
    """帮办代办 on a hall page: the items the station 代办s, its 代办员 with their phones, the request form."""
    return {"hall": hall, "items": list(stations.items_at(hall)), "agents": list(stations.agents(hall))}


@register.inclusion_tag("assistance/includes/agents.html")
def station_agents(hall):
    """A station's 代办员 with their work phones (the hall's phone when there is none)."""
    return {"hall": hall, "agents": list(stations.agents(hall)) if hall else []}
