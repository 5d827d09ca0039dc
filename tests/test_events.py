"""Events: recurrence, public list and archive, iCalendar feeds, site search, activity log."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from associations import services
from associations.models import Association, Event
from reports.models import BeneficiaryGroup
from sitesearch.services import index_rebuild
from territories.models import Ambito, Comune

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
UTC = dt.UTC


def _url(name, lang="it", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def _event(**fields):
    values = {
        "title_it": "Corso serale (prova)",
        "ambito": Ambito.objects.get(slug="sesto-san-giovanni"),
        "start": dt.datetime(2027, 3, 16, 18, 0, tzinfo=ROME),
        "end": dt.datetime(2027, 3, 16, 20, 0, tzinfo=ROME),
        "place": "Biblioteca",
        "comune": Comune.objects.get(name="Sesto San Giovanni"),
        "is_published": True,
    }
    values.update(fields)
    event = Event(**values)
    services.event_save(event=event, by=_user("coordinatore"))
    return event


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _feed(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _vevent(calendar, uid):
    return next(c for c in calendar.walk("VEVENT") if str(c["UID"]) == uid)


# --- recurrence ---------------------------------------------------------------------------


def test_weekly_event_keeps_its_local_time_across_the_spring_change():
    event = _event(recurrence="WEEKLY", recurrence_count=3)
    starts = [start for start, _end in event.occurrences(after=event.start - dt.timedelta(days=1))]
    assert [s.astimezone(ROME).hour for s in starts] == [18, 18, 18]
    # 28 March 2027 the clocks go forward: the same 18:00 is an hour earlier in UTC.
    assert [s.astimezone(UTC).hour for s in starts] == [17, 17, 16]
    assert event.series_end == dt.datetime(2027, 3, 30, 20, 0, tzinfo=ROME)


def test_monthly_event_until_a_date_across_the_autumn_change():
    event = _event(
        start=dt.datetime(2027, 9, 20, 17, 0, tzinfo=ROME),
        end=dt.datetime(2027, 9, 20, 18, 30, tzinfo=ROME),
        recurrence="MONTHLY",
        recurrence_until=dt.date(2027, 12, 20),
    )
    starts = [s for s, _e in event.occurrences(after=event.start - dt.timedelta(days=1))]
    assert [(s.month, s.astimezone(ROME).hour, s.astimezone(UTC).hour) for s in starts] == [
        (9, 17, 15),
        (10, 17, 15),
        (11, 17, 16),
        (12, 17, 16),
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"recurrence": "WEEKLY"}, "recurrence_until"),
        ({"recurrence": "WEEKLY", "recurrence_count": 3, "recurrence_until": dt.date(2027, 5, 1)}, "recurrence_count"),
        ({"recurrence": "", "recurrence_count": 3}, "recurrence"),
        ({"recurrence": "WEEKLY", "recurrence_until": dt.date(2027, 1, 1)}, "recurrence_until"),
        ({"end": dt.datetime(2027, 3, 16, 17, 0, tzinfo=ROME)}, "end"),
        ({"recurrence": "WEEKLY", "recurrence_count": 1}, "recurrence_count"),
    ],
)
def test_bad_dates_and_rules_are_refused(fields, field):
    with pytest.raises(ValidationError) as caught:
        _event(**fields)
    assert field in caught.value.message_dict
    assert not Event.objects.filter(title_it="Corso serale (prova)").exists()


def test_association_event_sits_in_the_associations_ambito():
    association = Association.objects.get(slug="comunita-senegalese-cremona-demo")
    with pytest.raises(ValidationError) as caught:
        _event(association=association)  # filed under Sesto
    assert "ambito" in caught.value.message_dict
    event = _event(association=association, ambito=None)
    assert event.ambito.slug == "cremonese-casalasco"


def test_operator_cannot_file_events_in_another_ambito():
    with pytest.raises(ValidationError):
        event = Event(
            title_it="Fuori ambito",
            ambito=Ambito.objects.get(slug="cremonese-casalasco"),
            start=dt.datetime(2027, 3, 16, 18, 0, tzinfo=ROME),
            end=dt.datetime(2027, 3, 16, 20, 0, tzinfo=ROME),
            place="x",
        )
        services.event_save(event=event, by=_user("operatore_sesto"))


# --- iCalendar ------------------------------------------------------------------------------


def test_feed_parses_back_with_timezone_rule_and_stable_uid(client, settings):
    settings.SITE_URL = "https://labimpact.example.org"
    event = _event(recurrence="WEEKLY", recurrence_count=3, title_en="Evening course (test)")
    calendar = _feed(client, _url("associations:feed"))
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["Europe/Rome"]
    vevent = _vevent(calendar, f"event-{event.pk}@labimpact.example.org")
    start = vevent.decoded("DTSTART")
    assert start == dt.datetime(2027, 3, 16, 18, 0, tzinfo=ROME)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Rome"
    assert vevent.decoded("DTEND") - start == dt.timedelta(hours=2)
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=3"
    assert str(vevent["URL"]).endswith(f"/it/eventi/{event.slug}/")
    # Expanded from the parsed feed, the occurrences keep 18:00 in Rome across the change.
    rule = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=start)
    assert [(o.hour, o.astimezone(UTC).hour) for o in rule] == [(18, 17), (18, 17), (18, 16)]
    # A second download names the event the same way (calendar apps update, not duplicate).
    again = _feed(client, _url("associations:feed"))
    assert _vevent(again, f"event-{event.pk}@labimpact.example.org")


def test_feed_until_is_utc_as_rfc5545_wants(client):
    event = _event(recurrence="MONTHLY", recurrence_until=dt.date(2027, 6, 16))
    vevent = _vevent(_feed(client, _url("associations:feed")), f"event-{event.pk}@127.0.0.1")
    until = vevent["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == dt.timedelta(0)
    assert until == dt.datetime(2027, 6, 16, 21, 59, 59, tzinfo=UTC)


def test_feed_in_a_language_carries_that_title(client):
    event = _event(title_uk="Вечірній курс")
    vevent = _vevent(_feed(client, _url("associations:feed", "uk")), f"event-{event.pk}@127.0.0.1")
    assert str(vevent["SUMMARY"]) == "Вечірній курс"


def test_ambito_and_association_feeds_hold_their_own_events(client):
    sesto = _feed(client, _url("associations:feed_ambito", slug="sesto-san-giovanni"))
    titles = {str(e["SUMMARY"]) for e in sesto.walk("VEVENT")}
    assert "Italiano per donne, ogni martedì (demo)" in titles
    assert "Festa dei popoli (demo)" not in titles
    association = _feed(client, _url("associations:feed_association", slug="comunita-senegalese-cremona-demo"))
    assert {str(e["SUMMARY"]) for e in association.walk("VEVENT")} == {"Festa dei popoli (demo)"}


def test_feeds_of_unknown_or_unpublished_things_answer_404(client):
    assert client.get(_url("associations:feed_ambito", slug="nessuno")).status_code == 404
    hidden = _url("associations:feed_association", slug="genitori-insieme-casalmaggiore-demo")
    assert client.get(hidden).status_code == 404


def test_unpublished_events_stay_out_of_feeds_and_pages(client):
    event = _event(is_published=False)
    calendar = _feed(client, _url("associations:feed"))
    assert f"event-{event.pk}@127.0.0.1" not in {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert client.get(_url("associations:event", slug=event.slug)).status_code == 404


# --- public pages ---------------------------------------------------------------------------


def test_upcoming_first_by_next_occurrence_and_past_in_the_archive(client):
    now = timezone.now()
    _event(
        title_it="Passato (prova)",
        start=now - dt.timedelta(days=30),
        end=now - dt.timedelta(days=30, hours=-2),
    )
    _event(
        title_it="Serie iniziata (prova)",
        start=now - dt.timedelta(days=6, hours=23),
        end=now - dt.timedelta(days=6, hours=22),
        recurrence="WEEKLY",
        recurrence_count=4,
    )
    _event(title_it="Tra un mese (prova)", start=now + dt.timedelta(days=30), end=now + dt.timedelta(days=30, hours=1))
    page = client.get(_url("associations:events")).content.decode()
    assert "Passato (prova)" not in page
    # The series started last week but its next date (tomorrow) comes first.
    assert page.index("Serie iniziata (prova)") < page.index("Tra un mese (prova)")
    archive = client.get(_url("associations:events") + "?archivio=1").content.decode()
    assert "Passato (prova)" in archive
    assert "Tra un mese (prova)" not in archive


def test_event_filters_and_bad_filter_values(client):
    page = client.get(_url("associations:events") + "?ambito=cremonese-casalasco").content.decode()
    assert "Festa dei popoli (demo)" in page
    assert "Italiano per donne" not in page
    page = client.get(_url("associations:events") + "?audience=donne").content.decode()
    assert "Italiano per donne" in page and "Festa dei popoli" not in page
    response = client.get(_url("associations:events", "ar") + "?ambito=x&language=zz&audience=nope")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"ambito", "language", "audience"}


def test_event_page_in_ukrainian_falls_back_to_italian_with_a_note(client):
    event = _event(title_uk="")
    page = client.get(_url("associations:event", "uk", slug=event.slug)).content.decode()
    assert '<span lang="it" dir="ltr" data-fallback-lang="it">Corso serale (prova)</span>' in page


def test_event_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        _event(title_it=f"Serie {n}", recurrence="WEEKLY", recurrence_count=10)
    with django_assert_max_num_queries(8):
        client.get(_url("associations:events"))


def test_events_are_found_by_site_search(client):
    _event(title_it="Laboratorio di cucina eritrea", description_it="Ricette e storie")
    index_rebuild()
    page = client.get(_url("sitesearch:search") + "?q=eritrea").content.decode()
    assert "Laboratorio di cucina eritrea" in page
    page = client.get(_url("sitesearch:search") + "?q=senegalese").content.decode()
    assert "Comunità senegalese di Cremona (demo)" in page


# --- from event to activity ---------------------------------------------------------------------


def test_past_event_becomes_an_activity_with_attendance():
    event = _event(
        start=dt.datetime(2021, 5, 4, 18, 0, tzinfo=ROME),
        end=dt.datetime(2021, 5, 4, 20, 0, tzinfo=ROME),
        recurrence="WEEKLY",
        recurrence_count=3,
    )
    attendance = [
        BeneficiaryGroup(
            sex="F", age_band="30-54", nationality_group="nord_africa", beneficiary_type="adulto", count=7
        ),
        BeneficiaryGroup(sex="M", age_band="19-29", nationality_group="asia", beneficiary_type="adulto", count=4),
    ]
    activity = services.event_to_activity(event=event, by=_user("operatore_sesto"), attendance=attendance)
    assert activity.kind == "iniziativa_associazioni"
    assert activity.macro_azione.number == 4
    assert (activity.start_date, activity.end_date) == (dt.date(2021, 5, 4), dt.date(2021, 5, 18))
    assert float(activity.hours) == 6.0
    assert sum(row.count for row in activity.beneficiaries.all()) == 11
    event.refresh_from_db()
    assert event.activity == activity
    with pytest.raises(ValidationError):
        services.event_to_activity(event=event, by=_user("operatore_sesto"))


def test_future_event_and_read_only_roles_cannot_become_activities():
    future = _event()
    with pytest.raises(ValidationError):
        services.event_to_activity(event=future, by=_user("operatore_sesto"))
    past = _event(start=dt.datetime(2021, 5, 4, 18, 0, tzinfo=ROME), end=dt.datetime(2021, 5, 4, 20, 0, tzinfo=ROME))
    with pytest.raises(PermissionDenied):
        services.event_to_activity(event=past, by=_user("associazione_demo"))


def test_activity_refused_when_attendance_rows_do_not_add_up():
    event = _event(start=dt.datetime(2021, 5, 4, 18, 0, tzinfo=ROME), end=dt.datetime(2021, 5, 4, 20, 0, tzinfo=ROME))
    rows = [
        BeneficiaryGroup(sex="F", age_band="30-54", nationality_group="asia", beneficiary_type="adulto", count=2),
        BeneficiaryGroup(sex="F", age_band="30-54", nationality_group="asia", beneficiary_type="adulto", count=3),
    ]
    with pytest.raises(ValidationError):
        services.event_to_activity(event=event, by=_user("operatore_sesto"), attendance=rows)
    event.refresh_from_db()
    assert event.activity is None
