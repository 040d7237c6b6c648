"""Start-up checks of the notification settings: an SMS provider without its keys sends nothing."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string

from .sms import AliyunBackend
from .templates import registry


@register()
def sms_backend_check(app_configs, **kwargs):
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError as error:
        return [Error(f"SMS_BACKEND = {settings.SMS_BACKEND!r} 无法导入：{error}", id="notifications.E001")]
    if not (isinstance(backend, type) and issubclass(backend, AliyunBackend)):
        return []
    problems = []
    missing = [
        name for name in ("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME") if not getattr(settings, name)
    ]
    if missing:
        problems.append(
            Error(
                f"阿里云短信缺少设置：{'、'.join(missing)}。",
                hint="见 docs/notifications.md。",
                id="notifications.E002",
            )
        )
    without_code = [t.key for t in registry if t.sms and t.key not in settings.SMS_TEMPLATE_CODES]
    if without_code:
        problems.append(
            Warning(
                f"这些消息模板有短信内容，但 SMS_TEMPLATE_CODES 中没有对应的阿里云模板代码，短信会发送失败：{'、'.join(without_code)}。",
                id="notifications.W001",
            )
        )
    return problems
