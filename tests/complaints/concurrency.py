"""Drive a running portal with many parallel complaint submissions and check what was stored.

Used by test_concurrency.py against a real server process; can also be run by hand:

    .venv/bin/python -m tests.complaints.concurrency http://127.0.0.1:8105 --clients 20 --each 10

(the server's complaint rate limit must allow it, e.g. YIMEN_RATE_COMPLAINT=100000/m).
"""

import argparse
import io
import re
import threading
from dataclasses import dataclass, field

import requests
from PIL import Image

from tests.cases.parallel import run_clients

CODE = re.compile(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Outcome:
    accepted: dict = field(default_factory=dict)  # description -> tracking code
    duplicates: list = field(default_factory=list)  # (description, code given for the resent form)
    failures: list = field(default_factory=list)  # (description, status, excerpt)
    seconds: float = 0.0


def _png():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _submit(session, base, description, with_photo, timeout):
    page = session.get(f"{base}/complaints/", timeout=timeout)
    page.raise_for_status()
    data = {
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "form_token": TOKEN.search(page.text).group(1),
        "category": "efficiency",
        "description": description,
        "consent": "on",
        "phone": "13800001234",
    }
    files = {"attachments": ("现场.png", _png(), "image/png")} if with_photo else None
    headers = {"Referer": f"{base}/complaints/"}
    return (
        data,
        files,
        session.post(
            f"{base}/complaints/", data=data, files=files, headers=headers, allow_redirects=False, timeout=timeout
        ),
    )


def _code_after(session, base, response, timeout):
    if response.status_code != 302:
        return None
    done = session.get(base + response.headers["Location"], timeout=timeout)
    match = CODE.search(done.text)
    return match.group(0) if match else None


def run(base, clients=20, each=10, timeout=60):
    """`clients` threads each submit `each` complaints (every fifth with a photo), then resend their last form."""
    outcome = Outcome()
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(number):
        session = requests.Session()
        start.wait()
        last = None
        for seq in range(each):
            description = f"并发测试：第 {number:02d} 号客户端第 {seq:02d} 件投诉，窗口排队时间过长。"
            try:
                data, files, response = _submit(session, base, description, with_photo=seq % 5 == 0, timeout=timeout)
                code = _code_after(session, base, response, timeout)
            except requests.RequestException as exc:
                with lock:
                    outcome.failures.append((description, "error", str(exc)[:200]))
                continue
            with lock:
                if code:
                    outcome.accepted[description] = code
                    last = (description, data, files)
                else:
                    outcome.failures.append((description, response.status_code, response.text[:300]))
        if last:
            description, data, files = last
            try:
                response = session.post(
                    f"{base}/complaints/",
                    data=data,
                    files=files,
                    headers={"Referer": f"{base}/complaints/"},
                    allow_redirects=False,
                    timeout=timeout,
                )
                code = _code_after(session, base, response, timeout)
            except requests.RequestException as exc:
                code = f"error: {exc}"
            with lock:
                outcome.duplicates.append((description, code))

    outcome.seconds = run_clients(client, clients, timeout * (each + 2))
    return outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    args = parser.parse_args()
    outcome = run(args.base.rstrip("/"), args.clients, args.each)
    total = args.clients * args.each
    print(
        f"accepted {len(outcome.accepted)}/{total} in {outcome.seconds:.1f}s ({len(outcome.accepted) / outcome.seconds:.1f}/s)"
    )
    print(
        f"failures {len(outcome.failures)}; resent forms answered with the first code: "
        f"{sum(1 for d, c in outcome.duplicates if outcome.accepted.get(d) == c)}/{len(outcome.duplicates)}"
    )


if __name__ == "__main__":
    main()
