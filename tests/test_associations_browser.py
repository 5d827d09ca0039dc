"""In a real browser: the new pages pass axe-core in it and ar, and the issue's "Done when" journey.

An association proposes itself, the operator of Sesto publishes it and gives it a
representative, the representative's event is in the ambito's calendar feed and on the
ambito page, and a subscriber who confirmed receives the next newsletter in Ukrainian.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from labimpact.demo import DEMO_PASSWORD
from tests.test_accessibility import SHOTS, check_pages, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "donne-del-mondo-sesto-demo"
EVENT = "italiano-per-donne-sesto-demo"


def new_pages(language):
    with translation.override(language):
        signup = reverse("newsletter:signup")
        return [
            ("associations", reverse("associations:list")),
            ("associations filtered", reverse("associations:list") + "?topic=donne&language=ar"),
            ("associations bad filters", reverse("associations:list") + "?ambito=x&topic=y&language=z&kind=w"),
            ("association", reverse("associations:detail", args=[ASSOCIATION])),
            ("propose", reverse("associations:propose")),
            ("proposed", reverse("associations:proposed")),
            ("events", reverse("associations:events")),
            ("events archive", reverse("associations:events") + "?archivio=1"),
            ("event", reverse("associations:event", args=[EVENT])),
            ("newsletter", signup),
            ("newsletter check mail", reverse("newsletter:check_mail")),
            ("newsletter bad link", reverse("newsletter:unsubscribe", args=["nonsense"]).replace("nonsense", "x")),
        ]


@pytest.mark.parametrize("language", ["it", "ar"])
def test_new_pages_have_no_wcag_21_aa_violations(live_server, browser, site_data, language):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    pages = [(name, path) for name, path in new_pages(language) if name != "newsletter bad link"]
    found = check_pages(page, live_server.url, pages, label=f"{language} 390px")
    # The forms with every error shown: messages must be tied to their fields.
    for name, path, button in [
        ("propose errors", dict(pages)["propose"], "form[method=post] button[type=submit]"),
        ("newsletter errors", dict(pages)["newsletter"], "form[method=post] button[type=submit]"),
    ]:
        page.goto(live_server.url + path)
        page.click(button)
        page.wait_for_load_state()
        assert page.locator(".field-error").count() >= 2, name
        from tests.test_accessibility import axe_violations

        violations = axe_violations(page)
        if violations:
            found.append((f"[{language}] {name}", violations))
    page.goto(live_server.url + dict(pages)["associations"])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"associations-{language}-phone.png"), full_page=True)
    context.close()
    assert not found, "axe-core WCAG 2.1 AA violations:\n" + describe(found)
    assert overflow <= 0


def _log_in(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _link(text: str, word: str) -> str:
    return _path(re.search(rf"https?://\S+/{word}/\S+/", text).group(0))


def test_done_when_journey(live_server, browser, site_data):
    base = live_server.url
    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()

    # 1. An association proposes itself (in French).
    visitor.goto(f"{base}/fr/associazioni/proponi/")
    visitor.fill("#id_name", "Solidarité Sahel Sesto (prova)")
    visitor.select_option("#id_kind", "migranti")
    visitor.fill("#id_comune", "Sesto San Giovanni")
    visitor.fill("#id_description", "Soutien scolaire et fêtes pour les familles.")
    visitor.fill("#id_proposer_name", "Awa")
    visitor.fill("#id_proposer_email", "awa@example.org")
    visitor.click("label[for=id_consent]")
    visitor.click("form[method=post] button[type=submit]")
    visitor.wait_for_load_state()
    assert "/fr/associazioni/proposta-inviata/" in visitor.url

    # 2. The operator of Sesto publishes it from the moderation queue...
    staff = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900}).new_page()
    _log_in(staff, base, "operatore_sesto")
    staff.goto(f"{base}/admin/associations/association/?status__exact=proposed")
    row = staff.locator("#result_list tr", has_text="Solidarité Sahel Sesto (prova)")
    row.locator("input.action-select").check()
    staff.select_option("select[name=action]", "publish")
    staff.click("button[name=index]")
    staff.wait_for_load_state()
    decision = mail.outbox[-1]
    assert decision.to == ["awa@example.org"]
    assert "/fr/associazioni/" in decision.body
    visitor.goto(base + _path(re.search(r"https?://\S+/associazioni/\S+/", decision.body).group(0)))
    assert "Solidarité Sahel Sesto (prova)" in visitor.content()

    # ... and gives it a representative.
    staff.goto(f"{base}/admin/associations/association/?q=Sahel")
    staff.locator("#result_list a", has_text="Solidarité Sahel Sesto (prova)").click()
    staff.locator("a", has_text="Dai un account al referente").click()
    staff.fill("#id_email", "referente.sahel@example.org")
    staff.click("input[type=submit]")
    staff.wait_for_load_state()
    welcome = mail.outbox[-1]
    assert welcome.to == ["referente.sahel@example.org"]
    username = get_user_model().objects.get(email="referente.sahel@example.org").username
    assert username in welcome.body

    # 3. The representative chooses a password and files an event.
    rep = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900}).new_page()
    rep.goto(base + _link(welcome.body, "accesso/password/[^/]+"))
    rep.fill("#id_new_password1", "sahel-segreto-2027")
    rep.fill("#id_new_password2", "sahel-segreto-2027")
    rep.click("input[type=submit]")
    rep.wait_for_load_state()
    _log_in(rep, base, username, "sahel-segreto-2027")
    rep.goto(f"{base}/admin/associations/event/add/")
    rep.fill("#id_title_it", "Doposcuola aperto (prova)")
    rep.fill("#id_start_0", "2027-01-15")
    rep.fill("#id_start_1", "16:00")
    rep.fill("#id_end_0", "2027-01-15")
    rep.fill("#id_end_1", "18:00")
    rep.fill("#id_place", "Oratorio San Giuseppe")
    rep.check("#id_is_published")
    rep.click("input[name=_save]")
    rep.wait_for_load_state()
    errors = rep.locator(".errorlist, .errornote").all_inner_texts()
    assert "add" not in rep.url, errors
    # The representative sees nothing else of the back office.
    assert rep.goto(f"{base}/admin/services/sportello/").status == 403

    # 4. The event is in the ambito's calendar feed and on the ambito page.
    feed = visitor.request.get(f"{base}/it/ambiti/sesto-san-giovanni/eventi.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    titles = {str(e["SUMMARY"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    assert "Doposcuola aperto (prova)" in titles
    visitor.goto(f"{base}/it/ambiti/sesto-san-giovanni/")
    assert "Doposcuola aperto (prova)" in visitor.content()
    assert "Solidarité Sahel Sesto (prova)" in visitor.content()

    # 5. A reader subscribes in Ukrainian and confirms by the e-mailed link.
    visitor.goto(f"{base}/uk/newsletter/")
    visitor.fill("#id_email", "olena@example.org")
    visitor.select_option("#id_language", "uk")
    visitor.click("label[for=id_consent]")
    visitor.click("form[method=post] button[type=submit]")
    visitor.wait_for_load_state()
    confirm = mail.outbox[-1]
    assert confirm.to == ["olena@example.org"]
    visitor.goto(base + _link(confirm.body, "newsletter/conferma"))
    assert visitor.locator("h1").inner_text() == "Підписку підтверджено"

    # 6. The operator composes the next issue (Italian and Ukrainian) and sends it.
    staff.goto(f"{base}/admin/newsletter/issue/add/")
    for field, value in {
        "subject_it": "Corsi di gennaio",
        "subject_uk": "Курси в січні",
        "body_it": "Nuovi corsi di italiano.",
        "body_uk": "Нові курси італійської.",
    }.items():
        # Language tabs hide all but one language: set the fields as the tabs would.
        staff.eval_on_selector(f"#id_{field}", "(el, v) => { el.value = v; }", value)
    staff.click("input[name=_save]")
    staff.wait_for_load_state()
    staff.locator("#result_list tr", has_text="Corsi di gennaio").locator("input.action-select").check()
    staff.select_option("select[name=action]", "send")
    staff.click("button[name=index]")
    staff.wait_for_load_state()
    received = [m for m in mail.outbox if m.to == ["olena@example.org"]][-1]
    assert received.subject == "Курси в січні"
    assert "Нові курси італійської." in received.body
    assert received.extra_headers["List-Unsubscribe"].startswith("<http")
    staff.goto(f"{base}/admin/newsletter/issue/")
    assert "1 inviati su 1" in staff.content()
