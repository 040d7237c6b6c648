"""The fixed skeleton of the page tree: one home page with the catalog and the hall list below it."""

from django.db import transaction

from wagtail.models import Page, Site

from content.models import CatalogPage, HallIndexPage, HomePage


@transaction.atomic
def ensure_site_structure(portal_name="政务服务网"):
    """Create the home, catalog and hall-list pages if missing and point the default site at home.

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
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=portal_name)
        # Wagtail's own "Welcome" placeholder page is of no use to a citizen.
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
            home.refresh_from_db()
    catalog = CatalogPage.objects.first()
    if catalog is None:
        catalog = home.add_child(instance=CatalogPage(title="办事指南", slug="services"))
    hall_index = HallIndexPage.objects.first()
    if hall_index is None:
        hall_index = home.add_child(instance=HallIndexPage(title="服务大厅", slug="halls"))
    return home, catalog, hall_index
