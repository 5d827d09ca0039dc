"""Demo associations, events and a representative login (called by labimpact.demo.load_demo).

Every row is flagged `is_demo` and named "(demo)"; phone numbers are the clearly fake
02 0000 0000 kind. Events are placed relative to today so the calendar always has
something upcoming. Idempotent: rows are matched on their slugs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from associations.models import Association, AssociationStatus, Event, Representative, Topic, TopicKey
from associations.recurrence import ROME
from services.models import Language
from territories.models import Ambito, Comune


@dataclass(frozen=True)
class DemoUser:
    username: str
    description: str


DEMO_USER = DemoUser("associazione_demo", "referente di un'associazione demo di Sesto: la sua scheda e i suoi eventi")

ASSOCIATIONS = [
    {
        "slug": "donne-del-mondo-sesto-demo",
        "name": "Donne del mondo Sesto (demo)",
        "kind": "migranti",
        "comune": "Sesto San Giovanni",
        "communities": "marocchina, egiziana, ucraina",
        "languages": ["ar", "uk", "fr"],
        "topics": ["donne", "lingua", "scuola"],
        "description": (
            "Incontri di italiano e di orientamento per donne appena arrivate, con spazio bimbi.",
            "Italian and orientation meetings for newly arrived women, with a children's corner.",
        ),
        "address": "Via Roma 10",
        "phone": "02 0000 0001",
        "coords": ("45.535000", "9.234000"),
        "status": AssociationStatus.PUBLISHED,
    },
    {
        "slug": "polisportiva-insieme-cologno-demo",
        "name": "Polisportiva Insieme Cologno (demo)",
        "kind": "sport",
        "comune": "Cologno Monzese",
        "communities": "",
        "languages": ["it", "en", "es"],
        "topics": ["sport", "giovani"],
        "description": (
            "Calcio e pallavolo per ragazzi di tutte le provenienze, quote ridotte per chi ne ha bisogno.",
            "Football and volleyball for young people of every background, reduced fees for those in need.",
        ),
        "address": "Via dello Sport 3",
        "phone": "",
        "coords": ("45.528000", "9.279000"),
        "status": AssociationStatus.PUBLISHED,
    },
    {
        "slug": "comunita-senegalese-cremona-demo",
        "name": "Comunità senegalese di Cremona (demo)",
        "kind": "migranti",
        "comune": "Cremona",
        "communities": "senegalese",
        "languages": ["fr", "wo"],
        "topics": ["intercultura", "lavoro", "diritti"],
        "description": (
            "Accoglienza, aiuto con i documenti e feste della comunità aperte alla città.",
            "Welcome, help with documents and community celebrations open to the whole town.",
        ),
        "address": "Via Mantova 5",
        "phone": "0372 000 000",
        "coords": ("45.137000", "10.030000"),
        "status": AssociationStatus.PUBLISHED,
    },
    {
        # Waiting in the moderation queue of Cremona's operator.
        "slug": "genitori-insieme-casalmaggiore-demo",
        "name": "Genitori insieme Casalmaggiore (demo)",
        "kind": "genitori",
        "comune": "Casalmaggiore",
        "communities": "",
        "languages": ["it", "ar"],
        "topics": ["scuola"],
        "description": ("Un gruppo di genitori che aiuta le famiglie arrivate da poco con la scuola.", ""),
        "address": "",
        "phone": "",
        "coords": None,
        "status": AssociationStatus.PROPOSED,
    },
]


def _next_weekday(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _events(today: dt.date) -> list[dict]:
    return [
        {
            "slug": "italiano-per-donne-sesto-demo",
            "association": "donne-del-mondo-sesto-demo",
            "title": ("Italiano per donne, ogni martedì (demo)", "Italian for women, every Tuesday (demo)"),
            "uk": "Італійська для жінок, щовівторка (демо)",
            "description": (
                "Corso gratuito di italiano con spazio bimbi. Porta un quaderno.",
                "Free Italian course with a children's corner. Bring a notebook.",
            ),
            "day": _next_weekday(today, 1),
            "hours": (dt.time(9, 30), dt.time(11, 30)),
            "recurrence": "WEEKLY",
            "count": 12,
            "place": "Centro civico, Via Roma 10",
            "comune": "Sesto San Giovanni",
            "languages": ["it", "ar", "uk"],
            "audience": "donne",
        },
        {
            "slug": "festa-dei-popoli-cremona-demo",
            "association": "comunita-senegalese-cremona-demo",
            "title": ("Festa dei popoli (demo)", "Festival of peoples (demo)"),
            "uk": "Свято народів (демо)",
            "description": (
                "Musica, cucina e giochi da tutto il mondo.",
                "Music, food and games from all over the world.",
            ),
            "day": _next_weekday(today, 5) + dt.timedelta(days=14),
            "hours": (dt.time(15, 0), dt.time(20, 0)),
            "recurrence": "",
            "count": None,
            "place": "Piazza del Comune",
            "comune": "Cremona",
            "languages": ["it", "fr"],
            "audience": "tutti",
        },
        {
            "slug": "sportello-documenti-ambito-sesto-demo",
            "association": None,
            "ambito": "sesto-san-giovanni",
            "title": (
                "Incontro informativo sul permesso di soggiorno, ogni mese (demo)",
                "Information meeting on residence permits, every month (demo)",
            ),
            "uk": "Інформаційна зустріч щодо дозволу на проживання, щомісяця (демо)",
            "description": ("Domande e risposte con l'operatore legale dell'ambito.", "Questions and answers."),
            "day": _next_weekday(today, 3),
            "hours": (dt.time(17, 0), dt.time(18, 30)),
            "recurrence": "MONTHLY",
            "count": 6,
            "place": "Sala consiliare",
            "comune": "Sesto San Giovanni",
            "languages": ["it", "en", "ar"],
            "audience": "tutti",
        },
    ]


def load_associations_demo(*, password: str) -> list[DemoUser]:
    comuni = {c.name: c for c in Comune.objects.filter(name__in={a["comune"] for a in ASSOCIATIONS})}
    languages = {language.code: language for language in Language.objects.all()}
    # The topics come with a data migration; a test database flush removes them, so make sure.
    topics = {key: Topic.objects.get_or_create(key=key)[0] for key in TopicKey.values}
    associations = {}
    for item in ASSOCIATIONS:
        comune = comuni[item["comune"]]
        latitude, longitude = item["coords"] or (None, None)
        association, _created = Association.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "comune": comune,
                "ambito": comune.ambito,
                "communities": item["communities"],
                "description_it": item["description"][0],
                "description_en": item["description"][1],
                "address": item["address"],
                "phone": item["phone"],
                "show_phone": bool(item["phone"]),
                "email": f"{item['slug']}@demo.labimpact.invalid",
                "latitude": Decimal(latitude) if latitude else None,
                "longitude": Decimal(longitude) if longitude else None,
                "status": item["status"],
                "proposer_name": "Proponente (demo)",
                "proposer_email": f"proponente-{item['slug']}@demo.labimpact.invalid",
                "is_demo": True,
            },
        )
        association.languages.set([languages[code] for code in item["languages"] if code in languages])
        association.topics.set([topics[key] for key in item["topics"]])
        associations[item["slug"]] = association

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USER.username, defaults={"is_staff": True, "email": "associazione_demo@demo.labimpact.invalid"}
    )
    if created:
        user.set_password(password)
        user.save()
    Representative.objects.update_or_create(user=user, defaults={"association": associations[ASSOCIATIONS[0]["slug"]]})

    today = timezone.localdate()
    for item in _events(today):
        association = associations.get(item["association"]) if item["association"] else None
        ambito = association.ambito if association else Ambito.objects.get(slug=item["ambito"])
        start = dt.datetime.combine(item["day"], item["hours"][0], tzinfo=ROME)
        end = dt.datetime.combine(item["day"], item["hours"][1], tzinfo=ROME)
        event, _created = Event.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title_it": item["title"][0],
                "title_en": item["title"][1],
                "title_uk": item["uk"],
                "description_it": item["description"][0],
                "description_en": item["description"][1],
                "ambito": ambito,
                "association": association,
                "start": start,
                "end": end,
                "recurrence": item["recurrence"],
                "recurrence_count": item["count"],
                "place": item["place"],
                "comune": comuni.get(item["comune"]) or Comune.objects.get(name=item["comune"]),
                "audience": item["audience"],
                "is_published": True,
                "is_demo": True,
            },
        )
        event.languages.set([languages[code] for code in item["languages"] if code in languages])
    return [DEMO_USER]
