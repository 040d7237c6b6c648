from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import Department, SiteBanner, StaffMember, Topic
from spreadsheets import SpreadsheetSnippetViewSet

# Department and StaffMember are searched through Wagtail's search backend over the model's own
# `search_fields` (cut into Chinese words by search.wagtail_backend); naming fields on the viewset instead
# would make the backend search raw columns, where 民政 is no word of 县民政局 (and SQLite FTS fails).


class YesNoColumn(Column):
    """A true/false field shown as 是 or 否: Wagtail's own columns show the English True/False."""

    def get_value(self, instance):
        return "是" if super().get_value(instance) else "否"


class DepartmentViewSet(SpreadsheetSnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "部门"
    list_display = ["name", "code", "kind"]
    list_export = ["code", "name", "kind"]
    add_to_admin_menu = True
    menu_order = 210


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "主题"
    list_display = ["name", "sort_order"]
    add_to_admin_menu = True
    menu_order = 220


class StaffMemberViewSet(SpreadsheetSnippetViewSet):
    model = StaffMember
    icon = "user"
    menu_label = "窗口人员"
    list_display = [
        "name",
        "hall",
        "window",
        "department",
        "position",
        "post",
        YesNoColumn("is_active", label=StaffMember._meta.get_field("is_active").verbose_name, sort_key="is_active"),
        YesNoColumn("is_agent", label=StaffMember._meta.get_field("is_agent").verbose_name, sort_key="is_agent"),
    ]
    list_filter = ["hall", "is_active", "post", "is_agent"]
    list_export = [
        "staff_id",
        "name",
        "hall",
        "window",
        "department",
        "position",
        "post",
        "phone",
        "is_active",
        "is_agent",
    ]
    add_to_admin_menu = True
    menu_order = 230


class ShowingColumn(Column):
    """Whether a banner is on the public pages right now (正在显示, 未开始 or 已结束)."""

    def get_value(self, instance):
        now = timezone.now()
        if instance.starts_at > now:
            return "未开始"
        if instance.ends_at and instance.ends_at <= now:
            return "已结束"
        return "正在显示"


class SiteBannerViewSet(SnippetViewSet):
    """全站通知横幅: shown at the top of every public page between its start and end (维护通知, 春节办公时间).
    Saving or deleting one empties the page cache like any content change (operations/receivers.py)."""

    model = SiteBanner
    icon = "warning"
    menu_label = "全站通知横幅"
    list_display = ["message", "level", "starts_at", "ends_at", ShowingColumn("showing", label="状态")]
    list_filter = ["level"]
    ordering = ["-starts_at"]
    add_to_admin_menu = True
    menu_order = 240


register_snippet(DepartmentViewSet)
register_snippet(TopicViewSet)
register_snippet(StaffMemberViewSet)
register_snippet(SiteBannerViewSet)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
