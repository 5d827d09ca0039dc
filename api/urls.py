from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

# HSDS paths have no trailing slash (`/services/{id}`); the schema and docs keep Django's.
# Docs: Swagger UI from drf-spectacular-sidecar's static files, its init script served apart
# (the "split" view), so the site's CSP needs no exception. (Redoc injects inline styles.)
urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("services", views.ServiceListView.as_view(), name="services"),
    path("services/<str:id>", views.ServiceDetailView.as_view(), name="service"),
    path("service_at_locations", views.ServiceAtLocationListView.as_view(), name="service_at_locations"),
    path("organizations", views.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<str:id>", views.OrganizationDetailView.as_view(), name="organization"),
    path("taxonomies", views.TaxonomyListView.as_view(), name="taxonomies"),
    path("taxonomy_terms", views.TaxonomyTermListView.as_view(), name="taxonomy_terms"),
    path("datapackage.zip", views.datapackage_download, name="datapackage"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
