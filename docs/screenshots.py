"""Screenshots of every public page type, at phone and desktop width, in normal and elder mode.

Run it against a server loaded with the demo content (`./yimen start`, or with YIMEN_ADDR for another
port), then look at every picture:

    .venv/bin/python docs/screenshots.py --base-url http://127.0.0.1:8000 --out var/screenshots

It writes <page>-<width>[-elder].png (full page). `--readme` also writes the few compressed pictures the
README shows into docs/screenshots/ (each kept under 200 KB by pngquant-free palette reduction in Pillow).
"""

import argparse
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",  # the browser's own words (file inputs, selects) in Chinese, as citizens see them
]
# Elements sticking out past the right edge: the page scrolls sideways, something is cut or overlaps.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
    .slice(0, 5).map((el) => el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "").split(" ")[0]);
}"""
WIDTHS = (360, 1280)
# The README shows these (page, width, elder) shots.
README_SHOTS = [("guide", 360, False), ("guide", 360, True), ("home", 1280, False), ("search", 1280, False)]
README_MAX_BYTES = 200_000


def first_link(base_url, path, pattern):
    """The first href on `path` matching `pattern`, so the script needs no knowledge of the demo's slugs."""
    with urllib.request.urlopen(urllib.parse.urljoin(base_url, path)) as response:  # noqa: S310 (URL given by the operator)
        html = response.read().decode()
    match = re.search(pattern, html)
    if not match:
        sys.exit(f"{path}: no link matching {pattern}; is the demo content loaded?")
    return match.group(1)


def load_lazy_images(page):
    """Scroll down the whole page so loading="lazy" photos are fetched before the full-page shot."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
    page.wait_for_function("[...document.images].every((img) => img.complete)")
    page.evaluate("window.scrollTo(0, 0)")


def page_paths(base_url):
    guide = first_link(base_url, "/search/?q=" + urllib.parse.quote("低保"), r'href="(/services/[^"/?]+/)"')
    hall = first_link(base_url, "/halls/", r'href="(/halls/[^"/?]+-[^"/?]+/)"')
    return {
        "home": "/",
        "catalog": "/services/",
        "search": "/search/?q=" + urllib.parse.quote("低保"),
        "guide": guide,
        "hall": hall,
        "staff": hall + "staff/",
        "complaint": "/complaints/",
        "statistics": "/statistics/",
    }


def shoot(base_url, out, only=None):
    out.mkdir(parents=True, exist_ok=True)
    paths = page_paths(base_url)
    host = urllib.parse.urlsplit(base_url).hostname
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={"LANGUAGE": "zh_CN", "LANG": "zh_CN.UTF-8"}
        )
        for elder in (False, True):
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 800}, device_scale_factor=1, locale="zh-CN"
                )
                if elder:
                    context.add_cookies([{"name": "yimen_elder", "value": "1", "domain": host, "path": "/"}])
                page = context.new_page()
                for name, path in paths.items():
                    if only and name not in only:
                        continue
                    page.goto(urllib.parse.urljoin(base_url, path), wait_until="networkidle")
                    file = out / f"{name}-{width}{'-elder' if elder else ''}.png"
                    load_lazy_images(page)
                    page.screenshot(path=file, full_page=True)
                    written.append(file)
                    overflow = page.evaluate(OVERFLOW_JS)
                    print(file, f"WIDER THAN THE SCREEN: {', '.join(overflow)}" if overflow else "", flush=True)
                context.close()
        browser.close()
    return written


def readme_copies(out, target):
    """Top part of the chosen shots, palette-reduced so each stays small enough for the repository."""
    from PIL import Image

    target.mkdir(parents=True, exist_ok=True)
    for name, width, elder in README_SHOTS:
        source = out / f"{name}-{width}{'-elder' if elder else ''}.png"
        image = Image.open(source).convert("RGB")
        image = image.crop((0, 0, image.width, min(image.height, 1600 if width < 800 else 1000)))
        for colours in (128, 64, 32):
            file = target / source.name
            image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(file, optimize=True)
            if file.stat().st_size < README_MAX_BYTES:
                break
        print(file, file.stat().st_size, "bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    parser.add_argument(
        "--only", nargs="*", help="page names: home catalog search guide hall staff complaint statistics"
    )
    parser.add_argument("--readme", action="store_true", help="also refresh docs/screenshots/ for the README")
    args = parser.parse_args()
    shoot(args.base_url, args.out, args.only)
    if args.readme:
        readme_copies(args.out, Path(__file__).parent / "screenshots")


if __name__ == "__main__":
    main()
