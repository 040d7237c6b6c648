"""What the portal sends and when: messages with their delivery attempts, the SMS outbox, editors' template
overrides and the runs of periodic jobs.

The Message row is the truth about a notification, not the task queue: a message is 待发送 until a worker
claims it (发送中, with a lease), then 已发送 or, after its last try, 失败. A worker killed mid-send leaves the
row 发送中 past its lease, and the sweep (notifications/schedules.py) puts it back in the queue.
"""

from django.db import models
from django.utils import timezone

from wagtail.models import PreviewableMixin

from .masks import mask_address, mask_phone


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class Status(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败"


class MessageQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting messages whose next try is now or past."""
        return self.filter(status=Status.PENDING, next_attempt_at__lte=now)

    def stranded(self, now, grace):
        """Waiting messages that no worker took up within `grace` of their next try: their task was lost
        (a worker killed between commit and enqueue, a queue emptied by hand) or never made."""
        return self.filter(status=Status.PENDING, next_attempt_at__lte=now - grace)

    def lease_expired(self, now):
        """Messages a worker claimed and never finished: it was killed or lost its database mid-send."""
        return self.filter(status=Status.SENDING, lease_until__lt=now)


class Message(models.Model):
    """One notification to one address, rendered when it was created: what is shown here is what was sent."""

    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    recipient = models.CharField("收件地址", max_length=254, help_text="电子邮件地址或手机号码。")
    subject = models.CharField("主题", max_length=255, blank=True)
    body = models.TextField("正文")
    template_key = models.CharField("模板", max_length=100, db_index=True)
    sms_params = models.JSONField(
        "短信模板参数", default=dict, blank=True, help_text="短信服务商按已报备的模板发送时填入的变量。"
    )
    dedupe_key = models.CharField("去重键", max_length=200, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最后错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    claim = models.UUIDField("占用标记", null=True, blank=True, editable=False)
    backend = models.CharField("发送方式", max_length=40, blank=True)
    provider_id = models.CharField("服务商回执号", max_length=200, blank=True)
    about_label = models.CharField("关于", max_length=100, blank=True, help_text="例如“投诉”“咨询”。")
    about_code = models.CharField("关于（编号）", max_length=100, blank=True, db_index=True, help_text="例如查询码。")

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息记录"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_message_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.template_label} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def template_label(self):
        from .templates import registry

        template = registry.get(self.template_key)
        return template.label if template else self.template_key

    @property
    def masked_recipient(self):
        return mask_address(self.channel, self.recipient)


class OutboxSms(models.Model):
    """An SMS as the outbox backend delivered it: one row per send, so a message sent twice shows twice."""

    message = models.ForeignKey(
        Message, verbose_name="消息", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_entries"
    )
    phone = models.CharField("手机号码", max_length=32)
    text = models.TextField("短信内容")
    template_key = models.CharField("模板", max_length=100)
    created_at = models.DateTimeField("发出时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "发件箱短信"
        verbose_name_plural = "短信发件箱"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"短信 · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


class AttemptOutcome(models.TextChoices):
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"
    INTERRUPTED = "interrupted", "中断"


class DeliveryAttempt(models.Model):
    """One try at sending a message: every try is kept, the interrupted ones too."""

    message = models.ForeignKey(
        Message, verbose_name="消息", on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    number = models.PositiveSmallIntegerField("第几次")
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField("结果", max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.RUNNING)
    backend = models.CharField("发送方式", max_length=40, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="notif_attempt_unique_number")]

    def __str__(self):
        return f"第 {self.number} 次：{self.get_outcome_display()}"


class MessageTemplate(PreviewableMixin, models.Model):
    """Editors' wording of one message template registered in code; an empty field uses the code's default.

    Rows are made for every registered template after each migrate, so the admin lists them all; a template
    whose three fields are empty says exactly what the code says, and follows it when the code changes.
    The key is the primary key: a row made again after a database is emptied is the same row (a serialized
    copy of the database restores onto it, not beside it)."""

    key = models.CharField("模板", max_length=100, primary_key=True, editable=False)
    subject = models.CharField("邮件主题", max_length=255, blank=True)
    body = models.TextField("邮件正文", blank=True)
    sms = models.TextField("短信内容", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "消息模板"
        verbose_name_plural = "消息模板"
        ordering = ["key"]

    def __str__(self):
        return self.label

    @property
    def default(self):
        from .templates import registry

        return registry.get(self.key)

    @property
    def label(self):
        default = self.default
        return default.label if default else f"{self.key}（代码中已不再使用）"

    @property
    def is_customised(self):
        return bool(self.subject or self.body or self.sms)

    def effective(self, field):
        """The text that is used for `field` ("subject", "body" or "sms"): the editors' or the default."""
        default = self.default
        return getattr(self, field) or (getattr(default, field) if default else "")

    def clean(self):
        from .templates import validate_override

        validate_override(self)

    def get_preview_template(self, request, mode_name):
        return "notifications/message_template_preview.html"

    def get_preview_context(self, request, mode_name):
        from .templates import preview

        return {**super().get_preview_context(request, mode_name), "preview": preview(self)}


class RunStatus(models.TextChoices):
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "出错"


class ScheduledRun(models.Model):
    """One period of one periodic job, claimed by inserting this row: its uniqueness is what stops two
    workers, or a tick that was enqueued twice, from running the same period twice."""

    job = models.CharField("任务", max_length=100)
    period_key = models.CharField("周期", max_length=40)
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=1)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    lease_until = models.DateTimeField("占用至")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "定时任务运行"
        verbose_name_plural = "定时任务运行"
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period_key"], name="notif_run_unique_period")]

    def __str__(self):
        return f"{self.job} · {self.period_key}"
