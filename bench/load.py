"""Load on a running portal: guide views, searches, PDF downloads and complaint submissions at once.

A small asyncio client (httpx), bounded in time and refusing anything but a loopback address. Each of
`--concurrency` virtual visitors loops for `--duration` seconds, picking a request kind by the weights
of `--mix`. A complaint is a whole visit: GET the form (its CSRF and form tokens), POST it, follow the
redirect and read the tracking code. Afterwards the complaints carrying this run's marker are counted
in the database (through `manage.py`, with this process's environment, so run it with the server's
DATABASE_URL / YIMEN_VAR_DIR / DJANGO_SETTINGS_MODULE): every tracking code a visitor was given must be
there ("lost" must be 0).

    .venv/bin/python -m bench.load --url http://127.0.0.1:8202 --duration 30 --concurrency 16
    .venv/bin/python -m bench.load --url http://127.0.0.1:8201 --forwarded-https --mix guide=1   # guides only

`--forwarded-https` sends `X-Forwarded-Proto: https` as the reverse proxy of docs/deploy.md does, and
keeps cookies per visitor by hand (production cookies are Secure, which a client on plain HTTP would
otherwise never send back). Complaint rate limits must be raised on the server for a load run
(YIMEN_RATE_COMPLAINT), since every visitor comes from 127.0.0.1.
"""

import argparse
import asyncio
import http.cookiejar
import http.cookies
import ipaddress
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
SEARCHES = [
    "低保",
    "低保怎么申请",
    "身份证",
    "户口",
    "结婚登记",
    "医保",
    "养老保险",
    "残疾人",
    "营业执照",
    "出生",
    "dibao",
    "社保卡",
]
DEFAULT_MIX = {"guide": 70, "search": 15, "pdf": 5, "complaint": 10}
# Also available in --mix: "health", GET /healthz (Django, one query, no page rendering), a baseline
# whose latency the other kinds can be compared with in the same run on a busy machine.
KINDS = (*DEFAULT_MIX, "health")
CODE = re.compile(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
REFUSAL = re.compile(r"没有保存|尚未提交|请稍后|系统繁忙")


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """The shared client keeps no cookies: every anonymous request is a first visit; visits keep their own."""

    def set_ok(self, cookie, request):
        return False


@dataclass
class Stats:
    times: dict = field(default_factory=dict)  # kind -> [ms]
    errors: dict = field(default_factory=dict)  # kind -> {reason: count}
    refused: dict = field(default_factory=dict)  # kind -> count of clear "not saved, try again" answers
    accepted_codes: list = field(default_factory=list)
    complaint_attempts: int = 0

    def record(self, kind, ms):
        self.times.setdefault(kind, []).append(ms)

    def error(self, kind, reason):
        bucket = self.errors.setdefault(kind, {})
        bucket[reason] = bucket.get(reason, 0) + 1

    def refuse(self, kind):
        self.refused[kind] = self.refused.get(kind, 0) + 1


def check_loopback(url):
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"只对本机（127.0.0.1 / localhost）施加负载，拒绝 {url}")


def manage(code, env=None):
    """Run Python `code` in `manage.py shell` with this environment; returns what it printed, parsed as JSON."""
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "shell", "-c", code],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def discover(env=None, limit=2000):
    """Paths of live guides (up to `limit`, spread over the catalog) from the server's database."""
    return manage(
        "import json; from content.models import ServicePage; "
        f"ids = list(ServicePage.objects.live().order_by('pk').values_list('pk', flat=True)); step = max(1, len(ids) // {limit}); "
        "pages = ServicePage.objects.filter(pk__in=ids[::step]).specific(); "
        "print(json.dumps([p.get_url() for p in pages]))",
        env,
    )


def verify(marker, accepted_codes, env=None):
    """Complaints stored with this run's marker, against the codes visitors were given."""
    stored = set(
        manage(
            "import json; from complaints.models import Complaint; "
            f"print(json.dumps(list(Complaint.objects.filter(description__contains={marker!r}).values_list('tracking_code', flat=True))))",
            env,
        )
    )
    accepted = set(accepted_codes)
    return {
        "accepted": len(accepted),
        "stored": len(stored),
        "lost": sorted(accepted - stored),
        "stored_unconfirmed": len(stored - accepted),
    }


class Visitor:
    """Cookies of one visit, kept by hand so Secure cookies work behind a simulated TLS proxy."""

    def __init__(self):
        self.cookies = {}

    def header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def take(self, response):
        for line in response.headers.get_list("set-cookie"):
            parsed = http.cookies.SimpleCookie()
            parsed.load(line)
            for name, morsel in parsed.items():
                self.cookies[name] = morsel.value


class Load:
    def __init__(
        self, url, guides, *, forwarded_https=False, marker=None, pdf_guides=20, seed=1, timeout=30.0, attachment=None
    ):
        check_loopback(url)
        self.url = url.rstrip("/")
        self.guides = guides
        self.pdf_guides = guides[:pdf_guides]
        self.headers = {"User-Agent": "yimen-bench-load/1"}
        if forwarded_https:
            self.headers["X-Forwarded-Proto"] = "https"
        parts = urlsplit(self.url)
        self.origin = f"{'https' if forwarded_https else parts.scheme}://{parts.netloc}"
        self.marker = marker or f"压测-{uuid.uuid4().hex[:10]}"
        self.random = random.Random(seed)
        self.timeout = timeout
        self.stats = Stats()
        self.sequence = 0
        self.attachment = attachment  # (file name, bytes, content type) sent with every complaint

    async def run(self, duration, concurrency, mix):
        kinds, weights = zip(*mix.items(), strict=True)
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        jar = http.cookiejar.CookieJar(policy=_NoCookies())
        async with httpx.AsyncClient(
            base_url=self.url,
            headers=self.headers,
            limits=limits,
            timeout=self.timeout,
            cookies=jar,
            follow_redirects=False,
        ) as client:
            self.client = client
            deadline = time.monotonic() + duration
            started = time.monotonic()
            await asyncio.gather(*(self._visitor(deadline, kinds, weights) for _ in range(concurrency)))
            self.elapsed = time.monotonic() - started
        return self.stats

    async def sweep(self, paths, concurrency):
        """Visit each path once (fills the page cache as a running site's would be), untimed."""
        queue = list(paths)
        async with httpx.AsyncClient(base_url=self.url, headers=self.headers, timeout=self.timeout) as client:

            async def worker():
                while queue:
                    await client.get(queue.pop())

            await asyncio.gather(*(worker() for _ in range(concurrency)))

    async def _visitor(self, deadline, kinds, weights):
        while time.monotonic() < deadline:
            kind = self.random.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                ok = await getattr(self, kind)()
            except httpx.HTTPError as error:
                self.stats.error(kind, type(error).__name__)
                continue
            if ok:
                self.stats.record(kind, (time.perf_counter() - started) * 1000)

    async def _get(self, kind, path, expect=200, visitor=None, **kwargs):
        headers = {"Cookie": visitor.header()} if visitor and visitor.cookies else {}
        response = await self.client.get(path, headers=headers, **kwargs)
        if visitor:
            visitor.take(response)
        if response.status_code == 503 and REFUSAL.search(response.text):
            self.stats.refuse(kind)  # the database was away: a clear "try again", not a failure page
            return None
        if response.status_code != expect:
            self.stats.error(kind, f"HTTP {response.status_code}")
            return None
        return response

    async def guide(self):
        return await self._get("guide", self.random.choice(self.guides)) is not None

    async def health(self):
        return await self._get("health", "/healthz") is not None

    async def search(self):
        return await self._get("search", "/search/", params={"q": self.random.choice(SEARCHES)}) is not None

    async def pdf(self):
        response = await self._get("pdf", self.random.choice(self.pdf_guides) + "pdf/")
        if response is None:
            return False
        if not response.content.startswith(b"%PDF-"):
            self.stats.error("pdf", "not a PDF")
            return False
        return True

    async def complaint(self):
        self.stats.complaint_attempts += 1
        self.sequence += 1
        visitor = Visitor()
        form = await self._get("complaint", "/complaints/", visitor=visitor)
        if form is None:
            return False
        html = form.text
        csrf, token = CSRF.search(html), FORM_TOKEN.search(html)
        if not csrf or not token:
            self.stats.error("complaint", "form without tokens")
            return False
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "form_token": token.group(1),
            "category": "efficiency",
            "description": f"{self.marker} 第{self.sequence}件：窗口排队时间过长，希望增加周末办理。",
            "consent": "on",
        }
        headers = {"Cookie": visitor.header(), "Origin": self.origin, "Referer": f"{self.origin}/complaints/"}
        files = {"attachments": self.attachment} if self.attachment else None
        response = await self.client.post("/complaints/", data=data, files=files, headers=headers)
        visitor.take(response)
        if response.status_code in (503, 429) and REFUSAL.search(response.text):
            self.stats.refuse("complaint")  # refused with a clear message: not accepted, nothing promised
            return False
        if response.status_code != 302 or not response.headers.get("location", "").endswith("/complaints/submitted/"):
            self.stats.error("complaint", f"HTTP {response.status_code}")
            return False
        # The confirmation page reads the database too; a visitor who meets "try again" reloads it.
        for attempt in range(5):
            done = await self._get("complaint", "/complaints/submitted/", visitor=visitor)
            if done is not None or attempt == 4:
                break
            await asyncio.sleep(0.2)
        code = CODE.search(done.text) if done is not None else None
        if not code:
            # Accepted (redirected) without showing the code: the row is checked by the marker count.
            self.stats.error("complaint", "no tracking code shown")
            return False
        self.stats.accepted_codes.append(code.group(0))
        return True


def server_cpu_seconds(pidfile):
    """CPU seconds used so far by a gunicorn master and its workers (from /proc), or None without a pid file."""
    if not pidfile:
        return None
    master = int(Path(pidfile).read_text().strip())
    pids = [master, *map(int, Path(f"/proc/{master}/task/{master}/children").read_text().split())]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def percentile(values, fraction):
    from bench.common import percentile as nearest_rank

    return nearest_rank(values, fraction) if values else float("nan")


def report(load, verification):
    stats = load.stats
    lines = [
        "| kind | requests | req/s | p50 | p95 | p99 | errors | refused (clear message) |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    total = 0
    for kind in sorted(set(stats.times) | set(stats.errors)):
        times = stats.times.get(kind, [])
        total += len(times)
        errors = ", ".join(f"{n}× {why}" for why, n in stats.errors.get(kind, {}).items()) or "0"
        lines.append(
            f"| {kind} | {len(times):,} | {len(times) / load.elapsed:.1f} | {percentile(times, 0.5):.1f} ms | "
            f"{percentile(times, 0.95):.1f} ms | {percentile(times, 0.99):.1f} ms | {errors} | {stats.refused.get(kind, 0)} |"
        )
    lines.append(f"\n{total:,} successful requests in {load.elapsed:.1f} s: {total / load.elapsed:.1f} req/s overall.")
    if verification is not None:
        lines.append(
            f"Complaints: {stats.complaint_attempts} attempted, {verification['accepted']} accepted with a code, "
            f"{verification['stored']} stored with the run marker, lost {len(verification['lost'])}, "
            f"stored without a confirmed code {verification['stored_unconfirmed']}."
        )
    return "\n".join(lines)


def parse_mix(text):
    mix = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name not in KINDS:
            raise argparse.ArgumentTypeError(f"unknown kind {name!r}; choose from {', '.join(KINDS)}")
        mix[name] = float(weight or 1)
    return mix


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the portal, on a loopback address")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (bounded: at most 600)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--mix", type=parse_mix, default=DEFAULT_MIX, help="e.g. guide=70,search=15,pdf=5,complaint=10")
    parser.add_argument(
        "--forwarded-https", action="store_true", help="act as the TLS proxy (X-Forwarded-Proto: https)"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of the same load before measuring")
    parser.add_argument("--no-verify", action="store_true", help="skip counting complaints in the database")
    parser.add_argument("--guides", type=int, default=400, help="distinct guides visited, spread over the catalog")
    parser.add_argument("--pidfile", help="gunicorn's pid file: also report the server's CPU time per request")
    args = parser.parse_args()
    duration = min(args.duration, 600.0)

    from bench.common import load_average, machine

    print(f"Machine: {machine()}")
    guides = discover(limit=args.guides)
    print(
        f"{len(guides):,} guide addresses from the database; mix {args.mix}; {args.concurrency} visitors; {duration:.0f} s"
    )
    if args.warmup:
        # Warm-up: the same mix, so caches (pages, PDFs, search words) hold what a running site holds.
        warm = Load(args.url, guides, forwarded_https=args.forwarded_https, seed=0)
        started = time.monotonic()
        paths = guides + ([g + "pdf/" for g in warm.pdf_guides] if "pdf" in args.mix else [])
        asyncio.run(warm.sweep(paths, args.concurrency))
        print(
            f"Warm-up: every guide (and PDF of the mix) fetched once in {time.monotonic() - started:.0f} s, then {args.warmup:.0f} s of the mix"
        )
        asyncio.run(warm.run(args.warmup, args.concurrency, args.mix))
    load = Load(args.url, guides, forwarded_https=args.forwarded_https)
    cpu_before, client_before = server_cpu_seconds(args.pidfile), os.times()
    asyncio.run(load.run(duration, args.concurrency, args.mix))
    cpu_after, client_after = server_cpu_seconds(args.pidfile), os.times()
    verification = None
    if "complaint" in args.mix and not args.no_verify:
        verification = verify(load.marker, load.stats.accepted_codes)
        if args.warmup:
            warm_check = verify(warm.marker, warm.stats.accepted_codes)
            verification["lost"] += warm_check["lost"]
    print(f"Load average at the end: {load_average()}\n")
    print(report(load, verification))
    served = sum(len(t) for t in load.stats.times.values())
    client_cpu = (client_after.user + client_after.system) - (client_before.user + client_before.system)
    print(f"Load client: {client_cpu:.1f} CPU s, {client_cpu / load.elapsed * 100:.0f}% of one core.")
    if cpu_before is not None and served:
        per_request = (cpu_after - cpu_before) / served * 1000
        print(
            f"Server (gunicorn master and workers): {cpu_after - cpu_before:.1f} CPU s for {served:,} requests = "
            f"{per_request:.2f} CPU ms per request; {os.cpu_count()} cores would serve {os.cpu_count() * 1000 / per_request:.0f} req/s of this mix "
            "if nothing else ran (PostgreSQL and Redis not counted)."
        )
    errors = sum(sum(bucket.values()) for bucket in load.stats.errors.values())
    if errors or (verification and verification["lost"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
