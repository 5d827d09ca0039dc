"""Demo data for `make run` and the tests: desks, schools, mediators and one user per role.

Everything created here is flagged `is_demo` and carries "(demo)" in its name, so it can
never be mistaken for real data on screen or in an export. Idempotent like the reference
loader; it needs the reference data (ambiti, comuni, lists) loaded first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from mediation.models import Mediator
from reports.models import Activity, BeneficiaryGroup
from reports.services import default_macro_azione
from schools.models import School, SchoolKind
from services.models import Language, ServiceCategory, Sportello
from territories.models import Ambito, Comune, Membership, StaffRole

DEMO_PASSWORD = "labimpact-demo"  # noqa: S105 — printed by `make run`, refused outside DEBUG


@dataclass(frozen=True)
class DemoUser:
    username: str
    description: str


DEMO_USERS = [
    DemoUser("coordinatore", "Regione Lombardia: coordinatore del piano, vede tutti gli ambiti"),
    DemoUser("operatore_sesto", "operatore dell'ambito di Sesto San Giovanni e Cologno Monzese"),
    DemoUser("operatore_cremona", "operatore dell'ambito Cremonese"),
    DemoUser("referente_scuola", "referente di una scuola di Sesto San Giovanni"),
    DemoUser("mediatrice", "mediatrice linguistico-culturale (arabo, francese)"),
]

SESTO = "sesto-san-giovanni"
CREMONA = "cremonese-casalasco"

SPORTELLI = [
    {
        "slug": "sportello-stranieri-sesto-demo",
        "ambito": SESTO,
        "comune": "Sesto San Giovanni",
        "name_it": "Sportello stranieri di Sesto San Giovanni (demo)",
        "name_en": "Sesto San Giovanni foreign residents' desk (demo)",
        "description_it": (
            "Orientamento e aiuto per le pratiche di permesso di soggiorno, ricongiungimento familiare e cittadinanza."
        ),
        "description_en": (
            "Guidance and help with residence permits, family reunification and citizenship applications."
        ),
        "address": "Piazza della Resistenza 20",
        "categories": ["permesso-soggiorno", "ricongiungimento", "cittadinanza", "consulenza-legale"],
        "languages": ["it", "ar", "fr", "en"],
    },
    {
        "slug": "sportello-scuola-famiglie-cologno-demo",
        "ambito": SESTO,
        "comune": "Cologno Monzese",
        "name_it": "Sportello scuola e famiglie di Cologno Monzese (demo)",
        "name_en": "Cologno Monzese school and family desk (demo)",
        "description_it": "Informazioni sull'iscrizione a scuola e sui corsi di italiano per adulti.",
        "description_en": "Information on school enrolment and Italian courses for adults.",
        "address": "Via Cavallotti 2",
        "categories": ["iscrizione-scuola", "corsi-italiano"],
        "languages": ["it", "ar", "zh", "es"],
    },
    {
        "slug": "sportello-stranieri-cremona-demo",
        "ambito": CREMONA,
        "comune": "Cremona",
        "name_it": "Sportello informativo stranieri di Cremona (demo)",
        "name_en": "Cremona information desk for foreign residents (demo)",
        "description_it": "Pratiche di soggiorno, lavoro e casa; mediazione su appuntamento.",
        "description_en": "Residence, work and housing matters; mediation by appointment.",
        "address": "Via Dante 134",
        "categories": ["permesso-soggiorno", "lavoro", "casa", "mediazione"],
        "languages": ["it", "sq", "uk", "hi", "pa"],
    },
]

SCHOOLS = [
    {
        "code": "MIIC00001D",
        "name": "Istituto Comprensivo di Sesto San Giovanni (demo)",
        "ambito": SESTO,
        "comune": "Sesto San Giovanni",
    },
    {
        "code": "MIIC00002D",
        "name": "Istituto Comprensivo di Cologno Monzese (demo)",
        "ambito": SESTO,
        "comune": "Cologno Monzese",
    },
    {
        "code": "CRIC00001D",
        "name": "Istituto Comprensivo di Casalmaggiore (demo)",
        "ambito": CREMONA,
        "comune": "Casalmaggiore",
    },
]

MEDIATORS = [
    {
        "first_name": "Samira",
        "last_name": "Haddad (demo)",
        "languages": ["ar", "fr"],
        "ambiti": [SESTO],
        "user": "mediatrice",
    },
    {"first_name": "Li", "last_name": "Wei (demo)", "languages": ["zh"], "ambiti": [SESTO, CREMONA], "user": None},
    {
        "first_name": "Olena",
        "last_name": "Kovalenko (demo)",
        "languages": ["uk", "ru"],
        "ambiti": [CREMONA],
        "user": None,
    },
]


# A week of L2 labs in Sesto and an information session in Cremona, with their pupils and
# families counted by band (what operators log every week).
ACTIVITIES = [
    {
        "ambito": SESTO,
        "kind": "laboratorio_l2",
        "title": "Laboratorio di italiano L2, classi prime (demo)",
        "start": "2021-03-01",
        "end": "2021-03-05",
        "hours": "10.0",
        "school": "MIIC00001D",
        "comune": "Sesto San Giovanni",
        "rows": [("alunno", "F", "11-13", "nord_africa", 6), ("alunno", "M", "11-13", "asia", 5)],
    },
    {
        "ambito": SESTO,
        "kind": "intervento_mediazione",
        "title": "Colloqui scuola-famiglia con mediatrice araba (demo)",
        "start": "2021-03-03",
        "end": "2021-03-03",
        "hours": "3.0",
        "school": "MIIC00001D",
        "comune": "Sesto San Giovanni",
        "rows": [("familiare", "F", "30-54", "nord_africa", 4), ("operatore", "F", "30-54", "italia", 2)],
    },
    {
        "ambito": CREMONA,
        "kind": "sessione_informativa",
        "title": "Incontro informativo sul rinnovo del permesso di soggiorno (demo)",
        "start": "2021-04-15",
        "end": "2021-04-15",
        "hours": "2.0",
        "school": None,
        "comune": "Cremona",
        "rows": [("adulto", "M", "30-54", "asia", 9), ("adulto", "F", "19-29", "africa_subsahariana", 7)],
    },
]


@transaction.atomic
def load_demo() -> list[DemoUser]:
    ambiti = {a.slug: a for a in Ambito.objects.filter(slug__in=[SESTO, CREMONA])}
    comuni = {
        c.name: c
        for c in Comune.objects.filter(name__in={"Sesto San Giovanni", "Cologno Monzese", "Cremona", "Casalmaggiore"})
    }
    categories = {c.key: c for c in ServiceCategory.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}

    for item in SPORTELLI:
        sportello, _ = Sportello.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "ambito": ambiti[item["ambito"]],
                "partner": ambiti[item["ambito"]].capofila,
                "comune": comuni[item["comune"]],
                "name_it": item["name_it"],
                "name_en": item["name_en"],
                "description_it": item["description_it"],
                "description_en": item["description_en"],
                "address": item["address"],
                "is_published": True,
                "is_demo": True,
            },
        )
        sportello.categories.set([categories[k] for k in item["categories"]])
        sportello.languages.set([languages[k] for k in item["languages"]])

    schools = {}
    for item in SCHOOLS:
        schools[item["code"]], _ = School.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "ambito": ambiti[item["ambito"]],
                "comune": comuni[item["comune"]],
                "kind": SchoolKind.IC,
                "is_demo": True,
            },
        )

    users = {}
    User = get_user_model()
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"is_staff": True, "email": f"{demo.username}@demo.labimpact.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[demo.username] = user

    Membership.objects.get_or_create(user=users["coordinatore"], role=StaffRole.COORDINATOR)
    Membership.objects.get_or_create(user=users["operatore_sesto"], role=StaffRole.OPERATOR, ambito=ambiti[SESTO])
    Membership.objects.get_or_create(user=users["operatore_cremona"], role=StaffRole.OPERATOR, ambito=ambiti[CREMONA])
    Membership.objects.get_or_create(
        user=users["referente_scuola"], role=StaffRole.SCHOOL_REFERENT, school=schools["MIIC00001D"]
    )

    for item in MEDIATORS:
        mediator, _ = Mediator.objects.update_or_create(
            first_name=item["first_name"],
            last_name=item["last_name"],
            defaults={"user": users.get(item["user"]), "is_demo": True, "is_available": True},
        )
        mediator.languages.set([languages[k] for k in item["languages"]])
        mediator.ambiti.set([ambiti[k] for k in item["ambiti"]])

    for item in ACTIVITIES:
        activity, _ = Activity.objects.update_or_create(
            ambito=ambiti[item["ambito"]],
            title=item["title"],
            defaults={
                "kind": item["kind"],
                "macro_azione": default_macro_azione(item["kind"]),
                "start_date": date.fromisoformat(item["start"]),
                "end_date": date.fromisoformat(item["end"]),
                "hours": Decimal(item["hours"]),
                "school": schools.get(item["school"]),
                "comune": comuni[item["comune"]],
            },
        )
        for kind, sex, age, origin, count in item["rows"]:
            BeneficiaryGroup.objects.update_or_create(
                activity=activity,
                beneficiary_type=kind,
                sex=sex,
                age_band=age,
                nationality_group=origin,
                defaults={"count": count},
            )
    return DEMO_USERS
