"""The staff photo board (阳光台) of one hall, and the fixed pages of a government website: 网站地图,
联系我们, 隐私声明 and 无障碍声明."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from complaints.kind import HANDLER_GROUP
from content.elder import ELDER_COOKIE_MAX_AGE
from content.models import HallPage, StaffMember
from content.restrictions import serve_like_page
from content.theme import TEXT_CONTRAST

from .website import fixed_sections, hall_contacts, site_map

POST_ORDER = {StaffMember.Post.A: 0, StaffMember.Post.B: 1}


def board_groups(hall):
    """[(window or None, [staff])] in window order, A post before B; people without a window come last."""
    staff = list(
        StaffMember.objects.on_board()
        .filter(hall=hall)
        .select_related("window", "department", "photo")
        .prefetch_related("photo__renditions")
    )
    staff.sort(key=lambda s: (POST_ORDER.get(s.post, 2), s.staff_id))
    groups = []
    for window in hall.windows.all():
        members = [s for s in staff if s.window_id == window.pk]
        if members:
            groups.append((window, members))
    placed = {s.pk for _w, members in groups for s in members}
    rest = [s for s in staff if s.pk not in placed]
    if rest:
        groups.append((None, rest))
    return groups


def staff_board(request, slug):
    """The board of a live hall, shown to whoever may read the hall's page (its view restriction applies)."""
    hall = get_object_or_404(HallPage.objects.live(), slug=slug)

    def render_board():
        groups = board_groups(hall)
        context = {"hall": hall, "groups": groups, "count": sum(len(m) for _w, m in groups)}
        return render(request, "transparency/staff_board.html", context)

    return serve_like_page(hall, request, render_board)


def site_map_view(request):
    home, sections = site_map(request)
    return render(
        request, "transparency/site_map.html", {"home": home, "sections": sections, "fixed": fixed_sections()}
    )


def contact_view(request):
    return render(request, "transparency/contact.html", {"halls": hall_contacts()})


def privacy_view(request):
    """The statement quotes the limits and names the code enforces, so it cannot drift from them."""
    context = {
        "handler_group": HANDLER_GROUP,
        "max_attachments": settings.COMPLAINTS_MAX_ATTACHMENTS,
        "elder_cookie_days": ELDER_COOKIE_MAX_AGE // (24 * 3600),
    }
    return render(request, "transparency/privacy.html", context)


def accessibility_view(request):
    return render(request, "transparency/accessibility.html", {"text_contrast": TEXT_CONTRAST})
