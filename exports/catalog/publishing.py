"""Create and publish many service pages at once, leaving each as Wagtail's own create-and-publish would.

Per page, Wagtail's `add_child` → `save_revision` → `publish` saves the page and every child row twice,
reads the tree once per page and logs row by row. Here a batch is written with a few statements per
table, and the end state is the same: a live page at the end of the catalog's children, one new
revision that is both latest and live, its inline rows and topics, and the history entries the admin
shows (create/edit, rename, publish). Unlike `publish`, no `page_published` signal is sent per page;
the caller announces the whole batch with `content.signals.catalog_imported` after commit.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, Revision, WorkflowState

from treebeard.exceptions import PathOverflow

from content.models import ServicePage


@dataclass
class PagePlan:
    """One page to write: fields filled in, inline rows and topics not yet saved."""

    page: ServicePage
    children: dict = field(default_factory=dict)  # child relation name → unsaved rows in order
    topics: list = field(default_factory=list)
    old_title: str | None = None  # the live title before this import, for a changed page
    changes: list | None = None  # 本指南变更记录 from the file (newest first); None leaves the page's own
    is_new: bool = field(init=False)

    def __post_init__(self):
        self.is_new = self.page.pk is None


class BulkPublisher:
    """Publishes batches of ServicePage plans under `parent`, with `user` as the author of every revision."""

    def __init__(self, parent, user=None):
        self.parent = parent
        self.user = user
        self.log_uuid = uuid.uuid4()  # one import is one user action in the history
        self.page_type = ContentType.objects.get_for_model(ServicePage)
        self.base_type = ContentType.objects.get_for_model(Page)
        self.topics = ServicePage._meta.get_field("topics")
        self._next_step = None

    def publish(self, plans):
        if not plans:
            return
        now = timezone.now()
        self._save_pages(plans, now)
        self._replace_children(plans)
        revisions = self._create_revisions(plans, now)
        self._log(plans, revisions, now)

    def _allocate_paths(self, count):
        """Tree paths after the parent's last child, as treebeard's add_child would give them one by one."""
        if self._next_step is None:
            parent = Page.objects.select_for_update().get(pk=self.parent.pk)
            last = parent.get_last_child()
            self._next_step = last._get_lastpos_in_path() + 1 if last else 1
        first, self._next_step = self._next_step, self._next_step + count
        if self._next_step > len(Page.alphabet) ** Page.steplen:
            raise PathOverflow(f"页面 {self.parent.pk} 下的子页面数量超过上限")
        return [Page._get_path(self.parent.path, self.parent.depth + 1, step) for step in range(first, first + count)]

    def _save_pages(self, plans, now):
        new = [plan for plan in plans if plan.is_new]
        for plan, path in zip(new, self._allocate_paths(len(new)), strict=True):
            page = plan.page
            page.path, page.depth, page.owner = path, self.parent.depth + 1, self.user
            page.locale_id = self.parent.locale_id  # what Wagtail would look up: the parent's locale
            page._cached_parent_obj = self.parent  # the parent as treebeard's add_child hands it over
            page._is_site_root = False  # no site can point at a page that did not exist; spares a query
        for plan in plans:
            page = plan.page
            page.draft_title = page.title
            page.live, page.expired, page.has_unpublished_changes = True, False, False
            page.first_published_at = page.first_published_at or now
            page.last_published_at = page.latest_revision_created_at = now
            # Fields were checked against the catalog rules before any write; log entries are written in bulk.
            page.save(clean=False, log_action=None)
        if new:
            Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(new))
            self.parent.numchild += len(new)

    def _replace_children(self, plans):
        """Inline rows and topics: those of changed pages are replaced, in one statement per table."""
        changed = [plan.page.pk for plan in plans if not plan.is_new]
        for relation in plans[0].children:
            remote = getattr(ServicePage, relation).rel
            model, key = remote.related_model, remote.field.name
            if changed:
                model.objects.filter(**{f"{key}__in": changed}).delete()
            rows = []
            for plan in plans:
                for row in plan.children[relation]:
                    setattr(row, key, plan.page)
                    rows.append(row)
            model.objects.bulk_create(rows)
        through = self.topics.remote_field.through
        page_key, topic_key = self.topics.m2m_field_name(), self.topics.m2m_reverse_field_name()
        if changed:
            through.objects.filter(**{f"{page_key}__in": changed}).delete()
        through.objects.bulk_create(
            [through(**{page_key: plan.page, topic_key: topic}) for plan in plans for topic in plan.topics]
        )

    def _create_revisions(self, plans, now):
        revisions = []
        for plan in plans:
            page = plan.page
            for relation, rows in plan.children.items():
                setattr(page, relation, rows)  # in memory only, so the revision holds the saved rows
            if plan.is_new:
                setattr(page, COMMENTS_RELATION_NAME, [])  # none yet; spares a query per page
            page.topics = plan.topics
            revisions.append(
                Revision(
                    content_type=self.page_type,
                    base_content_type=self.base_type,
                    object_id=str(page.pk),
                    created_at=now,
                    user=self.user,
                    content=page.serializable_data(),
                    object_str=str(page),
                )
            )
        Revision.objects.bulk_create(revisions)
        for plan, revision in zip(plans, revisions, strict=True):
            plan.page.latest_revision = plan.page.live_revision = revision
            Page.objects.filter(pk=plan.page.pk).update(latest_revision=revision, live_revision=revision)
        self._end_pending_schedules_and_workflows([plan.page.pk for plan in plans if not plan.is_new], revisions)
        return revisions

    def _end_pending_schedules_and_workflows(self, page_ids, revisions):
        """What `publish` does to older revisions: a page published now cancels its scheduled and moderated ones."""
        if not page_ids:
            return
        object_ids = [str(pk) for pk in page_ids]
        Revision.objects.filter(
            base_content_type=self.base_type, object_id__in=object_ids, approved_go_live_at__isnull=False
        ).update(approved_go_live_at=None)
        for state in WorkflowState.objects.active().filter(base_content_type=self.base_type, object_id__in=object_ids):
            state.cancel(user=self.user)

    def _log(self, plans, revisions, now):
        entries = []
        for plan, revision in zip(plans, revisions, strict=True):
            if plan.is_new:
                entries += [
                    self._entry(plan.page, "wagtail.create", now),
                    self._entry(plan.page, "wagtail.publish", now, revision),
                ]
                continue
            entries.append(self._entry(plan.page, "wagtail.edit", now, revision))
            renamed = None
            if plan.old_title != plan.page.title:
                renamed = {"title": {"old": plan.old_title, "new": plan.page.title}}
                entries.append(
                    self._entry(plan.page, "wagtail.rename", now, revision, data=renamed, content_changed=False)
                )
            entries.append(self._entry(plan.page, "wagtail.publish", now, revision, data=renamed))
        PageLogEntry.objects.bulk_create(entries)

    def _entry(self, page, action, now, revision=None, data=None, content_changed=True):
        return PageLogEntry(
            page=page,
            content_type=self.page_type,
            label=page.get_admin_display_title(),
            action=action,
            data=data or {},
            timestamp=now,
            uuid=self.log_uuid,
            user=self.user,
            revision=revision,
            content_changed=content_changed,
        )
