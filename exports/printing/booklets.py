"""Booklets (办事指南汇编): many guides in one PDF with a cover, a contents list and running headers.

A booklet is chosen by a scope — a hall (all its windows, in order), one window, a department, a
topic, or several of these together.

Why it is laid out in parts: WeasyPrint keeps every laid-out page in memory until the PDF is
written, about 3 MB per page of a guide, so a 500-guide booklet in one pass would need several GB.
The guides are therefore laid out in parts of a few dozen, in worker processes when the machine
has more than one core (`YIMEN_BOOKLET_PROCESSES`), and joined with pypdf. Every guide starts on a
new page, so where it lands in its part does not depend on the parts before it: once all parts are
done their page counts give each guide's real page number, the cover and contents are laid out with
those numbers, and a thin layer with "第 X 页 共 Y 页" is stamped onto every page of the parts.
Memory stays that of one part per process whatever the length of the booklet, and time grows
linearly with the number of pages. Each part embeds its own subset of the fonts (about 0.4 MB).

Progress is reported through a callback as (stage, done, total).
"""

import io
import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link

from content.models import HallPage, HallWindows

from .documents import portal_settings
from .guides import PrintedGuide, hall_windows, printable_guides
from .layout_worker import LayoutJob, lay_out
from .rendering import BASE_URL, font_css, font_stacks, stylesheet_paths

STAGE_PREPARE = "prepare"
STAGE_LAYOUT = "layout"
STAGE_ASSEMBLE = "assemble"

# Guides per part: small enough to keep a process's memory modest and the cores busy, large
# enough that the fonts embedded once per part stay a small share of the file.
PART_MIN, PART_MAX = 4, 20


class EmptyBooklet(ValueError):
    """The scope holds no printable guide."""


@dataclass
class Section:
    """A run of guides under one heading in the contents, e.g. one window of a hall."""

    title: str
    note: str = ""
    guides: list = field(default_factory=list)


@dataclass
class BookletScope:
    """Which guides go into a booklet; any combination narrows the selection."""

    hall: HallPage | None = None
    window: object = None  # content.HallWindow
    department: object = None  # content.Department
    topic: object = None  # content.Topic

    def __post_init__(self):
        if self.window is not None and self.hall is None:
            self.hall = self.window.hall
        if self.window is not None and self.window.hall_id != self.hall.pk:
            raise ValueError(_("窗口 %(window)s 不属于 %(hall)s。") % {"window": self.window, "hall": self.hall.title})
        if not any((self.hall, self.department, self.topic)):
            raise ValueError(_("请至少选择大厅、窗口、部门或主题中的一项。"))

    @property
    def issuer(self):
        """Who the booklet is from, printed at the top of the cover and of every page."""
        if self.hall is not None:
            return self.hall.title
        portal = portal_settings()
        if self.department is not None and self.topic is None:
            return self.department.name
        return portal.portal_name if portal else _("政务服务中心")

    @property
    def description(self):
        """The scope in words: 1号窗口 社会事务综合窗口 · 主题：社会救助."""
        parts = []
        if self.window is not None:
            parts.append(str(self.window))
        elif self.hall is not None:
            parts.append(_("全部窗口"))
        if self.department is not None and (self.hall is not None or self.topic is not None):
            parts.append(self.department.name)
        if self.topic is not None:
            parts.append(_("主题：%(topic)s") % {"topic": self.topic.name})
        return " · ".join(parts) or _("全部事项")

    @property
    def title(self):
        return f"{self.issuer} {self.description} {_('办事指南汇编')}"

    def guides(self):
        """Printable guides in the scope, with everything a printed guide reads, in code order."""
        queryset = printable_guides()
        if self.hall is not None:
            queryset = queryset.for_hall(self.hall)
        if self.department is not None:
            queryset = queryset.for_department(self.department)
        if self.topic is not None:
            queryset = queryset.for_topic(self.topic)
        return list(queryset.order_by("code"))

    def sections(self, guides=None):
        """The guides grouped for the contents: by window for a hall, else by department."""
        guides = self.guides() if guides is None else guides
        if self.hall is not None:
            return self._by_window(guides)
        by_department = {}
        for page in guides:
            by_department.setdefault(page.department, []).append(page)
        if len(by_department) == 1:
            return [Section(title=self.description, guides=guides)]
        return [
            Section(title=d.name, guides=pages) for d, pages in sorted(by_department.items(), key=lambda kv: kv[0].code)
        ]

    def _by_window(self, guides):
        windows = hall_windows([self.hall]).get(self.hall.pk, [])
        desk = HallWindows(self.hall, windows)
        takers = {p.pk: desk.taking(p) for p in guides}
        if self.window is not None:
            windows = [w for w in windows if w.pk == self.window.pk]
        placed = set()
        sections = []
        for window in windows:
            taken = [p for p in guides if p.pk not in placed and window in takers[p.pk]]
            if taken:
                placed.update(p.pk for p in taken)
                sections.append(Section(title=str(window), note=window.scope, guides=taken))
        if self.window is None:
            rest = [p for p in guides if p.pk not in placed]
            if rest:
                sections.append(Section(title=_("其他事项"), guides=rest))
        return sections


@dataclass
class BookletResult:
    guide_count: int
    page_count: int
    start_pages: dict  # guide page id → 1-based page number where it starts


def _no_progress(stage, done, total):
    return None


def booklet_processes():
    """Worker processes for layout: the setting, else up to two, never more than the machine's cores."""
    configured = getattr(settings, "YIMEN_BOOKLET_PROCESSES", None)
    if configured is not None:
        return max(int(configured), 0)
    return min(2, os.cpu_count() or 1)


def _parts(sections, processes):
    """Split the guides into parts; a part remembers which section heading its first guide opens."""
    guides = [(section, guide) for section in sections for guide in section.guides]
    size = min(PART_MAX, max(PART_MIN, math.ceil(len(guides) / max(processes * 3, 1))))
    parts = []
    for start in range(0, len(guides), size):
        entries = []
        for section, guide in guides[start : start + size]:
            opens = guide is section.guides[0]
            entries.append({"guide": guide, "banner": section.title if opens else ""})
        parts.append(entries)
    return parts


def _job(template_name, context, anchors=()):
    return LayoutJob(
        html=render_to_string(template_name, context),
        base_url=BASE_URL,
        stylesheet_paths=[str(p) for p in stylesheet_paths()],
        extra_css=font_css(),
        anchors=list(anchors),
    )


class _Finished:
    """A result already at hand, answering like a Future."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Layouts:
    """Lays out jobs in worker processes when there are several cores, else in this thread.

    Jobs are submitted as soon as their HTML is ready, so the workers lay out the first parts while
    this process still prepares the next ones.
    """

    def __init__(self, processes):
        self.pool = None
        if processes > 1:
            # spawn, not fork: the caller may be a thread of a web server holding locks and connections.
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)

    def submit(self, job):
        return self.pool.submit(lay_out, job) if self.pool else _Finished(lay_out(job))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def render_booklet(scope, output, progress=None, processes=None):
    """Write the booklet for `scope` to `output` (a path or binary file); raise EmptyBooklet if nothing is in it."""
    progress = progress or _no_progress
    processes = booklet_processes() if processes is None else processes
    font_stacks()  # fail early, with the package to install, when the machine has no Chinese font
    sections = scope.sections()
    pages = [page for section in sections for page in section.guides]
    if not pages:
        raise EmptyBooklet(_("所选范围内没有已发布的办事指南：%(scope)s") % {"scope": scope.description})
    total = len(pages)
    portal = portal_settings()
    windows = hall_windows({link.hall_id for page in pages for link in page.service_halls.all()})
    printed = {}
    for section in sections:
        section.guides = [
            printed.setdefault(p.pk, PrintedGuide(p, hall=scope.hall, windows_by_hall=windows)) for p in section.guides
        ]

    with _Layouts(processes) as layouts:
        progress(STAGE_PREPARE, 0, total)
        parts, futures, done = _parts(sections, processes), [], 0
        for entries in parts:
            for entry in entries:
                entry["guide"].qr  # noqa: B018 — the QR code is made here, where progress shows it
            anchors = [f"guide-{e['guide'].page.pk}" for e in entries]
            context = {"scope": scope, "entries": entries, "portal": portal}
            futures.append(layouts.submit(_job("exports/booklet_part.html", context, anchors)))
            done += len(entries)
            progress(STAGE_PREPARE, done, total)

        progress(STAGE_LAYOUT, 0, total)
        results, done = [], 0
        for entries, future in zip(parts, futures, strict=True):
            results.append(future.result())
            done += len(entries)
            progress(STAGE_LAYOUT, done, total)

        progress(STAGE_ASSEMBLE, 0, 3)
        # Where each guide starts, counted inside the parts; the front matter is added below.
        part_offsets, offset = [], 0
        for result in results:
            part_offsets.append(offset)
            offset += result.page_count
        body_pages = offset
        local_start = {}
        for result, part_offset in zip(results, part_offsets, strict=True):
            for anchor, index in result.anchor_pages.items():
                local_start[anchor] = part_offset + index

        front, front_count = _front_matter(scope, sections, total, portal, local_start, body_pages)
        page_count = front_count + body_pages
        start_pages = {
            guide.page.pk: front_count + local_start[f"guide-{guide.page.pk}"] + 1
            for s in sections
            for guide in s.guides
        }
        progress(STAGE_ASSEMBLE, 1, 3)
        stamps = [
            layouts.submit(
                _job(
                    "exports/booklet_stamp.html",
                    {"first": front_count + part_offset + 1, "pages": range(result.page_count), "total": page_count},
                )
            )
            for result, part_offset in zip(results, part_offsets, strict=True)
        ]
        stamps = [future.result() for future in stamps]
    progress(STAGE_ASSEMBLE, 2, 3)
    _assemble(output, scope, sections, front, results, stamps, start_pages)
    progress(STAGE_ASSEMBLE, 3, 3)
    return BookletResult(guide_count=total, page_count=page_count, start_pages=start_pages)


def _front_matter(scope, sections, total, portal, local_start, body_pages):
    """Cover and contents laid out with the real page numbers; returns (LayoutResult, its page count).

    The contents' own length decides where the guides start, so it is laid out again until the
    number of contents pages it assumed is the one it takes (once, in practice: the numbers sit
    after a dotted leader and never change how many lines an entry takes).
    """
    entries = sum(len(s.guides) + 1 for s in sections)
    front_count = 1 + max(1, math.ceil(entries / 34))
    for _attempt in range(4):
        toc = [
            {
                "title": section.title,
                "guides": [
                    (guide, front_count + local_start[f"guide-{guide.page.pk}"] + 1) for guide in section.guides
                ],
            }
            for section in sections
        ]
        context = {
            "scope": scope,
            "toc": toc,
            "show_headings": len(sections) > 1 or sections[0].title != scope.description,
            "guide_count": total,
            "portal": portal,
            "printed_on": timezone.localdate(),
            "total_pages": front_count + body_pages,
        }
        result = lay_out(_job("exports/booklet_front.html", context))
        if result.page_count == front_count:
            return result, front_count
        front_count = result.page_count
    raise RuntimeError("目录页数无法确定，请联系系统管理员。")


def _assemble(output, scope, sections, front, parts, stamps, start_pages):
    """Join front matter and parts, stamp page numbers, add the outline and the contents links."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(front.pdf)).pages:
        writer.add_page(page)
    for part, stamp in zip(parts, stamps, strict=True):
        numbers = PdfReader(io.BytesIO(stamp.pdf)).pages
        for index, page in enumerate(PdfReader(io.BytesIO(part.pdf)).pages):
            writer.add_page(page).merge_page(numbers[index])

    by_anchor = {f"guide-{pk}": number - 1 for pk, number in start_pages.items()}
    for page_index, anchor, rect in front.links:
        if anchor in by_anchor:
            writer.add_annotation(page_index, Link(rect=rect, target_page_index=by_anchor[anchor]))

    writer.add_outline_item(title=_("目录"), page_number=1)
    for section in sections:
        parent = None
        if len(sections) > 1:
            parent = writer.add_outline_item(
                title=section.title, page_number=start_pages[section.guides[0].page.pk] - 1
            )
        for guide in section.guides:
            writer.add_outline_item(title=guide.page.title, page_number=start_pages[guide.page.pk] - 1, parent=parent)
    writer.add_metadata({"/Title": scope.title, "/Author": scope.issuer, "/Creator": "Yimen"})
    writer.page_mode = "/UseOutlines"
    if isinstance(output, str | os.PathLike):
        with open(output, "wb") as handle:
            writer.write(handle)
    else:
        writer.write(output)
