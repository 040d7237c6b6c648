"""The admin's 用户 and 用户组 pages in the portal's words: Chinese help, 姓 before 名, optional contact fields.

Not an app of its own: `apps.PortalUsersConfig` takes the place of ``wagtail.users`` in INSTALLED_APPS, which is
the documented way (Wagtail 6.1+, "Custom user forms") to give Wagtail's user and group views other forms
and columns.
"""
