"""Associations: self-registration, moderation by the ambito, representatives, public pages."""

import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from access import permissions
from associations import services
from associations.models import Association, AssociationStatus, Event, Representative, Topic
from services.models import Language
from territories.models import Ambito, Comune
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PROPOSAL = {
    "name": "Amici del Sahel (prova)",
    "kind": "migranti",
    "comune": "Sesto San Giovanni",
    "description": "Doposcuola e feste per le famiglie.",
    "communities": "maliana, burkinabè",
    "email": "",
    "phone": "",
    "web": "https://example.org",
    "proposer_name": "Awa",
    "proposer_email": "awa@example.org",
    "consent": "on",
}


def _url(name, lang="it", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def _propose(client, lang="it", **changes):
    data = {**PROPOSAL, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(_url("associations:propose", lang), data, REMOTE_ADDR=f"10.3.{random.randint(0, 255)}.1")


@pytest.fixture
def proposed(client):
    data = {
        **PROPOSAL,
        "languages": [Language.objects.get(code="fr").pk],
        "topics": [Topic.objects.get(key="scuola").pk],
    }
    client.post(_url("associations:propose", "fr"), data, REMOTE_ADDR="10.4.0.1")
    return Association.objects.get(name=PROPOSAL["name"])


# --- self-registration ------------------------------------------------------------------


def test_proposal_lands_in_the_ambito_queue_and_is_not_public(client, proposed):
    assert proposed.status == AssociationStatus.PROPOSED
    assert proposed.ambito.slug == "sesto-san-giovanni"
    assert proposed.proposer_language == "fr"
    assert proposed.website == "https://example.org"
    assert proposed.description_fr == "Doposcuola e feste per le famiglie."
    assert list(proposed.topics.values_list("key", flat=True)) == ["scuola"]
    assert not proposed.is_demo
    assert client.get(_url("associations:detail", slug=proposed.slug)).status_code == 404


def test_proposal_redirects_to_thanks(client):
    response = _propose(client)
    assert response.status_code == 302
    assert response["Location"] == _url("associations:proposed")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Scrivi il nome dell'associazione."),
        ({"kind": "nope"}, "kind", "Scegli il tipo di associazione."),
        ({"comune": "Atlantide"}, "comune", "Non troviamo questo comune in Lombardia: controlla come è scritto."),
        ({"proposer_email": "non-una-email"}, "proposer_email", "Scrivi un indirizzo email valido."),
        ({"web": "javascript:alert(1)"}, "web", "Scrivi un indirizzo web valido (https://…)."),
        ({"consent": None}, "consent", "Serve il consenso per poterti ricontattare."),
        ({"description": "x" * 3001}, "description", "Il messaggio può avere al massimo 3000 caratteri."),
    ],
)
def test_bad_proposal_is_refused_with_translated_errors_and_nothing_written(client, changes, field, message):
    before = Association.objects.count()
    response = _propose(client, "en", **changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    with translation.override("en"):
        expected = translation.gettext(message) if field != "kind" else None
    if expected and field != "description":
        assert expected in response.content.decode().replace("&#x27;", "'")
    assert Association.objects.count() == before


def test_bad_topic_and_language_ids_are_refused(client):
    before = Association.objects.count()
    response = _propose(client, languages=["999999"], topics=["abc"])
    assert response.status_code == 200
    assert {"languages", "topics"} <= set(response.context["form"].errors)
    assert Association.objects.count() == before


def test_honeypot_drops_bot_posts(client):
    before = Association.objects.count()
    response = _propose(client, website="http://spam.example")
    assert response.status_code == 200
    assert Association.objects.count() == before


def test_proposals_share_the_public_forms_rate_limit(client, settings):
    settings.FEEDBACK_RATE = "2/h"
    address = f"10.9.{random.randint(0, 255)}.{random.randint(0, 255)}"
    codes = [
        client.post(_url("associations:propose"), {**PROPOSAL, "name": f"Limite {n}"}, REMOTE_ADDR=address).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert not Association.objects.filter(name="Limite 2").exists()


# --- moderation -----------------------------------------------------------------------------


def test_operator_publishes_from_the_queue_and_proposer_is_told_in_their_language(
    login, proposed, django_capture_on_commit_callbacks
):
    client = login("operatore_sesto")
    queue = client.get(reverse("admin:associations_association_changelist") + "?status__exact=proposed")
    assert proposed in queue.context["cl"].result_list
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:associations_association_changelist"),
            {"action": "publish", "_selected_action": [proposed.pk]},
        )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == AssociationStatus.PUBLISHED
    assert proposed.reviewed_by.username == "operatore_sesto"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["awa@example.org"]
    with translation.override("fr"):
        assert translation.gettext("Lab'Impact — Regione Lombardia") in message.body
    assert f"/fr/associazioni/{proposed.slug}/" in message.body
    assert client.get(_url("associations:detail", slug=proposed.slug)).status_code == 200


def test_operator_rejects_with_a_note(operatore_sesto, proposed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.association_reject(association=proposed, by=operatore_sesto, note="Manca lo statuto.")
    proposed.refresh_from_db()
    assert proposed.status == AssociationStatus.REJECTED
    assert "Manca lo statuto." in mail.outbox[0].body


def test_other_ambito_operator_cannot_see_or_decide(login, operatore_cremona, proposed):
    client = login("operatore_cremona")
    queue = client.get(reverse("admin:associations_association_changelist"))
    assert proposed not in queue.context["cl"].result_list
    url = reverse("admin:associations_association_change", args=[proposed.pk])
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.association_publish(association=proposed, by=operatore_cremona)
    proposed.refresh_from_db()
    assert proposed.status == AssociationStatus.PROPOSED


def test_status_changes_only_through_publish_or_reject(operatore_sesto, proposed):
    proposed.status = AssociationStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.association_save(association=proposed, by=operatore_sesto)


# --- representatives ---------------------------------------------------------------------------


@pytest.fixture
def published(operatore_sesto, proposed):
    return services.association_publish(association=proposed, by=operatore_sesto)


def test_operator_gives_a_published_association_a_representative(
    login, client, published, django_capture_on_commit_callbacks
):
    staff = login("operatore_sesto")
    url = reverse("admin:associations_association_representative", args=[published.pk])
    assert staff.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"email": "Referente@Example.org"})
    assert response.status_code == 302
    representative = Representative.objects.get(association=published)
    assert representative.user.email == "referente@example.org"
    assert not representative.user.has_usable_password()
    link = re.search(r"https?://\S+/accesso/password/\S+/", mail.outbox[-1].body).group(0)
    staff.logout()
    page = client.get(link.split("8000", 1)[-1] if "8000" in link else link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"new_password1": "un-bel-segreto-42", "new_password2": "un-bel-segreto-42"})
    assert done.status_code == 302
    representative.user.refresh_from_db()
    assert representative.user.check_password("un-bel-segreto-42")


def test_representative_needs_a_published_association(operatore_sesto, proposed):
    with pytest.raises(ValidationError):
        services.representative_create(association=proposed, email="x@example.org", by=operatore_sesto)


def test_representative_refuses_an_address_already_in_use(operatore_sesto, published):
    with pytest.raises(ValidationError):
        services.representative_create(
            association=published, email="operatore_sesto@demo.labimpact.invalid", by=operatore_sesto
        )


def test_other_ambito_operator_cannot_give_a_representative(login, published):
    url = reverse("admin:associations_association_representative", args=[published.pk])
    assert login("operatore_cremona").get(url).status_code == 404


def _rep():
    return get_user_model().objects.get(username="associazione_demo")


def test_representative_edits_only_their_own_page(client):
    rep = _rep()
    own = Representative.objects.get(user=rep).association
    other = Association.objects.get(slug="comunita-senegalese-cremona-demo")
    client.force_login(rep)
    listing = client.get(reverse("admin:associations_association_changelist"))
    assert list(listing.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:associations_association_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:associations_association_change", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:associations_association_add")).status_code == 403
    assert client.get(reverse("admin:associations_association_delete", args=[own.pk])).status_code == 403
    # Who proposed the page and what the ambito noted stay hidden from the representative.
    page = client.get(reverse("admin:associations_association_change", args=[own.pk])).content.decode()
    assert "proponente-" not in page
    action_form = listing.context["action_form"]
    assert action_form is None or "publish" not in str(action_form.fields["action"].choices)


def test_representative_cannot_publish_or_give_accounts(published):
    rep = _rep()
    with pytest.raises(PermissionDenied):
        services.association_publish(association=Representative.objects.get(user=rep).association, by=rep)
    with pytest.raises(PermissionDenied):
        services.representative_create(association=published, email="y@example.org", by=rep)


def test_representative_files_events_under_their_association(client):
    rep = _rep()
    own = Representative.objects.get(user=rep).association
    client.force_login(rep)
    response = client.post(
        reverse("admin:associations_event_add"),
        {
            "title_it": "Cena multietnica (prova)",
            "slug": "cena-multietnica-prova",
            "start_0": "10/03/2027",
            "start_1": "19:00",
            "end_0": "10/03/2027",
            "end_1": "22:00",
            "recurrence": "",
            "place": "Oratorio",
            "audience": "tutti",
            "is_free": "on",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.get(slug="cena-multietnica-prova")
    assert event.association == own
    assert event.ambito == own.ambito
    listing = client.get(reverse("admin:associations_event_changelist"))
    assert {e.association_id for e in listing.context["cl"].result_list} == {own.pk}
    other = Event.objects.get(slug="festa-dei-popoli-cremona-demo")
    assert client.get(reverse("admin:associations_event_change", args=[other.pk])).status_code == 404


def test_representative_grants_are_one_association():
    grants = permissions.grants_for(_rep())
    assert grants.roles == {permissions.ASSOCIATION_REP}
    assert grants.ids("association") == {Association.objects.get(slug="donne-del-mondo-sesto-demo").pk}
    assert _rep().has_perm("associations.change_event")
    assert not _rep().has_perm("associations.add_association")


# Role × page matrix of the new back-office pages (extends tests/test_permissions.py).
OK, DENIED, LOGIN = 200, 403, 302
MATRIX = {
    #                                coord  op_sesto op_crem referente mediatrice anonymous rep
    "associations_association": (OK, OK, OK, DENIED, DENIED, LOGIN, OK),
    "associations_representative": (OK, OK, OK, DENIED, DENIED, LOGIN, DENIED),
    "associations_event": (OK, OK, OK, DENIED, DENIED, LOGIN, OK),
    "newsletter_subscriber": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN, DENIED),
    "newsletter_issue": (OK, OK, OK, DENIED, DENIED, LOGIN, DENIED),
}
ALL_PERSONAS = [*PERSONAS, "associazione_demo"]


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("page", sorted(MATRIX))
def test_changelist_matrix(client, persona, page):
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    expected = MATRIX[page][ALL_PERSONAS.index(persona)]
    assert client.get(reverse(f"admin:{page}_changelist")).status_code == expected


@pytest.mark.parametrize(
    ("persona", "slug", "expected"),
    [
        ("coordinatore", "comunita-senegalese-cremona-demo", 200),
        ("operatore_sesto", "donne-del-mondo-sesto-demo", 200),
        ("operatore_sesto", "comunita-senegalese-cremona-demo", 404),
        ("operatore_cremona", "comunita-senegalese-cremona-demo", 200),
        ("operatore_cremona", "donne-del-mondo-sesto-demo", 404),
        ("referente_scuola", "donne-del-mondo-sesto-demo", 403),
        ("mediatrice", "donne-del-mondo-sesto-demo", 403),
        ("associazione_demo", "donne-del-mondo-sesto-demo", 200),
        ("associazione_demo", "polisportiva-insieme-cologno-demo", 404),
    ],
)
def test_association_change_page_matrix(client, persona, slug, expected):
    client.force_login(get_user_model().objects.get(username=persona))
    association = Association.objects.get(slug=slug)
    url = reverse("admin:associations_association_change", args=[association.pk])
    assert client.get(url).status_code == expected


# --- public pages -------------------------------------------------------------------------------


def test_list_shows_published_associations_with_map_markers(client):
    page = client.get(_url("associations:list")).content.decode()
    assert "Donne del mondo Sesto (demo)" in page
    assert "Genitori insieme Casalmaggiore (demo)" not in page  # still in the queue
    assert 'data-lat="45.535000"' in page
    # List first, then the map (phones read top to bottom).
    assert page.index('class="desk-list"') < page.index('id="desk-map"')


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?ambito=cremonese-casalasco", "Comunità senegalese", "Donne del mondo"),
        ("?comune=cologno", "Polisportiva", "Donne del mondo"),
        ("?topic=donne", "Donne del mondo", "Polisportiva"),
        ("?language=wo", "Comunità senegalese", "Polisportiva"),
    ],
)
def test_list_filters(client, query, shown, hidden):
    page = client.get(_url("associations:list") + query).content.decode()
    assert shown in page
    assert hidden not in page


def test_bad_filters_are_answered_with_errors_not_500(client):
    response = client.get(_url("associations:list", "en") + "?ambito=nope&topic=xx&language=zz&kind=bad")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"ambito", "topic", "language", "kind"}
    with translation.override("en"):
        assert translation.gettext("Scegli una voce dell'elenco.") in response.content.decode().replace("&#x27;", "'")


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(_url("associations:list"))


def test_detail_shows_only_public_contacts(client):
    association = Association.objects.get(slug="donne-del-mondo-sesto-demo")
    association.show_email = False
    association.contact_person = "Fatima (privata)"
    association.save()
    page = client.get(_url("associations:detail", slug=association.slug)).content.decode()
    assert association.email not in page
    assert "Fatima (privata)" not in page
    assert "02 0000 0001" in page
    assert "proponente-" not in page


def test_inactive_association_leaves_the_site(client):
    association = Association.objects.get(slug="polisportiva-insieme-cologno-demo")
    association.active = False
    association.save()
    assert client.get(_url("associations:detail", slug=association.slug)).status_code == 404


def test_ambito_page_lists_its_associations_and_events(client):
    page = client.get(_url("territories:ambito", slug="sesto-san-giovanni")).content.decode()
    assert "Donne del mondo Sesto (demo)" in page
    assert "Italiano per donne, ogni martedì (demo)" in page
    assert "Comunità senegalese di Cremona (demo)" not in page
    assert _url("associations:feed_ambito", slug="sesto-san-giovanni") in page


# --- logos ------------------------------------------------------------------------------------------


def test_logo_must_be_a_real_image(operatore_sesto):
    association = Association.objects.get(slug="donne-del-mondo-sesto-demo")
    association.logo = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.association_save(association=association, by=operatore_sesto)
    association.logo = SimpleUploadedFile("logo.png", b"%PDF-1.4 fake", content_type="image/png")
    with pytest.raises(ValidationError):
        services.association_save(association=association, by=operatore_sesto)


def test_logo_is_served_as_the_sniffed_image(client, operatore_sesto):
    association = Association.objects.get(slug="donne-del-mondo-sesto-demo")
    association.logo = SimpleUploadedFile("logo.png", PNG, content_type="text/html")
    services.association_save(association=association, by=operatore_sesto)
    response = client.get(_url("associations:logo", slug=association.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "logo" in client.get(_url("associations:detail", slug=association.slug)).content.decode()


def test_comune_sets_the_ambito(operatore_cremona):
    association = Association(name="Prova Crema", kind="cultura", comune=Comune.objects.get(name="Cremona"))
    services.association_save(association=association, by=operatore_cremona)
    assert association.ambito == Ambito.objects.get(slug="cremonese-casalasco")
    assert association.slug == "prova-crema"
