"""What citizens and staff are told about cases, one template per event for every kind (notifications).

Editors adjust the wording under 消息模板; the variables are plain values (cases.notices), never the person's
name, phone or text, so a template cannot leak them into a message to someone else.
"""

from notifications.templates import register

CITIZEN = {
    "label": "事项类别（投诉、咨询、代办）",
    "code": "查询码",
    "status": "当前状态",
    "due_on": "答复期限",
    "track_url": "查询进度的网址",
}
EXAMPLES = {
    "label": "咨询",
    "code": "ZX-2026-7KQ4-M2XD",
    "status": "已答复",
    "due_on": "2026年12月9日",
    "track_url": "https://example.gov.cn/track/",
}

register(
    "cases.received",
    label="已受理（告知查询码）",
    subject="您的{{ label }}已受理，查询码 {{ code }}",
    body=(
        "您好！您的{{ label }}已受理。\n\n查询码：{{ code }}\n答复期限：{{ due_on }}（按工作日计算）\n\n"
        "凭查询码可在 {{ track_url }} 查看办理进度和答复。请妥善保管查询码，不要告诉他人。\n\n政务服务中心"
    ),
    sms="您的{{ label }}已受理，查询码{{ code }}，{{ due_on }}前答复，可在门户“进度查询”中查看。",
    variables=CITIZEN,
    examples=EXAMPLES,
)
register(
    "cases.progress",
    label="办理进度变化",
    subject="您的{{ label }} {{ code }}：{{ status }}",
    body=(
        "您好！您的{{ label }}（查询码 {{ code }}）有了新进展：{{ status }}。\n{% if note %}{{ note }}\n{% endif %}\n"
        "答复期限：{{ due_on }}。凭查询码可在 {{ track_url }} 查看详情。\n\n政务服务中心"
    ),
    sms="您的{{ label }}{{ code }}：{{ status }}。{% if note %}{{ note }}{% endif %}详情请凭查询码在门户查看。",
    variables={**CITIZEN, "note": "补充说明（如延期理由）"},
    examples={**EXAMPLES, "note": "需要调取窗口监控录像，答复期限延长。"},
)
register(
    "cases.replied",
    label="已答复",
    subject="您的{{ label }} {{ code }} 已答复",
    body="您好！您的{{ label }}（查询码 {{ code }}）已答复：\n\n{{ reply }}\n\n如果没有解决您的问题，可在 {{ track_url }} 凭查询码反馈。\n\n政务服务中心",
    sms="您的{{ label }}{{ code }}已答复，请凭查询码在门户“进度查询”中查看答复。",
    variables={**CITIZEN, "reply": "答复内容"},
    examples={**EXAMPLES, "reply": "请带上申请人户口簿和身份证。"},
)

STAFF = {
    "label": "事项类别",
    "code": "查询码",
    "due_on": "答复期限",
    "hall": "涉及大厅",
    "service": "涉及事项",
    "channel": "来源渠道",
    "serious": "是否严重（是/否）",
    "admin_url": "后台处理页面的网址",
}
STAFF_EXAMPLES = {
    "label": "投诉",
    "code": "TS-2026-7KQ4-M2XD",
    "due_on": "2026年12月7日",
    "hall": "三都镇政务服务中心",
    "service": "最低生活保障审核确认",
    "channel": "网上提交",
    "serious": "否",
    "admin_url": "https://example.gov.cn/admin/complaints/edit/1/",
}
register(
    "cases.new_for_handlers",
    label="新收到的事项（通知处理人员）",
    subject="{% if serious == '是' %}【严重】{% endif %}新{{ label }} {{ code }}，{{ due_on }}前答复",
    body=(
        "新收到一件{{ label }}{% if serious == '是' %}（严重，请立即处理）{% endif %}。\n\n查询码：{{ code }}\n"
        "来源：{{ channel }}\n涉及大厅：{{ hall }}\n涉及事项：{{ service }}\n答复期限：{{ due_on }}\n\n处理：{{ admin_url }}"
    ),
    sms="",
    variables=STAFF,
    examples=STAFF_EXAMPLES,
)
register(
    "cases.escalated",
    label="转中心负责人（群众两次反馈未解决）",
    subject="【督办】{{ label }} {{ code }} 群众两次反馈未解决",
    body="{{ label }} {{ code }} 的答复群众两次反馈没有解决问题，已转中心负责人督办。\n新的期限：{{ due_on }}\n\n查看：{{ admin_url }}",
    sms="",
    variables=STAFF,
    examples=STAFF_EXAMPLES,
)
register(
    "cases.digest",
    label="每日待办（今天到期和已超期）",
    subject="{{ today }} 待办：今天到期 {{ due_count }} 件，已超期 {{ overdue_count }} 件",
    body=(
        "{{ today }} 您负责的{{ label }}：\n\n已超期 {{ overdue_count }} 件：\n{% for line in overdue %}- {{ line }}\n{% empty %}（无）\n{% endfor %}\n"
        "今天到期 {{ due_count }} 件：\n{% for line in due %}- {{ line }}\n{% empty %}（无）\n{% endfor %}\n处理：{{ queue_url }}"
    ),
    sms="",
    variables={
        "today": "日期",
        "label": "事项类别",
        "due_count": "今天到期件数",
        "overdue_count": "已超期件数",
        "due": "今天到期的查询码和期限",
        "overdue": "已超期的查询码和期限",
        "queue_url": "处理队列的网址",
    },
    examples={
        "today": "2026年12月7日",
        "label": "投诉",
        "due_count": 1,
        "overdue_count": 1,
        "due": ["TS-2026-7KQ4-M2XD（12月7日）"],
        "overdue": ["TS-2026-AB12-CD34（12月4日）"],
        "queue_url": "https://example.gov.cn/admin/complaints/",
    },
)
