from django.db import models

from wagtail.images.models import AbstractImage, AbstractRendition, Image

ALT_TEXT_REQUIRED = "请填写替代文字：用一句话说明图片里是什么（例如“三都镇政务服务中心窗口工作人员刘建华”），视障用户的读屏软件会读出这段话。"


class AltTextField(models.CharField):
    """Required in every admin image form (upload, edit, multiple upload), with a message that says why."""

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.required = True
        field.error_messages["required"] = ALT_TEXT_REQUIRED
        return field


class PortalImage(AbstractImage):
    """The portal's image model; alt text is part of the image so every use has one."""

    alt_text = AltTextField(
        "替代文字",
        max_length=255,
        error_messages={"blank": ALT_TEXT_REQUIRED},
        help_text="必填。为视障用户朗读的图片说明，例如“三都镇政务服务中心窗口工作人员刘建华”。",
    )

    admin_form_fields = (*Image.admin_form_fields, "alt_text")

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
