from django.db import models

from wagtail.images.models import AbstractImage, AbstractRendition, Image


class PortalImage(AbstractImage):
    """The portal's image model; alt text is part of the image so every use has one."""

    alt_text = models.CharField(
        "替代文字",
        max_length=255,
        blank=True,
        help_text="为视障用户朗读的图片说明，例如“三都镇政务服务中心窗口工作人员刘建华”。",
    )

    admin_form_fields = (*Image.admin_form_fields, "alt_text")

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
