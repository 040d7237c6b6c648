"""Turn a template from themes/templates/exports/ into PDF bytes with WeasyPrint.

Every printed document (guide, checklist, booklet) goes through `render_document`, so all of them
share one print stylesheet, the same Chinese fonts and the same safety rules: only data: URIs and
local files are fetched, never the network.
"""

import functools
import hashlib
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .fonts import font_stacks

# Page boxes (WeasyPrint only), then the documents' look (shared with the browser's checklist page).
STYLESHEETS = ("exports/pdf.css", "exports/print.css")


BASE_URL = str(Path(settings.BASE_DIR))


def stylesheet_paths():
    paths = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if path is None:
            raise FileNotFoundError(f"找不到打印样式表 {name}（应在 themes/static/exports/ 下）。")
        paths.append(Path(path))
    return paths


def font_css():
    """The font rules, generated from what fontconfig offers on this machine."""
    stacks = font_stacks()
    # Two faces only, serif regular for text and sans bold (黑体-like) for everything emphasised:
    # each CJK face embedded costs about 200 kB in every PDF.
    return (
        f"html, .doc {{ font-family: {stacks['serif']}; }}\n"
        f"@page {{ font-family: {stacks['serif']}; }}\n"
        f".doc .strong, .doc h1, .doc h2, .doc h3, .doc h4, .doc th, .doc dt, .doc strong, .doc b, .doc .doc-label "
        f"{{ font-family: {stacks['sans']}; font-weight: 700; }}\n"
    )


@functools.cache
def template_version():
    """A digest of the print templates and stylesheet: a deploy that changes them retires every cached PDF."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "themes" / "templates" / "exports"]
    files = sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file())
    files.extend(stylesheet_paths())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_html(template_name, context):
    """The WeasyPrint document for a template, parsed but not laid out."""
    html = render_to_string(template_name, context)
    return HTML(
        string=html,
        base_url=BASE_URL,
        url_fetcher=URLFetcher(allowed_protocols=("data", "file")),
    )


_local = threading.local()


def typesetting():
    """This thread's (FontConfiguration, parsed stylesheets), made once and reused by every render.

    Parsing the stylesheets and setting up fontconfig costs about 0.15 s, a fifth of a whole guide.
    The print CSS has no @font-face rule, so nothing from one document leaks into the next; the
    cache is per thread because WeasyPrint's font configuration is not thread-safe.
    """
    cached = getattr(_local, "typesetting", None)
    if cached is None:
        font_config = FontConfiguration()
        sheets = [CSS(filename=str(path), font_config=font_config) for path in stylesheet_paths()]
        sheets.append(CSS(string=font_css(), font_config=font_config))
        cached = _local.typesetting = (font_config, sheets)
    return cached


def render_document(template_name, context):
    """Lay out a template; the caller writes the returned WeasyPrint Document (or inspects its pages)."""
    font_stacks()  # refuses, naming the package to install, when no Chinese font is left on the machine
    font_config, sheets = typesetting()
    return build_html(template_name, context).render(stylesheets=sheets, font_config=font_config)


def render_pdf(template_name, context, *, title="", author=""):
    """PDF bytes for a template, with document metadata."""
    document = render_document(template_name, context)
    if title:
        document.metadata.title = title
    if author:
        document.metadata.authors = [author]
    return document.write_pdf()
