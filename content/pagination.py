"""The one pagination helper: every paged list on the portal goes through `paginate`."""

from django.core.paginator import Paginator

from .inputs import parse_int

PER_PAGE = 20


def paginate(request, object_list, per_page=PER_PAGE, count=None):
    """The page of `object_list` asked for by `?page=N`.

    A malformed number (anything but ASCII digits, see content.inputs) gives the first page and one
    past the end gives the last, so a stale link never fails. Pass `count` when the total is already
    known to save the COUNT query.
    """
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(parse_int(request.GET.get("page")))
