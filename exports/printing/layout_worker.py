"""Lay out one part of a booklet with WeasyPrint, in a worker process or in the calling thread.

This module imports no Django, so a freshly spawned process only loads WeasyPrint: the parent
renders the HTML from the templates and sends it here with the stylesheets to use. What comes back
is the PDF of the part and, for each anchor asked about, the index of the page it lands on.
"""

import logging
from dataclasses import dataclass, field

from weasyprint import CSS, HTML
from weasyprint.logger import LOGGER
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class _ContentsLinks(logging.Filter):
    """The contents of a booklet link to guides laid out in other parts; that is expected, not a warning."""

    def filter(self, record):
        if isinstance(record.msg, str) and record.msg.startswith("No anchor") and record.args:
            return not str(record.args[0]).startswith("guide-")
        return True


LOGGER.addFilter(_ContentsLinks())


@dataclass
class LayoutJob:
    html: str
    base_url: str
    stylesheet_paths: list
    extra_css: str
    anchors: list = field(default_factory=list)


@dataclass
class LayoutResult:
    pdf: bytes
    page_count: int
    anchor_pages: dict  # anchor → 0-based page index within this part
    links: list  # (page index, anchor, (x0, y0, x1, y1) in PDF points from the bottom left)


_typesetting = {}


def _typesetting_for(job):
    """Font configuration and parsed stylesheets, made once per process and stylesheet set."""
    key = (tuple(job.stylesheet_paths), job.extra_css)
    cached = _typesetting.get(key)
    if cached is None:
        font_config = FontConfiguration()
        sheets = [CSS(filename=path, font_config=font_config) for path in job.stylesheet_paths]
        sheets.append(CSS(string=job.extra_css, font_config=font_config))
        cached = _typesetting[key] = (font_config, sheets)
    return cached


def lay_out(job):
    """Render `job` to PDF bytes; records the pages of the wanted anchors and the links to others."""
    font_config, sheets = _typesetting_for(job)
    html = HTML(string=job.html, base_url=job.base_url, url_fetcher=URLFetcher(allowed_protocols=("data", "file")))
    document = html.render(stylesheets=sheets, font_config=font_config)
    wanted = set(job.anchors)
    anchor_pages = {}
    links = []
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in wanted and anchor not in anchor_pages:
                anchor_pages[anchor] = index
        height = page.height
        for link_type, target, rectangle, _box in page.links:
            if link_type == "internal":
                x, y, width, box_height = rectangle
                # CSS pixels (x, y, width, height) from the top left → PDF points from the bottom left.
                links.append(
                    (
                        index,
                        target,
                        (x * 0.75, (height - y - box_height) * 0.75, (x + width) * 0.75, (height - y) * 0.75),
                    )
                )
    pdf = document.write_pdf()
    return LayoutResult(pdf=pdf, page_count=len(document.pages), anchor_pages=anchor_pages, links=links)
