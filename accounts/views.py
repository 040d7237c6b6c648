"""Wagtail's user and group views with the portal's forms and columns."""

from functools import cached_property

from wagtail.admin.ui.tables import Column
from wagtail.users.forms import GroupPagePermissionFormSet
from wagtail.users.views import groups, users

from content.wagtail_hooks import YesNoColumn

from .forms import PortalGroupPagePermissionFormSet, PortalUserCreationForm, PortalUserEditForm
from .groups import description_of


def chinese_name(user):
    """姓 then 名 without a space (王明), or the username for an account without a name."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


class UserIndexView(users.IndexView):
    @cached_property
    def columns(self):
        columns = []
        for column in super().columns:
            if column.name == "name":
                # Wagtail's accessor is Django's get_full_name(), 名 before 姓 ("明 王").
                column.accessor = chinese_name
            elif column.name == "is_active":
                column = YesNoColumn("is_active", label=column.label, sort_key=column.sort_key, width=column.width)
            columns.append(column)
        return columns


class UserViewSet(users.UserViewSet):
    index_view_class = UserIndexView

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class GroupIndexView(groups.IndexView):
    columns = [*groups.IndexView.columns, Column("description", label="可以做什么", accessor=description_of)]


class PortalPermissionPanels:
    """The permission panels Wagtail shows on a group's page, with the page permissions' field in Chinese."""

    @cached_property
    def permission_panel_forms(self):
        return [
            cls(**self.get_permission_panel_form_kwargs(cls))
            for cls in (
                PortalGroupPagePermissionFormSet if cls is GroupPagePermissionFormSet else cls
                for cls in groups.get_permission_panel_classes()
            )
        ]


class GroupCreateView(PortalPermissionPanels, groups.CreateView):
    pass


class GroupEditView(PortalPermissionPanels, groups.EditView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "group_description": description_of(self.object)}


class GroupViewSet(groups.GroupViewSet):
    index_view_class = GroupIndexView
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
