"""Newsletter: double opt-in, unsubscribe, composing and sending in each subscriber's language."""

import random
import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from newsletter import services, tokens
from newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber, SubscriberStatus
from territories.models import Ambito

pytestmark = pytest.mark.django_db


def _url(name, lang="it", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def _signup(client, lang="uk", **changes):
    data = {"email": "olena@example.org", "language": "uk", "consent": "on", **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(_url("newsletter:signup", lang), data, REMOTE_ADDR=f"10.5.{random.randint(0, 255)}.1")


def _link(body: str, word: str) -> str:
    """The path of the link in an e-mail (the host is SITE_URL's)."""
    return re.search(rf"https?://[^/\s]+(/\S+/newsletter/{word}/\S+/)", body).group(1)


def _subscriber(email, language="it", status=SubscriberStatus.CONFIRMED, ambiti=()):
    from django.utils import timezone

    subscriber = Subscriber.objects.create(
        email=email, language=language, status=status, consent_at=timezone.now(), consent_version="test"
    )
    subscriber.ambiti.set(ambiti)
    return subscriber


def _issue(by, **fields):
    values = {
        "subject_it": "Novità di dicembre",
        "subject_uk": "Новини грудня",
        "body_it": "Corsi di italiano gratuiti.",
        "body_uk": "Безкоштовні курси італійської.",
    }
    values.update(fields)
    issue = Issue(**values)
    return services.issue_save(issue=issue, by=by)


# --- double opt-in ----------------------------------------------------------------------------


def test_signup_then_confirm_by_the_emailed_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, ambiti=[Ambito.objects.get(slug="sesto-san-giovanni").pk])
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="olena@example.org")
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.consent_at is not None and subscriber.consent_version
    assert [a.slug for a in subscriber.ambiti.all()] == ["sesto-san-giovanni"]
    message = mail.outbox[0]
    with translation.override("uk"):
        assert message.subject == translation.gettext("Conferma l'iscrizione alla newsletter di Lab'Impact")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = client.get(_link(message.body, "conferma"))
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_signup_of_a_confirmed_address_changes_nothing_and_tells_nothing(client):
    _subscriber("known@example.org", language="ar")
    response = _signup(client, email="known@example.org", language="en")
    assert response.status_code == 302
    assert Subscriber.objects.get(email="known@example.org").language == "ar"


def test_tampered_confirm_link_is_refused(client):
    subscriber = _subscriber("t@example.org", status=SubscriberStatus.PENDING)
    token = tokens.confirm_token(subscriber)
    for bad in (token[:-2] + "xx", token.replace(str(subscriber.pk), str(subscriber.pk + 1), 1), "nonsense"):
        response = client.get(_url("newsletter:confirm", "en", token=bad))
        assert response.status_code == 400
        with translation.override("en"):
            assert translation.gettext("Il link non è valido: copialo per intero dall'email.") in (
                response.content.decode().replace("&#x27;", "'")
            )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_expired_confirm_link_is_refused(client, settings):
    subscriber = _subscriber("late@example.org", status=SubscriberStatus.PENDING)
    with mock.patch(
        "django.core.signing.time.time", return_value=time.time() - settings.NEWSLETTER_CONFIRM_MAX_AGE - 60
    ):
        token = tokens.confirm_token(subscriber)
    response = client.get(_url("newsletter:confirm", token=token))
    assert response.status_code == 400
    assert "scaduto" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_a_confirm_token_does_not_unsubscribe_and_vice_versa(client):
    subscriber = _subscriber("salt@example.org")
    assert client.post(_url("newsletter:unsubscribe", token=tokens.confirm_token(subscriber))).status_code == 400
    pending = _subscriber("salt2@example.org", status=SubscriberStatus.PENDING)
    assert client.get(_url("newsletter:confirm", token=tokens.unsubscribe_token(pending))).status_code == 400


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Scrivi la tua email."),
        ({"email": "not-an-address"}, "email", "Scrivi un indirizzo email valido."),
        ({"language": "xx"}, "language", "Scegli una voce dell'elenco."),
        ({"ambiti": ["abc"]}, "ambiti", "Scegli una voce dell'elenco."),
        ({"consent": None}, "consent", "Serve il tuo consenso per iscriverti."),
        ({"website": "http://bot.example"}, "website", "Invio non valido."),
    ],
)
def test_bad_signup_is_refused_with_translated_errors_and_nothing_written(client, changes, field, message):
    response = _signup(client, lang="uk", **changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    with translation.override("uk"):
        assert translation.gettext(message) in response.content.decode().replace("&#x27;", "'")
    assert not Subscriber.objects.exists()
    assert not mail.outbox


# --- unsubscribe --------------------------------------------------------------------------------


def test_unsubscribe_asks_on_get_and_acts_on_post(client):
    subscriber = _subscriber("bye@example.org")
    url = _url("newsletter:unsubscribe", token=tokens.unsubscribe_token(subscriber))
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED  # link scanners unsubscribe nobody
    # One click from a mail app: a POST with no cookie and no CSRF token (RFC 8058).
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_tampered_and_expired_unsubscribe_links_are_refused(client):
    subscriber = _subscriber("stay@example.org")
    token = tokens.unsubscribe_token(subscriber)
    assert client.post(_url("newsletter:unsubscribe", token=token[:-3] + "abc")).status_code == 400
    with mock.patch("django.core.signing.time.time", return_value=time.time() - tokens.UNSUBSCRIBE_MAX_AGE - 60):
        old = tokens.unsubscribe_token(subscriber)
    assert client.get(_url("newsletter:unsubscribe", token=old)).status_code == 400
    assert client.post(_url("newsletter:unsubscribe", token=old)).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_token_for_another_address_is_refused():
    subscriber = _subscriber("a@example.org")
    token = tokens.unsubscribe_token(subscriber)
    subscriber.email = "b@example.org"
    subscriber.save()
    with pytest.raises(signing.BadSignature):
        tokens.read_unsubscribe(token)


# --- composing and sending ------------------------------------------------------------------------


def test_issue_goes_to_confirmed_subscribers_each_in_their_language(coordinatore, django_capture_on_commit_callbacks):
    _subscriber("uk@example.org", language="uk")
    _subscriber("it@example.org", language="it")
    _subscriber("fr@example.org", language="fr")  # no French text: Italian
    _subscriber("pending@example.org", language="uk", status=SubscriberStatus.PENDING)
    _subscriber("gone@example.org", language="uk", status=SubscriberStatus.UNSUBSCRIBED)
    issue = _issue(coordinatore)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue, by=coordinatore)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"uk@example.org", "it@example.org", "fr@example.org"}
    assert sent["uk@example.org"].subject == "Новини грудня"
    assert "Безкоштовні курси італійської." in sent["uk@example.org"].body
    assert sent["fr@example.org"].subject == "Novità di dicembre"
    for message in sent.values():
        link = message.extra_headers["List-Unsubscribe"]
        assert link.startswith("<http") and "/newsletter/cancella/" in link
        assert link.strip("<>") in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/{'uk'}/newsletter/cancella/" in sent["uk@example.org"].extra_headers["List-Unsubscribe"]
    # Sending again does nothing: an issue goes out once.
    with pytest.raises(Exception):  # noqa: B017 — ValidationError, wrapped by the service's atomic block
        services.issue_send(issue=issue, by=coordinatore)


def test_ambito_issue_reaches_those_interested_or_with_no_preference(
    operatore_sesto, django_capture_on_commit_callbacks
):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    cremona = Ambito.objects.get(slug="cremonese-casalasco")
    _subscriber("sesto@example.org", ambiti=[sesto])
    _subscriber("cremona@example.org", ambiti=[cremona])
    _subscriber("all@example.org")
    issue = _issue(operatore_sesto, ambito=sesto)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue, by=operatore_sesto)
    assert {m.to[0] for m in mail.outbox} == {"sesto@example.org", "all@example.org"}


def test_failed_messages_are_retried_and_recorded(coordinatore, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for n in range(5):
        _subscriber(f"s{n}@example.org")
    calls = {"flaky": 0}
    real_send = EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == ["s1@example.org"]:
            calls["flaky"] += 1
            if calls["flaky"] == 1:
                raise OSError("smtp hiccup")
        if message.to == ["s3@example.org"]:
            raise OSError("mailbox gone")
        return real_send(message, *args, **kwargs)

    issue = _issue(coordinatore)
    with mock.patch.object(EmailMessage, "send", send), django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue, by=coordinatore)
    deliveries = {d.subscriber.email: d for d in Delivery.objects.filter(issue=issue).select_related("subscriber")}
    assert deliveries["s1@example.org"].status == DeliveryStatus.SENT
    assert deliveries["s1@example.org"].attempts == 2
    assert deliveries["s3@example.org"].status == DeliveryStatus.FAILED
    assert deliveries["s3@example.org"].attempts == 3
    assert "mailbox gone" in deliveries["s3@example.org"].error
    assert sorted(m.to[0] for m in mail.outbox) == [
        "s0@example.org",
        "s1@example.org",
        "s2@example.org",
        "s4@example.org",
    ]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_operator_composes_for_own_ambito_only(operatore_sesto):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _issue(operatore_sesto)  # regional: the Regione's
    with pytest.raises(ValidationError):
        _issue(operatore_sesto, ambito=Ambito.objects.get(slug="cremonese-casalasco"))
    assert not Issue.objects.exists()


def test_admin_shows_progress_and_previews_each_language(login, coordinatore, django_capture_on_commit_callbacks):
    _subscriber("p@example.org", language="uk")
    issue = _issue(coordinatore)
    client = login("coordinatore")
    preview = client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk, "uk"]))
    assert preview.status_code == 200
    assert "Новини грудня" in preview.content.decode()
    assert 'lang="uk"' in preview.content.decode()
    assert client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk, "xx"])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:newsletter_issue_changelist"), {"action": "send", "_selected_action": [issue.pk]})
    page = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).content.decode()
    assert "1 inviati su 1, 0 non riusciti" in page


def test_other_ambito_operator_cannot_preview_or_send(login, operatore_sesto):
    issue = _issue(operatore_sesto, ambito=Ambito.objects.get(slug="sesto-san-giovanni"))
    client = login("operatore_cremona")
    assert client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk, "it"])).status_code == 404
    client.post(reverse("admin:newsletter_issue_changelist"), {"action": "send", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("coordinatore", 200), ("operatore_sesto", 403), ("associazione_demo", 403), ("anonymous", 302)],
)
def test_only_the_coordinator_reads_and_exports_addresses(client, persona, expected):
    _subscriber("secret@example.org")
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    assert client.get(reverse("admin:newsletter_subscriber_changelist")).status_code == expected
    export = client.post(reverse("admin:newsletter_subscriber_export"), {"format": "0", "resource": "0"})
    if persona == "coordinatore":
        assert export.status_code == 200
    else:
        assert export.status_code in (302, 403)


def test_addresses_never_appear_on_public_pages(client):
    _subscriber("hidden@example.org")
    for name in ("newsletter:signup", "home", "associations:list", "associations:events"):
        assert "hidden@example.org" not in client.get(_url(name)).content.decode()


# --- a real worker ----------------------------------------------------------------------------------


@pytest.mark.live_worker
@pytest.mark.django_db(transaction=True)
def test_issue_is_sent_by_a_real_celery_worker_through_redis(settings):
    """The whole path with no eager shortcut: on_commit → Redis → worker thread → batches → mail."""
    from celery.contrib.testing.worker import start_worker

    from labimpact.celery import app

    settings.NEWSLETTER_BATCH_SIZE = 2
    boss = get_user_model().objects.create_superuser("regione_worker", "r@example.org", "x" * 16)
    for n, language in enumerate(["uk", "uk", "it", "ar", "uk"]):
        _subscriber(f"w{n}@example.org", language=language)
    issue = Issue.objects.create(subject_it="Ciao", subject_uk="Привіт", body_it="Testo", body_uk="Текст")
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}

    def reconnect(**conf):
        # Producers made earlier in this process (eager settings, memory broker) are cached
        # on the app: drop them so the next task goes to the broker just configured.
        app.conf.update(conf)
        app._pool = None
        app.amqp._producer_pool = None

    reconnect(task_always_eager=False, broker_url=settings.REDIS_URL, result_backend=settings.REDIS_URL)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=20):
            services.issue_send(issue=issue, by=boss)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                issue.refresh_from_db()
                if issue.status == IssueStatus.SENT:
                    break
                time.sleep(0.2)
    finally:
        reconnect(**saved)
    assert issue.status == IssueStatus.SENT
    assert Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENT).count() == 5
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["w0@example.org"] == "Привіт"
    assert subjects["w2@example.org"] == "Ciao"
