"""Drive a running portal with parallel submissions of every public case form (complaints, questions, 代办).

Used by test_parallel.py against a real server process. Each client alternates the kinds and the way it
wants to hear back (e-mail, SMS), then sends its last form a second time.
"""

import re
import threading
import time
from dataclasses import dataclass, field

import requests

CODE = re.compile(r"(?:TS|ZX|DB)-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

FORMS = {
    "complaint": ("/complaints/", lambda text, offer: {"category": "efficiency", "description": text}),
    "question": ("/questions/", lambda text, offer: {"category": "materials", "text": text}),
    # `offer` is (item code, item name, station id) of an item a station 代办s in the server's catalog.
    "assistance": (
        "/assistance/",
        lambda text, offer: {
            "service": offer[1],
            "service_code": offer[0],
            "hall": str(offer[2]),
            "village": "新民村",
            "name": "段大爷",
            "preferred_time": "工作日上午",
            "note": text,
        },
    ),
}
KINDS = list(FORMS)


@dataclass
class Outcome:
    accepted: dict = field(default_factory=dict)  # text -> (kind, code, notify_by, address)
    duplicates: list = field(default_factory=list)  # (text, code given for the resent form)
    failures: list = field(default_factory=list)
    seconds: float = 0.0


def run_clients(client, clients, timeout):
    """Run `client(number)` in `clients` threads at once; the seconds they took, each given `timeout`."""
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return time.monotonic() - began


def _submit(session, base, kind, text, notify_by, address, timeout, offer):
    path, fields = FORMS[kind]
    page = session.get(base + path, timeout=timeout)
    page.raise_for_status()
    data = {
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "form_token": TOKEN.search(page.text).group(1),
        "consent": "on",
        "notify_by": notify_by,
        **({"phone": address} if notify_by == "sms" else {"email": address, "phone": "13800002468"}),
        **fields(text, offer),
    }
    if kind != "assistance" and notify_by == "email":
        data.pop("phone")
    return path, data, _post(session, base, path, data, timeout)


def _post(session, base, path, data, timeout):
    response = session.post(
        base + path, data=data, headers={"Referer": base + path}, allow_redirects=False, timeout=timeout
    )
    if response.status_code != 302:
        return None, response
    done = session.get(base + response.headers["Location"], timeout=timeout)
    match = CODE.search(done.text)
    return (match.group(0) if match else None), response


def run(base, offer, clients=20, each=10, timeout=60, progress=None):
    """`clients` threads each submit `each` cases, the kinds in turn; `progress(count)` is called after every
    accepted one. `offer` is (item code, item name, station id) for the 代办 requests."""
    outcome = Outcome()
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(number):
        session = requests.Session()
        start.wait()
        last = None
        for seq in range(each):
            kind = KINDS[(number + seq) % len(KINDS)]
            notify_by = "email" if seq % 2 else "sms"
            address = f"c{number:02d}s{seq:02d}@example.cn" if notify_by == "email" else f"139{number:04d}{seq:04d}"
            text = f"并发测试：第 {number:02d} 号客户端第 {seq:02d} 件，窗口排队时间过长，需要说明情况。"
            try:
                path, data, (code, response) = _submit(session, base, kind, text, notify_by, address, timeout, offer)
            except requests.RequestException as exc:
                with lock:
                    outcome.failures.append((text, "error", str(exc)[:200]))
                continue
            with lock:
                if code:
                    outcome.accepted[text] = (kind, code, notify_by, address)
                    last = (text, path, data)
                    if progress:
                        progress(len(outcome.accepted))
                else:
                    outcome.failures.append((text, response.status_code, response.text[:300]))
        if last:
            text, path, data = last
            try:
                code, _response = _post(session, base, path, data, timeout)
            except requests.RequestException as exc:
                code = f"error: {exc}"
            with lock:
                outcome.duplicates.append((text, code))

    outcome.seconds = run_clients(client, clients, timeout * (each + 2))
    return outcome
