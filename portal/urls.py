from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from operations.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.YIMEN_SERVE_MEDIA:
    # Production without a web server in front for /media/ (deploy/scaleout.sh on one machine);
    # a real deployment lets the proxy serve MEDIA_ROOT (docs/deploy.md).
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [
    path("", include("content.urls")),
    path("", include("complaints.urls")),
    path("", include("cases.urls")),
    path("", include("questions.urls")),
    path("", include("assistance.urls")),
    path("", include("ratings.urls")),
    path("", include("transparency.urls")),
]

urlpatterns += [path("", include("search.urls"))]

urlpatterns += [path("api/v1/open311/", include("open311.urls"))]

urlpatterns += [path("", include("exports.urls"))]

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "operations.unavailable.server_error"
