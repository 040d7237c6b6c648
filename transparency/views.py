"""The staff photo board (阳光台) of one hall."""

from django.shortcuts import get_object_or_404, render

from content.models import HallPage, StaffMember
from content.restrictions import serve_like_page

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
