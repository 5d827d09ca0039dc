"""The issue's "Done when", in a real browser: from a school's request to the coordinator's figures."""

import pathlib

import pytest

from tests.mediation_helpers import next_weekday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = pathlib.Path(__file__).resolve().parent.parent / "screenshots"


def _as(browser, base, username, **options):
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(locale="it-IT", **options)
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "labimpact-demo")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    return context, page


def _language_pk(code):
    from services.models import Language

    return Language.objects.get(code=code).pk


def test_done_when_journey(live_server, browser, site_data):
    base = live_server.url
    slot = next_weekday(1, hour=10)

    # 1. The school referent asks for an Arabic mediator for a parent–teacher meeting.
    context, page = _as(browser, base, "referente_scuola")
    page.goto(f"{base}/it/mediazione/richiesta/")
    page.select_option("#id_setting", "parent_teacher")
    page.check(f"input[name=languages][value='{_language_pk('ar')}']")
    page.fill("#id_preferred_start", slot.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_pupil_class", "2B")
    page.select_option("#id_age_band", "6-10")
    page.fill("#id_need", "Colloquio con i genitori di un alunno arrivato a settembre")
    page.click("button[type=submit]")
    page.wait_for_url("**/mediazione/richieste/*/")
    request_url = page.url
    assert "Inviata" in page.inner_text("h1")
    context.close()

    # 2. The operator triages it; Samira is ranked first and gets it.
    context, page = _as(browser, base, "operatore_sesto")
    page.goto(f"{base}/it/mediazione/coda/")
    page.locator("a", has_text="Richiesta n.").first.wait_for()
    page.goto(request_url)
    page.click("text=Prendi in carico")
    page.wait_for_load_state()
    first = page.locator(".candidates li").first
    assert "Samira" in first.inner_text() and "disponibile in quell'orario" in first.inner_text()
    first.locator("button").click()
    page.wait_for_load_state()
    assert "Assegnata" in page.inner_text("h1")
    context.close()

    # 3. She confirms from her own page and logs two sessions.
    context, page = _as(browser, base, "mediatrice")
    page.goto(f"{base}/it/mediazione/mediatore/")
    page.goto(request_url)
    page.click("text=Confermo")
    page.wait_for_load_state()
    assert "Programmata" in page.inner_text("h1")
    for minutes in ("90", "60"):
        page.fill("#id_date", slot.date().replace(year=2021).isoformat())
        page.fill("#id_duration_minutes", minutes)
        page.click("text=Registra l'incontro")
        page.wait_for_load_state()
    assert page.locator("ul.sessions li").count() == 2
    context.close()

    # 4. A social worker asks for a mediator for a court-ordered assessment.
    context, page = _as(browser, base, "assistente_sociale")
    page.goto(f"{base}/it/mediazione/richiesta/")
    page.select_option("#id_setting", "court_assessment")
    page.check(f"input[name=languages][value='{_language_pk('ar')}']")
    page.select_option("#id_urgency", "3")
    page.fill("#id_preferred_start", next_weekday(3, hour=14).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_need", "Valutazione delle capacità genitoriali disposta dal tribunale per i minorenni")
    page.click("button[type=submit]")
    page.wait_for_url("**/mediazione/richieste/*/")
    page.goto(f"{base}/it/mediazione/le-mie-richieste/")
    assert "Valutazione delle capacità genitoriali" in page.content()
    context.close()

    # 5. A desk operator gets a legal answer that becomes an FAQ.
    context, page = _as(browser, base, "operatore_sesto")
    page.goto(f"{base}/it/consulenza-legale/nuova/")
    page.select_option("#id_area", "permits")
    page.fill("#id_question", "Permesso per attesa occupazione scaduto da un mese: si può ancora rinnovare?")
    page.click("button[type=submit]")
    page.wait_for_url("**/consulenza-legale/*/")
    consultation_url = page.url
    context.close()
    context, page = _as(browser, base, "consulente_legale")
    page.goto(consultation_url)
    page.fill("#id_answer", "Sì, entro sessanta giorni dalla scadenza, con una dichiarazione del ritardo.")
    page.check("#id_reusable")
    page.fill("#id_faq_question", "Permesso per attesa occupazione scaduto da poco: si rinnova?")
    page.click("text=Invia la risposta")
    page.wait_for_load_state()
    assert "Conclusa" in page.inner_text("h1")
    context.close()
    context, page = _as(browser, base, "operatore_sesto")
    page.goto(f"{base}/it/consulenza-legale/faq/?q=attesa+occupazione")
    assert "si rinnova?" in page.content()
    context.close()

    # 6. The coordinator sees activation times and hours per ambito on the dashboard.
    context, page = _as(browser, base, "coordinatore")
    page.goto(f"{base}/admin/reports/activity/cruscotto/")
    measures = page.locator(".mediation-measures").inner_text()
    assert "Sesto San Giovanni e Cologno Monzese" in measures and "Cremonese e Casalasco" in measures
    assert "Arabo" in measures
    SHOTS.mkdir(exist_ok=True)
    page.locator(".mediation-measures").screenshot(path=str(SHOTS / "mediation-measures.png"))
    context.close()


@pytest.mark.parametrize("language", ["it", "ar"])
def test_request_pages_fit_a_phone_in_italian_and_arabic(live_server, browser, site_data, language):
    context, page = _as(browser, live_server.url, "referente_scuola", viewport={"width": 390, "height": 844})
    errors = []
    # Bootstrap Italia's own script trips the style rule on every page; no script may be inline.
    page.on("console", lambda message: errors.append(message.text) if "script-src" in message.text else None)
    SHOTS.mkdir(exist_ok=True)
    for name, path in (("form", "richiesta/"), ("mine", "le-mie-richieste/")):
        page.goto(f"{live_server.url}/{language}/mediazione/{path}")
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SHOTS / f"mediation-{name}-{language}-phone.png"), full_page=True)
    assert not errors
    context.close()
