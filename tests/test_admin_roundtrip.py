"""Every admin form of the portal, saved again unchanged in a browser, leaves the stored object as it was.

The forms are found in the registries (Wagtail's page models, the snippet viewsets, the settings), so a
new page type, snippet or setting is walked as soon as it is registered; it only needs a builder below
that fills every field. Each edit page is read back with tests/browser_form.py as a browser would
send it (a date input sends only an ISO value, checkboxes only when ticked, the selected options), posted
unchanged, and the stored row, its inline rows and relations compared before and after.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.images import ImageFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from modelcluster.models import ClusterableModel
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.models import Page, Site, get_page_models
from wagtail.snippets.models import get_snippet_models

from PIL import Image

from cases import handling as complaint_handling
from complaints.models import Complaint
from content.models import (
    FAQ,
    HallLevel,
    HallPage,
    HomePage,
    HomePopularItem,
    LegalBasis,
    Material,
    PortalImage,
    PortalSettings,
    ProcessStep,
    ServiceFee,
    ServiceHall,
    SiteBanner,
    SpecialProcedure,
    StaffMember,
)
from notifications.models import MessageTemplate
from ratings.handling import submit_rating, update_follow_up
from ratings.models import FollowUp
from search.models import ElsewhereService, SearchTerm, Synonym
from tests.browser_form import browser_form
from tests.factories import (
    ComplaintFactory,
    DepartmentFactory,
    HallFactory,
    ServicePageFactory,
    StaffMemberFactory,
    TopicFactory,
    WindowFactory,
    site_structure,
)
from transparency.models import (
    HallMapPage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    RuleIndexPage,
    RulePage,
    StatisticsPage,
)

# What saving a page (publishing it again) moves by design: the revision it points at and when.
PAGE_BOOKKEEPING = {"latest_revision", "latest_revision_created_at", "last_published_at", "live_revision"}


def rich(*paragraphs):
    """Rich text as Wagtail's editor stores it (each block keeps its key, so a re-save writes the same HTML)."""
    return "".join(f'<p data-block-key="k{n:04d}">{text}</p>' for n, text in enumerate(paragraphs))


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def an_image():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f5fa8").save(buffer, "PNG")
    return PortalImage.objects.create(title="县政务服务中心标志", file=ImageFile(buffer, name="logo.png"))


def a_document():
    from django.core.files.base import ContentFile

    return get_document_model().objects.create(
        title="办事须知", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="notice.pdf")
    )


def common_page_fields(page):
    """The promote and settings tab fields every page has, all filled."""
    page.seo_title = f"{page.title} - 搜索标题"
    page.search_description = f"{page.title}的搜索描述。"
    page.show_in_menus = True
    page.go_live_at = local(2025, 1, 2, 8, 30)
    page.expire_at = local(2035, 6, 30, 17, 45)
    return page


class Builders:
    """One builder per editable model: it returns a stored, fully filled object (pages published)."""

    def __init__(self):
        self.home, self.catalog, self.hall_index = site_structure()
        self.departments = [DepartmentFactory(name="县民政局", kind="县级行政机关"), DepartmentFactory(name="县公安局")]
        self.topics = [TopicFactory(name="社会救助", sort_order=1), TopicFactory(name="户籍办理", sort_order=2)]
        self.county = HallFactory(title="县政务服务中心", level=HallLevel.COUNTY, latitude=27.1, longitude=112.5)
        self.image = an_image()

    def publish(self, page):
        common_page_fields(page).save()
        page.save_revision().publish()
        return type(page).objects.get(pk=page.pk)

    def child_of_home(self, model, **fields):
        page = model.objects.first() or self.home.add_child(instance=model(**fields))
        for name, value in fields.items():
            setattr(page, name, value)
        return page

    def page(self, model):
        return getattr(self, f"build_{model.__name__}")()

    def build_HomePage(self):
        home = HomePage.objects.get(pk=self.home.pk)
        home.intro = rich("欢迎使用<b>政务服务网</b>。")
        for order, service in enumerate([ServicePageFactory(), ServicePageFactory()]):
            service.save_revision().publish()
            HomePopularItem.objects.create(home=home, service=service, sort_order=order)
        return self.publish(home)

    def build_CatalogPage(self):
        catalog = type(self.catalog).objects.get(pk=self.catalog.pk)
        catalog.intro = rich("按主题、部门查找办事指南。")
        return self.publish(catalog)

    def build_HallIndexPage(self):
        index = type(self.hall_index).objects.get(pk=self.hall_index.pk)
        index.intro = rich("全县三级政务服务网络。")
        return self.publish(index)

    def build_HallPage(self):
        hall = HallFactory(
            title="测试镇政务服务中心",
            level=HallLevel.TOWNSHIP,
            parent_hall=self.county,
            latitude=27.123456,
            longitude=112.654321,
        )
        for order, department in enumerate(self.departments):
            window = WindowFactory(hall=hall, number=str(order + 1), name=f"综合窗口{order}", departments=[department])
            window.scope = "社会救助、户籍\n多行业务范围"
            window.sort_order = order
            window.save()
        return self.publish(HallPage.objects.get(pk=hall.pk))

    def build_ServicePage(self):
        page = ServicePageFactory(
            title="最低生活保障审核确认",
            catalog_code="000123",
            department=self.departments[0],
            window_number="A07",
            for_organisations=True,
            legal_limit_unit="自然日",
            legal_limit_note="法定时限说明",
            promised_limit_note="承诺时限说明",
            online_available=True,
            online_url="https://zwfw.example.gov.cn/item/1",
            online_depth="全程网办",
            result_name="低保证",
            result_type="证照",
            address="县政务服务中心一楼",
            hours="周一至周五\n8:30-17:30",
            keywords="低保\n吃低保",
            topics=self.topics,
            halls=[self.county],
            fees=[("工本费", "每证 10 元")],
            faqs=[("需要本人到场吗？", "需要。")],
            change_effective=datetime.date(2026, 3, 15),
            window_powers=["受理", "审核"],
            window_passes_on="报县民政局审批",
            promise_note="书面承诺家庭收入属实的，免于入户调查",
            status="调整中",
            status_reason="审批流程优化",
            status_from=datetime.date(2027, 1, 1),
            status_until=datetime.date(2027, 1, 31),
            scope="全市通办",
            delivery=["窗口领取", "免费寄递"],
        )
        SpecialProcedure.objects.create(service=page, kind="公示", time_limit="7个自然日", note="在村务公开栏公示")
        # Inline rows numbered as the admin numbers them, each with every field filled.
        for model in (LegalBasis, Material, ProcessStep, SpecialProcedure, ServiceFee, FAQ, ServiceHall):
            for order, row in enumerate(model.objects.filter(service=page).order_by("sort_order", "pk")):
                row.sort_order = order
                row.save()
        LegalBasis.objects.filter(service=page).update(number="国务院令第 649 号")
        Material.objects.filter(service=page).update(
            medium="纸质",
            source="申请人自备",
            note="复印件须本人签字",
            required=True,
            deferrable=True,
            deferral_days=5,
            issuer="村（居）民委员会",
            shared=True,
            e_license=True,
            promise_ok=True,
            mistakes="复印件未签字\n身份证过期",
        )
        ServiceHall.objects.filter(service=page).update(roles=["收件", "受理"], can_assist=True)
        ProcessStep.objects.filter(service=page).update(standard="材料齐全")
        ServiceFee.objects.filter(service=page).update(basis="收费依据", reducible=True)
        return self.publish(type(page).objects.get(pk=page.pk))

    def build_RuleIndexPage(self):
        return self.publish(self.child_of_home(RuleIndexPage, title="规章制度", slug="rules", intro=rich("上墙制度。")))

    def build_RulePage(self):
        index = self.build_RuleIndexPage()
        rule = index.add_child(
            instance=RulePage(
                title="首问负责制",
                slug="first-ask",
                summary="第一位被询问的工作人员负责到底。",
                body=rich("第一条 首问负责。", "第二条 一次告知。"),
                issued_by="县政务服务中心",
                effective_on=datetime.date(2026, 12, 3),
                change_note="首次发布",
            )
        )
        return self.publish(rule)

    def build_NoticeIndexPage(self):
        return self.publish(
            self.child_of_home(NoticeIndexPage, title="通知公告", slug="notices", intro=rich("最新通知。"))
        )

    def build_NoticePage(self):
        index = self.build_NoticeIndexPage()
        notice = index.add_child(
            instance=NoticePage(
                title="春节假期办事安排",
                slug="spring",
                date=datetime.date(2026, 12, 3),
                issued_by="县政务服务中心",
                body=rich("正文。"),
            )
        )
        NoticeAttachment.objects.create(notice=notice, document=a_document(), title="安排表", sort_order=0)
        return self.publish(NoticePage.objects.get(pk=notice.pk))

    def build_StatisticsPage(self):
        return self.publish(
            self.child_of_home(StatisticsPage, title="统计公开", slug="statistics", intro=rich("说明。"), months=18)
        )

    def build_HallMapPage(self):
        return self.publish(self.child_of_home(HallMapPage, title="服务地图", slug="map", intro=rich("说明。")))

    def snippet(self, model):
        return getattr(self, f"build_{model.__name__}")()

    def build_Department(self):
        return DepartmentFactory(code="D-FULL", name="县人力资源和社会保障局", kind="县级行政机关")

    def build_Topic(self):
        return TopicFactory(name="社会保障", sort_order=7)

    def build_StaffMember(self):
        hall = self.county
        window = WindowFactory(hall=hall, number="12", name="社保窗口", departments=[self.departments[0]])
        return StaffMemberFactory(
            hall=hall,
            window=window,
            department=self.departments[0],
            post=StaffMember.Post.B,
            duties="社保业务\n医保业务",
            photo=self.image,
            is_active=False,
            left_on=datetime.date(2026, 12, 3),
            is_agent=True,
        )

    def build_SiteBanner(self):
        start = timezone.make_aware(datetime.datetime(2027, 2, 9, 8, 0))
        return SiteBanner.objects.create(
            message="2月9日至2月17日春节放假，网上办理不停办",
            link="/notices/spring/",
            level="重要",
            starts_at=start,
            ends_at=start + datetime.timedelta(days=8),
        )

    def build_Synonym(self):
        return Synonym.objects.create(term="吃低保了", expansions="最低生活保障\n城乡低保", note="群众常用")

    def build_ElsewhereService(self):
        return ElsewhereService.objects.create(
            name="住房公积金",
            terms="公积金\n提取公积金",
            where="衡阳市住房公积金管理中心耒阳管理部",
            address="耒阳市五一路 100 号",
            phone="0734-4351329、12329",
            hours="周一至周五 8:30-17:30",
            url="https://example.gov.cn/gjj/",
            note="提取公积金可先在网上预约。",
        )

    def build_MessageTemplate(self):
        # Rows come from migrate (one per registered template); an editor's SMS wording over the default.
        template = MessageTemplate.objects.get(key="notifications.test")
        template.sms = "{{ site_name }}测试短信：收到即可，无需回复。"
        template.save()
        return template

    def build_SearchTerm(self):
        return SearchTerm.objects.create(query="上户口要带什么", count=3, zero_result_count=1, last_result_count=2)

    def setting(self, model):
        return getattr(self, f"build_{model.__name__}")()

    def build_PortalSettings(self):
        site = Site.objects.get(is_default_site=True)
        portal = PortalSettings.for_site(site)
        portal.portal_name = "耒阳市政务服务网"
        portal.region_code = "430481"
        portal.region_name = "耒阳市"
        portal.hotline = "0734-12345"
        portal.footer_text = "主办：耒阳市政务服务中心\n地址：耒阳市蔡伦大道"
        portal.logo = self.image
        portal.primary_colour = "#1f4e8c"
        portal.accent_colour = "#b0262c"
        portal.save()
        return portal


def lines(value):
    """`value` with CRLF line breaks read as LF, in nested rows too.

    A browser sends every line break of a textarea as CRLF (HTML's form submission) and Django stores
    what it is sent, so text written by the importer or a test (LF) comes back CRLF: the same text.
    """
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dict):
        return {k: lines(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [lines(v) for v in value]
    return value


def stored(obj):
    """The object as stored: every field (also those the form does not show), with inline rows and relations."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    if isinstance(fresh, ClusterableModel):
        return fresh.serializable_data()
    return serializers.serialize("python", [fresh])[0]["fields"]


class AdminRoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("admin", password="pw-for-tests-only")

    def setUp(self):
        self.client.force_login(self.user)
        self.build = Builders()

    def resave(self, url, **form_attrs):
        """GET `url`, post its form back as a browser would send it unchanged; returns the POST response."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        form = browser_form(response.content.decode(), **form_attrs)
        return self.client.post(form.attrs.get("action") or url, form.data())

    def assertSaved(self, response, url):
        if response.status_code != 302:
            errors = [line.strip() for line in response.content.decode().splitlines() if "error" in line][:20]
            self.fail(f"{url} was not saved ({response.status_code}):\n" + "\n".join(errors))

    def assertUnchanged(self, before, after, ignore=()):
        before = {k: lines(v) for k, v in before.items() if k not in ignore}
        after = {k: lines(v) for k, v in after.items() if k not in ignore}
        self.maxDiff = None
        self.assertEqual(after, before)

    def test_every_registered_form_has_a_builder(self):
        """A page type, snippet or setting without a builder here would leave its form untested."""
        missing = [
            model.__name__
            for model in [*get_page_models(), *get_snippet_models(), *settings_registry]
            if not hasattr(Builders, f"build_{model.__name__}") and model is not Page  # Page: the tree root only
        ]
        self.assertEqual(missing, [])

    def test_every_page_type_saved_again_is_unchanged(self):
        models = [m for m in get_page_models() if m.is_creatable]
        self.assertGreaterEqual(len(models), 11)
        for model in models:
            with self.subTest(page_type=model.__name__):
                page = self.build.page(model)
                before = stored(page)
                url = reverse("wagtailadmin_pages:edit", args=[page.pk])
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                data = browser_form(response.content.decode(), id="page-edit-form").data()
                data["action-publish"] = ["action-publish"]
                response = self.client.post(url, data)
                self.assertSaved(response, url)
                self.assertUnchanged(before, stored(page), ignore=PAGE_BOOKKEEPING)

    def test_every_snippet_saved_again_is_unchanged(self):
        finder = AdminURLFinder(self.user)
        for model in get_snippet_models():
            with self.subTest(snippet=model.__name__):
                obj = self.build.snippet(model)
                before = stored(obj)
                url = finder.get_edit_url(obj)
                if url is None:
                    # Nobody may change it (the search log); the edit view must refuse a post, too.
                    viewset = model.snippet_viewset
                    edit = reverse(viewset.get_url_name("edit"), args=[obj.pk])
                    self.assertNotEqual(self.client.post(edit, {}).status_code, 200)
                    self.assertEqual(stored(obj), before)
                    continue
                self.assertSaved(self.resave(url, method="POST"), url)
                self.assertUnchanged(before, stored(obj), ignore={"updated_at"})

    def test_every_setting_saved_again_is_unchanged(self):
        for model in settings_registry:
            with self.subTest(setting=model.__name__):
                obj = self.build.setting(model)
                before = stored(obj)
                url = reverse("wagtailsettings:edit", args=[model._meta.app_label, model._meta.model_name, obj.site_id])
                self.assertSaved(self.resave(url, method="POST"), url)
                self.assertUnchanged(before, stored(obj))

    def test_follow_up_saved_again_is_unchanged_open_or_closed(self):
        for closed in (False, True):
            with self.subTest(closed=closed):
                page = ServicePageFactory()
                rating = submit_rating(
                    page=page, nonce=f"n-{closed}", score=1, comment="太慢", contact_phone="13800001234", hall=None
                )
                follow_up = rating.follow_up
                data = {
                    "rectification": "增设引导员",
                    "revisit_on": datetime.date(2026, 12, 3),
                    "revisit_result": "满意",
                    "record": "约谈\n整改",
                }
                update_follow_up(follow_up, data=data, close=closed, user=self.user)
                before = stored(follow_up)
                url = reverse("ratings_admin:detail", args=[follow_up.pk])
                self.assertSaved(self.resave(url, method="post"), url)
                self.assertUnchanged(before, stored(FollowUp(pk=follow_up.pk)))

    def test_complaint_handling_forms_saved_again_are_unchanged(self):
        hall = self.build.county
        window = WindowFactory(hall=hall, number="3", name="投诉窗口")
        complaint = ComplaintFactory(
            hall=hall,
            window=window,
            staff=StaffMemberFactory(hall=hall),
            service=ServicePageFactory(),
            category="attitude",
        )
        complaint_handling.assign(complaint, department=self.build.departments[1], complexity="complex", user=self.user)
        complaint_handling.publish_reply(complaint, reply="已核实，\n已整改。", user=self.user)
        url = reverse("complaints_admin:detail", args=[complaint.pk])
        for action in ("assign", "reply"):
            with self.subTest(action=action):
                before = stored(complaint)
                self.assertSaved(self.resave(url, id=f"action-{action}"), url)
                self.assertUnchanged(before, stored(Complaint(pk=complaint.pk)))
