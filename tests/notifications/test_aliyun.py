"""The 阿里云短信 adapter: signature version 1.0 as Aliyun documents it, against a local HTTP server that checks
the signature of every request it gets and records it."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

import pytest

from notifications import notify
from notifications.models import Message, OutboxSms, Status
from notifications.sms import signature

from .helpers import CONTEXT, MINUTE, advance, run_queued

pytestmark = pytest.mark.django_db

KEY_ID, SECRET = "LTAI-test-key", "test-secret-不外传"


def test_signature_matches_aliyuns_documented_example():
    # The SendSms example of Aliyun's 短信服务 documentation (HTTP 协议及签名), GET method.
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert signature(params, "testSecret", method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def _expected_signature(method, params):
    """The server's own reading of the documentation: sort, encode RFC 3986 (space %20, * %2A, ~ kept), sign
    METHOD&%2F&encoded-query with HMAC-SHA1 keyed by the secret and "&"."""

    def enc(text):
        return quote(text, safe="~")

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{enc('/')}&{enc(query)}"
    return base64.b64encode(hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeDysmsapi:
    """Answers SendSms like Aliyun: OK with a BizId, or an error code; refuses a bad signature."""

    def __init__(self):
        self.requests = []
        self.answers = []  # codes to answer the next requests with, then "OK"

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                params = dict(parse_qsl(body, keep_blank_values=True))
                sent = params.pop("Signature", "")
                valid = hmac.compare_digest(sent, _expected_signature("POST", params))
                outer.requests.append({"params": params, "valid": valid, "path": self.path})
                if not valid:
                    self._answer(
                        400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
                    )
                elif outer.answers:
                    self._answer(200, {"Code": outer.answers.pop(0), "Message": "refused", "RequestId": "r"})
                else:
                    self._answer(200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(outer.requests)}"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/"


@pytest.fixture
def dysmsapi(settings):
    fake = FakeDysmsapi()
    fake.thread.start()
    settings.SMS_BACKEND = "notifications.sms.AliyunBackend"
    settings.SMS_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ACCESS_KEY_SECRET = SECRET
    settings.SMS_SIGN_NAME = "某某县政务服务中心"
    settings.SMS_TEMPLATE_CODES = {"tests.received": "SMS_000001"}
    settings.SMS_ENDPOINT = fake.url
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def _notify(django_capture_on_commit_callbacks, key="c:1"):
    with django_capture_on_commit_callbacks(execute=True):
        [message] = notify("tests.received", phone="13800138000", context=CONTEXT, dedupe_key=key)
    return message


def test_sendsms_is_signed_and_carries_the_template_and_its_variables(dysmsapi, django_capture_on_commit_callbacks):
    message = _notify(django_capture_on_commit_callbacks)
    run_queued()
    [request] = dysmsapi.requests
    assert request["valid"], request
    params = request["params"]
    assert {k: params[k] for k in ("Action", "Version", "SignatureMethod", "SignatureVersion", "Format")} == {
        "Action": "SendSms",
        "Version": "2017-05-25",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "Format": "JSON",
    }
    assert params["AccessKeyId"] == KEY_ID
    assert params["PhoneNumbers"] == "13800138000"
    assert params["SignName"] == "某某县政务服务中心"
    assert params["TemplateCode"] == "SMS_000001"
    assert json.loads(params["TemplateParam"]) == {"kind": "投诉", "code": "TS-2026-AB12-CD34"}
    assert params["OutId"] == str(message.pk)
    message.refresh_from_db()
    assert (message.status, message.backend, message.provider_id) == (Status.SENT, "阿里云短信", "biz-1")
    assert not OutboxSms.objects.exists()


def test_a_wrong_secret_is_refused_by_the_server_and_retried(dysmsapi, settings, django_capture_on_commit_callbacks):
    settings.SMS_ACCESS_KEY_SECRET = "wrong"
    message = _notify(django_capture_on_commit_callbacks)
    run_queued()
    assert dysmsapi.requests[0]["valid"] is False
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert "SignatureDoesNotMatch" in message.last_error


def test_a_limit_is_retried_and_a_bad_number_is_not(dysmsapi, django_capture_on_commit_callbacks):
    dysmsapi.answers = ["isv.BUSINESS_LIMIT_CONTROL"]
    limited = _notify(django_capture_on_commit_callbacks, "c:limit")
    run_queued()
    limited.refresh_from_db()
    assert (limited.status, limited.attempts) == (Status.PENDING, 1)
    advance(MINUTE)
    run_queued()
    limited.refresh_from_db()
    assert (limited.status, limited.attempts) == (Status.SENT, 2)

    dysmsapi.answers = ["isv.MOBILE_NUMBER_ILLEGAL"]
    refused = _notify(django_capture_on_commit_callbacks, "c:bad")
    run_queued()
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (Status.FAILED, 1)
    assert "isv.MOBILE_NUMBER_ILLEGAL" in refused.last_error


def test_a_template_without_an_aliyun_code_fails_at_once(dysmsapi, settings, django_capture_on_commit_callbacks):
    settings.SMS_TEMPLATE_CODES = {}
    message = _notify(django_capture_on_commit_callbacks)
    run_queued()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.last_error == "SMS_TEMPLATE_CODES 中没有模板 tests.received 的阿里云模板代码。"
    assert dysmsapi.requests == []
    assert Message.objects.count() == 1


def test_the_start_up_check_names_missing_keys_and_template_codes(settings):
    from notifications.checks import sms_backend_check

    settings.SMS_BACKEND = "notifications.sms.AliyunBackend"
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET, settings.SMS_SIGN_NAME = "id", "", ""
    settings.SMS_TEMPLATE_CODES = {"tests.received": "SMS_1"}
    problems = {p.id: p.msg for p in sms_backend_check(None)}
    assert problems["notifications.E002"] == "阿里云短信缺少设置：SMS_ACCESS_KEY_SECRET、SMS_SIGN_NAME。"
    assert "notifications.test" in problems["notifications.W001"]
    assert "tests.received" not in problems["notifications.W001"]
    settings.SMS_BACKEND = "notifications.sms.OutboxBackend"
    assert sms_backend_check(None) == []
