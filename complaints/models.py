from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from .storage import attachment_storage


class Category(models.TextChoices):
    ATTITUDE = "attitude", "服务态度"
    EFFICIENCY = "efficiency", "办事效率"
    FEES = "fees", "违规收费"
    BUCK_PASSING = "buck_passing", "推诿扯皮"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "处理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class Complexity(models.TextChoices):
    ORDINARY = "ordinary", "一般投诉（次一个工作日内答复）"
    COMPLEX = "complex", "复杂投诉（5 个工作日内答复）"


class ComplaintQuerySet(models.QuerySet):
    def unanswered(self):
        """Complaints whose reply has not been published yet; only these can become overdue."""
        return self.filter(replied_at__isnull=True).exclude(status=Status.CLOSED)

    def overdue(self, today):
        """Unanswered complaints whose last day to answer (`due_on`) is before `today`."""
        return self.unanswered().filter(due_on__lt=today)

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


class Complaint(models.Model):
    """A complaint (投诉举报) from the public; name and phone are personal data seen only by handlers."""

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
        related_name="complaints",
    )
    window = models.ForeignKey(
        "content.HallWindow",
        verbose_name="涉及窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    staff = models.ForeignKey(
        "content.StaffMember",
        verbose_name="涉及工作人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    service = models.ForeignKey(
        "content.ServicePage",
        verbose_name="涉及事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    category = models.CharField("投诉类别", max_length=20, choices=Category.choices)
    description = models.TextField("投诉内容")
    name = models.CharField("投诉人姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    consented_at = models.DateTimeField("同意告知时间")
    received_at = models.DateTimeField("受理时间", default=timezone.now, db_index=True)
    complexity = models.CharField("复杂程度", max_length=10, choices=Complexity.choices, default=Complexity.ORDINARY)
    due_on = models.DateField("答复期限", help_text="按工作日计算（含法定节假日和调休）。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    department = models.ForeignKey(
        "content.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    reply = models.TextField(
        "答复内容", blank=True, help_text="公开答复：投诉人凭查询码可以看到，不得包含他人个人信息。"
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "投诉"
        verbose_name_plural = "投诉"

    def __str__(self):
        # Only the tracking code: this string lands in audit logs and admin titles.
        return self.tracking_code

    @property
    def complexity_short(self):
        return "复杂" if self.complexity == Complexity.COMPLEX else "一般"

    @property
    def is_anonymous(self):
        return not self.phone

    @property
    def received_on(self):
        return timezone.localdate(self.received_at)

    @property
    def replied_on(self):
        return timezone.localdate(self.replied_at) if self.replied_at else None

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


class ComplaintNote(models.Model):
    """An internal handling note (处理记录); never shown to the public."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("处理记录")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "处理记录"
        verbose_name_plural = "处理记录"

    def __str__(self):
        return f"{self.complaint} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    # The stored name is random: the original name may carry personal data and is kept in a column instead.
    return f"{timezone.now():%Y/%m}/{filename}"


class ComplaintAttachment(models.Model):
    """A photo or PDF sent with a complaint, kept outside the public media tree."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", storage=attachment_storage, upload_to=attachment_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "投诉附件"
        verbose_name_plural = "投诉附件"

    def __str__(self):
        return self.original_name
