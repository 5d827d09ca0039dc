"""Demo data for `make run` and the tests: desks, schools, mediators and one user per role.

Everything created here is flagged `is_demo` and carries "(demo)" in its name, so it can
never be mistaken for real data on screen or in an export. Idempotent like the reference
loader; it needs the reference data (ambiti, comuni, lists) loaded first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from content.demo import load_content_demo
from mediation.models import Mediator
from plan.models import MacroAzione, Plan
from reports.models import Activity, BeneficiaryGroup
from reports.services import default_macro_azione
from schools.models import School, SchoolKind
from services.models import Closure, Guide, GuideStep, Language, OpeningSlot, ServiceCategory, Sportello
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

# Hours, closures and the sections of the desk page. Sesto's desk is written in Arabic too,
# so the journey "Arabic reader in Sesto renewing a permit" reads in Arabic end to end.
DESK_DETAILS = {
    "sportello-stranieri-sesto-demo": {
        "mode": "appointment_recommended",
        "slots": [(0, "09:00", "12:30"), (2, "14:00", "17:30"), (4, "09:00", "12:30")],
        "closures": [("2026-12-24", "2027-01-06", "Festività natalizie", "Christmas holidays")],
        "phone": "02 2496 0000",
        "latitude": "45.534100",
        "longitude": "9.234400",
        "text": {
            "it": {
                "audience": "Cittadine e cittadini stranieri che vivono a Sesto San Giovanni o a Cologno Monzese.",
                "how_to_access": "Vieni negli orari di apertura oppure telefona per fissare un appuntamento. "
                "Per il rinnovo del permesso di soggiorno vieni almeno 60 giorni prima della scadenza.",
                "what_to_bring": "Passaporto valido\nPermesso di soggiorno (anche scaduto)\nCodice fiscale\n"
                "Quattro fotografie formato tessera\nMarca da bollo da 16 euro",
                "what_you_get": "Aiuto a compilare il kit postale e a preparare i documenti per la Questura.",
                "accessibility_notes": "Sede al piano terra, senza gradini.",
            },
            "en": {
                "audience": "Foreign residents living in Sesto San Giovanni or Cologno Monzese.",
                "how_to_access": "Come during opening hours or call to book an appointment. "
                "To renew a residence permit, come at least 60 days before it expires.",
                "what_to_bring": "Valid passport\nResidence permit (even if expired)\nTax code\n"
                "Four passport-size photos\n16-euro revenue stamp",
                "what_you_get": "Help filling in the postal kit and preparing the documents for the Questura.",
                "accessibility_notes": "Ground floor, step-free access.",
            },
            "ar": {
                "name": "مكتب المعلومات للأجانب في سيستو سان جوفاني (تجريبي)",
                "description": "توجيه ومساعدة في معاملات تصريح الإقامة ولمّ شمل الأسرة والجنسية.",
                "audience": "المواطنات والمواطنون الأجانب المقيمون في سيستو سان جوفاني أو كولونيو مونزيزي.",
                "how_to_access": "تعال في أوقات الدوام أو اتصل لتحديد موعد. "
                "لتجديد تصريح الإقامة تعال قبل انتهاء صلاحيته بستين يومًا على الأقل.",
                "what_to_bring": "جواز سفر ساري المفعول\nتصريح الإقامة (حتى لو كان منتهي الصلاحية)\n"
                "الرمز الضريبي (codice fiscale)\nأربع صور شخصية\nطابع مالي بقيمة 16 يورو",
                "what_you_get": "مساعدة في ملء الملف البريدي وتحضير الوثائق المطلوبة "
                "للـ Questura (مكتب الهجرة في الشرطة).",
                "accessibility_notes": "المقر في الطابق الأرضي ومن دون درجات.",
            },
        },
    },
    "sportello-scuola-famiglie-cologno-demo": {
        "mode": "regular",
        "slots": [(1, "09:00", "13:00"), (3, "15:00", "18:00")],
        "closures": [],
        "phone": "02 2530 0000",
        "text": {},
    },
    "sportello-stranieri-cremona-demo": {
        "mode": "appointment_only",
        "slots": [(0, "09:00", "12:00"), (3, "09:00", "12:00")],
        "closures": [],
        "phone": "0372 803438",
        "text": {},
    },
}

# More desks across the region, so the search, the map and the ambito pages look like the
# real thing. Invented places and hours, flagged demo like every record above.
_MORE_DESKS = [
    # slug, ambito, comune, name (it, en), description (it, en), address, categories, languages,
    # mode, slots (weekday, opens, closes), phone, latitude, longitude
    (
        "sportello-migranti-vimercate-demo",
        "vimercate-trezzo",
        "Vimercate",
        ("Sportello migranti Offertasociale, Vimercate (demo)", "Offertasociale migrants' desk, Vimercate (demo)"),
        (
            "Permessi di soggiorno, ricongiungimenti e orientamento ai servizi del territorio.",
            "Residence permits, family reunification and guidance to local services.",
        ),
        "Piazza Unità d'Italia 1",
        ["permesso-soggiorno", "ricongiungimento", "lavoro"],
        ["it", "ar", "ur", "bn"],
        "regular",
        [(1, "09:00", "12:30"), (3, "14:00", "17:00")],
        "039 000 0001",
        "45.612700",
        "9.369700",
    ),
    (
        "sportello-stranieri-trezzo-demo",
        "vimercate-trezzo",
        "Trezzo sull'Adda",
        ("Sportello stranieri di Trezzo sull'Adda (demo)", "Trezzo sull'Adda foreign residents' desk (demo)"),
        (
            "Un pomeriggio a settimana: pratiche di soggiorno e iscrizione ai corsi di italiano.",
            "One afternoon a week: residence matters and Italian course enrolment.",
        ),
        "Via Roma 5",
        ["permesso-soggiorno", "corsi-italiano"],
        ["it", "ar", "fr"],
        "appointment_recommended",
        [(2, "14:30", "17:30")],
        "02 000 0002",
        "45.605700",
        "9.518500",
    ),
    (
        "sportello-integrazione-lodi-demo",
        "lodi",
        "Lodi",
        ("Sportello integrazione di Lodi (demo)", "Lodi integration desk (demo)"),
        (
            "Cittadinanza, permessi di soggiorno e consulenza legale con avvocati volontari.",
            "Citizenship, residence permits and legal advice from volunteer lawyers.",
        ),
        "Piazza Mercato 4",
        ["cittadinanza", "permesso-soggiorno", "consulenza-legale"],
        ["it", "en", "es", "ro"],
        "regular",
        [(0, "09:00", "12:00"), (2, "09:00", "12:00"), (4, "14:00", "17:00")],
        "0371 000 003",
        "45.314200",
        "9.503400",
    ),
    (
        "sportello-stranieri-crema-demo",
        "crema",
        "Crema",
        ("Sportello stranieri di Crema (demo)", "Crema foreign residents' desk (demo)"),
        (
            "Orientamento su casa, lavoro e salute; mediatori in albanese e ucraino.",
            "Guidance on housing, work and health; mediators speaking Albanian and Ukrainian.",
        ),
        "Via Manzoni 21",
        ["casa", "lavoro", "salute", "mediazione"],
        ["it", "sq", "uk", "ru"],
        "appointment_only",
        [(1, "09:00", "12:00"), (4, "09:00", "12:00")],
        "0373 000 004",
        "45.363600",
        "9.685700",
    ),
    (
        "sportello-scuola-cinisello-demo",
        "cinisello-balsamo",
        "Cinisello Balsamo",
        (
            "Sportello scuola e famiglie straniere, Cinisello Balsamo (demo)",
            "School desk for foreign families, Cinisello Balsamo (demo)",
        ),
        (
            "Iscrizioni a scuola, corsi di italiano per genitori e mediazione con gli insegnanti.",
            "School enrolment, Italian courses for parents and mediation with teachers.",
        ),
        "Via XXV Aprile 4",
        ["iscrizione-scuola", "corsi-italiano", "mediazione"],
        ["it", "zh", "ar", "es"],
        "regular",
        [(0, "14:00", "17:00"), (3, "09:00", "12:00")],
        "02 000 0005",
        "45.558200",
        "9.214600",
    ),
    (
        "sportello-salute-monza-demo",
        "monza",
        "Monza",
        (
            "Sportello salute e servizi per stranieri, Monza (demo)",
            "Health and services desk for foreigners, Monza (demo)",
        ),
        (
            "Tessera sanitaria, scelta del medico e accesso ai servizi sociali.",
            "Health card, choosing a family doctor and access to social services.",
        ),
        "Via Procaccini 15",
        ["salute", "permesso-soggiorno"],
        ["it", "en", "ar", "pt"],
        "regular",
        [(1, "09:00", "13:00"), (2, "09:00", "13:00"), (4, "09:00", "13:00")],
        "039 000 0006",
        "45.584500",
        "9.274400",
    ),
    (
        "sportello-immigrazione-bergamo-demo",
        "bergamo",
        "Bergamo",
        ("Sportello immigrazione di Bergamo (demo)", "Bergamo immigration desk (demo)"),
        (
            "Permessi, ricongiungimenti, cittadinanza: informazioni e aiuto con i moduli.",
            "Permits, family reunification, citizenship: information and help with the forms.",
        ),
        "Via San Lazzaro 3",
        ["permesso-soggiorno", "ricongiungimento", "cittadinanza"],
        ["it", "ar", "wo", "fr"],
        "temporarily_closed",
        [(0, "09:00", "12:30"), (3, "14:00", "17:30")],
        "035 000 0007",
        "45.698300",
        "9.677300",
    ),
    (
        "sportello-lavoro-brescia-demo",
        "brescia",
        "Brescia",
        (
            "Sportello lavoro e casa per cittadini stranieri, Brescia (demo)",
            "Work and housing desk for foreign residents, Brescia (demo)",
        ),
        (
            "Ricerca di lavoro, contratti, casa e riconoscimento dei titoli di studio.",
            "Job search, contracts, housing and recognition of qualifications.",
        ),
        "Via Moretto 8",
        ["lavoro", "casa"],
        ["it", "ur", "pa", "hi", "bn"],
        "regular",
        [(0, "15:00", "18:00"), (2, "15:00", "18:00")],
        "030 000 0008",
        "45.541600",
        "10.211800",
    ),
]

for (
    _slug,
    _ambito,
    _comune,
    _names,
    _descriptions,
    _address,
    _categories,
    _languages,
    _mode,
    _slots,
    _phone,
    _lat,
    _lon,
) in _MORE_DESKS:
    SPORTELLI.append(
        {
            "slug": _slug,
            "ambito": _ambito,
            "comune": _comune,
            "name_it": _names[0],
            "name_en": _names[1],
            "description_it": _descriptions[0],
            "description_en": _descriptions[1],
            "address": _address,
            "categories": _categories,
            "languages": _languages,
        }
    )
    DESK_DETAILS[_slug] = {
        "mode": _mode,
        "slots": _slots,
        "closures": [],
        "phone": _phone,
        "latitude": _lat,
        "longitude": _lon,
        "text": {},
    }
# A temporarily closed desk says when it reopens.
DESK_REOPENS = {"sportello-immigrazione-bergamo-demo": "2027-01-11"}
DESK_DETAILS["sportello-stranieri-cremona-demo"].update(latitude="45.133200", longitude="10.022700")
DESK_DETAILS["sportello-scuola-famiglie-cologno-demo"].update(latitude="45.528600", longitude="9.275600")


# Shaped on the Questura di Como vademecum that ASCI Lomazzo-Fino Mornasco publishes; the
# wording is ours and the guide is flagged demo until an ambito validates it.
GUIDES = [
    {
        "slug": "rinnovo-permesso-di-soggiorno-demo",
        "title": ("Rinnovare il permesso di soggiorno (demo)", "Renewing a residence permit (demo)"),
        "summary": (
            "Chi ha un permesso di soggiorno deve chiederne il rinnovo prima che scada. "
            "Ecco i passi e i documenti, come li chiede di solito la Questura.",
            "If you hold a residence permit, you must ask for its renewal before it expires. "
            "Here are the steps and the documents the Questura usually asks for.",
        ),
        "ambito": None,
        "source": "Esempio sul modello del Vademecum della Questura di Como (ASCI Lomazzo-Fino Mornasco)",
        "categories": ["permesso-soggiorno"],
        "steps": [
            (
                ("Controlla la scadenza", "Check the expiry date"),
                (
                    "Chiedi il rinnovo almeno 60 giorni prima della scadenza. Se il permesso è già scaduto, "
                    "vai comunque subito a uno sportello: ti aiutano a capire cosa fare.",
                    "Ask for the renewal at least 60 days before the expiry date. If your permit has already "
                    "expired, go to a desk anyway: they will help you understand what to do.",
                ),
                ("", ""),
            ),
            (
                ("Prepara i documenti", "Get your documents ready"),
                ("Porta gli originali e una fotocopia di ciascuno.", "Bring the originals and a copy of each."),
                (
                    "Passaporto valido\nPermesso di soggiorno in scadenza\nQuattro fotografie formato tessera\n"
                    "Marca da bollo da 16 euro\nDocumenti sul reddito (buste paga o dichiarazione dei redditi)\n"
                    "Contratto d'affitto o dichiarazione di ospitalità",
                    "Valid passport\nThe permit that is expiring\nFour passport-size photos\n"
                    "16-euro revenue stamp\nProof of income (payslips or tax return)\n"
                    "Rental contract or declaration of hospitality",
                ),
            ),
            (
                ("Compila e spedisci il kit postale", "Fill in and send the postal kit"),
                (
                    "Ritira il kit negli uffici postali abilitati: lo sportello informativo ti aiuta a compilarlo. "
                    "Spediscilo dall'ufficio postale e conserva la ricevuta: vale come prova della domanda.",
                    "Collect the kit at an enabled post office: the information desk will help you fill it in. "
                    "Send it from the post office and keep the receipt: it proves you have applied.",
                ),
                ("", ""),
            ),
            (
                ("Vai all'appuntamento in Questura", "Go to your appointment at the Questura"),
                (
                    "Nel giorno indicato sulla ricevuta porta gli originali dei documenti: in Questura ti "
                    "prenderanno le impronte digitali. Poi ti diranno quando ritirare il nuovo permesso.",
                    "On the day written on the receipt, bring the original documents: at the Questura they "
                    "will take your fingerprints, then tell you when to collect the new permit.",
                ),
                ("", ""),
            ),
        ],
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


def _desk_details(sportello: Sportello, details: dict) -> None:
    sportello.opening_mode = details["mode"]
    reopens = DESK_REOPENS.get(sportello.slug)
    sportello.reopening_date = date.fromisoformat(reopens) if reopens else None
    sportello.phone = details["phone"]
    if "latitude" in details:
        sportello.latitude = Decimal(details["latitude"])
        sportello.longitude = Decimal(details["longitude"])
    for code, fields in details["text"].items():
        for field, value in fields.items():
            setattr(sportello, f"{field}_{code}", value)
    sportello.save()
    sportello.slots.all().delete()
    OpeningSlot.objects.bulk_create(
        OpeningSlot(sportello=sportello, weekday=day, opens=time.fromisoformat(a), closes=time.fromisoformat(b))
        for day, a, b in details["slots"]
    )
    sportello.closures.all().delete()
    for start, end, reason_it, reason_en in details["closures"]:
        Closure.objects.create(
            sportello=sportello,
            start_date=date.fromisoformat(start),
            end_date=date.fromisoformat(end),
            reason_it=reason_it,
            reason_en=reason_en,
        )


DEMO_PLAN_CODE = "prog-2463-prosecuzione-demo"


def load_demo_plan() -> Plan:
    """A successor plan covering today, so the back office can log this week's work.

    Nothing public confirms such a plan: it is flagged demo and says so in its title. Its
    end moves with the calendar (the end of next year) so the demo never goes stale.
    """
    original = Plan.objects.official().order_by("start").first()
    today = date.today()
    plan, _ = Plan.objects.update_or_create(
        code=DEMO_PLAN_CODE,
        defaults={
            "title_it": "Lab'Impact — prosecuzione (demo)",
            "title_en": "Lab'Impact — continuation (demo)",
            "fund": original.fund,
            "specific_objective": original.specific_objective,
            "national_objective": original.national_objective,
            "act": "(demo)",
            "act_date": date(2023, 6, 1),
            "start": date(2023, 7, 1),
            "end": date(today.year + 1, 12, 31),
            "comuni_covered": original.comuni_covered,
            "budget_first_phase": Decimal(0),
            "budget_total": Decimal(0),
            "is_demo": True,
        },
    )
    for macro in original.macro_azioni.all():
        MacroAzione.objects.update_or_create(
            plan=plan,
            number=macro.number,
            defaults={
                "slug": macro.slug,
                **{
                    f.attname: getattr(macro, f.attname)
                    for f in macro._meta.fields
                    if f.name.startswith(("title_", "description_"))
                },
            },
        )
    return plan


@transaction.atomic
def load_demo() -> list[DemoUser]:
    load_demo_plan()
    ambiti = {a.slug: a for a in Ambito.objects.filter(slug__in={SESTO, CREMONA, *(d["ambito"] for d in SPORTELLI)})}
    comuni = {
        c.name: c
        for c in Comune.objects.filter(
            name__in={
                "Sesto San Giovanni",
                "Cologno Monzese",
                "Cremona",
                "Casalmaggiore",
                *(d["comune"] for d in SPORTELLI),
            }
        )
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
        _desk_details(sportello, DESK_DETAILS[item["slug"]])

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
                "macro_azione": default_macro_azione(
                    item["kind"], day=date.fromisoformat(item["start"]), ambito_id=ambiti[item["ambito"]].pk
                ),
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
    for item in GUIDES:
        guide, _ = Guide.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title_it": item["title"][0],
                "title_en": item["title"][1],
                "summary_it": item["summary"][0],
                "summary_en": item["summary"][1],
                "ambito": ambiti.get(item["ambito"]) if item["ambito"] else None,
                "source": item["source"],
                "is_published": True,
                "is_demo": True,
            },
        )
        guide.categories.set([categories[k] for k in item["categories"]])
        guide.steps.all().delete()
        for order, (title, body, checklist) in enumerate(item["steps"]):
            GuideStep.objects.create(
                guide=guide,
                order=order,
                title_it=title[0],
                title_en=title[1],
                body_it=body[0],
                body_en=body[1],
                checklist_it=checklist[0],
                checklist_en=checklist[1],
            )
    # Materials (with generated PDF and PNG files) and news: content/demo.py.
    load_content_demo(ambiti=ambiti, categories=categories)
    return DEMO_USERS
