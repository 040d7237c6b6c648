import pytest

from tests.factories import HallFactory, ServicePageFactory, WindowFactory
from transparency.demo import load_transparency_demo
from transparency.models import HallMapPage, NoticeAttachment, NoticePage, RulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_transparency_demo()


def test_demo_content_is_created_once(demo):
    rules = RulePage.objects.count()
    assert {"一次性告知制", "首问责任制", "限时办结制", "服务承诺制", "AB岗工作制", "投诉处理制度"} <= set(
        RulePage.objects.values_list("title", flat=True)
    )
    assert NoticePage.objects.count() == 2
    assert load_transparency_demo() == 0
    assert RulePage.objects.count() == rules


def test_rule_pages_publish_their_revision_history(client, demo):
    rule = RulePage.objects.get(slug="tou-su-zhi-du")
    assert "5 个工作日" in client.get(rule.url).content.decode()
    history = client.get(rule.url + "history/")
    html = history.content.decode()
    assert history.status_code == 200 and "现行版本" in html and "开通网上投诉" in html and "首次公布" in html
    versions = rule.published_versions()
    assert len(versions) == 2
    newest, oldest = versions[0][0], versions[1][0]
    old_text = client.get(f"{rule.url}history/{oldest.revision_id}/").content.decode()
    assert "一周之内" in old_text and "历史版本" in old_text
    assert "5 个工作日" in client.get(f"{rule.url}history/{newest.revision_id}/").content.decode()
    assert client.get(f"{rule.url}history/999999/").status_code == 404


def test_an_unpublished_draft_is_not_in_the_public_history(client, demo):
    rule = RulePage.objects.get(slug="shou-wen-ze-ren-zhi")
    rule.body = "<p>草稿：尚未发布的新条款。</p>"
    rule.save_revision()
    html = client.get(rule.url + "history/").content.decode()
    assert "草稿" not in html and len(rule.published_versions()) == 1


def test_notices_newest_first_with_attachments(client, demo):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    notice = NoticePage.objects.get(slug="2026-guo-qing-zuo-xi")
    document = Document.objects.create(title="放假安排表", file=ContentFile(b"%PDF-1.4 x", name="plan.pdf"))
    NoticeAttachment.objects.create(notice=notice, document=document)
    html = client.get("/notices/").content.decode()
    assert html.index("好差评") < html.index("国庆节")
    page = client.get(notice.url).content.decode()
    assert "放假安排表" in page and document.url in page


def test_hall_map_lists_every_hall(client, demo):
    hall = HallFactory(
        title="三都镇政务服务中心", address="三都镇人民路 1 号", phone="0734-4362000", latitude=26.3, longitude=112.9
    )
    HallFactory(title="新民村便民服务站", latitude=26.31, longitude=112.95)
    WindowFactory(hall=hall, number="1", name="社会事务综合窗口", scope="社会救助")
    ServicePageFactory(parts__hall=hall)
    map_page = HallMapPage.objects.get()
    html = client.get(map_page.url).content.decode()
    for text in (
        "三都镇政务服务中心",
        "三都镇人民路 1 号",
        "0734-4362000",
        "1号窗口 社会事务综合窗口",
        "社会救助",
        "新民村便民服务站",
        "1 项",
    ):
        assert text in html
    assert f"/halls/{hall.slug}/staff/" in html and "<svg" in html


def test_home_page_accepts_the_transparency_pages():
    from content.models import HomePage

    allowed = {model.__name__ for model in HomePage.allowed_subpage_models()}
    assert {"RuleIndexPage", "NoticeIndexPage", "StatisticsPage", "HallMapPage"} <= allowed
