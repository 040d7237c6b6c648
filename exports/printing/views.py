"""Public print views: a guide's PDF, its materials checklist, the short links to its forms."""

import logging

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from content.models import Material, ServicePage
from content.restrictions import serve_like_page

from .documents import checklist_context, checklist_pdf, guide_pdf
from .fonts import CJKFontMissing
from .guides import for_printing

logger = logging.getLogger(__name__)


def _guide(slug):
    """A live guide by its slug, or 404 (drafts and unpublished pages are never printed).

    A guide under a view restriction is found here; every view then answers through
    `serve_like_page`, so it prints only for a visitor who may read the guide's page.
    """
    return get_object_or_404(for_printing(ServicePage.objects.live()), slug=slug)


def _pdf_response(data, filename, *, attachment=False):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _print_unavailable(request, error):
    logger.error("PDF 无法生成：%s", error)
    return render(
        request,
        "exports/print_unavailable.html",
        {"message": _("打印服务暂时不可用，请稍后再试，或到窗口领取纸质材料。")},
        status=503,
    )


def _printed(request, slug, make_pdf, name):
    """A guide's PDF, answered like the guide page itself (view restrictions included)."""
    page = _guide(slug)

    def render_pdf():
        try:
            data = make_pdf(page)
        except CJKFontMissing as error:
            return _print_unavailable(request, error)
        return _pdf_response(data, f"{page.code}-{page.title}-{name}.pdf")

    return serve_like_page(page, request, render_pdf)


@require_safe
def guide_pdf_view(request, slug):
    return _printed(request, slug, guide_pdf, "办事指南")


@require_safe
def checklist_view(request, slug):
    page = _guide(slug)

    def render_checklist():
        context = checklist_context(page)
        context["page"] = page
        return render(request, "exports/checklist.html", context)

    return serve_like_page(page, request, render_checklist)


@require_safe
def checklist_pdf_view(request, slug):
    return _printed(request, slug, checklist_pdf, "一次性告知单")


@require_safe
def form_view(request, document_id):
    """The short link printed beside a material (/forms/<id>/): to the form's current file.

    Only a blank or sample form of a guide anyone may read answers; any other document id is 404, so
    the short links reveal nothing about the rest of the document library. The file itself is served
    by Wagtail's document view, with its own privacy rules.
    """
    uses = Material.objects.filter(Q(blank_form_id=document_id) | Q(sample_form_id=document_id))
    uses = uses.filter(service__in=ServicePage.objects.readable())
    material = uses.select_related("blank_form", "sample_form").first()
    if material is None:
        raise Http404(_("没有这份表格。"))
    document = material.blank_form if material.blank_form_id == document_id else material.sample_form
    return redirect(document.url)
