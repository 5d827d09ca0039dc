from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from labimpact import fallback, offline, views
from labimpact.sitemaps import SITEMAPS
from territories.api import comune_suggestions

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # At the root, so the worker's scope covers every language (labimpact/offline.py).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("admin/2fa/", include("twofactor.urls")),
    path("admin/", admin.site.urls),
    # Not language-prefixed: ?lang= or Accept-Language picks the language of translated fields.
    path("api/v1/", include("api.urls")),
    path("comuni/suggerimenti/", comune_suggestions, name="comune_suggestions"),
    # Not language-prefixed: one chooser for every page language; it redirects back.
    path("lingua-di-riserva/", fallback.choose, name="fallback_language"),
]

# URL words stay Italian in every language (as DESIGN fixes them): a link read aloud or
# printed on a poster works whatever the reader's language.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("il-piano/", views.about, name="about"),
    path("manifest.webmanifest", offline.webmanifest, name="webmanifest"),
    path("offline/", offline.saved_pages, name="saved_pages"),
    path("", include("services.urls")),
    path("", include("content.urls")),
    path("", include("associations.urls")),
    path("ambiti/", include("territories.urls")),
    path("", include("feedback.urls")),
    path("", include("sitesearch.urls")),
    path("mediazione/", include("mediation.urls")),
    path("consulenza-legale/", include("legal.urls")),
    path("", include("newsletter.urls")),
    path("accessibilita/", views.static_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.static_page, {"page": "privacy"}, name="privacy"),
    path("note-legali/", views.static_page, {"page": "legal"}, name="legal"),
    prefix_default_language=True,
)

handler404 = "labimpact.views.page_not_found"
handler500 = "labimpact.views.server_error"
