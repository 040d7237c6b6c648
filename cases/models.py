"""What every kind of case shares: complaints (投诉), questions (咨询) and 代办 requests.

A case arrives (online, by phone, in person, by letter, from the 12345 hotline or through the Open311
API), gets a tracking code and a deadline in working days, is assigned to a department, answered,
closed, and may be reopened once by the citizen before it goes to the centre's head. Each kind is a
concrete model of its own app built on `CaseRecord`, so its table, categories and public view stay its
own while tracking, deadlines, handling, audit and notifications are written once here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "处理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class Channel(models.TextChoices):
    ONLINE = "online", "网上提交"
    PHONE = "phone", "电话"
    VISIT = "visit", "现场"
    LETTER = "letter", "信函"
    HOTLINE = "hotline", "12345 热线"
    API = "api", "接口（Open311）"


OFFLINE_CHANNELS = [(value, label) for value, label in Channel.choices if value not in (Channel.ONLINE, Channel.API)]


class NotifyBy(models.TextChoices):
    NONE = "", "不需要通知"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNREACHABLE = "unreachable", "未能联系上"


class CaseQuerySet(models.QuerySet):
    def unanswered(self):
        """Cases whose reply has not been published yet; only these can become overdue."""
        return self.filter(replied_at__isnull=True).exclude(status=Status.CLOSED)

    def overdue(self, today):
        """Unanswered cases whose last day to answer (`due_on`) is before `today`."""
        return self.unanswered().filter(due_on__lt=today)

    def due_by(self, day):
        """Unanswered cases due on or before `day` (the daily digest: due today and overdue)."""
        return self.unanswered().filter(due_on__lte=day)

    def for_queue(self, today):
        """The handler queue: overdue first, then open ones by nearest deadline, closed ones last."""
        return self.annotate(
            is_overdue=Case(
                When(Q(replied_at__isnull=True) & ~Q(status=Status.CLOSED) & Q(due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            is_closed=Case(
                When(status=Status.CLOSED, then=Value(True)), default=Value(False), output_field=models.BooleanField()
            ),
        ).order_by("-is_overdue", "is_closed", "due_on", "-received_at")


class CaseRecord(models.Model):
    """The fields and rules every kind of case shares; name, phone and e-mail are seen only by its handlers."""

    tracking_code = models.CharField("查询码", max_length=20, unique=True, editable=False)
    submission_token = models.CharField(
        "提交令牌",
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="表单随附的一次性令牌：同一张表单重复提交只保存一次。",
    )
    hall = models.ForeignKey(
        "content.HallPage",
        verbose_name="涉及大厅",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    service = models.ForeignKey(
        "content.ServicePage",
        verbose_name="涉及事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", max_length=254, blank=True)
    notify_by = models.CharField("通知方式", max_length=10, choices=NotifyBy.choices, blank=True, default="")
    consented_at = models.DateTimeField("同意告知时间")
    received_at = models.DateTimeField("受理时间", default=timezone.now, db_index=True)
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    hotline_number = models.CharField("12345 工单号", max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="电话、现场、信函或热线收到后由工作人员登记的，记下登记人。",
    )
    due_on = models.DateField("答复期限", help_text="按工作日计算（含法定节假日和调休）。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    department = models.ForeignKey(
        "content.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True, help_text="公开答复：凭查询码可以看到，不得包含他人个人信息。")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    extended_at = models.DateTimeField("延期时间", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    original_due_on = models.DateField("原答复期限", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)
    reopened_at = models.DateTimeField("重新办理时间", null=True, blank=True)
    reopen_reason = models.TextField("未解决的说明", blank=True)
    escalated_at = models.DateTimeField(
        "转中心负责人时间", null=True, blank=True, help_text="群众第二次表示问题未解决时，转中心负责人督办。"
    )
    followed_up_at = models.DateTimeField("回访时间", null=True, blank=True)
    satisfaction = models.CharField("回访满意度", max_length=12, choices=Satisfaction.choices, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-received_at"]

    def __str__(self):
        # Only the tracking code: this string lands in audit logs and admin titles.
        return self.tracking_code

    @property
    def is_anonymous(self):
        return not (self.phone or self.email)

    @property
    def received_on(self):
        return timezone.localdate(self.received_at)

    @property
    def replied_on(self):
        return timezone.localdate(self.replied_at) if self.replied_at else None

    @property
    def is_offline(self):
        return self.channel not in (Channel.ONLINE, Channel.API)

    def is_overdue(self, today=None):
        if self.replied_at or self.status == Status.CLOSED:
            return False
        return (today or timezone.localdate()) > self.due_on

    @property
    def answered_on_time(self):
        """True or False once replied; None while unanswered."""
        if self.replied_at is None:
            return None
        return self.replied_on <= self.due_on

    @property
    def may_reopen(self):
        """The citizen may say the reply did not solve it: once to reopen, a second time to escalate."""
        return self.replied_at is not None and self.escalated_at is None


class CaseNoteBase(models.Model):
    """An internal handling note (处理记录); never shown to the public. Each kind adds its `case` key."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("处理记录")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at"]
        verbose_name = "处理记录"
        verbose_name_plural = "处理记录"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"
