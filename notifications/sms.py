"""SMS backends, chosen by the setting SMS_BACKEND (a dotted path to a class).

A backend has a `label` (shown in the admin as the message's 发送方式) and `send(message)`, which returns the
provider's receipt number or raises SmsError. `transactional = True` says the send is a database write that
can share the transaction that marks the message sent, so it can never be sent twice (the outbox).

- `OutboxBackend` (the default): keeps each SMS in the outbox table the admin shows as 短信发件箱; nothing
  leaves the server. For development, tests and a portal without an SMS contract.
- `AliyunBackend`: 阿里云短信服务, Dysmsapi `SendSms` (API version 2017-05-25), signed with signature version
  1.0, HMAC-SHA1, as Aliyun documents for its RPC APIs. Aliyun sends the text of the template it approved
  (SMS_TEMPLATE_CODES maps each of the portal's template keys to an approved TemplateCode) with the
  message's variables as TemplateParam; the portal's own SMS text is what is logged and must say the same.
"""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings
from django.utils.module_loading import import_string

import requests


class SmsError(Exception):
    """A send that did not happen. `permanent` errors (a number the provider refuses) are not retried."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def get_backend():
    return import_string(settings.SMS_BACKEND)()


class OutboxBackend:
    label = "发件箱"
    transactional = True

    def send(self, message):
        from .models import OutboxSms

        entry = OutboxSms.objects.create(
            message=message, phone=message.recipient, text=message.body, template_key=message.template_key
        )
        return f"outbox-{entry.pk}"


# --- Aliyun ---------------------------------------------------------------------------------------------


def percent_encode(value):
    """Aliyun's POP encoding: RFC 3986, UTF-8, only A–Z a–z 0–9 - _ . ~ left as they are (space is %20)."""
    return quote(str(value), safe="~")


def canonical_query(params):
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def signature(params, secret, method="POST"):
    """Signature version 1.0: HMAC-SHA1 over METHOD&%2F&encode(canonical query), key = secret + "&"."""
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Codes after which sending the same request again cannot succeed: the number, the signature or the
# template is wrong. Others (limits per number, 'isp.*' system errors) are retried with back-off.
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.INVALID_JSON_PARAM",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.SMS_CONTENT_ILLEGAL",
    "isv.SMS_SIGN_ILLEGAL",
}


class AliyunBackend:
    label = "阿里云短信"
    transactional = False

    def __init__(self):
        self.access_key_id = settings.SMS_ACCESS_KEY_ID
        self.secret = settings.SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.SMS_SIGN_NAME
        self.template_codes = settings.SMS_TEMPLATE_CODES
        self.endpoint = settings.SMS_ENDPOINT
        self.region = settings.SMS_REGION
        self.timeout = settings.SMS_TIMEOUT

    def params(self, message, *, nonce=None, timestamp=None):
        """The SendSms request's parameters for `message`, without the signature."""
        code = self.template_codes.get(message.template_key)
        if not code:
            raise SmsError(f"SMS_TEMPLATE_CODES 中没有模板 {message.template_key} 的阿里云模板代码。", permanent=True)
        return {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": str(message.pk),
            "PhoneNumbers": message.recipient,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": code,
            "TemplateParam": json.dumps(message.sms_params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def send(self, message):
        if not (self.access_key_id and self.secret and self.sign_name):
            raise SmsError("阿里云短信未配置：需要 SMS_ACCESS_KEY_ID、SMS_ACCESS_KEY_SECRET 和 SMS_SIGN_NAME。")
        params = self.params(message)
        params["Signature"] = signature(params, self.secret, "POST")
        try:
            response = requests.post(self.endpoint, data=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise SmsError(f"连接阿里云短信服务失败：{error.__class__.__name__}: {error}") from error
        try:
            answer = response.json()
        except ValueError as error:
            raise SmsError(f"阿里云短信服务返回了无法识别的内容（HTTP {response.status_code}）。") from error
        code = answer.get("Code", "")
        if response.status_code == 200 and code == "OK":
            return answer.get("BizId", "")
        raise SmsError(
            f"阿里云短信服务拒绝发送：{code or 'HTTP ' + str(response.status_code)} {answer.get('Message', '')}".strip(),
            permanent=code in PERMANENT_CODES,
        )
