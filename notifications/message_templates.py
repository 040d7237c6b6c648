"""This app's own message: the test message operators send to check the mail server and the SMS account."""

from .templates import register

register(
    "notifications.test",
    label="测试消息（检查邮件和短信设置）",
    subject="{{ site_name }}：测试邮件",
    body="这是一封测试邮件，由管理员在 {{ sent_at }} 发出，用来检查门户的邮件设置。收到即说明设置正确，无需回复。",
    sms="{{ site_name }}测试短信：收到即说明短信设置正确，无需回复。",
    variables={"site_name": "门户名称", "sent_at": "发出时间"},
    examples={"site_name": "一门政务服务门户", "sent_at": "2026-12-04 10:30"},
)
