from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Who runs this portal: the name, region and contacts shown on every page and in exports."""

    portal_name = models.CharField("门户名称", max_length=100, default="政务服务网")
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, help_text="6 位数字，例如 430481。")
    region_name = models.CharField("行政区划名称", max_length=50, blank=True)
    hotline = models.CharField("服务热线", max_length=50, default="12345")
    footer_text = models.TextField("页脚说明", blank=True)

    panels = [
        FieldPanel("portal_name"),
        MultiFieldPanel([FieldPanel("region_code"), FieldPanel("region_name")], heading="行政区划"),
        FieldPanel("hotline"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = "门户设置"
