"""Figures made from 演示数据 say so on the public statistics page, in words and on every chart of them;
only what `load_sample_activity` made counts as sample data, never what a citizen typed."""

import datetime
import importlib

from django.apps import apps as django_apps
from django.utils import timezone

import pytest

from complaints.models import Complaint
from ratings.models import Rating
from tests.factories import ComplaintFactory, HallFactory, RatingFactory, ServicePageFactory, site_structure
from tests.transparency.pages import transparency_pages
from transparency.demo import load_sample_activity
from transparency.models import SampleComplaint, SampleRating
from transparency.statistics import figures

pytestmark = pytest.mark.django_db
SAMPLE_BANNER = "tp-notice--sample"


@pytest.fixture
def halls():
    site_structure()
    hall = HallFactory(title="三都镇政务服务中心")
    ServicePageFactory(parts__hall=hall)
    return transparency_pages()


def statistics_html(client, pages):
    return client.get(pages["statistics"].url).content.decode()


def test_real_figures_carry_no_sample_notice(client, halls):
    ComplaintFactory(description="（演示数据）一位市民照抄了演示数据的写法。")
    RatingFactory(score=5, comment="（演示数据）")
    html = statistics_html(client, halls)
    assert SAMPLE_BANNER not in html and "含演示数据" not in html
    assert figures(today=timezone.localdate()).has_sample is False


def test_sample_activity_is_announced_with_its_share(client, halls):
    ratings, complaints = load_sample_activity(months=2)
    assert ratings and complaints
    assert SampleRating.objects.count() == ratings and SampleComplaint.objects.count() == complaints
    html = statistics_html(client, halls)
    assert SAMPLE_BANNER in html and "本页数字全部来自演示用的样例" in html
    stats = figures(months=12, today=timezone.localdate())
    assert f"{stats.total.received} 件投诉中有 {stats.sample_complaints} 件" in html
    assert stats.sample_complaints == complaints and stats.sample_ratings == ratings
    assert (
        html.count('<span class="tp-sample-tag">含演示数据</span>') == 3
    )  # every chart drawn from complaints or ratings


def test_real_activity_next_to_the_sample_makes_the_notice_say_some(client, halls):
    load_sample_activity(months=1)
    Rating.objects.create(page=halls["statistics"], page_title="统计公开", score=5, view_nonce="real-view")
    html = statistics_html(client, halls)
    assert "本页数字含有演示用的样例" in html and "全部来自" not in html


def test_deleting_the_sample_ends_the_notice(client, halls):
    load_sample_activity(months=1)
    Complaint.objects.filter(pk__in=SampleComplaint.objects.values("complaint")).delete()
    Rating.objects.filter(pk__in=SampleRating.objects.values("rating")).delete()
    assert SampleComplaint.objects.count() == SampleRating.objects.count() == 0
    assert SAMPLE_BANNER not in statistics_html(client, halls)


def test_the_migration_marks_sample_activity_loaded_before_it(halls):
    """A demo portal set up before the marks existed: its sample rows are found, a citizen's are not."""
    load_sample_activity(months=1)
    expected = (
        set(SampleComplaint.objects.values_list("pk", flat=True)),
        set(SampleRating.objects.values_list("pk", flat=True)),
    )
    SampleComplaint.objects.all().delete()
    SampleRating.objects.all().delete()
    typed = ComplaintFactory(  # anonymous, on the full minute, but sent through the form (it has a form token)
        description="（演示数据）市民写的投诉。",
        name="",
        phone="",
        submission_token="form-token-1",
        received_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 5)),
    )
    migration = importlib.import_module("transparency.migrations.0002_sample_activity")
    migration.mark_existing_sample_activity(django_apps, None)
    assert set(SampleComplaint.objects.values_list("pk", flat=True)) == expected[0]
    assert set(SampleRating.objects.values_list("pk", flat=True)) == expected[1]
    assert typed.pk not in expected[0]
