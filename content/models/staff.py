from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from content.forms import StaffMemberForm
from content.panels import QuestionPanel


class StaffQuerySet(models.QuerySet):
    def on_board(self):
        """People currently shown on the photo board (阳光台); those who left stay in history."""
        return self.filter(is_active=True)

    def agents(self):
        """代办员 on duty: the people a station's 代办 requests go to, listed with their work phones."""
        return self.on_board().filter(is_agent=True)


class StaffMember(index.Indexed, models.Model):
    """A window staff member shown on the hall's photo board (阳光台)."""

    class Post(models.TextChoices):
        A = "A", "A岗（主岗）"
        B = "B", "B岗（替岗）"

    staff_id = models.CharField("人员编号", max_length=64, unique=True)
    name = models.CharField("姓名", max_length=50)
    hall = models.ForeignKey(
        "content.HallPage", verbose_name="所在大厅", on_delete=models.PROTECT, related_name="staff"
    )
    window = models.ForeignKey(
        "content.HallWindow",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
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
    is_agent = models.BooleanField(
        "代办员",
        default=False,
        help_text="帮办代办人员：在大厅页面和代办申请的确认页上列出姓名和工作电话，可被分派本大厅的代办申请。",
    )

    objects = StaffQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("staff_id"), FieldPanel("name")]),
        MultiFieldPanel(
            [
                FieldPanel("hall"),
                FieldPanel("window"),
                FieldPanel("department"),
                FieldRowPanel([FieldPanel("position"), FieldPanel("post")]),
            ],
            heading="岗位",
        ),
        FieldPanel("duties"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("is_agent")]),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("left_on")]),
        QuestionPanel("confirm_empty_window"),
    ]
    base_form_class = StaffMemberForm
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

    def clean(self):
        super().clean()
        if self.window_id and self.hall_id and self.window.hall_id != self.hall_id:
            hall = self.hall.title
            raise ValidationError(
                {
                    "window": f"“{self.window.label_with_hall}”不是{hall}的窗口，不能安排{hall}的工作人员。"
                    f"请选择{hall}的窗口；不在窗口的人员请留空，阳光台上列在“其他工作人员”。"
                }
            )

    def window_emptied_by(self, is_active, window):
        """The window this person's saved record staffs and would leave with nobody on duty, were they saved
        as `is_active` at `window` (off duty, or moved); None when someone else stays or nothing changes.

        The photo board shows only windows with someone on duty, so such a window disappears from it.
        """
        if self.pk is None:
            return None
        saved = StaffMember.objects.filter(pk=self.pk, is_active=True, window__isnull=False).first()
        if saved is None or (is_active and window is not None and window.pk == saved.window_id):
            return None
        if StaffMember.objects.on_board().filter(window_id=saved.window_id).exclude(pk=self.pk).exists():
            return None
        return saved.window
