from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from content.fields import ChoiceListField
from content.workdays import add_working_days, covered

from .pages import ReadablePageQuerySet, readable


class ItemType(models.TextChoices):
    LICENSING = "行政许可", "行政许可"
    BENEFIT = "行政给付", "行政给付"
    CONFIRMATION = "行政确认", "行政确认"
    LEVY = "行政征收", "行政征收"
    REWARD = "行政奖励", "行政奖励"
    RULING = "行政裁决", "行政裁决"
    OTHER_POWER = "其他行政权力", "其他行政权力"
    PUBLIC_SERVICE = "公共服务", "公共服务"


class Handling(models.TextChoices):
    IMMEDIATE = "即办件", "即办件"
    PROMISED = "承诺件", "承诺件"
    REFERRED = "上报件", "上报件"


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "工作日", "工作日"
    CALENDAR_DAYS = "自然日", "自然日"


class MaterialForm(models.TextChoices):
    ORIGINAL = "原件", "原件"
    COPY = "复印件", "复印件"
    BOTH = "原件和复印件", "原件和复印件"


class MaterialMedium(models.TextChoices):
    PAPER = "纸质", "纸质"
    ELECTRONIC = "电子", "电子"
    BOTH = "纸质和电子", "纸质和电子"


AUDIENCES = ("自然人", "法人")

# What the window itself may decide (窗口权限, the eighth of the 八公开), in the order a case goes.
WINDOW_POWERS = ("受理", "审核", "当场办结", "出件")
# What a hall does with the item (县乡同办): a station may take the papers in and hand out the result
# while the county decides.
HALL_ROLES = ("收件", "受理", "审批", "出件")
# How the applicant receives the result.
DELIVERY_METHODS = ("窗口领取", "免费寄递", "电子证照")


class ServiceStatus(models.TextChoices):
    NORMAL = "正常", "正常"
    SUSPENDED = "暂停受理", "暂停受理"
    ADJUSTING = "调整中", "调整中"


class Scope(models.TextChoices):
    """通办: where else the item can be applied for."""

    COUNTY = "县域通办", "县域通办"
    CITY = "全市通办", "全市通办"
    PROVINCE = "全省通办", "全省通办"
    NATION = "跨省通办", "跨省通办"


class SpecialKind(models.TextChoices):
    HEARING = "听证", "听证"
    TESTING = "检测", "检测"
    APPRAISAL = "鉴定", "鉴定"
    PUBLICITY = "公示", "公示"
    EXPERT_REVIEW = "专家评审", "专家评审"


def status_in_force(state, start, end, day):
    """The 办理状态 in force on `day`: 暂停受理 or 调整中 between `start` and `end` (dates, either may be
    None for open), else 正常. The one rule the page, the paper, the catalog and search all follow."""
    if state == ServiceStatus.NORMAL or (start and day < start) or (end and day > end):
        return ServiceStatus.NORMAL
    return ServiceStatus(state)


def necessity_of(required, deferrable):
    """必要, 容缺 (required, but may be handed in after acceptance) or 非必要: the word every output prints."""
    if deferrable:
        return "容缺"
    return "必要" if required else "非必要"


class ServicePageQuerySet(ReadablePageQuerySet):
    """Read queries over service items, named for what a citizen or editor asks.

    Filters over related rows use EXISTS subqueries, so they never duplicate rows and chain freely.
    """

    def for_hall(self, hall):
        return self.for_halls([hall])

    def for_halls(self, halls):
        """Items that can be handled at any of `halls`."""
        return self.filter(Exists(ServiceHall.objects.filter(service=OuterRef("pk"), hall__in=halls)))

    def assisted_at(self, halls):
        """Items that any of `halls` (village stations above all) 代办 for people free of charge (可代办)."""
        return self.filter(Exists(ServiceHall.objects.filter(service=OuterRef("pk"), hall__in=halls, can_assist=True)))

    def for_hall_levels(self, levels):
        """Items offered at a readable hall of any of `levels` (county, township, village)."""
        halls = ServiceHall.objects.filter(
            service=OuterRef("pk"), hall__level__in=levels, hall__in=readable(Page.objects.all())
        )
        return self.filter(Exists(halls))

    def for_topic(self, topic):
        return self.for_topics([topic])

    def for_topics(self, topics):
        """Items classed under any of `topics`."""
        through = ServicePage.topics.through
        return self.filter(Exists(through.objects.filter(servicepage=OuterRef("pk"), topic__in=topics)))

    def for_department(self, department):
        return self.filter(department=department)

    def for_departments(self, departments):
        return self.filter(department__in=departments)

    def for_audience(self, audience):
        """Items for 自然人 (individuals) or 法人 (organisations)."""
        if audience == AUDIENCES[0]:
            return self.filter(for_individuals=True)
        if audience == AUDIENCES[1]:
            return self.filter(for_organisations=True)
        raise ValueError(f"unknown audience {audience!r}")

    def with_handling(self, handlings):
        """Items whose 办件类型 is any of `handlings` (即办件, 承诺件, 上报件)."""
        return self.filter(handling__in=handlings)

    def of_types(self, item_types):
        return self.filter(item_type__in=item_types)

    def free_of_charge(self):
        return self.exclude(Exists(ServiceFee.objects.filter(service=OuterRef("pk"))))

    def charged(self):
        return self.filter(Exists(ServiceFee.objects.filter(service=OuterRef("pk"))))

    def online(self):
        return self.filter(online_available=True)

    def at_most_visits(self, visits):
        return self.filter(visits__lte=visits)

    def for_listing(self):
        """Everything a list of items shows (department, free of charge) fetched without a query per row."""
        return self.select_related("department").annotate(
            charges_fee=Exists(ServiceFee.objects.filter(service=OuterRef("pk")))
        )

    def recently_updated(self):
        """Newest guides first: by the guide's own update date, then by publication."""
        return self.order_by(F("updated").desc(nulls_last=True), F("last_published_at").desc(nulls_last=True), "code")


ServicePageManager = PageManager.from_queryset(ServicePageQuerySet)


class ServicePage(Page):
    """One service item with its complete guide: every element of the national list and the 八公开."""

    code = models.CharField("实施编码", max_length=64, unique=True)
    catalog_code = models.CharField("基本编码", max_length=64, blank=True)
    item_type = models.CharField("事项类型", max_length=16, choices=ItemType.choices)
    department = models.ForeignKey(
        "content.Department", verbose_name="实施主体", on_delete=models.PROTECT, related_name="services"
    )
    window_number = models.CharField(
        "窗口号", max_length=20, blank=True, help_text="在第一个办理大厅的窗口号，例如 1 或 A07。"
    )
    for_individuals = models.BooleanField("面向自然人", default=True)
    for_organisations = models.BooleanField("面向法人", default=False)
    topics = ParentalManyToManyField("content.Topic", verbose_name="主题分类", blank=True, related_name="services")
    handling = models.CharField("办件类型", max_length=8, choices=Handling.choices)
    conditions = models.TextField("受理条件", help_text="可分行列出多项条件。")
    legal_limit_days = models.PositiveIntegerField(
        "法定办结时限", null=True, blank=True, help_text="天数；0 表示当场办结；法律未规定时限时留空。"
    )
    legal_limit_unit = models.CharField(
        "法定时限单位", max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    legal_limit_note = models.CharField("法定时限说明", max_length=500, blank=True)
    promised_limit_days = models.PositiveIntegerField("承诺办结时限", help_text="天数；即办件填 0。")
    promised_limit_unit = models.CharField(
        "承诺时限单位", max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    promised_limit_note = models.CharField("承诺时限说明", max_length=500, blank=True)
    visits = models.PositiveSmallIntegerField(
        "到办事现场次数", default=1, help_text="0 表示全程网办，1 表示最多跑一次。"
    )
    online_available = models.BooleanField("可网上办理", default=False)
    online_url = models.CharField("网上办理地址", max_length=500, blank=True)
    online_depth = models.TextField("网上办理深度", blank=True)
    result_name = models.CharField("办理结果名称", max_length=255, blank=True)
    result_type = models.CharField("办理结果类型", max_length=50, blank=True, help_text="例如：证照、批文、确认结果")
    consult_phone = models.CharField("咨询电话", max_length=255)
    complaint_phone = models.CharField("监督投诉电话", max_length=255)
    address = models.CharField("办理地点", max_length=255, blank=True, help_text="与大厅地址不同时填写。")
    hours = models.TextField("办理时间", blank=True, help_text="与大厅办公时间不同时填写。")
    keywords = models.TextField(
        "俗称和关键词", blank=True, help_text="群众常用的叫法，每行一个，例如“低保”“上户口”；用于搜索。"
    )
    updated = models.DateField(
        "指南更新日期",
        null=True,
        blank=True,
        help_text="发布时如果指南内容（材料、收费、时限等）有改动，自动改为发布当天；需要其他日期时在此修改后发布。",
    )

    change_effective = models.DateField(
        "本次变更生效日期",
        null=True,
        blank=True,
        help_text="材料、收费、时限或条件有变化时，填写新规定开始执行的日期；写入“本指南变更记录”。不填则以发布日期为准。",
    )
    window_powers = ChoiceListField(
        "窗口权限", options=WINDOW_POWERS, help_text="窗口工作人员自己可以决定的环节（八公开之窗口权限）。"
    )
    window_passes_on = models.TextField(
        "窗口转报事项", blank=True, help_text="窗口不能决定、需要转交部门或上级审批的环节，例如“报县民政局审批”。"
    )
    promise_note = models.TextField(
        "告知承诺说明",
        blank=True,
        help_text="实行告知承诺制时填写：申请人书面承诺后可以免交的材料或免于核查的条件。材料可在“条件与材料”中逐项勾选。",
    )
    status = models.CharField("办理状态", max_length=8, choices=ServiceStatus.choices, default=ServiceStatus.NORMAL)
    status_reason = models.CharField("状态说明", max_length=500, blank=True, help_text="暂停或调整的原因和替代办法。")
    status_from = models.DateField("状态开始日期", null=True, blank=True, help_text="不填表示立即生效。")
    status_until = models.DateField(
        "状态结束日期", null=True, blank=True, help_text="到期后自动恢复正常；不填表示另行通知。"
    )
    scope = models.CharField("通办范围", max_length=8, choices=Scope.choices, blank=True)
    delivery = ChoiceListField("结果送达方式", options=DELIVERY_METHODS)

    objects = ServicePageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("keywords"),
        index.SearchField("conditions"),
        index.FilterField("code"),
        index.FilterField("handling"),
    ]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("catalog_code")]),
                FieldRowPanel([FieldPanel("item_type"), FieldPanel("handling")]),
                FieldPanel("department"),
                FieldRowPanel([FieldPanel("for_individuals"), FieldPanel("for_organisations")]),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("keywords"),
                FieldRowPanel([FieldPanel("updated"), FieldPanel("change_effective")]),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("status_reason"),
                FieldRowPanel([FieldPanel("status_from"), FieldPanel("status_until")]),
            ],
            heading="办理状态",
        ),
    ]
    requirements_panels = [
        FieldPanel("conditions"),
        InlinePanel("materials", label="申请材料", heading="申请材料"),
        FieldPanel("promise_note"),
    ]
    process_panels = [
        InlinePanel("process_steps", label="办理环节", heading="办理流程", min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("legal_limit_days"), FieldPanel("legal_limit_unit")]),
                FieldPanel("legal_limit_note"),
                FieldRowPanel([FieldPanel("promised_limit_days"), FieldPanel("promised_limit_unit")]),
                FieldPanel("promised_limit_note"),
            ],
            heading="办理时限",
        ),
        InlinePanel("special_procedures", label="特别程序", heading="特别程序（不计入办结时限）"),
        FieldPanel("visits"),
        MultiFieldPanel(
            [FieldPanel("online_available"), FieldPanel("online_url"), FieldPanel("online_depth")],
            heading="网上办理",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("result_name"), FieldPanel("result_type")]), FieldPanel("delivery")],
            heading="办理结果",
        ),
    ]
    place_panels = [
        InlinePanel("service_halls", label="办理大厅", heading="办理大厅", min_num=1),
        FieldPanel("window_number"),
        MultiFieldPanel([FieldPanel("window_powers"), FieldPanel("window_passes_on")], heading="窗口权限"),
        FieldPanel("scope"),
        FieldPanel("address"),
        FieldPanel("hours"),
        FieldRowPanel([FieldPanel("consult_phone"), FieldPanel("complaint_phone")], heading="咨询与投诉"),
    ]
    fee_panels = [InlinePanel("fees", label="收费项目", heading="收费项目（不填表示不收费）")]
    basis_panels = [InlinePanel("basis", label="设定依据", heading="设定依据", min_num=1)]
    faq_panels = [InlinePanel("faqs", label="常见问题", heading="常见问题")]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="基本信息"),
            ObjectList(requirements_panels, heading="条件与材料"),
            ObjectList(process_panels, heading="流程与时限"),
            ObjectList(place_panels, heading="地点与咨询"),
            ObjectList(fee_panels, heading="收费"),
            ObjectList(basis_panels, heading="设定依据"),
            ObjectList(faq_panels, heading="常见问题"),
            ObjectList(Page.promote_panels, heading="推广"),
            ObjectList(Page.settings_panels, heading="设置"),
        ]
    )

    parent_page_types = ["content.CatalogPage"]
    subpage_types = []

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["places"] = self.places()
        today = timezone.localdate()
        if self.promised_limit_days:
            due = self.promised_due_date(today)
            context["due"] = {"accepted": today, "date": due, "estimate": not covered(due)} if due else None
        return context

    # The guide's rules, as content.guide declares them (the same ones a catalog import checks):
    # {field: [message]} for a page. content.guide reads these models, so content.apps hands the
    # rules over when the app is ready instead of this module importing them.
    declared_rules = None

    def clean(self):
        super().clean()
        errors = self.declared_rules() if self.declared_rules else {}
        if errors:
            raise ValidationError(errors)

    def status_on(self, day):
        """The 办理状态 in force on `day` (see `status_in_force`)."""
        return status_in_force(self.status, self.status_from, self.status_until, day)

    @property
    def current_status(self):
        """The 办理状态 today (Beijing time); the guide, the catalog and search results all show this one."""
        return self.status_on(timezone.localdate())

    @property
    def audience(self):
        return [
            name for name, flag in zip(AUDIENCES, (self.for_individuals, self.for_organisations), strict=True) if flag
        ]

    @property
    def keyword_list(self):
        return [k.strip() for k in self.keywords.replace("，", "\n").replace("、", "\n").splitlines() if k.strip()]

    @cached_property
    def first_hall_id(self):
        links = list(self.service_halls.all())
        return links[0].hall_id if links else None

    @property
    def is_free(self):
        """True when the item has no 收费项目 (不收费); reads the `for_listing` annotation when present."""
        if "charges_fee" in self.__dict__:
            return not self.charges_fee
        return not self.fees.all()

    @property
    def last_updated(self):
        """The date a citizen is told the guide was last updated: its 更新日期, else the day (Beijing time) it was last published."""
        if self.updated:
            return self.updated
        return timezone.localdate(self.last_published_at) if self.last_published_at else None

    def promised_due_date(self, accepted_on):
        """When an application accepted on `accepted_on` is due by the promised limit, or None if not computable.

        Only limits in working days are counted; 0 days is the same day (即办件).
        """
        if self.promised_limit_days is None or self.promised_limit_unit != LimitUnit.WORKING_DAYS:
            return None
        return add_working_days(accepted_on, self.promised_limit_days)

    def places(self):
        """Each readable hall where the item is handled, in order, with the windows that take it there.

        Which windows: the hall's one rule (`HallPage.windows_taking`, content.models.halls.HallWindows).
        """
        links = list(self.service_halls.select_related("hall").prefetch_related("hall__windows__departments"))
        # Compared in Python: in a preview `service_halls` is an in-memory cluster, not a queryset.
        shown = set(readable(Page.objects.filter(pk__in=[link.hall_id for link in links])).values_list("pk", flat=True))
        rows = []
        for link in (link for link in links if link.hall_id in shown):
            hall = link.hall
            rows.append((hall, hall.windows_taking(self)))
        return rows


class ServiceHall(Orderable):
    """A hall where the item can be handled; the first one is where `window_number` applies."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="service_halls")
    hall = models.ForeignKey(
        "content.HallPage", verbose_name="大厅", on_delete=models.CASCADE, related_name="service_links"
    )
    roles = ChoiceListField(
        "本大厅承担", options=HALL_ROLES, help_text="本大厅在办理中做什么（县乡同办）；都不勾选表示全程在本大厅办理。"
    )
    can_assist = models.BooleanField("可代办", default=False, help_text="村（社区）便民服务站可为群众免费代办此事项")

    panels = [FieldPanel("hall"), FieldPanel("roles"), FieldPanel("can_assist")]

    class Meta(Orderable.Meta):
        verbose_name = "办理大厅"


class LegalBasis(Orderable):
    """设定依据: the law or document that creates the item."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="basis")
    name = models.CharField("法律法规名称", max_length=255)
    number = models.CharField("文号", max_length=255, blank=True)
    article = models.CharField("条款", max_length=255, blank=True)
    content = models.TextField("条款内容", blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("number"), FieldPanel("article")]), FieldPanel("content")]

    class Meta(Orderable.Meta):
        verbose_name = "设定依据"


class Material(Orderable):
    """申请材料, told all at once (一次性告知)."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=255)
    form = models.CharField("材料形式", max_length=16, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("必要", default=True, help_text="不勾选表示非必要材料。")
    deferrable = models.BooleanField(
        "容缺受理", default=False, help_text="缺少这份材料时可以先受理，申请人在补交期限内补齐。"
    )
    deferral_days = models.PositiveSmallIntegerField("容缺补交期限（工作日）", null=True, blank=True)
    medium = models.CharField("载体", max_length=16, choices=MaterialMedium.choices, blank=True)
    source = models.CharField("来源渠道", max_length=100, blank=True, help_text="申请人自备、政府部门核发或其他。")
    issuer = models.CharField(
        "证明开具单位", max_length=100, blank=True, help_text="这份材料是证明时填写开具它的单位；列入公开的证明清单。"
    )
    shared = models.BooleanField("免提交", default=False, help_text="窗口通过部门数据共享获取，申请人不用提交。")
    e_license = models.BooleanField("可用电子证照", default=False)
    promise_ok = models.BooleanField("可告知承诺", default=False, help_text="申请人书面承诺后可以不提交。")
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="空白表格",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sample_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="填写样表",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField("填报须知", blank=True)
    mistakes = models.TextField("常见错误", blank=True, help_text="群众常犯的错误，每行一条。")

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("copies"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("deferrable"), FieldPanel("deferral_days")]),
        FieldRowPanel([FieldPanel("shared"), FieldPanel("e_license"), FieldPanel("promise_ok")]),
        FieldRowPanel([FieldPanel("medium"), FieldPanel("source"), FieldPanel("issuer")]),
        FieldRowPanel([FieldPanel("blank_form"), FieldPanel("sample_form")]),
        FieldPanel("note"),
        FieldPanel("mistakes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "申请材料"

    # The material rules of content.guide, handed over by content.apps (see ServicePage.declared_rules).
    declared_rules = None

    def clean(self):
        super().clean()
        errors = self.declared_rules() if self.declared_rules else {}
        if errors:
            raise ValidationError(errors)

    @property
    def necessity(self):
        """必要, 容缺 (may be handed in later) or 非必要, as every output prints it."""
        return necessity_of(self.required, self.deferrable)


class ProcessStep(Orderable):
    """办理流程: one step such as 受理, 审查, 决定, 送达."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="process_steps")
    step = models.CharField("环节", max_length=100)
    actor = models.CharField("办理人员或单位", max_length=255, blank=True)
    time_limit = models.CharField("时限", max_length=100, blank=True)
    standard = models.TextField("办理标准", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("step"), FieldPanel("actor"), FieldPanel("time_limit")]),
        FieldPanel("standard"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "办理环节"


class SpecialProcedure(Orderable):
    """特别程序 (听证、检测、鉴定、公示、专家评审): its time is not counted in the time limit."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="special_procedures")
    kind = models.CharField("特别程序", max_length=8, choices=SpecialKind.choices)
    time_limit = models.CharField("所需时间", max_length=100, help_text="例如：20个工作日")
    note = models.CharField("说明", max_length=500, blank=True)

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("time_limit")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "特别程序"


class ServiceFee(Orderable):
    """收费项目; an item with none is free of charge (不收费)."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField("收费项目", max_length=255)
    standard = models.CharField("收费标准", max_length=500)
    basis = models.CharField("收费依据", max_length=500, blank=True)
    reducible = models.BooleanField("可减免", default=False)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("standard")]), FieldPanel("basis"), FieldPanel("reducible")]

    class Meta(Orderable.Meta):
        verbose_name = "收费项目"


class FAQ(Orderable):
    """常见问题 answered the same way online and at the window."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField("问题", max_length=500)
    answer = models.TextField("解答")

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = "常见问题"


class GuideChange(models.Model):
    """One entry of 本指南变更记录: what a publication changed in what the guide tells people, and since when.

    Written when a changed guide is published (content.signals) or carried over from a catalog file;
    never edited by hand, so the record is what the guide really said.
    """

    service = models.ForeignKey(ServicePage, on_delete=models.CASCADE, related_name="changes", verbose_name="办事指南")
    effective = models.DateField("生效日期")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    lines = models.JSONField("变更内容", default=list)

    class Meta:
        verbose_name = "指南变更记录"
        verbose_name_plural = "指南变更记录"
        ordering = ["-effective", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["service", "-effective"], name="guidechange_service_effective")]

    def __str__(self):
        return f"{self.service.title} {self.effective:%Y-%m-%d}"
