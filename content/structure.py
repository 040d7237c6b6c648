"""The fixed skeleton of the page tree: one home page with the catalog and the hall list below it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from wagtail.models import Page, Site

from content.models import CatalogPage, HallIndexPage, HomePage


@transaction.atomic
def ensure_site_structure(portal_name="政务服务网"):
    """Create the home, catalog and hall-list pages if missing and point the default site at home.

    The default site takes its host and port from SITE_URL (WAGTAILADMIN_BASE_URL) while it still has
    Wagtail's placeholder address, so the links and QR codes in printed guides lead to the portal.
    Safe to call any number of times; returns (home, catalog, hall_index).
    """
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=portal_name, slug="home-yimen"))
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = portal_name
            site.save()
        else:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=portal_name
            )
        # Wagtail's own "Welcome" placeholder page is of no use to a citizen.
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
            home.refresh_from_db()
    _adopt_site_url()
    catalog = CatalogPage.objects.first()
    if catalog is None:
        catalog = home.add_child(instance=CatalogPage(title="办事指南", slug="services"))
    hall_index = HallIndexPage.objects.first()
    if hall_index is None:
        hall_index = home.add_child(instance=HallIndexPage(title="服务大厅", slug="halls"))
    return home, catalog, hall_index


def _adopt_site_url():
    """Give the default site the public address from the settings if it still has Wagtail's localhost:80."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if not address.hostname:
        return
    port = address.port or (443 if address.scheme == "https" else 80)
    if Site.objects.filter(is_default_site=True, hostname="localhost", port=80).update(
        hostname=address.hostname, port=port
    ):
        Site.clear_site_root_paths_cache()
