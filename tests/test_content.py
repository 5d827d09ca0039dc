"""Materials and news: uploads refused by content, safe downloads, language order, scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from content import uploads
from content.demo_files import pdf, png
from content.models import Material, MaterialFile, News
from content.services import material_file_save, material_save, news_save
from services.models import ServiceCategory
from territories.models import Ambito
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


@pytest.fixture
def media(settings, tmp_path):
    """Uploads of this test go to a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _sesto():
    return Ambito.objects.get(slug="sesto-san-giovanni")


def _cremona():
    return Ambito.objects.get(slug="cremonese-casalasco")


def _material(by, *, slug="volantino-prova", ambito=None, published=True):
    material = Material(slug=slug, title_it=f"Volantino {slug}", ambito=ambito, is_published=published)
    return material_save(material=material, by=by)


def _upload(material, by, name, data, language="it", content_type="application/octet-stream"):
    material_file = MaterialFile(
        material=material, language=language, file=SimpleUploadedFile(name, data, content_type=content_type)
    )
    return material_file_save(material_file=material_file, by=by)


def _stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


# --- uploads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("pagina.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bad_type"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "bad_type"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "bad_type"),
        ("finto.pdf", b"<html><body>not a pdf</body></html>", "bad_type"),
        ("finto.png", b"GIF89a\x01\x00\x01\x00", "bad_type"),
        ("programma.exe", b"MZ\x90\x00\x03\x00\x00\x00", "bad_type"),
        ("documento.pdf.html", pdf(["x"]), "extension_mismatch"),
        ("immagine.png", pdf(["x"]), "extension_mismatch"),
        ("documento.pdf", png(), "extension_mismatch"),
        ("senza-estensione", pdf(["x"]), "extension_mismatch"),
        ("vuoto.pdf", b"", "empty"),
        ("enorme.pdf", b"%PDF-1.4\n" + b"0" * uploads.MAX_UPLOAD_BYTES, "too_big"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_leave_nothing(media, coordinatore, name, data, code):
    material = _material(coordinatore)
    with pytest.raises(ValidationError) as info:
        _upload(material, coordinatore, name, data, content_type="application/pdf")
    errors = info.value.error_dict["file"]
    assert [e.code for e in errors] == [code]
    assert all(str(message) for message in info.value.message_dict["file"])
    assert not MaterialFile.objects.filter(material=material).exists()
    assert _stored_files(media) == []


def test_upload_messages_name_the_problem():
    big = SimpleUploadedFile("enorme.pdf", b"%PDF-" + b"0" * (uploads.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ValidationError) as info:
        uploads.inspect_upload(big)
    assert "10,0" in info.value.messages[0] and "MB" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        uploads.inspect_upload(SimpleUploadedFile("immagine.png", pdf(["x"])))
    assert info.value.messages == [
        "Il nome del file termina con «.png» ma il contenuto è un PDF: rinominalo in «.pdf»."
    ]
    with pytest.raises(ValidationError) as info:
        uploads.inspect_upload(SimpleUploadedFile("logo.svg", b"<svg/>"))
    assert "solo documenti PDF e immagini PNG o JPEG" in info.value.messages[0]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Volantino.PDF", pdf(["x"]), "application/pdf"),
        ("poster.png", png(), "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
    ],
)
def test_good_uploads_are_stored_under_our_name_with_the_type_read_from_the_content(
    media, coordinatore, name, data, content_type
):
    material = _material(coordinatore)
    # The browser's declared type is ignored: it could say anything.
    saved = _upload(material, coordinatore, name, data, content_type="text/html")
    assert saved.content_type == content_type
    assert saved.size == len(data)
    stored = saved.file.name
    assert stored.startswith("materiali/") and name.split(".")[0] not in stored
    assert (media / stored).read_bytes() == data


def test_one_file_per_language(media, coordinatore):
    material = _material(coordinatore)
    _upload(material, coordinatore, "a.pdf", pdf(["a"]))
    with pytest.raises(ValidationError):
        _upload(material, coordinatore, "b.pdf", pdf(["b"]))
    assert material.files.count() == 1


def test_replaced_and_deleted_files_leave_no_orphans(media, coordinatore, django_capture_on_commit_callbacks):
    material = _material(coordinatore)
    with django_capture_on_commit_callbacks(execute=True):
        first = _upload(material, coordinatore, "a.pdf", pdf(["a"]))
    old_name = first.file.name
    first.file = SimpleUploadedFile("b.png", png())
    with django_capture_on_commit_callbacks(execute=True):
        material_file_save(material_file=first, by=coordinatore)
    assert not (media / old_name).exists()
    assert (media / first.file.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert _stored_files(media) == []


def test_admin_upload_of_a_disguised_page_is_refused_and_nothing_is_saved(media, login):
    before = Material.objects.count()
    data = {
        "ambito": _sesto().pk,
        "title_it": "Volantino con sorpresa",
        "slug": "volantino-con-sorpresa",
        "description_it": "",
        "macro_azione": "",
        "is_published": "on",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-language": "ar",
        "files-0-file": SimpleUploadedFile("volantino.pdf", b"<html><script>alert(1)</script></html>"),
    }
    response = login("operatore_sesto").post(reverse("admin:content_material_add"), data)
    assert response.status_code == 200
    assert "Si possono caricare solo documenti PDF e immagini PNG o JPEG" in response.content.decode()
    assert Material.objects.count() == before
    assert _stored_files(media) == []

    data["files-0-file"] = SimpleUploadedFile("volantino.pdf", pdf(["ok"]))
    response = login("operatore_sesto").post(reverse("admin:content_material_add"), data)
    assert response.status_code == 302
    material = Material.objects.get(slug="volantino-con-sorpresa")
    assert material.ambito == _sesto()
    assert material.files.get().content_type == "application/pdf"
    assert material.history.get().history_user.username == "operatore_sesto"


def test_admin_file_input_accepts_only_pdf_and_images(login):
    html = login("coordinatore").get(reverse("admin:content_material_add")).content.decode()
    assert f'accept="{uploads.ACCEPT}"' in html
    assert 'enctype="multipart/form-data"' in html


# --- downloads ---------------------------------------------------------------------------


def test_pdf_downloads_as_an_attachment_with_its_real_type(client):
    response = client.get("/ar/materiali/permesso-di-soggiorno-in-breve-demo/ar/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="permesso-di-soggiorno-in-breve-demo-ar.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_images_open_inline_but_sandboxed(client):
    response = client.get("/it/materiali/locandina-sportello-sesto-demo/it/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_stored_content_type_is_what_gets_served_whatever_the_file_name(media, client, coordinatore):
    material = _material(coordinatore, slug="nome-strano")
    _upload(material, coordinatore, "pagina.pdf", pdf(["x"]), content_type="text/html")
    response = client.get("/it/materiali/nome-strano/it/")
    assert response["Content-Type"] == "application/pdf"
    assert "html" not in response["Content-Disposition"]


def test_files_of_drafts_unknown_languages_or_lost_files_answer_404(media, client, coordinatore):
    draft = _material(coordinatore, slug="bozza", published=False)
    _upload(draft, coordinatore, "a.pdf", pdf(["a"]))
    assert client.get("/it/materiali/bozza/it/").status_code == 404
    assert client.get("/it/materiali/permesso-di-soggiorno-in-breve-demo/de/").status_code == 404
    assert client.get("/it/materiali/corsi-italiano-adulti-cremonese-demo/ar/").status_code == 404
    lost = _material(coordinatore, slug="perso")
    material_file = _upload(lost, coordinatore, "a.pdf", pdf(["a"]))
    material_file.file.storage.delete(material_file.file.name)
    assert client.get("/it/materiali/perso/it/").status_code == 404


def test_uploads_are_not_served_from_the_media_url(client):
    stored = MaterialFile.objects.filter(content_type="application/pdf").first().file.name
    assert client.get(f"{settings.MEDIA_URL}{stored}").status_code == 404


# --- the materials page ------------------------------------------------------------------


def _section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_materials_in_the_readers_language_come_first_then_the_others_marked(client):
    html = client.get("/ar/materiali/").content.decode()
    own = _section(html, "materials-own")
    other = _section(html, "materials-other")
    assert html.index('id="materials-own"') < html.index('id="materials-other"')
    # In Arabic: the regional leaflet, Sesto's school leaflet and poster, the health leaflet.
    for slug in [
        "permesso-di-soggiorno-in-breve-demo",
        "iscrizione-scuola-sesto-demo",
        "locandina-sportello-sesto-demo",
        "servizio-sanitario-iscrizione-demo",
    ]:
        assert f'id="{slug}"' in own
        assert f'href="/ar/materiali/{slug}/ar/"' in own
    assert "تصريح الإقامة باختصار (تجريبي)" in own
    # Only in Italian: listed after, with the language named in its own language and marked up.
    assert 'id="corsi-italiano-adulti-cremonese-demo"' in other
    assert 'id="corsi-italiano-adulti-cremonese-demo"' not in own
    link = re.search(r'<a href="/ar/materiali/corsi-italiano-adulti-cremonese-demo/it/"[^>]*>(.*?)</a>', other, re.S)
    assert link and 'hreflang="it"' in link.group(0) and 'type="application/pdf"' in link.group(0)
    assert '<span lang="it" dir="ltr">italiano</span>' in link.group(1)
    assert re.search(r"PDF, \d+\W*بايت\)", link.group(1))


def test_italian_reader_finds_the_leaflet_not_yet_in_italian_among_other_languages(client):
    html = client.get("/it/materiali/").content.decode()
    other = _section(html, "materials-other")
    assert 'id="servizio-sanitario-iscrizione-demo"' in other
    for code in ("ar", "ur"):
        assert f'<span lang="{code}" dir="rtl">{translation.get_language_info(code)["name_local"]}</span>' in other
    assert re.search(r"Arabo, PDF, \d+\W*byte", other)
    assert re.search(r"Urdu, PNG, \d+\W*byte", other)
    # A material in the reader's language also offers its other languages.
    own = _section(html, "materials-own")
    assert 'href="/it/materiali/permesso-di-soggiorno-in-breve-demo/zh-hans/"' in own


def test_untranslated_material_text_falls_back_to_italian_marked_as_such(client):
    html = client.get("/bn/materiali/").content.decode()
    marked = '<span lang="it" dir="ltr" data-fallback-lang="it">'
    assert f"{marked}Chi è il mediatore linguistico-culturale (demo)</span>" in html
    assert html.count('class="fallback-notice') == 1


def test_demo_materials_and_news_carry_the_demo_badge(client):
    assert "demo-badge" in client.get("/it/materiali/").content.decode()
    assert "demo-badge" in client.get("/it/notizie/").content.decode()
    assert "demo-badge" in client.get("/it/notizie/lab-impact-35-ambiti-demo/").content.decode()


def test_category_filter_is_a_plain_get_form(client):
    html = client.get("/it/materiali/", {"category": "corsi-italiano"}).content.decode()
    assert 'id="corsi-italiano-adulti-cremonese-demo"' in html
    assert 'id="permesso-di-soggiorno-in-breve-demo"' not in html
    assert '<form method="get"' in html and 'name="category"' in html


@pytest.mark.parametrize("value", ["non-esiste", "<script>", "x" * 500])
def test_unknown_category_answers_200_with_a_message(client, value):
    response = client.get("/it/materiali/", {"category": value})
    assert response.status_code == 200
    assert "Questo argomento non esiste" in response.content.decode()


def test_drafts_and_materials_without_files_are_not_listed(media, client, coordinatore):
    _material(coordinatore, slug="senza-file")
    draft = _material(coordinatore, slug="in-bozza", published=False)
    _upload(draft, coordinatore, "a.pdf", pdf(["a"]))
    html = client.get("/it/materiali/").content.decode()
    assert 'id="senza-file"' not in html and 'id="in-bozza"' not in html


def test_materials_page_query_count_does_not_grow_with_materials(
    media, client, coordinatore, django_assert_num_queries
):
    with django_assert_num_queries(4):
        client.get("/ar/materiali/")
    category = ServiceCategory.objects.get(key="lavoro")
    for number in range(8):
        material = _material(coordinatore, slug=f"altro-{number}", ambito=_cremona())
        material.categories.add(category)
        for language in ("it", "fr", "uk"):
            _upload(material, coordinatore, "a.pdf", pdf(["a"]), language=language)
    with django_assert_num_queries(4):
        html = client.get("/ar/materiali/").content.decode()
    assert 'id="altro-7"' in html
    with django_assert_num_queries(5):  # + the chosen category
        client.get("/ar/materiali/", {"category": "lavoro"})


# --- news --------------------------------------------------------------------------------


DEMO_NEWS_NEWEST_FIRST = [
    "materiali-in-piu-lingue-demo",
    "laboratori-italiano-scuole-sesto-demo",
    "corso-mediatori-cremonese-demo",
    "terre-di-inclusione-rete-demo",
    "lab-impact-35-ambiti-demo",
]


def _news_slugs(html):
    return re.findall(r'href="/\w+(?:-\w+)?/notizie/([\w-]+)/"', html)


def test_news_are_listed_newest_first(client):
    assert _news_slugs(client.get("/it/notizie/").content.decode()) == DEMO_NEWS_NEWEST_FIRST


def test_news_filter_by_ambito_or_regional(client):
    html = client.get("/it/notizie/", {"ambito": "cremonese-casalasco"}).content.decode()
    assert _news_slugs(html) == ["corso-mediatori-cremonese-demo", "terre-di-inclusione-rete-demo"]
    html = client.get("/it/notizie/", {"ambito": "regione"}).content.decode()
    assert _news_slugs(html) == ["materiali-in-piu-lingue-demo", "lab-impact-35-ambiti-demo"]


@pytest.mark.parametrize("value", ["bergamo", "<b>", "1"])
def test_unknown_news_filter_answers_200_with_a_message(client, value):
    response = client.get("/it/notizie/", {"ambito": value})
    assert response.status_code == 200
    assert "Non ci sono notizie per questo territorio" in response.content.decode()


def test_news_are_paginated_and_the_filter_survives_the_pages(client, coordinatore, django_assert_num_queries):
    start = timezone.now() - dt.timedelta(days=1)
    for number in range(12):
        news_save(
            news=News(
                slug=f"notizia-{number}",
                title_it=f"Notizia {number}",
                ambito=_sesto(),
                published_at=start - dt.timedelta(hours=number),
                is_published=True,
            ),
            by=coordinatore,
        )
    with django_assert_num_queries(3):
        first = client.get("/it/notizie/", {"ambito": "sesto-san-giovanni"}).content.decode()
    assert _news_slugs(first) == [f"notizia-{n}" for n in range(10)]
    assert 'href="?ambito=sesto-san-giovanni&amp;page=2"' in first
    second = client.get("/it/notizie/", {"ambito": "sesto-san-giovanni", "page": "2"}).content.decode()
    assert _news_slugs(second) == ["notizia-10", "notizia-11", "laboratori-italiano-scuole-sesto-demo"]
    assert client.get("/it/notizie/", {"page": "abc"}).status_code == 200


def test_draft_or_future_news_is_404_and_not_listed(client, coordinatore):
    draft = news_save(news=News(slug="bozza", title_it="Bozza"), by=coordinatore)
    future = news_save(
        news=News(
            slug="domani",
            title_it="Domani",
            is_published=True,
            published_at=timezone.now() + dt.timedelta(days=1),
        ),
        by=coordinatore,
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404
    listed = _news_slugs(client.get("/it/notizie/").content.decode())
    assert "bozza" not in listed and "domani" not in listed
    assert "/it/notizie/domani/" not in client.get("/sitemap.xml").content.decode()
    future.published_at = timezone.now() - dt.timedelta(minutes=1)
    news_save(news=future, by=coordinatore)
    assert client.get(future.get_absolute_url()).status_code == 200


def test_news_page_in_arabic_reads_in_arabic_with_its_date(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/ar/notizie/corso-mediatori-cremonese-demo/")
    html = response.content.decode()
    assert "منطقة كريمونا وكازالاسكو" in html
    assert '<time datetime="2021-05-10T12:00:00+02:00">' in html
    assert 'class="fallback-notice' not in html


def test_news_sitemap_lists_published_news_in_every_language(client):
    xml = client.get("/sitemap.xml").content.decode()
    for code in LANGUAGE_CODES:
        assert f"<loc>http://testserver/{code}/notizie/lab-impact-35-ambiti-demo/</loc>" in xml
        assert f"<loc>http://testserver/{code}/materiali/</loc>" in xml


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_content_page_answers_in_every_language(client, language):
    with translation.override(language):
        urls = [
            reverse("content:materials"),
            reverse("content:news_list"),
            reverse("content:news", args=["terre-di-inclusione-rete-demo"]),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode()


# --- scope: the back office --------------------------------------------------------------

# The content changelists and add pages are in the page matrix (tests/test_permissions.py).
# Object pages: (record, personas that open it, personas told it does not exist); the
# other personas get 403. Regional rows (no ambito) belong to the Regione.
OBJECTS = [
    ("material_sesto", {"coordinatore", "operatore_sesto"}, {"operatore_cremona"}),
    ("material_cremona", {"coordinatore", "operatore_cremona"}, {"operatore_sesto"}),
    ("material_regional", {"coordinatore"}, {"operatore_sesto", "operatore_cremona"}),
    ("news_sesto", {"coordinatore", "operatore_sesto"}, {"operatore_cremona"}),
    ("news_cremona", {"coordinatore", "operatore_cremona"}, {"operatore_sesto"}),
    ("news_regional", {"coordinatore"}, {"operatore_sesto", "operatore_cremona"}),
]


def _target(name):
    return {
        "material_sesto": lambda: Material.objects.get(slug="locandina-sportello-sesto-demo"),
        "material_cremona": lambda: Material.objects.get(slug="corsi-italiano-adulti-cremonese-demo"),
        "material_regional": lambda: Material.objects.get(slug="permesso-di-soggiorno-in-breve-demo"),
        "news_sesto": lambda: News.objects.get(slug="laboratori-italiano-scuole-sesto-demo"),
        "news_cremona": lambda: News.objects.get(slug="corso-mediatori-cremonese-demo"),
        "news_regional": lambda: News.objects.get(slug="lab-impact-35-ambiti-demo"),
    }[name]()


@pytest.mark.parametrize("persona", PERSONAS[:-1])
@pytest.mark.parametrize(("target", "opens", "hidden"), OBJECTS, ids=[t for t, _, _ in OBJECTS])
def test_change_page_matrix(login, persona, target, opens, hidden):
    obj = _target(target)
    url = reverse(f"admin:content_{obj._meta.model_name}_change", args=[obj.pk])
    expected = 200 if persona in opens else 404 if persona in hidden else 403
    assert login(persona).get(url).status_code == expected


def test_operator_of_sesto_cannot_edit_or_delete_cremonas_material_by_url(login):
    material = Material.objects.get(slug="corsi-italiano-adulti-cremonese-demo")
    client = login("operatore_sesto")
    change = reverse("admin:content_material_change", args=[material.pk])
    assert client.post(change, {"title_it": "Preso!"}).status_code == 404
    delete = reverse("admin:content_material_delete", args=[material.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    material.refresh_from_db()
    assert material.title_it == "Corsi di italiano per adulti nel Cremonese (demo)"
    history = reverse("admin:content_material_history", args=[material.pk])
    assert client.get(history).status_code in (403, 404)


def test_operator_changelists_show_only_their_ambitos_rows(login):
    response = login("operatore_sesto").get(reverse("admin:content_material_changelist"))
    shown = {m.slug for m in response.context["cl"].result_list}
    assert shown == {"iscrizione-scuola-sesto-demo", "locandina-sportello-sesto-demo"}
    response = login("operatore_cremona").get(reverse("admin:content_news_changelist"))
    shown = {n.slug for n in response.context["cl"].result_list}
    assert shown == {"corso-mediatori-cremonese-demo", "terre-di-inclusione-rete-demo"}


def test_operator_edits_own_material_but_cannot_move_it_or_unflag_demo(login):
    material = Material.objects.get(slug="locandina-sportello-sesto-demo")
    form = login("operatore_sesto").get(reverse("admin:content_material_change", args=[material.pk]))
    fields = form.context["adminform"].form.fields
    assert "ambito" not in fields and "is_demo" not in fields and "title_it" in fields


def test_ambito_choice_on_a_new_material_is_narrowed_to_the_operators(login):
    response = login("operatore_sesto").get(reverse("admin:content_material_add"))
    form = response.context["adminform"].form
    assert list(form.fields["ambito"].queryset.values_list("slug", flat=True)) == ["sesto-san-giovanni"]
    assert form.initial["ambito"] == _sesto().pk


def test_only_the_regione_writes_regional_materials_and_news(media, operatore_sesto, coordinatore):
    with pytest.raises(ValidationError) as info:
        material_save(material=Material(slug="regionale", title_it="Regionale"), by=operatore_sesto)
    assert "ambito" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        news_save(news=News(slug="regionale", title_it="Regionale"), by=operatore_sesto)
    assert "ambito" in info.value.message_dict
    assert material_save(material=Material(slug="regionale", title_it="Regionale"), by=coordinatore).pk
    assert news_save(news=News(slug="regionale", title_it="Regionale"), by=coordinatore).pk


def test_operator_cannot_file_content_under_another_ambito(operatore_sesto):
    with pytest.raises(ValidationError) as info:
        news_save(news=News(slug="altrui", title_it="Altrui", ambito=_cremona()), by=operatore_sesto)
    assert "ambito" in info.value.message_dict
    assert not News.objects.filter(slug="altrui").exists()


def test_operator_cannot_add_a_file_to_another_ambitos_or_a_regional_material(media, operatore_sesto):
    for slug in ("corsi-italiano-adulti-cremonese-demo", "permesso-di-soggiorno-in-breve-demo"):
        material = Material.objects.get(slug=slug)
        with pytest.raises(PermissionDenied):
            _upload(material, operatore_sesto, "a.pdf", pdf(["a"]), language="bn")
        assert not material.files.filter(language="bn").exists()
    assert _stored_files(media) == []


def test_read_only_roles_cannot_write_content(media, referente_scuola, mediatrice):
    for user in (referente_scuola, mediatrice):
        with pytest.raises(PermissionDenied):
            news_save(news=News(slug="x", title_it="X", ambito=_sesto()), by=user)


# --- demo data ---------------------------------------------------------------------------


def test_demo_content_is_flagged_and_reloading_it_changes_nothing():
    from labimpact.demo import load_demo

    materials = list(Material.objects.order_by("slug").values_list("slug", "is_demo", "title_it"))
    files = set(MaterialFile.objects.values_list("material__slug", "language", "file", "size"))
    news = list(News.objects.order_by("slug").values_list("slug", "is_demo", "title_it"))
    assert len(materials) == 6 and len(news) == 5 and len(files) == 23
    assert all(is_demo and "(demo)" in title for _slug, is_demo, title in materials + news)
    load_demo()
    assert list(Material.objects.order_by("slug").values_list("slug", "is_demo", "title_it")) == materials
    assert set(MaterialFile.objects.values_list("material__slug", "language", "file", "size")) == files
    assert list(News.objects.order_by("slug").values_list("slug", "is_demo", "title_it")) == news


def test_demo_files_are_real_pdfs_and_pngs_that_pass_the_upload_checks():
    for material_file in MaterialFile.objects.all():
        with material_file.file.open("rb") as handle:
            data = handle.read()
        assert uploads.sniff(data).content_type == material_file.content_type
        assert len(data) == material_file.size
        if material_file.content_type == "application/pdf":
            assert data.rstrip().endswith(b"%%EOF")
