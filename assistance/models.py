from django.db import models

from cases.models import CaseNoteBase, CaseRecord


class Step(models.TextChoices):
    """Where the station has got with the item, in order; a request only ever moves forward."""

    RECEIVED = "received", "已受理"
    COLLECTED = "collected", "材料已收"
    SUBMITTED = "submitted", "已报送"
    DONE = "done", "已办结"
    DELIVERED = "delivered", "已送达"

    @classmethod
    def position(cls, step):
        return cls.values.index(step)


# The field that keeps when each step after 已受理 was reached (已受理 is the case's received_at).
STEP_FIELDS = {
    Step.COLLECTED: "collected_at",
    Step.SUBMITTED: "submitted_at",
    Step.DONE: "done_at",
    Step.DELIVERED: "delivered_at",
}


class HomeVisitReason(models.TextChoices):
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    IMMOBILE = "immobile", "行动不便"
    OTHER = "other", "其他"


class AssistanceRequest(CaseRecord):
    """A request that a station (the case's hall) handle an item (the case's service) for the person (代办).

    Name and phone are required by the form: the station calls back to agree a time and collect the
    materials. They, the village, the time, the home-visit address and the note are seen only by the
    帮办代办人员 group; the tracking page shows the steps and the 代办员's name and work phone.
    """

    village = models.CharField("所在村（社区）", max_length=50)
    preferred_time = models.CharField("方便的时间", max_length=100)
    home_visit = models.BooleanField("需要上门服务", default=False)
    home_visit_reason = models.CharField("上门原因", max_length=10, choices=HomeVisitReason.choices, blank=True)
    address = models.CharField("上门地址", max_length=200, blank=True)
    note = models.TextField("补充说明", blank=True)
    agent = models.ForeignKey(
        "content.StaffMember",
        verbose_name="代办员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests",
    )
    step = models.CharField("代办进度", max_length=10, choices=Step.choices, default=Step.RECEIVED, db_index=True)
    collected_at = models.DateTimeField("材料已收时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    done_at = models.DateTimeField("部门办结时间", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = "代办申请"
        verbose_name_plural = "代办申请"

    def steps(self):
        """Each step in order as (value, label, reached, when). A step passed over (材料已收 when the station
        went straight to 已报送) is reached without a date of its own."""
        current = Step.position(self.step)
        rows = []
        for n, (value, label) in enumerate(Step.choices):
            when = self.received_at if value == Step.RECEIVED else getattr(self, STEP_FIELDS[value])
            rows.append((value, label, n <= current, when))
        return rows

    def later_steps(self):
        """The steps the request may still move to: (value, label), the next one first."""
        return Step.choices[Step.position(self.step) + 1 :]


class AssistanceNote(CaseNoteBase):
    case = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="notes")

    class Meta(CaseNoteBase.Meta):
        pass
