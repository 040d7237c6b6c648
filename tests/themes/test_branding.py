"""Name, logo and colours come from 门户设置: another county re-brands in the admin, not in templates."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from content.models import PortalImage, PortalSettings
from content.theme import contrast, parse_hex, shades, validate_accent_colour, validate_primary_colour
from tests.factories import site_structure


def theme_href(response):
    return re.search(r'<link rel="stylesheet" href="(/theme/[0-9a-f]{12}\.css)">', response.content.decode()).group(1)


class ThemeStylesheetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))

    def test_colours_from_settings_become_custom_properties(self):
        self.portal.primary_colour = "#1A5E20"
        self.portal.accent_colour = "#c8161d"
        self.portal.save()
        response = self.client.get(theme_href(self.client.get("/")))
        self.assertEqual(response["Content-Type"], "text/css; charset=utf-8")
        css = response.content.decode()
        self.assertIn("--primary-700: #1a5e20;", css)
        self.assertIn("--accent: #c8161d;", css)
        for name, value in shades("#1a5e20").items():
            self.assertIn(f"--primary-{name}: {value};", css)
        # Custom properties only: nothing here can fight the layout rules in portal.css.
        self.assertEqual(re.findall(r"^([^ \n][^{]*)\{", css, re.M), [":root "])

    def test_version_changes_with_the_colours_and_is_cached_for_good(self):
        before = theme_href(self.client.get("/"))
        self.portal.primary_colour = "#7f1b20"
        self.portal.save()
        after = theme_href(self.client.get("/"))
        self.assertNotEqual(before, after)
        current = self.client.get(after)
        self.assertIn("immutable", current["Cache-Control"])
        self.assertIn("max-age=31536000", current["Cache-Control"])
        # A page cached with the old URL still gets today's colours, cached only briefly.
        stale = self.client.get(before)
        self.assertEqual(stale.status_code, 200)
        self.assertIn("--primary-700: #7f1b20;", stale.content.decode())
        self.assertIn("max-age=300", stale["Cache-Control"])
        self.assertNotIn("immutable", stale["Cache-Control"])

    def test_name_and_theme_colour_on_every_page(self):
        self.portal.portal_name = "示范县政务服务网"
        self.portal.region_name = ""
        self.portal.primary_colour = "#7f1b20"
        self.portal.save()
        response = self.client.get("/services/")
        self.assertContains(response, '<meta name="theme-color" content="#7f1b20">')
        self.assertContains(response, '<span class="brand__name">示范县政务服务网</span>')

    def test_logo_replaces_the_round_mark(self):
        self.assertContains(self.client.get("/"), 'class="brand__mark"')
        logo = PortalImage.objects.create(title="县徽", alt_text="示范县徽标", file=get_test_image_file())
        self.portal.logo = logo
        self.portal.save()
        response = self.client.get("/")
        self.assertNotContains(response, 'class="brand__mark"')
        # The name is written next to it, so the logo is not read out a second time.
        self.assertRegex(
            response.content.decode(), r'<img class="brand__logo" src="[^"]+" width="\d+" height="\d+" alt="">'
        )

    def test_no_inline_styles_or_scripts_for_a_strict_csp(self):
        html = self.client.get("/").content.decode()
        self.assertNotIn("style=", html)
        self.assertNotRegex(html, r"<style[\s>]")
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")


class SettingsAdminTests(TestCase):
    """Editors re-brand in 设置 › 门户设置; a colour that would make text unreadable is refused there."""

    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.site = Site.objects.get(is_default_site=True)
        cls.editor = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.editor)
        self.url = reverse("wagtailsettings:edit", args=["content", "portalsettings", self.site.pk])

    def post(self, **changes):
        data = {
            "portal_name": "示范县政务服务网",
            "region_code": "",
            "region_name": "",
            "hotline": "12345",
            "footer_text": "",
            "logo": "",
            "primary_colour": "#0d4a84",
            "accent_colour": "#b0262c",
        }
        data.update(changes)
        return self.client.post(self.url, data)

    def test_form_shows_the_branding_fields(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for name in ("logo", "primary_colour", "accent_colour"):
            self.assertContains(response, f'name="{name}"')

    def test_pale_colour_refused_in_the_admin(self):
        response = self.post(primary_colour="#8ab4f8")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "主色太浅")
        self.assertEqual(PortalSettings.for_site(self.site).primary_colour, "#0d4a84")

    def test_saved_colours_reach_the_public_pages(self):
        self.assertEqual(self.post(primary_colour="#7f1b20", accent_colour="#1a7f37").status_code, 302)
        self.client.logout()
        css = self.client.get(theme_href(self.client.get("/"))).content.decode()
        self.assertIn("--primary-700: #7f1b20;", css)
        self.assertIn("--accent: #1a7f37;", css)


class ColourValidationTests(TestCase):
    def test_format(self):
        for value in ("0d4a84", "#0d4a8", "#0d4a84f", "#GGGGGG", "blue", ""):
            with self.subTest(value=value), self.assertRaisesMessage(ValidationError, "#RRGGBB"):
                validate_primary_colour(value)

    def test_pale_primary_colour_refused_with_its_ratio(self):
        with self.assertRaises(ValidationError) as caught:
            validate_primary_colour("#3a7bd5")
        message = caught.exception.messages[0]
        self.assertIn("主色太浅", message)
        self.assertIn("4.5:1", message)
        self.assertIn("3.9:1", message)  # against its own lightest tint, the lower of the two

    def test_dark_colours_accepted(self):
        for value in ("#0d4a84", "#b0262c", "#1A7F37", "#000000"):
            validate_primary_colour(value)

    def test_accent_needs_three_to_one(self):
        validate_accent_colour("#b0262c")
        validate_accent_colour("#d4380d")
        with self.assertRaisesMessage(ValidationError, "强调色太浅"):
            validate_accent_colour("#f2b200")

    def test_every_accepted_primary_keeps_text_readable_on_its_tints(self):
        # Sample the colour cube: whatever passes validation leaves the derived shades usable as text pairs.
        for r in range(0, 256, 51):
            for g in range(0, 256, 51):
                for b in range(0, 256, 51):
                    value = f"#{r:02x}{g:02x}{b:02x}"
                    try:
                        validate_primary_colour(value)
                    except ValidationError:
                        continue
                    palette = {name: parse_hex(hex_value) for name, hex_value in shades(value).items()}
                    self.assertGreaterEqual(contrast(palette["700"], palette["50"]), 4.5, value)
                    self.assertGreaterEqual(contrast(palette["900"], palette["100"]), 4.5, value)
                    self.assertGreaterEqual(contrast(palette["900"], (255, 255, 255)), 7, value)

    def test_settings_form_reports_the_problem_on_the_field(self):
        site_structure()
        portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
        portal.primary_colour = "#ffcc00"
        portal.accent_colour = "red"
        with self.assertRaises(ValidationError) as caught:
            portal.full_clean()
        self.assertIn("主色太浅", caught.exception.message_dict["primary_colour"][0])
        self.assertIn("#RRGGBB", caught.exception.message_dict["accent_colour"][0])
