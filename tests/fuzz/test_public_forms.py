"""Hypothesis against the public forms: complaint, tracking, rating, the search page's and the search API's
parameters, and the addresses that carry codes and slugs (complaint prefill, printed guides, catalog filters).

Ids and page numbers are drawn from tests.fuzz.config.numbers: ASCII digits, other scripts' digits,
integers past the database's columns and text with NUL, which once gave 500s that the fuzzers missed.

For every generated submission: no server error (the test client re-raises any exception), only the
statuses the views document, and nothing stored unless the input was accepted, in which case what is
stored is exactly what was sent after the forms' documented normalisation:
- text fields (description, name, comment) lose leading and trailing whitespace, nothing else;
- phone numbers lose spaces, brackets and a +86 prefix (publicforms.phones.normalise_phone).
Each example runs in its own transaction (hypothesis.extra.django.TestCase), so counts compare
cleanly. Rate limits are lifted through settings; production code is untouched.
"""

import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from complaints.models import Category, Complaint, ComplaintAttachment
from operations.nul import MESSAGE as NUL_MESSAGE
from publicforms.phones import normalise_phone
from ratings.forms import view_token
from ratings.models import Rating, Score
from tests.factories import (
    ComplaintFactory,
    HallFactory,
    ServicePageFactory,
    StaffMemberFactory,
    WindowFactory,
    site_structure,
)
from tests.search.catalog import IndexIsolation, build_guides

from .config import fuzz, huge_integers, numbers, text, unicode_digits, with_nul

UNLIMITED = {"complaint": "1000000/m", "track": "1000000/m", "rating": "1000000/m"}
FORM = reverse("complaints:form")
TRACK = reverse("complaints:track")
RATE = reverse("ratings:rate")

digits = st.text(alphabet="0123456789", min_size=1, max_size=12)
good_phones = st.one_of(
    st.just(""),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"(\+86 ?)?1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"0[0-9]{2,3}-?[0-9]{7,8}", fullmatch=True),
    st.from_regex(r"1[3-9]\d{9}", fullmatch=True),  # \d: any Unicode digit, e.g. ١٣٨…
)
phones = st.one_of(good_phones, digits, text)
# Printable text of a length the forms accept, so that "polite" submissions are mostly accepted.
plain = st.characters(exclude_categories=("Cs", "Cc"))
descriptions = st.one_of(
    text,
    st.text(min_size=8, max_size=30).map(lambda t: f"  {t}办理时被要求反复提交材料 \n"),
    st.text(min_size=1990, max_size=2010, alphabet="投诉内容abc "),
)
polite_descriptions = st.text(alphabet=plain, min_size=10, max_size=300)


def _attachment_files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@override_settings(
    PUBLIC_FORM_RATES=UNLIMITED, COMPLAINTS_ATTACHMENT_ROOT=Path(tempfile.gettempdir()) / "yimen-fuzz-attachments"
)
class ComplaintFormFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(code="LY-SD", slug="ly-sd", title="三都镇政务服务中心")
        cls.window = WindowFactory(hall=cls.hall, number="1", name="社会事务综合窗口")
        cls.staff = StaffMemberFactory(hall=cls.hall, window=cls.window, name="刘建华")
        cls.service = ServicePageFactory(title="最低生活保障审核确认", code="LY-SD-0001", parts__hall=cls.hall)
        cls.tracked = ComplaintFactory(phone="13800005678")

    def ids(self, model_pk):
        other_digits = str(model_pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        return st.one_of(
            st.just(""), st.just(str(model_pk)), st.just(other_digits), huge_integers, unicode_digits, numbers
        )

    @fuzz(60)
    @given(data=st.data())
    def test_complaint_form(self, data):
        # A polite sender fills every field within its rules (the content still arbitrary); the others send anything.
        polite = data.draw(st.booleans(), "polite")
        pick = (lambda good, anything: good) if polite else (lambda good, anything: st.one_of(good, anything))
        sent = {
            "category": data.draw(pick(st.sampled_from(Category.values), text), "category"),
            "description": data.draw(pick(polite_descriptions, descriptions), "description"),
            "name": data.draw(
                pick(st.text(alphabet=plain, max_size=50), st.one_of(text, st.text(min_size=45, max_size=55))), "name"
            ),
            "phone": data.draw(pick(good_phones, phones), "phone"),
            "service": data.draw(
                pick(st.sampled_from(["", "LY-SD-0001", "ly-sd-0001", "最低生活保障审核确认"]), text), "service"
            ),
            "hall": data.draw(pick(st.sampled_from(["", str(self.hall.pk)]), self.ids(self.hall.pk)), "hall"),
            "window": data.draw(pick(st.sampled_from(["", str(self.window.pk)]), self.ids(self.window.pk)), "window"),
            "staff": data.draw(pick(st.sampled_from(["", str(self.staff.pk)]), self.ids(self.staff.pk)), "staff"),
            "website": data.draw(pick(st.just(""), text), "website"),
        }
        if polite or data.draw(st.booleans(), "consent"):
            sent["consent"] = "on"
        before = set(Complaint.objects.values_list("pk", flat=True))
        files_before = _attachment_files(self.settings_root())

        response = self.client.post(FORM, sent)

        assert response.status_code in (302, 400), response.status_code
        event(f"status {response.status_code}")
        stored = Complaint.objects.exclude(pk__in=before)
        if response.status_code == 400:
            assert not stored.exists()
            assert _attachment_files(self.settings_root()) == files_before
            return
        complaint = stored.get()
        assert complaint.category == sent["category"]
        assert complaint.description == sent["description"].strip()
        assert complaint.name == sent["name"].strip()
        assert complaint.phone == normalise_phone(sent["phone"])
        assert complaint.phone == "" or re.fullmatch(
            r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?", complaint.phone
        )
        assert not ComplaintAttachment.objects.filter(complaint=complaint).exists()

    @staticmethod
    def settings_root():
        return settings.COMPLAINTS_ATTACHMENT_ROOT

    @fuzz(40)
    @given(data=st.data())
    def test_tracking_form(self, data):
        code = self.tracked.tracking_code
        sent_code = data.draw(
            st.one_of(
                text,
                st.sampled_from([code, code.lower(), f" {code} "]),
                st.from_regex(r"TS-20[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}", fullmatch=True),
            ),
            "code",
        )
        last4 = data.draw(st.one_of(st.sampled_from(["5678", "５６７８", "0000", ""]), digits, text), "last4")
        before = list(Complaint.objects.values_list("pk", "status", "replied_at"))
        response = self.client.post(TRACK, {"code": sent_code, "phone_last4": last4})
        assert response.status_code in (200, 400, 404), response.status_code
        event(f"status {response.status_code}")
        if response.status_code == 200:
            assert code in response.content.decode()
        assert list(Complaint.objects.values_list("pk", "status", "replied_at")) == before


@override_settings(PUBLIC_FORM_RATES=UNLIMITED)
class RatingFormFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(code="LY-SD", slug="ly-sd")
        cls.second = HallFactory()
        cls.page = ServicePageFactory(parts__hall=cls.hall, halls=[cls.hall, cls.second])

    @fuzz(60)
    @given(data=st.data())
    def test_rating_form(self, data):
        polite = data.draw(st.booleans(), "polite")
        pick = (lambda good, anything: good) if polite else (lambda good, anything: st.one_of(good, anything))
        nonce = data.draw(st.one_of(st.uuids().map(str), text), "nonce")
        sent = {
            "token": data.draw(pick(st.just(view_token(self.page, nonce)), text), "token"),
            "score": data.draw(pick(st.sampled_from([str(s) for s in Score.values]), text), "score"),
            "hall": data.draw(pick(st.sampled_from(["", str(self.hall.pk), str(self.second.pk)]), numbers), "hall"),
            "comment": data.draw(
                pick(st.text(alphabet=plain, max_size=500), st.one_of(text, st.text(min_size=495, max_size=505))),
                "comment",
            ),
            "contact_phone": data.draw(pick(good_phones, phones), "contact_phone"),
            "website": data.draw(pick(st.just(""), text), "website"),
        }
        before = set(Rating.objects.values_list("pk", flat=True))

        response = self.client.post(RATE, sent)

        assert response.status_code in (302, 400, 409), response.status_code
        event(f"status {response.status_code}")
        stored = Rating.objects.exclude(pk__in=before)
        if response.status_code != 302:
            assert not stored.exists()
            return
        rating = stored.get()
        assert rating.page_id == self.page.pk
        assert rating.score == int(sent["score"])
        assert rating.comment == sent["comment"].strip()
        assert rating.contact_phone == normalise_phone(sent["contact_phone"])
        assert rating.contact_phone == "" or re.fullmatch(
            r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?", rating.contact_phone
        )
        assert rating.hall_id in ({int(sent["hall"])} if sent["hall"] else {None})


class SearchPageFuzz(IndexIsolation, TestCase):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            cls.hall, cls.pages = build_guides(cls)

    @fuzz(50)
    @given(
        q=st.one_of(text, st.sampled_from(["低保", "上户口", "hukou", "身份证丢了", "营业执照 开店"])),
        page=st.one_of(st.none(), numbers),
        topic=st.lists(st.one_of(st.sampled_from(["社会救助", "户籍办理"]), text, with_nul), max_size=3),
        department=st.lists(text, max_size=2),
        audience=st.lists(st.one_of(st.sampled_from(["person", "organisation"]), text), max_size=2),
    )
    def test_search_page(self, q, page, topic, department, audience):
        params = {"q": q, "topic": topic, "department": department, "audience": audience}
        if page is not None:
            params["page"] = page
        response = self.client.get(reverse("search"), params)
        assert response["Content-Type"].startswith("text/html")
        _answers_nul_with_400(response, [q, page or "", *topic, *department, *audience])

    @fuzz(50)
    @given(
        q=st.one_of(text, st.sampled_from(["低保", "上户口", "hukou"])),
        page=st.one_of(st.none(), numbers, st.integers(-5, 105).map(str)),
    )
    def test_search_api(self, q, page):
        params = {"q": q} if page is None else {"q": q, "page": page}
        with self.settings(YIMEN_SEARCH_API_RATE="1000000/m"):
            response = self.client.get(reverse("search_api"), params)
        payload = response.json()  # every answer is JSON, errors included
        if "\x00" in q + (page or ""):
            assert (response.status_code, payload) == (400, {"error": NUL_MESSAGE})
            return
        if not q.strip() or len(q) > settings.YIMEN_SEARCH_MAX_QUERY_LENGTH:
            assert response.status_code == 400 and "搜索词 q" in payload["error"], (q, response.status_code)
        elif page is not None and not (re.fullmatch(r"[0-9]{1,3}", page) and 1 <= int(page) <= 100):
            assert response.status_code == 400 and "页码 page" in payload["error"], (page, response.status_code)
        else:
            assert response.status_code == 200, response.status_code
            assert payload["page"] == int(page or 1)


def _answers_nul_with_400(response, sent):
    """A NUL anywhere in the address is the Chinese 400 (operations/nul.py); anything else a normal page."""
    if any("\x00" in value for value in sent):
        assert response.status_code == 400, response.status_code
        assert NUL_MESSAGE in response.content.decode()
    else:
        assert response.status_code == 200, response.status_code


class AddressFuzz(TestCase):
    """Codes, slugs and ids in addresses: the complaint form's prefill, a guide's print views, the catalog filters."""

    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.hall = HallFactory(code="LY-SD", slug="ly-sd")
        cls.service = ServicePageFactory(code="LY-SD-0001", slug="ly-sd-0001", parts__hall=cls.hall)

    @fuzz(40)
    @given(
        hall=st.one_of(st.sampled_from(["ly-sd", "LY-SD"]), numbers), service=st.one_of(st.just("ly-sd-0001"), numbers)
    )
    def test_complaint_prefill(self, hall, service):
        response = self.client.get(FORM, {"hall": hall, "service": service})
        _answers_nul_with_400(response, [hall, service])

    @fuzz(40)
    @given(
        slug=st.one_of(st.just("ly-sd-0001"), numbers.filter(lambda s: "/" not in s and "?" not in s and "#" not in s)),
        view=st.sampled_from(["checklist/", "pdf/", ""]),
    )
    def test_guide_addresses(self, slug, view):
        response = self.client.get(f"/services/{quote(slug, safe='')}/{view}")
        if "\x00" in slug:
            assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()
        else:
            assert response.status_code in (200, 301, 302, 404), (slug, response.status_code)

    @fuzz(30)
    @given(
        params=st.dictionaries(
            st.sampled_from(["hall", "department", "topic", "page", "free", "level"]), numbers, max_size=3
        )
    )
    def test_catalog_filters(self, params):
        response = self.client.get("/services/", params)
        _answers_nul_with_400(response, list(params.values()))
