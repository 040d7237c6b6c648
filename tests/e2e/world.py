"""A small, realistic township portal for the browser tests, built with the factories (never the demo data).

One township centre with two windows and two staff members (with photos), a village station, three
guides written like real ones (最低生活保障审核确认 with its materials, keywords and FAQ; 出生登记; 个体工商户设立登记
with a fee), the transparency pages (rules, notices, statistics, hall map), a few ratings and complaints
so the statistics have figures, and an editor in Wagtail's 审核员 (Moderators) group. Every guide is
published the way an editor publishes, so the search index follows.
"""

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone

from PIL import Image

from content.models import HallLevel, HallPage, Material, ServicePage
from content.models.images import PortalImage
from content.structure import ensure_site_structure
from tests.factories import (
    ComplaintFactory,
    DepartmentFactory,
    HallFactory,
    RatingFactory,
    ServicePageFactory,
    StaffMemberFactory,
    TopicFactory,
    WindowFactory,
)
from transparency.models import HallMapPage, NoticeIndexPage, NoticePage, RuleIndexPage, RulePage, StatisticsPage

EDITOR_USERNAME = "bianji"
EDITOR_PASSWORD = "e2e-editor-password"  # only ever used against the throwaway test database

DIBAO_MATERIALS = [
    ("最低生活保障申请书（含家庭收入和财产状况声明）", "原件", True, "窗口免费提供格式文本；申请人签字（按手印）"),
    ("共同生活家庭成员居民身份证", "原件和复印件", True, "未满16周岁的家庭成员可不提供；复印件须正反面"),
    ("居民户口簿", "原件和复印件", True, "户主页及共同生活成员页"),
    ("家庭经济状况核对授权书", "原件", True, "共同生活的成年家庭成员均须本人签字（按手印）"),
    ("残疾人证、疾病诊断证明等特殊情况证明", "复印件", False, "家庭成员有重度残疾、重大疾病等情况的提供"),
]


@dataclass
class World:
    hall: HallPage
    station: HallPage
    dibao: ServicePage
    birth: ServicePage
    business: ServicePage
    rules: RuleIndexPage
    rule: RulePage
    notices: NoticeIndexPage
    notice: NoticePage
    statistics: StatisticsPage
    hall_map: HallMapPage


def publish(page):
    """Publish the page's current state as a revision, as the admin does (the search index follows)."""
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _photo(name, colour):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), colour).save(buffer, format="PNG")
    return PortalImage.objects.create(
        title=f"{name}工作照",
        file=ImageFile(buffer, name=f"staff-{colour[0]}.png"),
        alt_text=f"三都镇政务服务中心窗口工作人员{name}",
    )


def build_world():
    home, _catalog, _halls = ensure_site_structure("三都镇政务服务网")
    social = DepartmentFactory(code="SD-SW", name="三都镇社会事务办", kind="乡镇内设机构")
    police = DepartmentFactory(code="SD-PCS", name="耒阳市公安局三都派出所", kind="县级部门派出机构")
    market = DepartmentFactory(code="SD-SJ", name="三都镇市场监管所", kind="县级部门派出机构")

    hall = publish(
        HallFactory(
            title="耒阳市三都镇政务服务中心",
            slug="sandu",
            code="LY-SD",
            level=HallLevel.TOWNSHIP,
            address="耒阳市三都镇人民路 1 号",
            phone="0734-4362000",
            latitude=26.3,
            longitude=112.9,
        )
    )
    station = publish(
        HallFactory(
            title="新民村便民服务站",
            slug="xinmin",
            code="LY-SD-XM",
            level=HallLevel.VILLAGE,
            latitude=26.31,
            longitude=112.95,
        )
    )
    social_window = WindowFactory(hall=hall, number="1", name="社会事务综合窗口", departments=[social])
    WindowFactory(hall=hall, number="2", name="公安综合窗口", departments=[police])
    StaffMemberFactory(
        staff_id="SD-S01",
        name="刘建华",
        hall=hall,
        department=social,
        window=social_window,
        post="A",
        photo=_photo("刘建华", (40, 90, 150)),
    )
    StaffMemberFactory(
        staff_id="SD-S02",
        name="陈丽",
        hall=hall,
        department=social,
        window=social_window,
        post="B",
        photo=_photo("陈丽", (150, 60, 40)),
    )

    dibao = ServicePageFactory(
        title="最低生活保障审核确认",
        slug="ly-sd-0001",
        code="LY-SD-0001",
        item_type="行政给付",
        department=social,
        handling="上报件",
        keywords="低保\n吃低保\n申请低保\n低保金",
        conditions="1. 申请人具有耒阳市户籍，以共同生活的家庭为单位提出申请；\n2. 共同生活家庭成员人均月收入低于耒阳市当年城乡最低生活保障标准。",
        legal_limit_days=30,
        promised_limit_days=25,
        consult_phone="0734-4362011",
        topics=[TopicFactory(name="社会救助")],
        halls=[hall, station],
        faqs=[
            (
                "本人行动不便，可以由村委会代为申请低保吗？",
                "可以。本人申请有困难的，可以委托村（居）民委员会或者他人代为提出申请。",
            )
        ],
    )
    Material.objects.filter(service=dibao).delete()
    for order, (name, form, required, note) in enumerate(DIBAO_MATERIALS):
        Material.objects.create(
            service=dibao, name=name, form=form, copies=1, required=required, medium="纸质", note=note, sort_order=order
        )
    birth = ServicePageFactory(
        title="出生登记",
        slug="ly-sd-0042",
        code="LY-SD-0042",
        item_type="行政确认",
        department=police,
        handling="即办件",
        keywords="上户口\n新生儿落户",
        promised_limit_days=0,
        topics=[TopicFactory(name="户籍办理")],
        halls=[hall],
    )
    business = ServicePageFactory(
        title="个体工商户设立登记",
        slug="ly-sd-0034",
        code="LY-SD-0034",
        item_type="行政许可",
        department=market,
        keywords="办执照\n开店\n个体户营业执照",
        topics=[TopicFactory(name="个体工商户")],
        halls=[hall],
        fees=[("营业执照副本工本费", "每份 10 元")],
    )
    dibao, birth, business = publish(dibao), publish(birth), publish(business)

    rules = home.add_child(
        instance=RuleIndexPage(title="规章制度", slug="rules", intro="<p>政务服务大厅上墙公示的规章制度。</p>")
    )
    rule = publish(
        rules.add_child(
            instance=RulePage(
                title="一次性告知制",
                slug="yi-ci-xing-gao-zhi",
                summary="办事材料、依据、时限和程序一次讲清，不让群众来回跑。",
                body="<p>一、窗口人员必须一次性告知所办事项的依据、时限、程序和全部材料。</p>",
                issued_by="政务服务中心",
                live=False,
            )
        )
    )
    notices = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    notice = publish(
        notices.add_child(
            instance=NoticePage(
                title="关于开通网上“好差评”和投诉举报的公告",
                slug="hao-cha-ping",
                date=datetime.date(2026, 1, 5),
                body="<p>每个办事指南和大厅页面下方都可以评价，投诉举报可以匿名提交。</p>",
                issued_by="政务服务中心",
                live=False,
            )
        )
    )
    statistics = home.add_child(
        instance=StatisticsPage(title="统计公开", slug="statistics", intro="<p>各大厅投诉和满意率按月公开。</p>")
    )
    hall_map = home.add_child(
        instance=HallMapPage(title="服务地图", slug="hall-map", intro="<p>县、乡、村三级政务服务网络的全部大厅。</p>")
    )

    for score in (5, 5, 4, 3):
        RatingFactory(page=dibao, page_title=dibao.title, hall=hall, score=score)
    ComplaintFactory(hall=hall, received_at=timezone.now() - datetime.timedelta(days=3))

    editor = get_user_model().objects.create_user(
        EDITOR_USERNAME, password=EDITOR_PASSWORD, first_name="编辑", is_staff=False
    )
    editor.groups.add(Group.objects.get(name="审核员"))
    return World(hall, station, dibao, birth, business, rules, rule, notices, notice, statistics, hall_map)
