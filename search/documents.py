"""What the index holds for a page: one or more SearchDocuments built by a builder registered per page model.

Only readable pages are indexed: live, with no view restriction (password, login, groups) on them or
an ancestor. A restricted page has no document, so no search, suggestion or facet count can show it;
`search.receivers` re-indexes a subtree when a restriction on it is set or lifted. A guide's document
names only readable halls, so a restricted hall shows in no facet or snippet either.

Service guides give one document for the guide and one per FAQ entry; halls, rules (上墙制度) and
notices (通知公告) give one document each.
Another app makes its pages searchable either by registering a builder here::

    from search.documents import register_builder

    @register_builder(NoticePage)
    def notice_documents(pages):
        return [SearchDocument(key=f"page:{p.pk}", kind="notice", page_id=p.pk, name=p.title, ...) for p in pages]

or, without importing search at all, by giving its page model a `search_document()` method that
returns a dict of SearchDocument fields (at least `name`; `kind` defaults to the model name).
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.html import strip_tags

from wagtail.models import Page, get_page_models

from content.guide import export_guide, guide_prefetch, search_texts
from content.models import HallPage, ServiceHall, ServicePage, readable
from transparency.models import NoticePage, RulePage

FACETS = ("topic", "department", "hall", "audience")


@dataclass
class SearchDocument:
    """One searchable entry; text fields are plain text, facets map a facet name to values.

    Facet values are the ones the catalog's filters use in URLs: topic names, department and hall codes,
    and 自然人 / 法人 for the audience.
    """

    key: str
    kind: str
    page_id: int
    name: str
    url: str
    code: str = ""
    collapse: str = ""
    keywords: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    faq: str = ""
    conditions: str = ""
    materials: str = ""
    basis: str = ""
    body: str = ""
    summary: str = ""
    facets: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.collapse:
            self.collapse = self.key
        self.facets = {name: [str(v) for v in self.facets.get(name, ())] for name in FACETS}


_builders = {}


def register_builder(model):
    """Register `builder(pages) -> iterable of SearchDocument` for live pages of `model`."""

    def decorator(builder):
        _builders[model] = builder
        return builder

    return decorator


_extras = {}


def register_extra(model):
    """Register `builder(pages) -> iterable of SearchDocument` adding documents to those of `model`'s pages.

    For other apps' texts that belong to a page in search (a guide's published questions and answers):
    they share the page's id, so re-indexing the page (`indexing.sync_pages`) replaces them too.
    """

    def decorator(builder):
        _extras.setdefault(model, []).append(builder)
        return builder

    return decorator


def readable_pages(model):
    """Pages of `model` (of any app) any visitor may read, by content's one rule."""
    return readable(model.objects.all())


def indexable_models():
    """Page models whose readable pages belong in the index."""
    return [m for m in get_page_models() if m in _builders or callable(getattr(m, "search_document", None))]


def _url(page):
    return page.get_url() or page.url_path


def _from_method(pages):
    for page in pages:
        data = dict(page.search_document())
        data.setdefault("kind", page._meta.model_name)
        data.setdefault("url", _url(page))
        data.setdefault("summary", data.get("body", ""))
        yield SearchDocument(key=f"page:{page.pk}", page_id=page.pk, **data)


def documents_for_pages(page_ids):
    """Documents for those of `page_ids` that are readable and indexable; other ids give nothing."""
    ids = list(page_ids)
    if not ids:
        return []
    documents = []
    models = indexable_models()
    by_model = {}
    for page_id, content_type_id in readable_pages(Page).filter(pk__in=ids).values_list("pk", "content_type_id"):
        by_model.setdefault(content_type_id, []).append(page_id)
    for content_type_id, model_ids in by_model.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model not in models:
            continue
        for chunk_start in range(0, len(model_ids), 500):
            pages = readable_pages(model).filter(pk__in=model_ids[chunk_start : chunk_start + 500])
            builder = _builders.get(model)
            documents.extend(builder(pages) if builder else _from_method(pages))
            for extra in _extras.get(model, ()):
                documents.extend(extra(pages))
    return documents


def all_indexable_page_ids():
    """Ids of every readable page the index should hold, in tree order."""
    types = ContentType.objects.get_for_models(*indexable_models()).values() if indexable_models() else []
    pages = readable_pages(Page).filter(content_type__in=list(types))
    return list(pages.order_by("path").values_list("pk", flat=True))


def _lines(*parts):
    return "\n".join(p for p in parts if p)


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|div)>|<br\s*/?>", re.IGNORECASE)


def _plain(rich_text):
    """Rich text as plain text, one line per paragraph, heading or list item, entities decoded."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rich_text or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@register_builder(ServicePage)
def service_documents(pages):
    """A guide's texts come from its declared elements (content.guide): what each element gives
    search, in the field it names; the department's and halls' names are added to the body."""
    readable_halls = ServiceHall.objects.filter(hall__in=HallPage.objects.readable()).select_related("hall")
    pages = pages.select_related("department").prefetch_related(*guide_prefetch(halls=readable_halls))
    for page in pages:
        url = _url(page)
        guide = export_guide(page)
        texts = search_texts(guide, fields=("faq", "conditions", "materials", "basis", "body"))
        halls = [link.hall for link in page.service_halls.all()]
        facets = {
            "topic": guide["topics"],
            "department": [page.department.code],
            "hall": [h.code for h in halls],
            "audience": guide["audience"],
        }
        faqs = list(page.faqs.all())
        collapse = f"service:{page.code}"
        yield SearchDocument(
            key=f"page:{page.pk}",
            kind="service",
            page_id=page.pk,
            code=page.code,
            name=page.title,
            url=url,
            collapse=collapse,
            keywords=guide["keywords"],
            topics=guide["topics"],
            faq=texts.get("faq", ""),
            conditions=texts.get("conditions", ""),
            materials=texts.get("materials", ""),
            basis=texts.get("basis", ""),
            body=_lines(
                page.department.name, page.search_description, *(h.title for h in halls), texts.get("body", "")
            ),
            summary=_lines(
                f"受理条件：{page.conditions}" if page.conditions else "",
                f"申请材料：{'、'.join(m['name'] for m in guide['materials'])}",
                f"办理部门：{page.department.name}",
                *(f"常见问题：{f['q']} {f['a']}" for f in guide["faq"]),
            ),
            facets=facets,
        )
        for number, entry in enumerate(faqs, start=1):
            yield SearchDocument(
                key=f"faq:{page.pk}:{entry.pk}",
                kind="faq",
                page_id=page.pk,
                code=page.code,
                name=page.title,
                url=f"{url}#faq-{number}",
                collapse=collapse,
                faq=f"{entry.question}\n{entry.answer}",
                summary=f"{entry.question}\n{entry.answer}",
                facets=facets,
            )


@register_builder(HallPage)
def hall_documents(pages):
    for hall in pages.prefetch_related("windows__departments"):
        windows = list(hall.windows.all())
        yield SearchDocument(
            key=f"page:{hall.pk}",
            kind="hall",
            page_id=hall.pk,
            code=hall.code,
            name=hall.title,
            url=_url(hall),
            keywords=[w.name for w in windows],
            body=_lines(
                hall.address,
                hall.hours,
                *(f"{w} {w.scope} {' '.join(d.name for d in w.departments.all())}" for w in windows),
            ),
            summary=_lines(f"地址：{hall.address}", f"电话：{hall.phone}", f"办公时间：{hall.hours}"),
            facets={"hall": [hall.code]},
        )


@register_builder(RulePage)
def rule_documents(pages):
    for rule in pages:
        body = _plain(rule.body)
        yield SearchDocument(
            key=f"page:{rule.pk}",
            kind="rule",
            page_id=rule.pk,
            name=rule.title,
            url=_url(rule),
            body=_lines(rule.summary, rule.issued_by, body),
            summary=_lines(rule.summary, body),
        )


@register_builder(NoticePage)
def notice_documents(pages):
    for notice in pages.prefetch_related("attachments__document"):
        body = _plain(notice.body)
        attachments = [a.label for a in notice.attachments.all()]
        yield SearchDocument(
            key=f"page:{notice.pk}",
            kind="notice",
            page_id=notice.pk,
            name=notice.title,
            url=_url(notice),
            body=_lines(notice.issued_by, body, *attachments),
            summary=_lines(
                f"{notice.date.year}年{notice.date.month}月{notice.date.day}日 {notice.issued_by}".strip(), body
            ),
        )
