from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Department(index.Indexed, models.Model):
    """An implementing body (实施主体); every service item belongs to exactly one."""

    code = models.CharField("部门编码", max_length=64, unique=True)
    name = models.CharField("部门名称", max_length=200)
    kind = models.CharField("单位性质", max_length=100, blank=True, help_text="例如：县级行政机关、事业单位、派驻机构")

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("kind")]
    search_fields = [index.SearchField("name"), index.SearchField("code"), index.FilterField("code")]

    class Meta:
        ordering = ["code"]
        verbose_name = "部门"
        verbose_name_plural = "部门"

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A 主题分类 such as 社会救助 or 户籍办理, used to browse the catalog."""

    name = models.CharField("主题名称", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0, help_text="数字小的排在前面。")

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "主题"
        verbose_name_plural = "主题"

    def __str__(self):
        return self.name
