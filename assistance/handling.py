"""What only 代办 requests do beyond the case core (cases.handling): a 代办员 of the station takes the request,
and the request moves through its steps 已受理 → 材料已收 → 已报送 → 已办结 → 已送达, never backwards;
已送达 closes it, after the reply the citizen reads (证件已送到家)."""

from django.db import transaction
from django.utils import timezone

from cases import handling
from cases.handling import HandlingError
from cases.models import Status

from .kind import ASSISTANCE
from .models import STEP_FIELDS, AssistanceRequest, Step


def submit_request(*, about, details, contact, token, **extra):
    """Store a 代办 request exactly once per form token; returns (request, created).

    `about` names the item (service), the station (hall) and the item's department; a request always
    has both the item and the station, and the station must 代办 the item (the forms check it first).
    """
    if about.get("service") is None or about.get("hall") is None:
        raise ValueError("a 代办 request needs its item and its station")
    fields = {**about, **contact, **details, **extra}
    return handling.store_once(ASSISTANCE, fields, token=token, user=extra.get("recorded_by"))


def _locked(request):
    return AssistanceRequest.objects.select_for_update().get(pk=request.pk)


def assign_agent(request, *, agent, user):
    """Give the request to a 代办员 of its own station (the core's 交办: the request is then 处理中)."""
    if agent is None or not agent.is_agent or not agent.is_active:
        raise HandlingError("请选择一位在岗的代办员。")
    if agent.hall_id != request.hall_id:
        raise HandlingError(f"{agent.name}不是本服务站的代办员，只能分派给本站的代办员。")
    return handling.assign(request, department=request.department, user=user, agent=agent)


@transaction.atomic
def advance(request, *, step, note, user):
    """Record that the request reached `step`, the next one or any later one; 已送达 also closes it.

    Each step is logged as `assistance.step` and announced (cases.signals.case_changed, event "step").
    A step passed over keeps no date: the station did not say when it happened.
    """
    request = _locked(request)
    if request.status == Status.CLOSED:
        raise HandlingError("已办结的代办申请不能再更新进度。")
    if step not in Step.values:
        raise HandlingError("请从列出的进度中选择一项。")
    current = Step(request.step)
    if Step.position(step) <= Step.position(current):
        raise HandlingError(f"进度只能往后更新：现在是“{current.label}”，不能改为“{Step(step).label}”。")
    if request.agent_id is None:
        raise HandlingError("请先分派代办员，再更新进度。")
    if step == Step.DELIVERED and request.replied_at is None:
        raise HandlingError("“已送达”会办结这件代办：请先发布答复，写明群众能看到的办理结果，例如“证件已送到家”。")
    request.step = step
    setattr(request, STEP_FIELDS[step], timezone.now())
    request.save(update_fields=["step", STEP_FIELDS[step]])
    label = Step(step).label
    handling.announce(request, "step", user=user, before=current.value, after=step, label=label)
    if step == Step.DELIVERED:
        return handling.close(request, note=note or f"{label}。", user=user)
    if note:
        request.notes.create(author=user, text=f"【{label}】{note}")
    return request
