"""Smoke checks of a running production setup (deploy/scaleout.sh smoke): HTTP first, then headless Chromium.

Run with the setup's environment loaded (the same DATABASE_URL, YIMEN_VAR_DIR, ... as gunicorn), since a
few checks look in the database or change a page from a separate process, as an editor on another
server would. Requests carry `X-Forwarded-Proto: https` as the TLS proxy of docs/deploy.md sets it.

    .venv/bin/python -m deploy.smoke http://127.0.0.1:8201

Exits 1 with the failed check's name; prints one line per check passed.
"""

import asyncio
import json
import os
import re
import sys
import time
import uuid
from pathlib import Path

import httpx

from bench.load import Load, manage, verify

PROXY = {"X-Forwarded-Proto": "https"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SmokeFailure(AssertionError):
    pass


def check(condition, what):
    if not condition:
        raise SmokeFailure(what)


def security_headers(response, admin=False):
    """The headers production must send on every HTML page (also asserted by tests/operations)."""
    h = response.headers
    check(
        h.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload",
        f"HSTS: {h.get('Strict-Transport-Security')}",
    )
    check(h.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options")
    check(h.get("Referrer-Policy") == "same-origin", "Referrer-Policy")
    check(h.get("Cross-Origin-Opener-Policy") == "same-origin", "Cross-Origin-Opener-Policy")
    csp = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in h.get("Content-Security-Policy", "").split(";")
        if part.strip()
    )
    check(csp.get("default-src") == "'self'", f"CSP default-src: {csp}")
    check(csp.get("object-src") == "'none'", "CSP object-src")
    if admin:
        check(csp.get("frame-ancestors") == "'self'", "admin CSP frame-ancestors")
    else:
        check(csp.get("script-src") == "'self'", f"CSP script-src: {csp.get('script-src')}")
        check(csp.get("style-src") == "'self'", f"CSP style-src: {csp.get('style-src')}")
        check(csp.get("frame-ancestors") == "'none'", "CSP frame-ancestors")
        check(h.get("X-Frame-Options") == "DENY", "X-Frame-Options")
    return csp


def http_checks(base):
    done = []
    with httpx.Client(base_url=base, headers=PROXY, timeout=30) as client:
        health = client.get("/healthz")
        body = health.json()
        check(health.status_code == 200 and body["status"] == "ok", f"/healthz: {health.status_code} {body}")
        check(
            body["checks"]["search"]["backend"] == "postgres" and body["checks"]["search"]["documents"] > 0,
            f"search index: {body}",
        )
        done.append(f"/healthz 200: {json.dumps(body['checks'], ensure_ascii=False)}")

        plain = httpx.get(base + "/", timeout=30)
        check(
            plain.status_code == 301 and plain.headers["location"].startswith("https://"),
            "plain HTTP is redirected to HTTPS",
        )
        done.append("plain HTTP → 301 https://")

        home = client.get("/")
        check(home.status_code == 200, f"home {home.status_code}")
        security_headers(home)
        done.append("home 200 with HSTS, CSP, nosniff, Referrer-Policy, COOP, X-Frame-Options")

        css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', home.text)
        check(css, "hashed static file name in the home page")
        static = client.get(css.group(1), headers={"Accept-Encoding": "br"})
        check(
            static.status_code == 200 and "immutable" in static.headers.get("Cache-Control", ""),
            "static: far-future cache",
        )
        check(static.headers.get("Content-Encoding") == "br", "static: Brotli copy served")
        done.append(f"static {css.group(1)}: immutable, Brotli")

        catalog = client.get("/services/")
        guide = re.search(r'href="(/services/[a-z0-9-]+/)"', catalog.text)
        check(catalog.status_code == 200 and guide, "catalog lists guides")
        url = guide.group(1)
        first, second = client.get(url), client.get(url)
        check(first.status_code == second.status_code == 200, "guide page 200")
        check(
            second.headers.get("X-Page-Cache") == "hit",
            f"guide page from the shared cache: {second.headers.get('X-Page-Cache')}",
        )
        check(
            "csrftoken" in second.headers.get("set-cookie", ""), "a cached guide still sets the visitor's CSRF cookie"
        )
        done.append(f"guide {url}: second answer from the shared cache, with its own CSRF cookie")

        title = f"冒烟检查改名{uuid.uuid4().hex[:6]}"
        manage(
            "from content.models import ServicePage; "
            f"p = ServicePage.objects.live().get(url_path__endswith={url.rstrip('/').rsplit('/', 1)[-1] + '/'!r}); "
            f"p.title = {title!r}; p.save_revision().publish(); print('1')"
        )
        changed = client.get(url)
        check(title in changed.text, "a publish from another process is seen at once by every worker")
        done.append("publish in another process: every worker answers the new title at once")

        search = client.get("/search/", params={"q": "低保"})
        check(search.status_code == 200 and "最低生活保障" in search.text, "search 低保 finds 最低生活保障")
        done.append("search 低保 → 最低生活保障")

        pdf = client.get(url + "pdf/")
        check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"), f"guide PDF: {pdf.status_code}")
        done.append(f"guide PDF {len(pdf.content):,} bytes")

        admin = client.get("/admin/login/")
        check(admin.status_code == 200, "admin login page")
        security_headers(admin, admin=True)
        done.append("admin login page 200 with the admin CSP")

    load = Load(base, [url], forwarded_https=True)
    asyncio.run(load.run(0.01, 1, {"complaint": 1}))
    result = verify(load.marker, load.stats.accepted_codes)
    check(
        result["accepted"] == 1 and not result["lost"], f"complaint submitted and stored: {load.stats.errors} {result}"
    )
    done.append(f"complaint accepted ({load.stats.accepted_codes[0]}) and found in the database")
    return done, url


def _counts(message):
    """A console error that matters: not the browser's own request for /favicon.ico (the portal has none)."""
    return message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")


def _failed(response):
    return response.status >= 400 and not response.url.endswith("/favicon.ico")


def browser_checks(base, guide_url):
    """Home, search 低保, a guide, its PDF, a complaint, and the admin's page editor, with no console error."""
    from playwright.sync_api import sync_playwright

    done, problems = [], []
    password = (Path(os.environ["YIMEN_VAR_DIR"]) / "admin-password").read_text().strip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(extra_http_headers=PROXY, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"{page.url}: console: {m.text}") if _counts(m) else None)
        page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
        page.on("response", lambda r: problems.append(f"{page.url}: HTTP {r.status} {r.url}") if _failed(r) else None)

        page.goto(base + "/")
        check(page.locator("h1").count() >= 1, "browser: home")
        box = page.locator("input[name=q]").first
        box.fill("低保")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?"))
        check("最低生活保障" in page.content(), "browser: search 低保")
        done.append("browser: home, search 低保")

        page.goto(base + guide_url)
        check(page.locator("form.rating__form").count() == 1, "browser: guide with its rating form")
        pdf = context.request.get(base + guide_url + "pdf/")
        check(pdf.ok and pdf.body().startswith(b"%PDF-"), "browser: guide PDF")
        done.append("browser: guide page and its PDF")

        # Staff photos come from MEDIA_ROOT on the shared directory: the first staff board with photos.
        page.goto(base + "/halls/")
        halls = page.eval_on_selector_all("main a[href^='/halls/']", "links => links.map(a => a.getAttribute('href'))")
        photos = 0
        for hall in list(dict.fromkeys(halls))[:6]:
            page.goto(base + hall + "staff/")
            page.wait_for_load_state("networkidle")
            photos = page.evaluate("document.images.length")
            if photos:
                break
        # Photos below the fold load lazily: fetch every one rather than wait for scrolling.
        sources = page.evaluate("[...document.images].map(i => i.currentSrc || i.src)")
        broken = [
            src for src in sources if not context.request.get(src).headers.get("content-type", "").startswith("image/")
        ]
        check(photos and not broken, f"browser: staff photos on a staff board ({photos} images, broken {broken})")
        done.append(f"browser: staff board {page.url} with {photos} photos, all loaded")

        page.goto(base + "/complaints/")
        page.check("input[name=category][value=efficiency]")
        page.fill("textarea[name=description]", "冒烟检查：浏览器提交的投诉，请忽略。窗口排队时间过长。")
        page.check("input[name=consent]")
        page.locator("button.pf-submit").click()
        page.wait_for_url(re.compile(r"/complaints/submitted/"))
        code = re.search(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.content())
        check(code, "browser: complaint submitted with a tracking code")
        done.append(f"browser: complaint submitted ({code.group(0)})")

        page.goto(base + "/admin/login/")
        page.fill("input[name=username]", os.environ.get("YIMEN_ADMIN_USER", "admin"))
        page.fill("input[name=password]", password)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/admin/$"))
        page_id = manage(
            "from content.models import ServicePage; "
            f"print(ServicePage.objects.get(url_path__endswith={guide_url.rstrip('/').rsplit('/', 1)[-1] + '/'!r}).pk)"
        )
        page.goto(f"{base}/admin/pages/{page_id}/edit/")
        page.wait_for_selector("form#page-edit-form")
        page.locator("[data-side-panel-toggle='preview']").first.click()
        preview = page.frame_locator("iframe#w-preview-iframe, .preview-panel iframe").first
        preview.locator("h1").first.wait_for()
        page.wait_for_timeout(1000)  # let the editor's scripts run; CSP refusals arrive as console errors
        done.append("browser: admin sign-in, the guide editor and its preview panel")
        browser.close()
    check(not problems, "browser console errors:\n" + "\n".join(problems))
    done.append("browser: no console error (no CSP violation) on any page")
    return done


def main():
    base = sys.argv[1].rstrip("/")
    started = time.monotonic()
    try:
        lines, guide = http_checks(base)
        for line in lines:
            print(f"ok  {line}")
        for line in browser_checks(base, guide):
            print(f"ok  {line}")
    except SmokeFailure as failure:
        print(f"冒烟检查失败：{failure}", file=sys.stderr)
        sys.exit(1)
    print(f"冒烟检查全部通过（{time.monotonic() - started:.0f} 秒）")


if __name__ == "__main__":
    main()
