"""Open-data API (api/): HSDS 3 shapes, public data only, paging, languages, validators, CORS, rate limit."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from api import hsds
from api.ids import record_id, record_pk
from services.models import Closure, Language, OpeningSlot, ServiceCategory, Sportello
from territories.models import Comune
from tests.factories import PartnerFactory, SportelloFactory

pytestmark = pytest.mark.django_db


def _strict(node):
    """The HSDS schema, closed (as api.hsds builds it): a property HSDS does not define fails too."""
    if isinstance(node, dict):
        node = {key: _strict(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strict(item) for item in node]
    return node


def _registry() -> Registry:
    resources = []
    for name, schema in hsds.schemas().items():
        strict = _strict(copy.deepcopy(schema))
        strict["$id"] = f"{name}.json"
        resources.append((f"{name}.json", Resource.from_contents(strict, default_specification=_spec())))
    return Registry().with_resources(resources)


def _spec():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


REGISTRY = _registry()


def assert_hsds(instance, name: str) -> None:
    validator = Draft202012Validator({"$ref": f"{name}.json"}, registry=REGISTRY, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def assert_page(body: dict, name: str) -> None:
    assert_hsds({k: v for k, v in body.items() if k != "contents"}, "page")
    for item in body["contents"]:
        assert_hsds(item, name)


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def first_service_id(client) -> str:
    return get(client, "/api/v1/services?per_page=1")["contents"][0]["id"]


# --- HSDS shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url,name",
    [
        ("/api/v1/services", "service"),
        ("/api/v1/service_at_locations", "service_at_location"),
        ("/api/v1/organizations", "organization"),
        ("/api/v1/taxonomies", "taxonomy"),
        ("/api/v1/taxonomy_terms", "taxonomy_term"),
    ],
)
@pytest.mark.parametrize("lang", ["it", "ar"])
def test_every_list_is_an_hsds_page(client, url, name, lang):
    body = get(client, f"{url}?lang={lang}")
    assert body["total_items"] > 0
    assert_page(body, name)


def test_root_tells_version_profile_openapi_and_publisher(client):
    body = get(client, "/api/v1/")
    assert_hsds(body, "api_meta")
    assert body["version"].startswith("3.")
    assert body["openapi_url"].endswith("/api/v1/schema/")
    assert body["publisher"]["name"]


def test_every_published_desk_is_a_valid_fully_nested_service(client):
    for desk in Sportello.objects.published():
        body = get(client, f"/api/v1/services/{record_id('service', desk.pk)}?lang=en")
        assert_hsds(body, "service")
        assert body["service_at_locations"][0]["location"]["addresses"][0]["city"] == desk.comune.name


def test_organization_detail_is_valid_hsds(client):
    org = get(client, "/api/v1/organizations")["contents"][0]
    body = get(client, f"/api/v1/organizations/{org['id']}")
    assert_hsds(body, "organization")
    assert body["name"] == org["name"]


def test_ids_are_stable_uuids_that_name_their_kind():
    service_id = record_id("service", 7)
    assert service_id == record_id("service", 7)
    assert record_pk("service", service_id) == 7
    assert record_pk("organization", service_id) is None
    assert record_pk("service", "not-a-uuid") is None


def test_mapping_of_a_desk(client):
    desk = SportelloFactory(
        is_published=True,
        phone="02 0000 0000",
        email="sportello@example.org",
        what_to_bring="Passaporto\n\n- Codice fiscale\n",
        accessibility_notes="Ingresso senza gradini.",
        address="Via Roma 1, 20099 Sesto San Giovanni",
        latitude="45.53",
        longitude="9.23",
    )
    desk.categories.set([ServiceCategory.objects.get(key="permesso-soggiorno")])
    desk.languages.set([Language.objects.get(code="ar")])
    desk.served_comuni.set([Comune.objects.get(name="Monza")])
    OpeningSlot.objects.create(sportello=desk, weekday=2, opens=dt.time(9), closes=dt.time(12, 30))
    Closure.objects.create(
        sportello=desk, start_date=dt.date.today(), end_date=dt.date.today() + dt.timedelta(days=3), reason="Ferie"
    )
    body = get(client, f"/api/v1/services/{record_id('service', desk.pk)}")
    assert_hsds(body, "service")
    assert body["status"] == "temporarily closed" and "Ferie" in body["alert"]
    weekly = [s for s in body["schedules"] if s.get("freq")]
    assert weekly == [
        {
            **weekly[0],
            "freq": "WEEKLY",
            "byday": "WE",
            "opens_at": "09:00",
            "closes_at": "12:30",
        }
    ]
    closures = [s for s in body["schedules"] if "valid_from" in s]
    assert closures[0]["valid_from"] == dt.date.today().isoformat()
    # After the checklist of any guide for the desk's service (tests/test_desk_documents.py): its own lines.
    assert [d["document"] for d in body["required_documents"]][-2:] == ["Passaporto", "Codice fiscale"]
    assert body["phones"][0]["number"] == "02 0000 0000"
    assert body["contacts"][0]["email"] == "sportello@example.org"
    assert body["languages"][0]["code"] == "ar"
    assert body["attributes"][0]["taxonomy_term"]["code"] == "permesso-soggiorno"
    areas = [area["name"] for area in body["service_areas"]]
    assert desk.ambito.name in areas and "Monza" in areas
    location = body["service_at_locations"][0]["location"]
    assert location["accessibility"][0]["description"] == "Ingresso senza gradini."
    assert location["addresses"][0]["postal_code"] == "20099"
    assert location["latitude"] == 45.53


# --- only public data ----------------------------------------------------------------------------


def test_drafts_are_never_listed_nor_readable(client):
    draft = SportelloFactory(name="Bozza segreta", is_published=False)
    for url in ["/api/v1/services?per_page=100", "/api/v1/service_at_locations?per_page=100"]:
        assert "Bozza segreta" not in json.dumps(get(client, url))
    response = client.get(f"/api/v1/services/{record_id('service', draft.pk)}")
    assert response.status_code == 404
    assert "Bozza segreta" not in response.content.decode()


def test_no_personal_data_in_any_answer(client, mediatrice, operatore_sesto):
    from mediation.models import Mediator

    texts = []
    for url in [
        "/api/v1/services?per_page=100",
        "/api/v1/service_at_locations?per_page=100",
        "/api/v1/organizations?per_page=100",
    ]:
        texts.append(client.get(url).content.decode())
    for desk_id in [c["id"] for c in get(client, "/api/v1/services?per_page=100")["contents"]]:
        texts.append(client.get(f"/api/v1/services/{desk_id}").content.decode())
    everything = "\n".join(texts)
    for user in (mediatrice, operatore_sesto):
        assert user.username not in everything
        if user.email:
            assert user.email not in everything
    for mediator in Mediator.objects.all():
        assert mediator.last_name not in everything


def test_demo_rows_are_left_out_when_the_deployment_says_so(client, settings):
    settings.API_INCLUDE_DEMO = False
    assert get(client, "/api/v1/services")["total_items"] == 0
    assert get(client, "/api/v1/organizations")["total_items"] == 0
    real = SportelloFactory(is_published=True, is_demo=False, partner=PartnerFactory(is_demo=False))
    listed = get(client, "/api/v1/services")["contents"]
    assert [item["id"] for item in listed] == [record_id("service", real.pk)]
    assert get(client, "/api/v1/organizations")["total_items"] == 1


@pytest.mark.parametrize("persona", ["coordinatore", "operatore_sesto", "referente_scuola", "mediatrice"])
def test_every_persona_sees_exactly_what_the_public_sees(client, request, persona):
    SportelloFactory(name="Bozza dell'operatore", is_published=False)
    anonymous = get(client, "/api/v1/services?per_page=100")
    client.force_login(request.getfixturevalue(persona))
    assert get(client, "/api/v1/services?per_page=100") == anonymous


def test_writes_are_refused(client):
    assert client.post("/api/v1/services", {}).status_code in (403, 405)
    assert client.delete(f"/api/v1/services/{first_service_id(client)}").status_code in (403, 405)


# --- filters ---------------------------------------------------------------------------------------


def _names(client, query):
    return {item["name"] for item in get(client, f"/api/v1/services?per_page=100&{query}")["contents"]}


def test_filters_by_comune_postcode_category_language_and_organization(client):
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    by_comune = _names(client, f"comune={sesto.istat_code}")
    assert by_comune and all(d.ambito_id == sesto.ambito_id for d in Sportello.objects.filter(name__in=by_comune))
    assert _names(client, f"postcode={sesto.postcode_list[0]}") == by_comune
    arabic = _names(client, "language=ar")
    assert arabic == set(Sportello.objects.published().filter(languages__code="ar").values_list("name", flat=True))
    category = ServiceCategory.objects.filter(sportelli__is_published=True).first()
    by_key = _names(client, f"category={category.key}")
    assert by_key and by_key == _names(client, f"taxonomy_term_id={record_id('taxonomy_term', category.pk)}")
    org = get(client, "/api/v1/organizations")["contents"][0]
    for item in get(client, f"/api/v1/services?organization_id={org['id']}")["contents"]:
        assert item["organization_id"] == org["id"]
    assert _names(client, "postcode=99999") == set()
    assert _names(client, "comune=999999") == set()


def test_modified_after_and_search(client):
    desk = Sportello.objects.published().first()
    Sportello.objects.filter(pk=desk.pk).update(updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert _names(client, "modified_after=2029-12-31T00:00:00Z") == {desk.name}
    # an offset PostgreSQL would refuse (found by the fuzzer): read in UTC, not a 500
    assert _names(client, "modified_after=0439-08-10T03:52:52-21:28") >= {desk.name}
    word = desk.name.split()[-2]
    assert desk.name in _names(client, f"search={word}")


# --- paging and bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,field",
    [
        ("page=0", "page"),
        ("page=-3", "page"),
        ("page=abc", "page"),
        ("page=99999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=100000", "per_page"),
        ("per_page=1e3", "per_page"),
        ("modified_after=yesterday", "modified_after"),
        ("modified_after=0001-01-01T00:00:00%2B05:00", "modified_after"),
        ("postcode=2009", "postcode"),
        ("comune=ABC", "comune"),
        ("organization_id=42", "organization_id"),
        ("taxonomy_term_id=%00", "taxonomy_term_id"),
        ("language=Arabic", "language"),
        ("format=xml", "format"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, query, field):
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"][field]


def test_bad_parameter_message_is_in_the_language_asked_for(client):
    italian = client.get("/api/v1/services?page=0").json()["errors"]["page"][0]
    english = client.get("/api/v1/services?page=0&lang=en").json()["errors"]["page"][0]
    assert italian != english


def test_unknown_language_is_a_400(client):
    response = client.get("/api/v1/services?lang=xx")
    assert response.status_code == 400 and "it" in response.json()["detail"]


def test_paging_fields_and_a_page_beyond_the_last(client):
    total = Sportello.objects.published().count()
    first = get(client, "/api/v1/services?per_page=2")
    assert first["total_items"] == total and first["size"] == 2 and first["first_page"] and not first["last_page"]
    assert first["total_pages"] == -(-total // 2)
    last = get(client, f"/api/v1/services?per_page=2&page={first['total_pages']}")
    assert last["last_page"] and not last["empty"]
    beyond = get(client, f"/api/v1/services?per_page=2&page={first['total_pages'] + 1}")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    ids = [
        item["id"]
        for p in range(1, first["total_pages"] + 1)
        for item in get(client, f"/api/v1/services?per_page=2&page={p}")["contents"]
    ]
    assert len(ids) == len(set(ids)) == total


def test_unknown_ids_are_404(client):
    for url in [
        "/api/v1/services/nope",
        f"/api/v1/services/{record_id('organization', 1)}",
        f"/api/v1/services/{record_id('service', 10**9)}",
        "/api/v1/organizations/00000000-0000-0000-0000-000000000000",
    ]:
        response = client.get(url)
        assert response.status_code == 404 and response.json()["detail"]


# --- languages --------------------------------------------------------------------------------------


def test_translated_fields_follow_lang_then_accept_language_and_fall_back_to_italian(client):
    desk = SportelloFactory(is_published=True, name_it="Sportello di prova", name_en="Test desk")
    url = f"/api/v1/services/{record_id('service', desk.pk)}"
    assert get(client, url)["name"] == "Sportello di prova"
    assert get(client, f"{url}?lang=en")["name"] == "Test desk"
    assert get(client, url, HTTP_ACCEPT_LANGUAGE="en")["name"] == "Test desk"
    assert get(client, f"{url}?lang=it", HTTP_ACCEPT_LANGUAGE="en")["name"] == "Sportello di prova"
    french = client.get(f"{url}?lang=fr")
    assert french.json()["name"] == "Sportello di prova"  # no French name: Italian
    assert french["Content-Language"] == "fr"
    arabic = get(client, f"{url}?lang=ar")
    assert arabic["url"].startswith("http://testserver/ar/")
    term = get(client, "/api/v1/taxonomy_terms?lang=en")["contents"][0]
    assert term["language"] == "en"
    assert term["name"] == ServiceCategory.objects.get(pk=record_pk("taxonomy_term", term["id"])).name_en


# --- validators, CORS, rate limit ----------------------------------------------------------------


def test_etag_and_last_modified_on_every_answer_and_304_on_revalidation(client, django_assert_num_queries):
    for url in ["/api/v1/", "/api/v1/services", f"/api/v1/services/{first_service_id(client)}", "/api/v1/taxonomies"]:
        response = client.get(url)
        assert response["ETag"] and response["Last-Modified"]
        with django_assert_num_queries(0):
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["ETag"] == response["ETag"]
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304


def test_a_change_gives_a_new_etag(client, django_capture_on_commit_callbacks):
    before = client.get("/api/v1/services")["ETag"]
    desk = Sportello.objects.published().first()
    with django_capture_on_commit_callbacks(execute=True):
        desk.name_it = "Nuovo nome"
        desk.save()
    after = client.get("/api/v1/services", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


def test_etag_depends_on_language_and_query(client):
    etags = {
        client.get(url)["ETag"] for url in ["/api/v1/services", "/api/v1/services?lang=en", "/api/v1/services?page=2"]
    }
    assert len(etags) == 3


def test_cors_allows_any_origin_to_read_the_api_only(client):
    response = client.get("/api/v1/services", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/services", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/it/sportelli/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_rate_limit_per_address(client, settings):
    settings.API_RATE = "3/min"
    address = f"198.51.100.{dt.datetime.now().microsecond % 250}"
    codes = [client.get("/api/v1/taxonomies", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/taxonomies", REMOTE_ADDR="203.0.113.9").status_code == 200


# --- query counts ---------------------------------------------------------------------------------


@pytest.fixture
def many_desks(db):
    arabic = Language.objects.get(code="ar")
    desks = SportelloFactory.create_batch(60, is_published=True)
    for desk in desks:
        desk.languages.add(arabic)
        OpeningSlot.objects.create(sportello=desk, weekday=0, opens=dt.time(9), closes=dt.time(12))
        Closure.objects.create(sportello=desk, start_date=dt.date(2030, 8, 1), end_date=dt.date(2030, 8, 20))
    return desks


@pytest.mark.parametrize("url", ["/api/v1/services", "/api/v1/service_at_locations"])
def test_list_queries_are_few_and_do_not_grow_with_the_page(client, many_desks, url):
    client.get("/api/v1/")  # the per-generation validator state is read once, before
    counts = {}
    for per_page in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            body = get(client, f"{url}?per_page={per_page}&language=ar")
        assert body["size"] == per_page
        counts[per_page] = len(queries)
    assert counts[5] == counts[50] <= 10, counts


def test_services_list_at_50_is_pinned(client, many_desks, django_assert_max_num_queries):
    client.get("/api/v1/")
    with django_assert_max_num_queries(10):
        get(client, "/api/v1/services?per_page=50")


# --- data package -----------------------------------------------------------------------------------


def _package(client) -> zipfile.ZipFile:
    response = client.get("/api/v1/datapackage.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["ETag"] and response["Last-Modified"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_data_package_holds_every_table_with_its_schema(client):
    from api import datapackage

    datapackage.build_and_store()
    archive = _package(client)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        header = archive.read(resource["path"]).decode().splitlines()[0].split(",")
        assert header == [field["name"] for field in resource["schema"]["fields"]]
    services = archive.read("services.csv").decode()
    for desk in Sportello.objects.published():
        assert record_id("service", desk.pk) in services
    assert "Bozza" not in services


def test_data_package_is_rebuilt_after_a_desk_changes(client, django_capture_on_commit_callbacks):
    from api import datapackage

    datapackage.build_and_store()
    from ops.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        SportelloFactory(name="Sportello appena aperto", is_published=True)
        SportelloFactory(name="Altro sportello appena aperto", is_published=True)
        # Once per transaction: the second change finds the rebuild already waiting.
        assert OutboxMessage.objects.filter(task="api.tasks.rebuild_datapackage").count() == 1
    assert "Sportello appena aperto" in _package(client).read("services.csv").decode()


def test_data_package_revalidates(client):
    first = client.get("/api/v1/datapackage.zip")
    again = client.get("/api/v1/datapackage.zip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# --- the journey in the "Done when" ------------------------------------------------------


def test_an_hsds_client_finds_arabic_speaking_desks_near_a_postcode_reads_one_and_downloads_all(client):
    root = get(client, "/api/v1/")
    schema = client.get(root["openapi_url"].replace("http://testserver", ""))
    assert schema.status_code == 200 and "/api/v1/services" in schema.json()["paths"]
    cap = Comune.objects.get(name="Sesto San Giovanni").postcode_list[0]
    found = get(client, f"/api/v1/service_at_locations?postcode={cap}&language=ar&lang=ar")
    assert_page(found, "service_at_location")
    assert found["total_items"] >= 1
    services = [get(client, f"/api/v1/services/{item['service_id']}?lang=ar") for item in found["contents"]]
    for service in services:
        assert_hsds(service, "service")
        assert "ar" in {lang["code"] for lang in service["languages"]}
        assert any(s.get("opens_at") for s in service["schedules"])
    # The demo desk in Sesto has its own extra document translated into Arabic (other desks
    # near the postcode may come first: the list is ordered by distance).
    service = next(s for s in services if any("رقم الملف" in d["document"] for d in s.get("required_documents", [])))
    service_id = service["id"]
    archive = _package(client)
    assert service_id in archive.read("services.csv").decode()
    assert service_id in archive.read("schedules.csv").decode()


# --- OpenAPI schema and docs ----------------------------------------------------------------------


def test_openapi_schema_describes_every_endpoint_with_hsds_components(client):
    schema = client.get("/api/v1/schema/").json()
    assert {"/api/v1/services", "/api/v1/services/{id}", "/api/v1/organizations", "/api/v1/taxonomy_terms"} <= set(
        schema["paths"]
    )
    assert "hsds_service" in schema["components"]["schemas"]
    listing = schema["paths"]["/api/v1/services"]["get"]
    assert {"page", "per_page", "postcode", "language", "taxonomy_term_id"} <= {
        p["name"] for p in listing["parameters"]
    }


def test_docs_pages_load_their_assets_locally(client):
    for url in ["/api/v1/docs/"]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html and "<style" not in html


# --- benchmark ---------------------------------------------------------------------------------------


def test_benchmark_judges_the_api_pages_by_their_own_targets():
    from benchmarks import run
    from benchmarks.run import Measurement

    def measured(rate):
        return Measurement(requests=rate, seconds=1.0, requests_per_second=rate)

    not_modified = run.Page("304", run.API_LIST.path, gated=True, target=run.API_NOT_MODIFIED_TARGET)
    rows = run.build_rows([measured(1000)] * 3, [run.API_LIST, not_modified], [measured(130), measured(450)], 0.6)
    assert [row.verdict for row in rows[1:]] == ["PASS", "FAIL"]
    assert "≥ 10% PASS" in run.format_table(rows) and "≥ 50% FAIL" in run.format_markdown(rows)


def test_search_finds_the_italian_text_whatever_the_language_asked_for(client):
    desk = SportelloFactory(is_published=True, name_it="Sportello Zanzibar", name_ar="مكتب")
    found = get(client, "/api/v1/services?search=zanzibar&lang=ar")["contents"]
    assert [item["id"] for item in found] == [record_id("service", desk.pk)]
    assert found[0]["name"] == "مكتب"
