"""What the public may read, declared once for every page model of the portal."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr

from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


def readable(pages):
    """Those of `pages` (any PageQuerySet) any visitor may read: live, and neither they nor an ancestor
    carry a view restriction (password, login or groups).

    The same rows as Wagtail's `live().public()`, but as one lazy subquery: it costs no query of its
    own and holds whatever restrictions exist when the queryset runs, not when it was built.
    """
    under_restriction = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return pages.live().exclude(Exists(under_restriction))


class ReadablePageQuerySet(PageQuerySet):
    """Page queries shared by the portal's page models."""

    def readable(self):
        """Pages any visitor may read (see `readable`). Every public listing, count, search document and
        open-data export starts here, so a restricted guide or hall shows nowhere a visitor could read
        it; the page itself, and what is printed from it, answers through Wagtail's own check."""
        return readable(self)


ReadablePageManager = PageManager.from_queryset(ReadablePageQuerySet)
