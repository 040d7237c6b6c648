"""Factories for tests: each builds a small, valid piece of the portal without the demo data."""

import datetime

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import factory
import wagtail_factories

from content.models import (
    FAQ,
    Department,
    HallLevel,
    HallPage,
    HallWindow,
    LegalBasis,
    Material,
    ProcessStep,
    ServiceFee,
    ServiceHall,
    ServicePage,
    Topic,
)
from content.structure import ensure_site_structure
from search.models import ElsewhereService


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = "县级行政机关"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"主题{n}")
    sort_order = factory.Sequence(int)


def site_structure():
    return ensure_site_structure()


class HallFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HallPage

    title = factory.Sequence(lambda n: f"测试镇{n}政务服务中心")
    slug = factory.Sequence(lambda n: f"hall-{n}")
    code = factory.Sequence(lambda n: f"H{n:03d}")
    level = HallLevel.TOWNSHIP
    address = factory.Faker("address", locale="zh_CN")
    phone = factory.Faker("phone_number", locale="zh_CN")
    hours = "周一至周五 8:30-12:00，14:30-17:30"
    parent = factory.LazyFunction(lambda: site_structure()[2])


class WindowFactory(factory.django.DjangoModelFactory):
    """A window; pass `departments=[...]` for the departments it serves."""

    class Meta:
        model = HallWindow
        skip_postgeneration_save = True

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"综合窗口{n}")

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departments.set(extracted)
            obj.save()


class ServicePageFactory(wagtail_factories.PageFactory):
    """A complete, publishable guide with one basis entry, one material and two process steps."""

    class Meta:
        model = ServicePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试事项{n}")
    slug = factory.Sequence(lambda n: f"item-{n}")
    code = factory.Sequence(lambda n: f"T-{n:05d}")
    item_type = "行政许可"
    department = factory.SubFactory(DepartmentFactory)
    handling = "承诺件"
    conditions = "1. 申请人具有本县户籍；\n2. 符合规定条件。"
    legal_limit_days = 20
    promised_limit_days = 5
    visits = 1
    consult_phone = "0734-0000000"
    complaint_phone = "12345"
    updated = datetime.date(2025, 9, 12)
    parent = factory.LazyFunction(lambda: site_structure()[1])

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        if not create:
            return
        LegalBasis.objects.create(
            service=obj, name="中华人民共和国行政许可法", article="第四十二条", content="二十日内作出决定。"
        )
        Material.objects.create(service=obj, name="居民身份证", form="原件和复印件", copies=1, required=True)
        ProcessStep.objects.create(service=obj, step="受理", actor="综合窗口", time_limit="当场", sort_order=0)
        ProcessStep.objects.create(service=obj, step="决定", actor="实施部门", time_limit="5个工作日", sort_order=1)
        hall = kwargs.get("hall")
        if hall is not None:
            ServiceHall.objects.create(service=obj, hall=hall, sort_order=0)

    @factory.post_generation
    def halls(obj, create, extracted, **kwargs):
        """`halls=[a, b]`: the halls where the item is handled, in order (after `parts__hall` if given)."""
        if create and extracted:
            start = obj.service_halls.count()
            for offset, hall in enumerate(extracted):
                ServiceHall.objects.create(service=obj, hall=hall, sort_order=start + offset)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        """`topics=[topic, ...]`."""
        if create and extracted:
            obj.topics.set(extracted)
            obj.save()

    @factory.post_generation
    def fees(obj, create, extracted, **kwargs):
        """`fees=[("工本费", "每证 10 元"), ...]`; none means 不收费."""
        if create and extracted:
            for order, (name, standard) in enumerate(extracted):
                ServiceFee.objects.create(service=obj, name=name, standard=standard, sort_order=order)

    @factory.post_generation
    def faqs(obj, create, extracted, **kwargs):
        """`faqs=[("问题", "解答"), ...]`."""
        if create and extracted:
            for order, (question, answer) in enumerate(extracted):
                FAQ.objects.create(service=obj, question=question, answer=answer, sort_order=order)


class DocumentFactory(wagtail_factories.DocumentFactory):
    """A Wagtail document (a blank form, a filled-in sample): a small PDF by default, with its size recorded
    as the admin's upload records it."""

    class Meta:
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"申请表{n}")
    file = factory.django.FileField(filename="form.pdf", data=b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n")

    @factory.post_generation
    def metadata(obj, create, extracted, **kwargs):
        if create:
            obj.file_size = obj.file.size
            obj.save(update_fields=["file_size"])
            obj.get_file_hash()  # stores the hash


class ViewRestrictionFactory(factory.django.DjangoModelFactory):
    """A Wagtail view restriction on `page` (and so on every page below it): a password by default;
    `restriction_type=PageViewRestriction.GROUPS` limits it to the group `内部人员` (or `groups=[...]`)."""

    class Meta:
        model = PageViewRestriction
        skip_postgeneration_save = True

    restriction_type = PageViewRestriction.PASSWORD
    password = "yimen-secret"

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and obj.restriction_type == PageViewRestriction.GROUPS:
            obj.groups.set(extracted or [Group.objects.get_or_create(name="内部人员")[0]])


# --- People and accountability: staff board, complaints, ratings -------------------------------


class StaffMemberFactory(factory.django.DjangoModelFactory):
    """A window staff member on the photo board; pass `window=` to seat them at a window."""

    class Meta:
        model = "content.StaffMember"

    staff_id = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Faker("name", locale="zh_CN")
    hall = factory.SubFactory(HallFactory)
    department = factory.SubFactory(DepartmentFactory)
    position = "窗口工作人员"
    post = "A"
    duties = "社会救助受理"
    phone = "0734-4362011"


def _now():
    from django.utils import timezone

    return timezone.now()


def _tracking_code():
    from cases.codes import new_code

    return new_code("TS", 2026)


def _due_on(complaint):
    from django.conf import settings
    from django.utils import timezone

    from content.workdays import add_working_days

    days = settings.COMPLAINTS_WORKING_DAYS[complaint.complexity]
    return add_working_days(timezone.localdate(complaint.received_at), days)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A stored complaint as the public form would leave it (status 已受理, ordinary deadline)."""

    class Meta:
        model = "complaints.Complaint"

    tracking_code = factory.LazyFunction(_tracking_code)
    category = "attitude"
    description = "窗口工作人员态度生硬，不解释需要补什么材料。"
    name = "王小明"
    phone = "13800001234"
    consented_at = factory.LazyFunction(_now)
    received_at = factory.LazyFunction(_now)
    complexity = "ordinary"
    due_on = factory.LazyAttribute(_due_on)


def _question_code():
    from cases.codes import new_code

    return new_code("ZX", 2026)


def _question_due_on(question):
    from django.conf import settings
    from django.utils import timezone

    from content.workdays import add_working_days

    return add_working_days(timezone.localdate(question.received_at), settings.QUESTIONS_WORKING_DAYS)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A stored question as the public form would leave it (已受理, anonymous, consent to publish)."""

    class Meta:
        model = "questions.Question"

    tracking_code = factory.LazyFunction(_question_code)
    category = "materials"
    text = "父母代办需要带哪些材料？"
    publish_consent = True
    consented_at = factory.LazyFunction(_now)
    received_at = factory.LazyFunction(_now)
    due_on = factory.LazyAttribute(_question_due_on)


def _assistance_code():
    from cases.codes import new_code

    return new_code("DB", 2026)


def _assistance_due_on(request):
    from django.conf import settings
    from django.utils import timezone

    from content.workdays import add_working_days

    return add_working_days(timezone.localdate(request.received_at), settings.ASSISTANCE_WORKING_DAYS)


class AssistanceRequestFactory(factory.django.DjangoModelFactory):
    """A stored 代办 request as the public form would leave it (已受理, no 代办员 yet) at a station that 代办s its
    item: pass `hall=` and `service=` to use your own (the factory marks the item 可代办 there)."""

    class Meta:
        model = "assistance.AssistanceRequest"
        skip_postgeneration_save = True

    tracking_code = factory.LazyFunction(_assistance_code)
    hall = factory.SubFactory(HallFactory, level=HallLevel.VILLAGE)
    service = factory.SubFactory(ServicePageFactory)
    department = factory.LazyAttribute(lambda request: request.service.department)
    village = "新民村"
    preferred_time = "工作日上午"
    name = "段大爷"
    phone = "13800002468"
    consented_at = factory.LazyFunction(_now)
    received_at = factory.LazyFunction(_now)
    due_on = factory.LazyAttribute(_assistance_due_on)

    @factory.post_generation
    def offered(obj, create, extracted, **kwargs):
        """The station 代办s the item (`offered=False` leaves the hall rows alone)."""
        if not create or extracted is False:
            return
        links = ServiceHall.objects.filter(service=obj.service)
        if not links.filter(hall=obj.hall).update(can_assist=True):
            ServiceHall.objects.create(service=obj.service, hall=obj.hall, can_assist=True, sort_order=links.count())


class RatingFactory(factory.django.DjangoModelFactory):
    """A rating of a page; scores below 3 need a FollowUp, which ratings.handling creates, not this factory."""

    class Meta:
        model = "ratings.Rating"

    page_title = "测试页面"
    score = 5
    view_nonce = factory.Sequence(lambda n: f"nonce-{n}")


# --- Print: extra rows for printed guides -------------------------------------------------------


class MaterialFactory(factory.django.DjangoModelFactory):
    """One more 申请材料 row of a guide; pass `service=`."""

    class Meta:
        model = "content.Material"

    name = factory.Sequence(lambda n: f"申请材料第{n}项")
    form = "原件和复印件"
    copies = 1
    required = True
    medium = "纸质"
    source = "申请人自备"
    note = "复印件须本人签字确认"
    sort_order = factory.Sequence(lambda n: n + 10)


class BookletFactory(factory.django.DjangoModelFactory):
    """A booklet job row as the admin form leaves it (排队中); pass `hall=` or another scope."""

    class Meta:
        model = "exports.Booklet"

    title = factory.Sequence(lambda n: f"测试打印手册{n}")


class ElsewhereServiceFactory(factory.django.DjangoModelFactory):
    """A service handled elsewhere; give `terms` as a list of popular names."""

    class Meta:
        model = ElsewhereService
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"别处办理的事项{n}")
    terms = "护照"
    where = factory.Sequence(lambda n: f"耒阳市某局{n}")
    address = "耒阳市蔡子池街道五一西路 1 号"
    phone = factory.Sequence(lambda n: f"0734-43{n:05d}")
    hours = "周一至周五 8:30-17:30"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("terms"), list | tuple):
            kwargs["terms"] = "\n".join(kwargs["terms"])
        return kwargs
