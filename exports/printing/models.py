"""Booklet jobs: a booklet an editor asked for, its progress while it renders, and the finished file."""

from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models


class PrintStorage(FileSystemStorage):
    """Finished booklets under YIMEN_PRINT_DIR/booklets; never served as media, only through the admin view."""

    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return Path(settings.YIMEN_PRINT_DIR) / "booklets"

    @cached_property
    def location(self):
        return str(self.base_location.resolve())


def booklet_storage():
    return PrintStorage()


class BookletQuerySet(models.QuerySet):
    def active(self):
        """Waiting or rendering."""
        return self.filter(status__in=(Booklet.Status.QUEUED, Booklet.Status.RUNNING))


class Booklet(models.Model):
    """One booklet (办事指南汇编) requested from the admin, rendered in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在生成"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    hall = models.ForeignKey(
        "content.HallPage", verbose_name="大厅", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    window = models.ForeignKey(
        "content.HallWindow", verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "content.Department", verbose_name="部门", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(
        "content.Topic", verbose_name="主题", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("标题", max_length=300, help_text="请求时的范围说明，大厅或部门改名后仍保留原样。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField("进度说明", max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    guide_count = models.PositiveIntegerField("事项数", default=0)
    page_count = models.PositiveIntegerField("页数", default=0)
    file = models.FileField("文件", storage=booklet_storage, upload_to="%Y/%m", blank=True, max_length=300)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    error = models.TextField("错误信息", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    worker = models.CharField("生成进程", max_length=200, blank=True, help_text="主机名:进程号，用来识别中断的任务。")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)

    objects = BookletQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "打印手册"
        verbose_name_plural = "打印手册"

    def __str__(self):
        return self.title

    def scope(self):
        """The BookletScope this job prints; ValueError when its hall, window, department or topic is gone."""
        from .booklets import BookletScope  # WeasyPrint loads only when a booklet is printed

        return BookletScope(hall=self.hall, window=self.window, department=self.department, topic=self.topic)

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
