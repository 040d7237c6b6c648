from wagtail.models import Site

import pytest

from content.structure import ensure_site_structure

pytestmark = pytest.mark.django_db


def test_default_site_takes_the_public_address_from_site_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://zwfw.example.gov.cn"

    home, catalog, _ = ensure_site_structure()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("zwfw.example.gov.cn", 443, home.pk)
    assert catalog.full_url == "https://zwfw.example.gov.cn/services/"


def test_an_address_set_by_the_administrator_is_kept(settings):
    ensure_site_structure()
    Site.objects.filter(is_default_site=True).update(hostname="zwfw.leiyang.gov.cn", port=8080)
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"

    ensure_site_structure()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("zwfw.leiyang.gov.cn", 8080)
