"""The site-wide notice banner (维护通知, 春节期间办公时间) editors schedule."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, FieldRowPanel


class BannerLevel(models.TextChoices):
    INFO = "提示", "提示"
    URGENT = "重要", "重要"


class SiteBannerQuerySet(models.QuerySet):
    def current(self, now=None):
        """Banners showing at `now` (default: this moment), the most urgent and newest first."""
        now = now or timezone.now()
        return (
            self.filter(starts_at__lte=now)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .order_by("-level", "-starts_at", "-pk")
        )


class SiteBanner(models.Model):
    """A notice shown at the top of every public page between its start and end."""

    message = models.CharField(
        "通知内容", max_length=200, help_text="一两句话，例如“2月9日至2月17日春节放假，网上办理不停办”。"
    )
    link = models.CharField(
        "详情链接", max_length=500, blank=True, help_text="站内路径（如 /notices/spring/）或完整网址，可不填。"
    )
    level = models.CharField("级别", max_length=4, choices=BannerLevel.choices, default=BannerLevel.INFO)
    starts_at = models.DateTimeField("开始显示", default=timezone.now)
    ends_at = models.DateTimeField("结束显示", null=True, blank=True, help_text="不填表示一直显示，直到删除。")

    objects = SiteBannerQuerySet.as_manager()

    panels = [
        FieldPanel("message"),
        FieldPanel("link"),
        FieldPanel("level"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    class Meta:
        verbose_name = "全站通知横幅"
        verbose_name_plural = "全站通知横幅"

    def __str__(self):
        return self.message

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "结束显示时间必须晚于开始显示时间。"})
        link = self.link.strip()
        if (
            link
            and not (link.startswith("/") and not link.startswith("//"))
            and not link.startswith(("https://", "http://"))
        ):
            raise ValidationError({"link": "请填写以 / 开头的站内路径，或以 https:// 开头的完整网址。"})
