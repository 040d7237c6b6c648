import re

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from content.theme import DEFAULT_ACCENT, DEFAULT_PRIMARY, validate_accent_colour, validate_primary_colour

POLICE_RECORD = re.compile(r"公网安备\s*(\d{10,20})\s*号")


def validate_website_code(value):
    if not re.fullmatch(r"[0-9]{10}", value):
        raise ValidationError("网站标识码是 10 位数字，例如 4304810001，请照政府网站信息报送系统中的标识码填写。")


def validate_icp_record(value):
    if not re.search(r"ICP[备證证]\s*[0-9]+\s*号", value):
        raise ValidationError(
            "ICP 备案号的格式是“湘ICP备12345678号”或“湘ICP备12345678号-1”，请照工信部备案系统中的备案号填写。"
        )


def validate_police_record(value):
    if not POLICE_RECORD.search(value):
        raise ValidationError(
            "公安机关备案号的格式是“湘公网安备 43048102000123号”，请照全国互联网安全管理服务平台上的备案号填写。"
        )


def police_record_code(value):
    """The digits of a 公安机关备案号, which the 全国互联网安全管理服务平台 query link carries; "" if none."""
    match = POLICE_RECORD.search(value or "")
    return match.group(1) if match else ""


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Who runs this portal and how it looks: name, region, contacts, logo and colours shown on every page and in exports."""

    portal_name = models.CharField("门户名称", max_length=100, default="政务服务网")
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, help_text="6 位数字，例如 430481。")
    region_name = models.CharField("行政区划名称", max_length=50, blank=True)
    hotline = models.CharField("服务热线", max_length=50, default="12345")
    footer_text = models.TextField("页脚说明", blank=True)
    organizer = models.CharField(
        "主办单位",
        max_length=100,
        blank=True,
        help_text="按《政府网站发展指引》在页脚标明，例如“耒阳市三都镇人民政府”。留空则不显示。",
    )
    website_code = models.CharField(
        "网站标识码",
        max_length=10,
        blank=True,
        validators=[validate_website_code],
        help_text="政府网站的 10 位标识码。留空则不显示。",
    )
    icp_record = models.CharField(
        "ICP 备案号",
        max_length=50,
        blank=True,
        validators=[validate_icp_record],
        help_text="例如“湘ICP备12345678号-1”，页脚链接到工信部备案系统 beian.miit.gov.cn。留空则不显示。",
    )
    police_record = models.CharField(
        "公安机关备案号",
        max_length=50,
        blank=True,
        validators=[validate_police_record],
        help_text="例如“湘公网安备 43048102000123号”，页脚链接到全国互联网安全管理服务平台 beian.mps.gov.cn。留空则不显示。",
    )
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
            [
                FieldPanel("organizer"),
                FieldPanel("website_code"),
                FieldPanel("icp_record"),
                FieldPanel("police_record"),
            ],
            heading="网站标识与备案",
            help_text="政府网站页脚须标明的信息，每项都可留空。",
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            heading="外观",
            help_text="保存后全站立即换用新的标志和颜色，无需修改模板。",
        ),
    ]

    class Meta:
        verbose_name = "门户设置"

    @property
    def police_record_code(self):
        return police_record_code(self.police_record)
