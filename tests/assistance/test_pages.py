"""Where people find 帮办代办: “请服务站帮我办” on a guide only when a hall anyone may read 代办s it, and on a
station's hall page its 可代办 items and its 代办员 with their phones."""

import re

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from content.models import HallLevel, ServiceHall
from tests.factories import HallFactory, ServicePageFactory, StaffMemberFactory, ViewRestrictionFactory

pytestmark = pytest.mark.django_db

BUTTON = "请服务站帮我办"


def test_the_guide_offers_assistance_only_when_a_hall_does_it(client, township):
    plain = ServicePageFactory(title="个体工商户设立登记", halls=[township.centre, township.station])
    html = client.get(plain.url).content.decode()
    assert BUTTON not in html and reverse("assistance:form") not in html and 'id="assistance"' not in html

    html = client.get(township.guide.url).content.decode()
    assert BUTTON in html and "本站可免费代办此事项" in html
    assert f"{reverse('assistance:form')}?service=LY-SD-0005&amp;hall=LY-SD-XM" in html
    assert "段秋菊" in html and "0734-4362101" in html
    # The township centre holds the item too, but does not 代办 it: only the stations are marked.
    assert html.count("本站可免费代办此事项") == 2


def test_a_station_nobody_may_read_offers_nothing(client, township):
    ServiceHall.objects.filter(service=township.guide, hall=township.other_station).update(can_assist=False)
    ViewRestrictionFactory(
        page=township.station, restriction_type=PageViewRestriction.GROUPS, groups=[Group.objects.create(name="内部")]
    )
    html = client.get(township.guide.url).content.decode()
    assert BUTTON not in html and "段秋菊" not in html


def test_the_hall_page_lists_its_items_and_agents(client, township):
    StaffMemberFactory(hall=township.station, name="离岗代办员", is_agent=True, is_active=False)
    StaffMemberFactory(hall=township.station, name="普通工作人员")
    html = client.get(township.station.url).content.decode()
    assert "帮办代办" in html and "段秋菊" in html and 'href="tel:07344362101"' in html
    assert "离岗代办员" not in html.split('id="assistance"')[1].split("</section>")[0]
    assert "普通工作人员" not in html.split('id="assistance"')[1].split("</section>")[0]
    assert "高龄津贴申领" in html and f"{reverse('assistance:form')}?hall=LY-SD-XM" in html

    plain = HallFactory(title="三都镇某村便民服务站", level=HallLevel.VILLAGE)
    assert 'id="assistance"' not in client.get(plain.url).content.decode()


def test_the_form_picks_the_only_station_that_assists_the_item(client, township):
    ServiceHall.objects.filter(service=township.guide, hall=township.other_station).update(can_assist=False)
    html = client.get(f"{reverse('assistance:form')}?service=LY-SD-0005").content.decode()
    assert f'<option value="{township.station.pk}" selected>' in html
    # Only stations that 代办 something are offered; the township centre 代办s nothing here.
    assert f'<option value="{township.centre.pk}"' not in html


def test_the_pages_keep_the_portals_accessibility_rules(client, township):
    """One h1, every control labelled, every id an attribute names exists, no inline style or script."""
    from tests.assistance.test_assistance import code_from, form_data
    from tests.themes.test_accessibility import broken_references

    form = f"{reverse('assistance:form')}?service=LY-SD-0005&hall=LY-SD-XM"
    pages = {
        "guide": client.get(township.guide.url),
        "hall": client.get(township.station.url),
        "form": client.get(form),
        "form with errors": client.post(form, form_data(client, form, name="", home_visit="on")),
    }
    response = client.post(form, form_data(client, form, hall=township.station.pk))
    pages["submitted"] = client.get(response.url)
    code = code_from(pages["submitted"])
    pages["track"] = client.post(reverse("assistance:track"), {"code": code, "phone_last4": "2468"})
    for name, response in pages.items():
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, name
        assert broken_references(html) == [], name
        assert not re.search(r"\sstyle=|<style[\s>]|\son[a-z]+=", html), name
        labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
        for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(hidden|submit)"', control):
                continue
            found = re.search(r'\sid="([^"]+)"', control)
            assert (found and found.group(1) in labelled) or "aria-label" in control, (name, control)
    assert 'role="alert"' in pages["form with errors"].content.decode()
