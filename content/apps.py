from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.signals import page_published, page_unpublished

from widgets import register_admin_text_fields


class ContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    verbose_name = "内容"

    def ready(self):
        # Models are importable only once the app registry is ready, hence here (Django's documented place).
        from wagtail.models import PageViewRestriction

        from content import facet_index, guide
        from content.models import HallPage, Material, ServiceFee, ServiceHall, ServicePage
        from content.signals import catalog_imported, date_guide_on_publish, record_guide_changes

        register_admin_text_fields()
        # The models check themselves by the rules their description declares (content.guide).
        ServicePage.declared_rules = guide.page_problems
        Material.declared_rules = lambda material: guide.row_problems("materials", material)

        # Any change to what the catalog facets count makes this process rebuild its facet index.
        for model in (ServicePage, HallPage, ServiceHall, ServiceFee, PageViewRestriction):
            post_save.connect(facet_index.invalidate, sender=model, dispatch_uid=f"facets-save-{model.__name__}")
            post_delete.connect(facet_index.invalidate, sender=model, dispatch_uid=f"facets-delete-{model.__name__}")
        m2m_changed.connect(facet_index.invalidate, sender=ServicePage.topics.through, dispatch_uid="facets-topics")
        page_published.connect(facet_index.invalidate, dispatch_uid="facets-published")
        page_unpublished.connect(facet_index.invalidate, dispatch_uid="facets-unpublished")
        catalog_imported.connect(facet_index.invalidate, dispatch_uid="facets-imported")
        # Before any receiver that reads the page (search, page cache), so they see its new 更新日期.
        page_published.connect(date_guide_on_publish, sender=ServicePage, dispatch_uid="guide-update-date")
        page_published.connect(record_guide_changes, sender=ServicePage, dispatch_uid="guide-change-log")
