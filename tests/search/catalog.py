"""A handful of guides copied from the demo catalog (names, popular names, topics, FAQ), built with the
factories, for the search tests; they never load the demo data itself."""

import shutil
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings

from content.models import HallLevel
from search import synonyms, vocabulary
from search.backends import get_backend, reset
from tests.factories import DepartmentFactory, HallFactory, ServicePageFactory, TopicFactory

GUIDES = [
    # code, name, keywords, topics, department, audience(for_organisations), faqs, conditions
    (
        "LY-SD-0001",
        "最低生活保障审核确认",
        "低保\n吃低保\n申请低保\n低保金\n城乡低保",
        ["社会救助"],
        "SD-SW",
        False,
        [("家里有一辆小汽车还能申请低保吗？", "原则上拥有非生活必需机动车辆的家庭不符合条件。")],
        "1. 申请人具有耒阳市户籍，以共同生活的家庭为单位提出申请；\n2. 共同生活家庭成员人均月收入低于当地城乡低保标准。",
    ),
    (
        "LY-SD-0004",
        "困难残疾人生活补贴和重度残疾人护理补贴",
        "残补\n两项补贴\n残疾人补贴",
        ["社会救助", "残疾人服务"],
        "SD-SW",
        False,
        [],
        "1. 持有第二代《中华人民共和国残疾人证》；\n2. 困难残疾人生活补贴适用于低保家庭中的残疾人。",
    ),
    (
        "LY-SD-0042",
        "出生登记",
        "上户口\n新生儿落户\n小孩上户口\n报户口",
        ["户籍办理", "生育收养"],
        "SD-PCS",
        False,
        [("孩子出生多久内要上户口？", "婴儿出生后一个月以内，由户主、亲属或监护人申报出生登记。")],
        "1. 新生儿父亲或母亲一方常住户口在本辖区；\n2. 婴儿出生后一个月以内申报。",
    ),
    (
        "LY-SD-0043",
        "户口迁移（迁入登记）",
        "迁户口\n户口迁移\n落户\n投靠落户",
        ["户籍办理"],
        "SD-PCS",
        False,
        [],
        "1. 夫妻投靠：夫妻一方常住户口在本辖区；\n2. 符合落户政策的其他情形。",
    ),
    (
        "LY-SD-0046",
        "居民身份证补领",
        "身份证丢了\n补办身份证\n身份证补办\n身份证掉了",
        ["身份证件", "户籍办理"],
        "SD-PCS",
        False,
        [],
        "1. 居民身份证丢失，或损坏需要换领；\n2. 常住户口在耒阳市。",
    ),
    (
        "LY-SD-0034",
        "个体工商户设立登记",
        "办执照\n个体户营业执照\n开店\n办营业执照",
        ["设立变更", "个体工商户"],
        "SD-SJ",
        False,
        [("在镇上能办营业执照吗？", "可以。三都镇市场监管所可直接受理个体工商户登记。")],
        "1. 有经营能力的自然人；\n2. 有与经营活动相适应的经营场所。",
    ),
    (
        "LY-SD-0038",
        "食品经营许可",
        "食品经营许可证\n开饭店\n开超市\n开餐馆",
        ["准营准办", "食品安全"],
        "LY-SJ",
        True,
        [],
        "1. 具有与经营的食品品种、数量相适应的经营场所；\n2. 有食品安全管理人员。",
    ),
    (
        "LY-0002",
        "结婚登记",
        "领证\n结婚证\n扯证\n登记结婚",
        ["婚姻登记"],
        "LY-MZ",
        False,
        [("结婚登记还需要户口本吗？", "自2025年5月10日起，办理结婚登记不再需要户口簿。")],
        "1. 男女双方完全自愿；\n2. 男年满二十二周岁，女年满二十周岁。",
    ),
]
DEPARTMENTS = {"SD-SW": "三都镇社会事务办", "SD-PCS": "耒阳市公安局三都派出所", "SD-SJ": "三都镇市场监管所",
               "LY-SJ": "耒阳市市场监督管理局", "LY-MZ": "耒阳市民政局"}  # fmt: skip


def publish(page):
    page.save_revision().publish()
    return page


def build_guides(testcase_class):
    """Create the guides and a hall, publishing each so the index follows (as editors would)."""
    hall = HallFactory(
        code="LY-SD", title="耒阳市三都镇政务服务中心", level=HallLevel.TOWNSHIP, address="耒阳市三都镇集镇"
    )
    publish(hall)
    pages = {}
    for code, name, keywords, topics, department, organisations, faqs, conditions in GUIDES:
        page = ServicePageFactory(
            code=code,
            slug=code.lower(),
            title=name,
            keywords=keywords,
            conditions=conditions,
            for_organisations=organisations,
            department=DepartmentFactory(code=department, name=DEPARTMENTS[department]),
            topics=[TopicFactory(name=t) for t in topics],
            halls=[hall],
            faqs=faqs,
        )
        pages[code] = publish(page)
    return hall, pages


class IndexIsolation:
    """Mixin for TestCase classes: a fresh temporary index (Whoosh) and fresh process caches per class."""

    backend_name = "whoosh"

    @classmethod
    def setUpClass(cls):
        cls._index_dir = Path(tempfile.mkdtemp(prefix="yimen-search-test-"))
        cls._settings = override_settings(YIMEN_SEARCH_INDEX_DIR=cls._index_dir, YIMEN_SEARCH_BACKEND=cls.backend_name)
        cls._settings.enable()
        reset()
        vocabulary.invalidate()
        synonyms.invalidate()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._settings.disable()
        reset()
        vocabulary.invalidate()
        synonyms.invalidate()
        shutil.rmtree(cls._index_dir, ignore_errors=True)

    def setUp(self):
        super().setUp()
        vocabulary.invalidate()

    @property
    def backend(self):
        return get_backend()


class IndexedGuides(IndexIsolation, TestCase):
    """A test case whose class data are the guides above and their hall, published and indexed in an index
    of its own (`cls.hall`, `cls.pages` by code)."""

    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            cls.hall, cls.pages = build_guides(cls)
