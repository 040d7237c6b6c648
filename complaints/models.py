from django.db import models
from django.utils import timezone

from cases.models import CaseNoteBase, CaseRecord, Status

from .storage import attachment_storage

__all__ = ["Category", "Complaint", "ComplaintAttachment", "ComplaintNote", "Complexity", "Severity", "Status"]


class Category(models.TextChoices):
    ATTITUDE = "attitude", "服务态度"
    EFFICIENCY = "efficiency", "办事效率"
    FEES = "fees", "违规收费"
    BUCK_PASSING = "buck_passing", "推诿扯皮"
    OTHER = "other", "其他"


class Complexity(models.TextChoices):
    ORDINARY = "ordinary", "一般投诉（次一个工作日内答复）"
    COMPLEX = "complex", "复杂投诉（5 个工作日内答复）"


class Severity(models.TextChoices):
    ORDINARY = "ordinary", "一般"
    SERIOUS = "serious", "严重（立即通知处理人员）"


class Complaint(CaseRecord):
    """A complaint (投诉举报) from the public; name and phone are personal data seen only by handlers."""

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
    category = models.CharField("投诉类别", max_length=20, choices=Category.choices)
    description = models.TextField("投诉内容")
    complexity = models.CharField("复杂程度", max_length=10, choices=Complexity.choices, default=Complexity.ORDINARY)
    severity = models.CharField(
        "严重程度",
        max_length=10,
        choices=Severity.choices,
        default=Severity.ORDINARY,
        help_text="严重投诉（例如索要好处、刁难群众、安全隐患）一提交就通知处理人员。",
    )

    class Meta(CaseRecord.Meta):
        verbose_name = "投诉"
        verbose_name_plural = "投诉"

    @property
    def complexity_short(self):
        return "复杂" if self.complexity == Complexity.COMPLEX else "一般"


class ComplaintNote(CaseNoteBase):
    """An internal handling note (处理记录) on a complaint; never shown to the public."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")

    class Meta(CaseNoteBase.Meta):
        pass

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
