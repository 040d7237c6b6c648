from django.conf import settings
from django.db import models
from django.utils import timezone


class Score(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    FAIRLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


# 满意率 counts 非常满意, 满意 and 基本满意; every score below opens a follow-up (差评).
SATISFIED_MIN = Score.FAIRLY_SATISFIED


class RatingQuerySet(models.QuerySet):
    def satisfied(self):
        return self.filter(score__gte=SATISFIED_MIN)

    def bad(self):
        return self.filter(score__lt=SATISFIED_MIN)


class Rating(models.Model):
    """One 好差评 on a guide or hall page; a bad one always has a FollowUp."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="评价页面", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField("页面标题", max_length=255, help_text="评价时的页面标题，页面删除后仍可查。")
    hall = models.ForeignKey(
        "content.HallPage",
        verbose_name="大厅",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    window = models.ForeignKey(
        "content.HallWindow",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField("评价", choices=Score.choices)
    comment = models.TextField("意见建议", blank=True)
    contact_phone = models.CharField("回访电话", max_length=30, blank=True, help_text="仅投诉处理人员可见。")
    view_nonce = models.CharField("页面令牌", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("评价时间", default=timezone.now, db_index=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "评价"
        verbose_name_plural = "评价"

    def __str__(self):
        return f"{self.get_score_display()} · {self.page_title}"

    @property
    def is_bad(self):
        return self.score < SATISFIED_MIN


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "待整改"
    CLOSED = "closed", "已办结"


class FollowUp(models.Model):
    """差评整改: what was put right (整改), the call back to the person (回访) and the record (记录)."""

    rating = models.OneToOneField(Rating, verbose_name="差评", on_delete=models.CASCADE, related_name="follow_up")
    status = models.CharField(
        "状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN, db_index=True
    )
    rectification = models.TextField("整改措施", blank=True)
    revisit_on = models.DateField("回访日期", null=True, blank=True)
    revisit_result = models.TextField("回访结果", blank=True, help_text="未留电话无法回访的，请写明。")
    record = models.TextField("处理记录", blank=True, help_text="办结时写明做了什么。")
    opened_at = models.DateTimeField("创建时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["status", "opened_at"]
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"

    def __str__(self):
        return f"差评整改 #{self.pk}"
