from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class StaffQuerySet(models.QuerySet):
    def on_board(self):
        """People currently shown on the photo board (阳光台); those who left stay in history."""
        return self.filter(is_active=True)


class StaffMember(index.Indexed, models.Model):
    """A window staff member shown on the hall's photo board (阳光台)."""

    class Post(models.TextChoices):
        A = "A", "A岗（主岗）"
        B = "B", "B岗（替岗）"

    staff_id = models.CharField("人员编号", max_length=64, unique=True)
    name = models.CharField("姓名", max_length=50)
    hall = models.ForeignKey("content.HallPage", verbose_name="所在大厅", on_delete=models.PROTECT, related_name="staff")
    window = models.ForeignKey(
        "content.HallWindow", verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    department = models.ForeignKey(
        "content.Department", verbose_name="派驻部门", on_delete=models.PROTECT, related_name="staff"
    )
    position = models.CharField("职务", max_length=50, help_text="例如：窗口组长、首席代表、窗口工作人员")
    post = models.CharField("AB岗", max_length=1, choices=Post.choices, blank=True)
    duties = models.TextField("办理业务", blank=True)
    phone = models.CharField("工作电话", max_length=50, blank=True)
    photo = models.ForeignKey(
        "content.PortalImage", verbose_name="照片", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField("在岗", default=True, help_text="离岗人员取消勾选：不再显示在阳光台，但保留记录。")
    left_on = models.DateField("离岗日期", null=True, blank=True)

    objects = StaffQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("staff_id"), FieldPanel("name")]),
        MultiFieldPanel(
            [FieldPanel("hall"), FieldPanel("window"), FieldPanel("department"), FieldRowPanel([FieldPanel("position"), FieldPanel("post")])],
            heading="岗位",
        ),
        FieldPanel("duties"),
        FieldPanel("phone"),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("left_on")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("staff_id"),
        index.SearchField("duties"),
        index.FilterField("is_active"),
    ]

    class Meta:
        ordering = ["hall", "window__sort_order", "post", "staff_id"]
        verbose_name = "窗口工作人员"
        verbose_name_plural = "窗口工作人员"

    def __str__(self):
        return self.name
