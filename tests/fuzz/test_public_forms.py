"""Hypothesis against the public forms: complaint, tracking, rating, and the search page's parameters.

For every generated submission: no server error (the test client re-raises any exception), only the
statuses the views document, and nothing stored unless the input was accepted, in which case what is
stored is exactly what was sent after the forms' documented normalisation:
- text fields (description, name, comment) lose leading and trailing whitespace, nothing else;
- phone numbers lose spaces, brackets and a +86 prefix (complaints.forms.normalise_phone).
Each example runs in its own transaction (hypothesis.extra.django.TestCase), so counts compare
cleanly. Rate limits are lifted through settings; production code is untouched.
"""

import re
import tempfile
from pathlib import Path

from django.test import override_settings
from django.urls import reverse

from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from complaints.forms import normalise_phone
from complaints.models import Category, Complaint, ComplaintAttachment
from ratings.forms import view_token
from ratings.models import Rating, Score
from tests.factories import ComplaintFactory, HallFactory, ServicePageFactory, StaffMemberFactory, WindowFactory
from tests.search.catalog import IndexIsolation, build_guides

from .config import fuzz, text

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


@override_settings(PUBLIC_FORM_RATES=UNLIMITED, COMPLAINTS_ATTACHMENT_ROOT=Path(tempfile.gettempdir()) / "yimen-fuzz-attachments")
class ComplaintFormFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(code="LY-SD", slug="ly-sd", title="三都镇政务服务中心")
        cls.window = WindowFactory(hall=cls.hall, number="1", name="社会事务综合窗口")
        cls.staff = StaffMemberFactory(hall=cls.hall, window=cls.window, name="刘建华")
        cls.service = ServicePageFactory(title="最低生活保障审核确认", code="LY-SD-0001", parts__hall=cls.hall)
        cls.tracked = ComplaintFactory(phone="13800005678")

    def ids(self, model_pk):
        return st.one_of(st.just(""), st.just(str(model_pk)), digits, text)

    @fuzz(60)
    @given(data=st.data())
    def test_complaint_form(self, data):
        # A polite sender fills every field within its rules (the content still arbitrary); the others send anything.
        polite = data.draw(st.booleans(), "polite")
        pick = (lambda good, anything: good) if polite else (lambda good, anything: st.one_of(good, anything))
        sent = {
            "category": data.draw(pick(st.sampled_from(Category.values), text), "category"),
            "description": data.draw(pick(polite_descriptions, descriptions), "description"),
            "name": data.draw(pick(st.text(alphabet=plain, max_size=50), st.one_of(text, st.text(min_size=45, max_size=55))), "name"),
            "phone": data.draw(pick(good_phones, phones), "phone"),
            "service": data.draw(pick(st.sampled_from(["", "LY-SD-0001", "ly-sd-0001", "最低生活保障审核确认"]), text), "service"),
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
        assert complaint.phone == "" or re.fullmatch(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?", complaint.phone)
        assert not ComplaintAttachment.objects.filter(complaint=complaint).exists()

    @staticmethod
    def settings_root():
        from django.conf import settings

        return settings.COMPLAINTS_ATTACHMENT_ROOT

    @fuzz(40)
    @given(data=st.data())
    def test_tracking_form(self, data):
        code = self.tracked.tracking_code
        sent_code = data.draw(st.one_of(text, st.sampled_from([code, code.lower(), f" {code} "]), st.from_regex(r"TS-20[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}", fullmatch=True)), "code")
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
            "hall": data.draw(pick(st.sampled_from(["", str(self.hall.pk), str(self.second.pk)]), text), "hall"),
            "comment": data.draw(pick(st.text(alphabet=plain, max_size=500), st.one_of(text, st.text(min_size=495, max_size=505))), "comment"),
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
        assert rating.contact_phone == "" or re.fullmatch(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?", rating.contact_phone)
        assert rating.hall_id in ({int(sent["hall"])} if sent["hall"] else {None})


class SearchPageFuzz(IndexIsolation, TestCase):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            cls.hall, cls.pages = build_guides(cls)

    @fuzz(50)
    @given(
        q=st.one_of(text, st.sampled_from(["低保", "上户口", "hukou", "身份证丢了", "营业执照 开店"])),
        page=st.one_of(st.none(), digits, text),
        topic=st.lists(st.one_of(st.sampled_from(["社会救助", "户籍办理"]), text), max_size=3),
        department=st.lists(text, max_size=2),
        audience=st.lists(st.one_of(st.sampled_from(["person", "organisation"]), text), max_size=2),
    )
    def test_search_page(self, q, page, topic, department, audience):
        params = {"q": q, "topic": topic, "department": department, "audience": audience}
        if page is not None:
            params["page"] = page
        response = self.client.get(reverse("search"), params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
