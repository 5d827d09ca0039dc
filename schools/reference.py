"""Real schools of the plan's networks, as the public sources name them.

The sources name the schools but give no codice meccanografico: the code stays empty
(shown as "to confirm") until a source gives it. Loaded by `load_reference`, idempotent.
"""

from django.db import transaction

from schools.models import School, SchoolKind
from territories.models import Ambito, Comune

SESTO_SOURCE = "Comune di Sesto San Giovanni, «Lab'Impact a Sesto: le attività nelle scuole»"
CREMONA_SOURCE = "Azienda Sociale Cremonese, FAMI Lab'Impact: la rete locale aderente al piano"

SCHOOLS = [
    # name, kind, comune, ambito slug, source
    *(
        (f"Istituto Comprensivo {name}", SchoolKind.IC, "Sesto San Giovanni", "sesto-san-giovanni", SESTO_SOURCE)
        for name in ("Rovani", "Breda", "Dante Alighieri", "Martiri", "Frank", "Pascoli", "Marzabotto")
    ),
    ("Istituto Comprensivo «G. Marconi»", SchoolKind.IC, "Casalmaggiore", "cremonese-casalasco", CREMONA_SOURCE),
    ("Istituto Comprensivo «G. Diotti»", SchoolKind.IC, "Casalmaggiore", "cremonese-casalasco", CREMONA_SOURCE),
    ("Istituto Comprensivo «G. M. Sacchi»", SchoolKind.IC, "Piadena Drizzona", "cremonese-casalasco", CREMONA_SOURCE),
    (
        "Istituto di Istruzione Superiore «G. Romani»",
        SchoolKind.IIS,
        "Casalmaggiore",
        "cremonese-casalasco",
        CREMONA_SOURCE,
    ),
    ("Centro Provinciale Istruzione Adulti Cremona", SchoolKind.CPIA, "Cremona", "cremonese-casalasco", CREMONA_SOURCE),
]


@transaction.atomic
def load_schools() -> int:
    ambiti = {a.slug: a for a in Ambito.objects.filter(slug__in={row[3] for row in SCHOOLS})}
    comuni = {
        c.name: c for c in Comune.objects.filter(name__in={row[2] for row in SCHOOLS}, provincia__code__in=["MI", "CR"])
    }
    for name, kind, comune, ambito, source in SCHOOLS:
        School.objects.update_or_create(
            name=name,
            comune=comuni[comune],
            defaults={"kind": kind, "ambito": ambiti[ambito], "source": source, "is_demo": False},
        )
    return len(SCHOOLS)
