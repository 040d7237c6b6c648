from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from content.theme import DEFAULT_ACCENT, DEFAULT_PRIMARY, validate_accent_colour, validate_primary_colour


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Who runs this portal and how it looks: name, region, contacts, logo and colours shown on every page and in exports."""

    portal_name = models.CharField("门户名称", max_length=100, default="政务服务网")
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, help_text="6 位数字，例如 430481。")
    region_name = models.CharField("行政区划名称", max_length=50, blank=True)
    hotline = models.CharField("服务热线", max_length=50, default="12345")
    footer_text = models.TextField("页脚说明", blank=True)
    logo = models.ForeignKey(
        "content.PortalImage",
        verbose_name="标志",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="显示在页头门户名称左边，建议用方形、背景透明的图片。不上传则显示“政”字圆标。",
    )
    primary_colour = models.CharField(
        "主色",
        max_length=7,
        default=DEFAULT_PRIMARY,
        validators=[validate_primary_colour],
        help_text="页头、按钮、链接和标题的颜色，#RRGGBB 格式。须是较深的颜色，白字在其上清晰可读。",
    )
    accent_colour = models.CharField(
        "强调色",
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_accent_colour],
        help_text="页头顶部色条和当前栏目标记的颜色，#RRGGBB 格式，例如中国红 #b0262c。",
    )

    panels = [
        FieldPanel("portal_name"),
        MultiFieldPanel([FieldPanel("region_code"), FieldPanel("region_name")], heading="行政区划"),
        FieldPanel("hotline"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            heading="外观",
            help_text="保存后全站立即换用新的标志和颜色，无需修改模板。",
        ),
    ]

    class Meta:
        verbose_name = "门户设置"
