"""The open-data API: desks as Open Referral HSDS 3 records, read-only, public.

Every endpoint answers in the language asked for (`?lang=`, else Accept-Language, else
Italian; a field without a translation falls back to Italian), with an ETag and a
Last-Modified computed before any record is read (api.conditional), so a client that asks
again with If-None-Match gets a cheap 304.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Q, Window
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import activate, check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from api import conditional, datapackage, filters, hsds, selectors
from api import serializers as hsds_out
from api.ids import record_pk
from api.permissions import PublicReadOnly
from api.throttling import AddressRateThrottle
from services.models import Sportello

LANGUAGES = {code for code, _name in settings.LANGUAGES}
# Shared caches may keep an answer but must ask again (cheaply, with If-None-Match) each time.
CACHE_CONTROL = "public, max-age=0, must-revalidate"


def _error(status: int, detail: str, errors: dict | None = None) -> Response:
    body = {"detail": detail}
    if errors:
        body["errors"] = errors
    return Response(body, status=status)


class HsdsView(APIView):
    """Shared by every endpoint: public, read-only, throttled per address, conditional."""

    authentication_classes: list = []
    permission_classes = [PublicReadOnly]
    throttle_classes = [AddressRateThrottle]
    params_class = filters.ApiParams

    def dispatch(self, request, *args, **kwargs):
        # A revalidation that matches is answered here, before DRF wraps the request and before
        # the rate limit counts it: a 304 then costs about what a bare view does.
        if request.method in ("GET", "HEAD") and self._language_ok(request.GET.get("lang")):
            self.validators = conditional.validators(request)
            etag, modified = self.validators
            not_modified = get_conditional_response(request, etag=etag, last_modified=modified.timestamp())
            if not_modified is not None:
                return self._with_validators(not_modified)
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _language_ok(lang) -> bool:
        if lang is None:
            return True
        if lang in LANGUAGES and check_for_language(lang):
            activate(lang)
            return True
        return False

    def get(self, request, *args, **kwargs):
        if not self._language_ok(request.query_params.get("lang")):
            return _error(
                400,
                _("Lingua non disponibile: usa uno di questi codici: %(codes)s.")
                % {"codes": ", ".join(code for code, _name in settings.LANGUAGES)},
            )
        unknown = filters.unknown(self.params_class, request.query_params)
        if unknown:
            return _error(
                400,
                _("Parametri sconosciuti: %(names)s.") % {"names": ", ".join(unknown)},
                {k: [_("Parametro sconosciuto.")] for k in unknown},
            )
        form = self.params_class(request.query_params)
        if not form.is_valid():
            return _error(400, _("Parametri non validi."), {k: [str(m) for m in v] for k, v in form.errors.items()})
        self.params = form.cleaned_data
        self.context = hsds_out.Context(
            base_url=request.build_absolute_uri("/").rstrip("/"), today=timezone.localdate()
        )
        return self.answer(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        return self._with_validators(super().finalize_response(request, response, *args, **kwargs))

    def _with_validators(self, response):
        validators = getattr(self, "validators", None)
        if validators and response.status_code in (200, 304):
            response["ETag"] = validators[0]
            response["Last-Modified"] = http_date(validators[1].timestamp())
            response["Cache-Control"] = CACHE_CONTROL
        return response

    def answer(self, request, *args, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError

    def prepare(self, rows) -> None:
        """Read what the page's rows need besides themselves (a fixed number of queries)."""

    def page(self, queryset, represent) -> Response:
        """An HSDS page: the page asked for, or an empty one beyond the last."""
        number, size = self.params["page"], self.params["per_page"]
        start = (number - 1) * size
        # The total comes with the rows (a window count) instead of a query of its own; only a
        # page beyond the last needs to count apart.
        if isinstance(queryset, list):
            rows, total = queryset[start : start + size], len(queryset)
        else:
            rows = list(queryset.annotate(total_items=Window(Count("pk")))[start : start + size])
            total = rows[0].total_items if rows else queryset.count()
        self.prepare(rows)
        pages = math.ceil(total / size)
        return Response(
            {
                "total_items": total,
                "total_pages": pages,
                "page_number": number,
                "size": len(rows),
                "first_page": number == 1,
                "last_page": number >= pages,
                "empty": not rows,
                "contents": [represent(row, self.context) for row in rows],
            }
        )


PAGING = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1, "maximum": 1_000_000},
        description="Page number, from 1; beyond the last, an empty page.",
    ),
    OpenApiParameter(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": filters.MAX_PER_PAGE},
        description=f"Records per page (default {filters.DEFAULT_PER_PAGE}, at most {filters.MAX_PER_PAGE}).",
    ),
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": 200},
        description="Words in the name or description (in the language asked for).",
    ),
    OpenApiParameter(
        "lang",
        str,
        enum=sorted(LANGUAGES),
        description="Language of translated fields (else Accept-Language; Italian where a translation is missing).",
    ),
    OpenApiParameter("format", str, enum=["json"]),
]
DESK_FILTERS = [
    OpenApiParameter("taxonomy_term_id", OpenApiTypes.UUID, description="Only desks offering this service category."),
    OpenApiParameter("taxonomy_id", OpenApiTypes.UUID, description="Only desks classified in this taxonomy."),
    OpenApiParameter("organization_id", OpenApiTypes.UUID, description="Only desks of this organization."),
    OpenApiParameter(
        "modified_after", OpenApiTypes.DATETIME, description="Only desks changed on or after this moment (ISO 8601)."
    ),
    OpenApiParameter("comune", str, pattern=r"^\d{6}$", description="Only desks serving this comune (ISTAT code)."),
    OpenApiParameter("postcode", str, pattern=r"^\d{5}$", description="Only desks serving the comuni with this CAP."),
    OpenApiParameter("category", str, description="Only desks offering this service category (its code)."),
    OpenApiParameter(
        "language", str, pattern=r"^[a-z]{2,3}$", description="Only desks where this language is spoken (ISO 639)."
    ),
]
ERROR = {"type": "object", "properties": {"detail": {"type": "string"}, "errors": {"type": "object"}}}
ERRORS = {400: ERROR, 429: ERROR, 304: None}


def _responses(ok: dict) -> dict:
    return {200: ok, **ERRORS}


@extend_schema_view(
    get=extend_schema(
        description="Information about this API and its relationship with HSDS",
        parameters=PAGING[3:4],
        responses=_responses(hsds.ref("api_meta")),
        operation_id="getAPIMetaInformation",
    )
)
class RootView(HsdsView):
    def answer(self, request):
        return Response(
            {
                "version": hsds.HSDS_VERSION,
                "profile": "https://docs.openreferral.org/en/latest/hsds/",
                "openapi_url": request.build_absolute_uri(reverse("api:schema")),
                "description": _(
                    "Gli sportelli informativi per cittadini stranieri del piano Lab'Impact di Regione Lombardia, "
                    "nel formato Open Referral HSDS 3. Solo dati pubblicati; nessun dato personale."
                ),
                "publisher": {
                    "name": "Regione Lombardia — Lab'Impact",
                    "website": request.build_absolute_uri("/"),
                },
            }
        )


class DeskListView(HsdsView):
    params_class = filters.ServiceParams
    represent = staticmethod(hsds_out.service_summary)
    with_location = False

    def filtered(self):
        p = self.params
        desks = selectors.desks()
        if p.get("search"):
            term = p["search"]
            desks = desks.filter(
                # The language asked for, and Italian (what an untranslated field falls back to).
                Q(name__icontains=term)
                | Q(description__icontains=term)
                | Q(name_it__icontains=term)
                | Q(description_it__icontains=term)
                | Q(comune__name__icontains=term)
            )
        # Filters through many-to-many rows are subqueries: a join would repeat a desk.
        if p.get("taxonomy_term_id"):
            pk = record_pk("taxonomy_term", p["taxonomy_term_id"])
            desks = (
                desks.filter(pk__in=Sportello.objects.filter(categories__pk=pk).values("pk")) if pk else desks.none()
            )
        if p.get("taxonomy_id") and str(p["taxonomy_id"]) != hsds_out.TAXONOMY_ID:
            desks = desks.none()
        if p.get("organization_id"):
            pk = record_pk("organization", p["organization_id"])
            desks = (
                desks.filter(Q(partner_id=pk) | Q(partner__isnull=True, ambito__capofila_id=pk)) if pk else desks.none()
            )
        if p.get("modified_after"):
            desks = desks.filter(updated_at__gte=p["modified_after"])
        if p.get("comune"):
            comuni = list(selectors.Comune.objects.filter(istat_code=p["comune"]).select_related("ambito"))
            desks = desks.serving_any(comuni) if comuni else desks.none()
        if p.get("postcode"):
            comuni = selectors.comuni_with_postcode(p["postcode"])
            desks = desks.serving_any(comuni) if comuni else desks.none()
        if p.get("category"):
            desks = desks.filter(pk__in=Sportello.objects.in_category(p["category"]).values("pk"))
        if p.get("language"):
            desks = desks.filter(pk__in=Sportello.objects.speaking(p["language"]).values("pk"))
        return desks

    def answer(self, request):
        return self.page(selectors.for_summary(self.filtered(), with_location=self.with_location), self.represent)

    def prepare(self, rows) -> None:
        selectors.attach_providers(rows)


@extend_schema_view(
    get=extend_schema(
        description="Paginated list of services (desks) with their one-to-one fields",
        parameters=PAGING + DESK_FILTERS,
        responses=_responses(hsds.page_of("service")),
        operation_id="getPaginatedListOfServices",
    )
)
class ServiceListView(DeskListView):
    pass


@extend_schema_view(
    get=extend_schema(
        description="Paginated list of service_at_locations with their location and address",
        parameters=PAGING + DESK_FILTERS,
        responses=_responses(hsds.page_of("service_at_location")),
        operation_id="getPaginatedListOfServiceAtLocation",
    )
)
class ServiceAtLocationListView(DeskListView):
    represent = staticmethod(hsds_out.service_at_location)
    with_location = True


@extend_schema_view(
    get=extend_schema(
        description="A fully nested service (desk) with all related data",
        parameters=PAGING[3:4],
        responses={**_responses(hsds.ref("service")), 404: ERROR},
        operation_id="getFullyNestedServiceById",
    )
)
class ServiceDetailView(HsdsView):
    def answer(self, request, id):
        pk = record_pk("service", id)
        desk = selectors.for_full(selectors.desks()).filter(pk=pk).first() if pk else None
        if desk is None:
            return _error(404, _("Nessuno sportello pubblicato ha questo identificativo."))
        return Response(hsds_out.service_full(desk, self.context))


@extend_schema_view(
    get=extend_schema(
        description="Paginated list of organizations (ambito capofila and managing partners)",
        parameters=PAGING,
        responses=_responses(hsds.page_of("organization")),
        operation_id="getPaginatedListOfOrganizations",
    )
)
class OrganizationListView(HsdsView):
    def answer(self, request):
        orgs = selectors.organizations()
        if self.params.get("search"):
            orgs = orgs.filter(name__icontains=self.params["search"])
        return self.page(orgs, hsds_out.organization)


@extend_schema_view(
    get=extend_schema(
        description="An organization with its phones",
        parameters=PAGING[3:4],
        responses={**_responses(hsds.ref("organization")), 404: ERROR},
        operation_id="getOrganizationById",
    )
)
class OrganizationDetailView(HsdsView):
    def answer(self, request, id):
        pk = record_pk("organization", id)
        org = selectors.organizations().filter(pk=pk).first() if pk else None
        if org is None:
            return _error(404, _("Nessuna organizzazione pubblica ha questo identificativo."))
        return Response(hsds_out.organization(org, self.context, full=True))


@extend_schema_view(
    get=extend_schema(
        description="Paginated list of taxonomies",
        parameters=PAGING,
        responses=_responses(hsds.page_of("taxonomy")),
        operation_id="getPaginatedListOfTaxonomies",
    )
)
class TaxonomyListView(HsdsView):
    def answer(self, request):
        rows = [hsds_out.taxonomy(self.context)]
        term = (self.params.get("search") or "").lower()
        rows = [row for row in rows if term in row["name"].lower()]
        return self.page(rows, lambda row, ctx: row)


@extend_schema_view(
    get=extend_schema(
        description="Paginated list of taxonomy terms (service categories)",
        parameters=[*PAGING, OpenApiParameter("taxonomy_id", OpenApiTypes.UUID)],
        responses=_responses(hsds.page_of("taxonomy_term")),
        operation_id="getPaginatedListOfTaxonomyTerms",
    )
)
class TaxonomyTermListView(HsdsView):
    params_class = filters.TaxonomyTermParams

    def answer(self, request):
        terms = selectors.categories()
        if self.params.get("search"):
            terms = terms.filter(name__icontains=self.params["search"])
        if self.params.get("taxonomy_id") and str(self.params["taxonomy_id"]) != hsds_out.TAXONOMY_ID:
            terms = terms.none()
        return self.page(terms, hsds_out.taxonomy_term)


@require_GET
def datapackage_download(request):
    """The whole directory as an HSDS tabular data package (zip of CSV files + datapackage.json).

    Built by a Celery task whenever desks change (api.signals); built here if it is missing.
    """
    if not default_storage.exists(datapackage.PATH):
        datapackage.build_and_store()
    try:
        modified = default_storage.get_modified_time(datapackage.PATH)
        size = default_storage.size(datapackage.PATH)
        handle = default_storage.open(datapackage.PATH, "rb")
    except FileNotFoundError as exc:  # replaced between two calls: the client asks again
        raise Http404 from exc
    etag = f'"{int(modified.timestamp())}-{size}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified.timestamp())
    if not_modified is not None:
        handle.close()
        return not_modified
    response = FileResponse(handle, as_attachment=True, filename=datapackage.FILENAME, content_type="application/zip")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
