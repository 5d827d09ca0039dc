"""Demo data for mediation on call and legal consultancy (make run and the tests).

Separate from labimpact/demo.py so it ports to a declarative fixture as it stands: plain
lists of rows, a small loader. Every row is flagged `is_demo` and says "(demo)".
Requests are created straight in their final state with back-dated timestamps, so the
queue, the pages and the activation-time figures look like a few weeks of real use.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from access.permissions import system_user
from labimpact.demo import replace_children, upsert
from legal.models import Consultation, ConsultationEvent, Faq, LegalConsultant
from legal.services import legal_consultant_save
from mediation.models import (
    MediationEvent,
    MediationRequest,
    MediationSession,
    Mediator,
    SocialWorker,
)
from mediation.services import mediator_part_save, mediator_save, social_worker_save
from schools.models import School
from services.models import Language
from territories.models import Ambito, Provincia
from workflow.models import Status

SESTO = "sesto-san-giovanni"
CREMONA = "cremonese-casalasco"

USERS = [
    ("assistente_sociale", "assistente sociale del Servizio tutela minori di Sesto San Giovanni"),
    ("consulente_legale", "consulente legale di turno per gli sportelli dell'ambito di Sesto San Giovanni"),
]

# mediator first name → [(language, level)], weekly availability (weekday, from, to)
MEDIATOR_DETAILS = {
    "Samira": ([("ar", "native"), ("fr", "c1")], [(d, "08:00", "17:00") for d in range(5)]),
    "Li": ([("zh", "native")], [(1, "09:00", "13:00"), (3, "09:00", "13:00")]),
    "Olena": ([("uk", "native"), ("ru", "c2")], [(d, "09:00", "16:00") for d in range(5)]),
}
# A second Arabic mediator of Sesto, only free on Saturdays: ranked after Samira on weekdays.
EXTRA_MEDIATORS = [
    {
        "first_name": "Karim",
        "last_name": "Mansour (demo)",
        "languages": [("ar", "b2")],
        "ambiti": [SESTO],
        "slots": [(5, "09:00", "13:00")],
    },
]

# setting, languages, urgency, status, ambito, requester ("school:<code>" or "social"),
# days ago submitted, hours to assignment, days to first session (None: not reached),
# need, sessions [(minutes, outcome)]
REQUESTS = [
    (
        "parent_teacher",
        ["ar"],
        2,
        Status.DONE,
        SESTO,
        "school:MIIC00001D",
        30,
        20,
        4,
        "Colloquio con i genitori di un alunno di seconda arrivato da poco (demo)",
        [(90, "held"), (60, "held")],
    ),
    (
        "reception",
        ["ar", "fr"],
        3,
        Status.DONE,
        SESTO,
        "school:MIIC00001D",
        21,
        6,
        2,
        "Accoglienza di un'alunna neoarrivata in prima primaria (demo)",
        [(120, "held")],
    ),
    (
        "court_assessment",
        ["ar"],
        3,
        Status.SCHEDULED,
        SESTO,
        "social",
        5,
        30,
        None,
        "Valutazione delle capacità genitoriali disposta dal tribunale per i minorenni (demo)",
        [],
    ),
    (
        "reception",
        ["zh"],
        2,
        Status.TRIAGED,
        SESTO,
        "school:MIIC00002D",
        2,
        None,
        None,
        "Accoglienza di un alunno di terza media (demo)",
        [],
    ),
    (
        "parent_teacher",
        ["bn"],
        1,
        Status.SUBMITTED,
        SESTO,
        "school:MIIC00001D",
        9,
        None,
        None,
        "Colloquio sul percorso scolastico, famiglia bengalese (demo)",
        [],
    ),
    (
        "social_interview",
        ["ar"],
        4,
        Status.SUBMITTED,
        SESTO,
        "social",
        0,
        None,
        None,
        "Primo colloquio con una madre appena arrivata (demo)",
        [],
    ),
    (
        "reception",
        ["uk"],
        3,
        Status.DONE,
        CREMONA,
        "school:CRIC00001D",
        40,
        50,
        6,
        "Accoglienza di due fratelli in primaria (demo)",
        [(90, "held"), (90, "partial")],
    ),
    (
        "parent_teacher",
        ["uk"],
        2,
        Status.ASSIGNED,
        CREMONA,
        "school:CRIC00001D",
        3,
        26,
        None,
        "Colloquio di fine quadrimestre (demo)",
        [],
    ),
    (
        "parent_teacher",
        ["ar"],
        1,
        Status.REJECTED,
        CREMONA,
        "school:CRIC00001D",
        12,
        None,
        None,
        "Colloquio già coperto dal mediatore della scuola (demo)",
        [],
    ),
]

FAQS = [
    (
        "reunification",
        "Un cittadino con permesso per lavoro subordinato può chiedere il ricongiungimento "
        "del figlio maggiorenne? (demo)",
        "Solo se il figlio non può provvedere a sé per ragioni di salute che comportano invalidità totale; "
        "altrimenti no. Verificare il reddito minimo e l'idoneità dell'alloggio. (demo)",
    ),
]


def _at(days_ago: float, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=int(days_ago))
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_mediation_demo(*, password: str) -> list[tuple[str, str]]:
    User = get_user_model()
    ambiti = {a.slug: a for a in Ambito.objects.filter(slug__in=[SESTO, CREMONA])}
    languages = {lang.code: lang for lang in Language.objects.all()}
    users = {}
    for username, _description in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@demo.labimpact.invalid"}
        )
        if created:
            user.set_password(password)
            user.save()
        users[username] = user

    # The registers go through their services, as labimpact/demo.py does for the rest.
    by = system_user()
    social = upsert(
        SocialWorker,
        lambda obj: social_worker_save(social_worker=obj, by=by),
        lookup={"user": users["assistente_sociale"]},
        values={
            "ambito": ambiti[SESTO],
            "service": "Servizio tutela minori, Sesto San Giovanni (demo)",
            "is_demo": True,
        },
    )
    for name, values in [
        (
            "Avv. Giulia Ferri (demo)",
            {
                "user": users["consulente_legale"],
                "ambito": ambiti[SESTO],
                "provincia": None,
                "areas": ["permits", "citizenship", "reunification", "asylum"],
                "is_demo": True,
            },
        ),
        (
            "Avv. Marco Bassi (demo)",
            {
                "provincia": Provincia.objects.get(code="CR"),
                "ambito": None,
                "areas": ["labour", "permits"],
                "is_demo": True,
            },
        ),
    ]:
        upsert(
            LegalConsultant,
            lambda obj: legal_consultant_save(consultant=obj, by=by),
            lookup={"name": name},
            values=values,
        )

    details = dict(MEDIATOR_DETAILS)
    for item in EXTRA_MEDIATORS:
        wanted = [ambiti[a] for a in item["ambiti"]]
        upsert(
            Mediator,
            lambda obj, a=wanted: mediator_save(mediator=obj, by=by, ambiti=a),
            lookup={"first_name": item["first_name"], "last_name": item["last_name"]},
            values={"is_demo": True},
        )
        details[item["first_name"]] = (item["languages"], item["slots"])

    def save_part(obj):
        return mediator_part_save(part=obj, by=by)

    for mediator in Mediator.objects.filter(is_demo=True, first_name__in=details):
        levels, slots = details[mediator.first_name]
        rows = [{"language": languages[code], "level": level} for code, level in levels if code in languages]
        replace_children(mediator.language_levels, save_part, rows)
        replace_children(
            mediator.availability, save_part, [{"weekday": day, "start": a, "end": b} for day, a, b in slots]
        )

    MediationRequest.objects.filter(is_demo=True).delete()
    schools = {s.code: s for s in School.objects.filter(is_demo=True)}
    mediators_by_language = {"ar": "Samira", "fr": "Samira", "zh": "Li", "uk": "Olena", "bn": "Samira"}
    referente = User.objects.filter(username="referente_scuola").first()
    for setting, langs, urgency, status, ambito, requester, days_ago, to_assign, to_session, need, sessions in REQUESTS:
        submitted = _at(days_ago, 9)
        school = schools.get(requester.split(":")[1]) if requester.startswith("school:") else None
        booked = status in (Status.ASSIGNED, Status.SCHEDULED, Status.DONE)
        start = _at(days_ago - (to_session or 3), 14) if booked else _at(-3, 10)
        if booked and start < submitted:
            start = submitted + timedelta(days=1)
        request = MediationRequest.objects.create(
            ambito=ambiti[ambito],
            school=school,
            social_worker=None if school else social,
            requested_by=referente if school and school.code == "MIIC00001D" else (None if school else social.user),
            setting=setting,
            urgency=urgency,
            preferred_start=start,
            duration_minutes=120,
            pupil_class="2B" if school else "",
            age_band="6-10" if school else "",
            need=need,
            status=status,
            is_demo=True,
        )
        request.languages.set([languages[c] for c in langs if c in languages])
        history = [("submit", "", Status.SUBMITTED, submitted, "")]
        if status != Status.SUBMITTED:
            history.append(("triage", Status.SUBMITTED, Status.TRIAGED, submitted + timedelta(hours=2), ""))
        fields = {"submitted_at": submitted}
        if status == Status.REJECTED:
            history[-1] = (
                "reject",
                Status.SUBMITTED,
                Status.REJECTED,
                submitted + timedelta(hours=5),
                "Coperto dal mediatore della scuola (demo)",
            )
            fields["closed_at"] = submitted + timedelta(hours=5)
        if booked:
            mediator = Mediator.objects.get(first_name=mediators_by_language[langs[0]], is_demo=True)
            assigned = submitted + timedelta(hours=to_assign)
            fields.update(
                mediator=mediator, scheduled_start=start, scheduled_end=start + timedelta(hours=2), assigned_at=assigned
            )
            history.append(("assign", Status.TRIAGED, Status.ASSIGNED, assigned, ""))
            if status in (Status.SCHEDULED, Status.DONE):
                history.append(("confirm", Status.ASSIGNED, Status.SCHEDULED, assigned + timedelta(hours=3), ""))
        if status == Status.DONE:
            for index, (minutes, outcome) in enumerate(sessions):
                MediationSession.objects.create(
                    request=request,
                    date=(start + timedelta(days=7 * index)).date(),
                    duration_minutes=minutes,
                    outcome=outcome,
                )
            fields["first_session_at"] = start
            fields["closed_at"] = start + timedelta(days=7 * len(sessions))
            history.append(("complete", Status.SCHEDULED, Status.DONE, fields["closed_at"], ""))
        MediationRequest.objects.filter(pk=request.pk).update(**fields)
        for name, source, target, at, note in history:
            event = MediationEvent.objects.create(
                request=request, transition=name, from_status=source, to_status=target, note=note
            )
            MediationEvent.objects.filter(pk=event.pk).update(at=at)

    Consultation.objects.filter(is_demo=True).delete()
    giulia = LegalConsultant.objects.get(name="Avv. Giulia Ferri (demo)")
    operatore = User.objects.filter(username="operatore_sesto").first()
    answered = Consultation.objects.create(
        ambito=ambiti[SESTO],
        asked_by=operatore,
        consultant=giulia,
        area="reunification",
        nationality_group="asia",
        question="Ricongiungimento del figlio maggiorenne: è possibile? (demo)",
        answer=FAQS[0][2],
        status=Status.DONE,
        answered_at=timezone.now(),
        closed_at=timezone.now(),
        is_demo=True,
    )
    ConsultationEvent.objects.create(
        consultation=answered, transition="answer", from_status=Status.SUBMITTED, to_status=Status.DONE
    )
    Consultation.objects.create(
        ambito=ambiti[SESTO],
        asked_by=operatore,
        consultant=giulia,
        area="citizenship",
        nationality_group="nord_africa",
        question="Requisito di reddito per la cittadinanza per residenza: quali anni contano? (demo)",
        is_demo=True,
    )
    Faq.objects.filter(ambito=ambiti[SESTO], question__endswith="(demo)").delete()
    for area, question, answer in FAQS:
        Faq.objects.create(
            ambito=ambiti[SESTO], consultant=giulia, consultation=answered, area=area, question=question, answer=answer
        )
    return USERS
