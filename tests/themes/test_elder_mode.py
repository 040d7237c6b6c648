"""Elder mode (适老化) is drawn by the server from the yimen_elder cookie, and the switch works without JavaScript."""

import re

from django.test import TestCase

from tests.factories import ServicePageFactory, site_structure


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def elder_button(response):
    return re.search(r"<button[^>]*data-elder-toggle[^>]*>", response.content.decode()).group(0)


class ElderModeRenderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.guide = ServicePageFactory(title="最低生活保障审核确认", slug="dibao")

    def test_without_cookie_the_page_is_normal(self):
        for url in ("/", "/services/", "/services/dibao/", "/complaints/", "/search/?q=低保"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertNotIn("elder-mode", html_tag(response))
                self.assertIn('aria-pressed="false"', elder_button(response))
                # The no-JS form asks to switch it on and come back here.
                self.assertContains(response, 'name="on" value="1"')

    def test_cookie_puts_the_class_on_html_from_the_server(self):
        self.client.cookies["yimen_elder"] = "1"
        for url in ("/", "/services/", "/services/dibao/", "/complaints/", "/search/?q=低保"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(html_tag(response), '<html lang="zh-CN" class="elder-mode">')
                self.assertIn('aria-pressed="true"', elder_button(response))
                self.assertContains(response, 'name="on" value="0"')

    def test_other_cookie_values_do_not_switch_it_on(self):
        self.client.cookies["yimen_elder"] = "0"
        self.assertNotIn("elder-mode", html_tag(self.client.get("/")))

    def test_switch_is_a_labelled_form_button_with_the_page_to_return_to(self):
        response = self.client.get("/services/dibao/?from=search")
        html = response.content.decode()
        form = re.search(r"<form[^>]*data-elder-form[^>]*>.*?</form>", html, re.S).group(0)
        self.assertIn('action="/elder-mode/"', form)
        self.assertIn('method="get"', form)
        self.assertIn('name="next" value="/services/dibao/?from=search"', form)
        self.assertIn("长辈模式", form)
        self.assertContains(response, 'src="/static/js/site.js" defer')


class ElderModeEndpointTests(TestCase):
    def test_get_switches_on_and_returns(self):
        response = self.client.get("/elder-mode/", {"on": "1", "next": "/services/?topic=社会救助"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response["Location"], "/services/?topic=%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9")
        cookie = response.cookies["yimen_elder"]
        self.assertEqual(cookie.value, "1")
        self.assertEqual(cookie["path"], "/")
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertGreaterEqual(int(cookie["max-age"]), 365 * 24 * 3600)

    def test_get_switches_off(self):
        self.client.cookies["yimen_elder"] = "1"
        response = self.client.get("/elder-mode/", {"on": "0", "next": "/halls/"})
        self.assertEqual(response["Location"], "/halls/")
        self.assertEqual(response.cookies["yimen_elder"].value, "")
        self.assertEqual(response.cookies["yimen_elder"]["max-age"], 0)

    def test_following_the_redirect_renders_elder_mode(self):
        site_structure()
        response = self.client.get("/elder-mode/", {"on": "1", "next": "/"}, follow=True)
        self.assertEqual(html_tag(response), '<html lang="zh-CN" class="elder-mode">')

    def test_post_works_too(self):
        response = self.client.post("/elder-mode/", {"on": "1", "next": "/complaints/"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response["Location"], "/complaints/")
        self.assertEqual(response.cookies["yimen_elder"].value, "1")

    def test_never_redirects_to_another_site(self):
        for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
            with self.subTest(target=target):
                response = self.client.get("/elder-mode/", {"on": "1", "next": target})
                self.assertEqual(response["Location"], "/")

    def test_without_next_goes_back_to_the_referring_page(self):
        response = self.client.get("/elder-mode/", {"on": "1"}, HTTP_REFERER="http://testserver/halls/")
        self.assertEqual(response["Location"], "http://testserver/halls/")
        self.assertEqual(self.client.get("/elder-mode/", {"on": "1"})["Location"], "/")

    def test_other_methods_are_refused(self):
        self.assertEqual(self.client.put("/elder-mode/").status_code, 405)
