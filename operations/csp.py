"""Content-Security-Policy per area: strict on the public site, Wagtail's needs on the admin only.

The public site (`CONTENT_SECURITY_POLICY`) allows scripts, styles and fonts from this origin only:
no inline script, no `on…=` handler, no `style=""`, no `eval`. Wagtail's admin still writes inline
scripts (inline panels, date pickers) and inline styles, so under the prefixes in
`YIMEN_ADMIN_CSP_PREFIXES` the looser `YIMEN_ADMIN_CONTENT_SECURITY_POLICY` applies instead; those
pages are only for signed-in staff. A page previewed in the admin keeps the public policy, except that
the admin may frame it. Views may still adjust either with django-csp's decorators.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware
from csp.utils import default_config


class AreaCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(tuple(settings.YIMEN_ADMIN_CSP_PREFIXES)):
            parts.config = default_config(settings.YIMEN_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        elif getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
            # Wagtail renders a preview as a request for the page's own address and shows it in a
            # frame of the admin: the public policy, so editors meet what visitors will, but framable.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts
