"""Edges found by the production review: host-independent cached links, junk query strings,
login lock-out per account and address, stale admin saves, control characters, the 404
language menu, /healthz over http, the landing page after login, downloads via nginx."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from labimpact import caching
from reports.models import Activity, BeneficiaryGroup
from territories.models import Ambito
from tests.factories import SportelloFactory
from tests.test_back_office import _activity_post
from tests.test_project import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return SportelloFactory(name="Sportello bordi", slug="sportello-bordi", is_published=True)


# --- absolute links and the page cache ------------------------------------------------


def test_absolute_links_come_from_site_url_not_from_the_host_header(client, settings, desk):
    settings.SITE_URL = "https://labimpact.example.it"
    for url in (
        reverse("services:sportello", kwargs={"slug": desk.slug}),
        reverse("services:poster", kwargs={"slug": desk.slug}),
    ):
        page = client.get(url, HTTP_HOST="localhost").content.decode()
        assert "//localhost" not in page
        assert "https://labimpact.example.it/it/" in page
    detail = client.get(reverse("services:sportello", kwargs={"slug": desk.slug})).content.decode()
    assert f'"url": "https://labimpact.example.it/it/sportelli/{desk.slug}/"' in detail.replace("\\/", "/") or (
        f"https://labimpact.example.it/it/sportelli/{desk.slug}/" in detail
    )


def test_hreflang_alternates_use_the_site_url(client, settings):
    settings.SITE_URL = "https://labimpact.example.it"
    page = client.get(reverse("home"), HTTP_HOST="localhost").content.decode()
    assert 'hreflang="ar" href="https://labimpact.example.it/ar/"' in page


def test_without_site_url_the_host_is_part_of_the_cache_key(client, settings):
    settings.SITE_URL = ""
    client.get(reverse("home"), HTTP_HOST="localhost")
    page = client.get(reverse("home"), HTTP_HOST="127.0.0.1").content.decode()
    assert "//localhost" not in page


def test_junk_parameters_neither_create_cache_entries_nor_reach_the_page(client, desk, django_assert_num_queries):
    url = reverse("services:search")
    client.get(url, {"q": "Sesto San Giovanni"})
    with django_assert_num_queries(0):
        for n in range(5):
            response = client.get(url, {"utm_source": f"x{n}", "q": "Sesto San Giovanni", "fbclid": n})
            assert response.status_code == 200
    assert "utm_source" not in response.content.decode()


def test_parameter_order_does_not_make_a_new_entry(client, django_assert_num_queries):
    url = reverse("services:search")
    client.get(url + "?q=Sesto&open_now=on")
    with django_assert_num_queries(0):
        client.get(url + "?open_now=on&q=Sesto")


def test_parameters_a_page_reads_still_make_their_own_entry(client, desk):
    url = reverse("services:search")
    client.get(url)
    filtered = client.get(url, {"q": "zzzz-nessun-comune", "utm": "1"})
    assert "Sportello bordi" not in filtered.content.decode()


def test_cache_key_is_canonical(rf):
    request = rf.get("/it/sportelli/?utm=1&q=a&page=2&zz=3")
    caching._canonicalise(request, ("q", "page"))
    assert request.META["QUERY_STRING"] == "page=2&q=a"
    assert dict(request.GET) == {"page": ["2"], "q": ["a"]}


# --- login lock-out ----------------------------------------------------------------------


def _login(client, username, password, address):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_that_account_from_that_address_only(client):
    for _ in range(5):
        _login(client, "operatore_sesto", "wrong-password", "10.0.0.1")
    assert _login(client, "operatore_sesto", "labimpact-demo", "10.0.0.1").status_code == 429
    # Colleagues behind the same proxy still log in.
    assert _login(client, "operatore_cremona", "labimpact-demo", "10.0.0.1").status_code == 302


def test_guesses_spread_over_addresses_lock_the_account(client, settings):
    for address in ("10.0.1.1", "10.0.1.2", "10.0.1.3"):
        for _ in range(4):  # under the per-address limit each time
            _login(client, "operatore_cremona", "wrong-password", address)
    # 12 ≥ AXES_ACCOUNT_FAILURE_LIMIT (10): locked from any address, even with the password.
    assert _login(client, "operatore_cremona", "labimpact-demo", "10.0.1.9").status_code == 429
    assert _login(client, "operatore_sesto", "labimpact-demo", "10.0.1.9").status_code == 302


def test_client_address_comes_from_the_trusted_proxy_header(client, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    client.post(
        reverse("admin:login"),
        {"username": "mediatrice", "password": "wrong-password"},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_REAL_IP="203.0.113.7",
    )
    assert AccessAttempt.objects.filter(username="mediatrice").get().ip_address == "203.0.113.7"


# --- stale and concurrent admin saves ------------------------------------------------------


def test_a_stale_form_adding_a_row_another_tab_added_answers_a_form_error(login):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    client = login("operatore_sesto")
    client.post(reverse("admin:reports_activity_add"), _activity_post(sesto, title="Laboratorio conteso"))
    activity = Activity.objects.get(title="Laboratorio conteso")
    # The other tab still shows the activity without rows and adds one the first tab saved.
    stale = _activity_post(sesto, title="Laboratorio conteso", declared_total="7")
    stale.update({"beneficiaries-TOTAL_FORMS": "1", "beneficiaries-INITIAL_FORMS": "0"})
    for key in [k for k in stale if k.startswith("beneficiaries-1-")]:
        del stale[key]
    response = client.post(reverse("admin:reports_activity_change", args=[activity.pk]), stale)
    # The form again with the reason: the service's error on the form (access.admin), or
    # the conflict message when the database itself refused (labimpact/admin_conflicts.py).
    assert response.status_code in (200, 409)
    page = response.content.decode()
    assert "errornote" in page or "qualcun altro ha modificato" in page
    assert BeneficiaryGroup.objects.filter(activity=activity).count() == 2  # nothing written
    activity.refresh_from_db()
    assert activity.declared_total == 12


# --- control characters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/it/segnalazioni/grazie/?sportello=%00",
        "/it/sportelli/?q=%00",
        "/it/sportelli/?q=a%01b",
        "/it/cerca/?q=%7F",
        "/comuni/suggerimenti/?q=%00",
    ],
)
def test_control_characters_in_parameters_answer_400(client, url):
    assert client.get(url).status_code == 400


def test_control_characters_in_admin_lookups_answer_400(login):
    client = login("coordinatore")
    assert (
        client.get(
            reverse("admin:autocomplete") + "?term=%00&app_label=services&model_name=sportello&field_name=ambito"
        ).status_code
        == 400
    )
    assert client.get(reverse("admin:services_sportello_changelist") + "?q=%00").status_code == 400
    assert client.get(reverse("admin:services_sportello_changelist") + "?ambito__id__exact=%00").status_code == 400


@pytest.mark.parametrize("multipart", [False, True])
def test_nul_in_a_posted_form_answers_400_or_a_form_error_and_writes_nothing(client, multipart):
    from urllib.parse import urlencode

    from feedback.models import Report

    before = Report.objects.count()
    data = {"comune": "Sesto\x00", "desk_name": "x", "message": "y"}
    url = reverse("feedback:missing_desk")
    if multipart:  # the form refuses it (Django's CharField rejects NUL)
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    else:  # the middleware refuses it before any view
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400
    assert Report.objects.count() == before


def test_line_breaks_in_a_posted_form_are_fine(client):
    response = client.post(
        reverse("feedback:missing_desk"),
        {"comune": "Sesto San Giovanni", "desk_name": "x", "message": "riga\r\nriga\t"},
    )
    assert response.status_code == 302


# --- error pages, redirects, login landing ---------------------------------------------------


def test_404_language_menu_never_links_to_another_host(client):
    # (PATH_INFO: the test client would read "//evil.com" as a host and drop it.)
    response = client.get("/", PATH_INFO="//evil.com/it/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "evil.com" not in page
    assert 'href="/en/"' in page


def test_language_menu_keeps_the_page_on_resolved_paths(client, desk):
    page = client.get(reverse("services:sportello", kwargs={"slug": desk.slug})).content.decode()
    assert f'href="/ar/sportelli/{desk.slug}/"' in page


def test_healthz_is_answered_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/it/").status_code == 301


def test_healthz_answers_a_probe_that_names_the_container_by_its_address(client, settings):
    # docker compose's health check and load balancers ask http://<ip>:8000/healthz.
    settings.ALLOWED_HOSTS = ["labimpact.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code in (200, 503)
    assert client.get("/it/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_login_without_next_lands_in_the_back_office(client):
    response = client.post(
        reverse("admin:login") + "?next=//evil.com/", {"username": "coordinatore", "password": "labimpact-demo"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_production_settings_exempt_healthz_and_land_in_the_admin():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))}
    env.update(GOOD, DJANGO_SETTINGS_MODULE="labimpact.settings.production")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_REDIRECT_EXEMPT, s.LOGIN_REDIRECT_URL, s.SITE_URL, "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.CACHES['default']['OPTIONS']['socket_timeout'])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [
        "True", "['^healthz$']", "admin:index", "https://labimpact.example.org", "True", "0.25",
    ], result.stderr  # fmt: skip


# --- downloads -----------------------------------------------------------------------------


def _material_file():
    from django.core.files.base import ContentFile

    from content.models import Material, MaterialFile

    material = Material.objects.filter(is_published=True).first()
    existing = material.files.first()
    if existing is not None:
        return existing
    return MaterialFile.objects.create(material=material, language="it", file=ContentFile(b"%PDF-1.4\n", name="x.pdf"))


def test_downloads_are_handed_to_nginx_when_configured(client, settings):
    settings.DOWNLOADS_X_ACCEL_PREFIX = "/protected-media/"
    item = _material_file()
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{item.file.name}"
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"] or item.kind.is_image


def test_downloads_are_streamed_by_django_otherwise(client, settings):
    settings.DOWNLOADS_X_ACCEL_PREFIX = ""
    response = client.get(_material_file().get_absolute_url())
    assert response.status_code == 200 and response.streaming
    assert "X-Accel-Redirect" not in response
