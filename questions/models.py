from django.conf import settings
from django.db import models

from cases.models import CaseNoteBase, CaseQuerySet, CaseRecord


class Category(models.TextChoices):
    CONDITIONS = "conditions", "办理条件"
    MATERIALS = "materials", "申请材料"
    PROCESS = "process", "办理流程和时限"
    FEES = "fees", "收费"
    PROGRESS = "progress", "办理进度"
    POLICY = "policy", "政策咨询"
    OTHER = "other", "其他"


class QuestionQuerySet(CaseQuerySet):
    def published(self):
        """Questions and answers shown on their guide: the asker agreed, an editor approved, still answered."""
        return self.filter(published_at__isnull=False, replied_at__isnull=False, service__isnull=False)


class Question(CaseRecord):
    """An online question (咨询) about an item or the centre; the asker's name, phone and e-mail stay private."""

    category = models.CharField("咨询类别", max_length=20, choices=Category.choices)
    text = models.TextField("咨询内容")
    publish_consent = models.BooleanField(
        "同意公开", default=False, help_text="提问人同意在隐去个人信息后，把问题和答复公开在办事指南上。"
    )
    public_question = models.TextField("公开的问题", blank=True, help_text="公开前由编辑整理，去掉个人信息。")
    public_answer = models.TextField("公开的答复", blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准公开",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    faq_created_at = models.DateTimeField("转为常见问题时间", null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta(CaseRecord.Meta):
        verbose_name = "咨询"
        verbose_name_plural = "咨询"


class QuestionNote(CaseNoteBase):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")

    class Meta(CaseNoteBase.Meta):
        pass
