"""Exports and imports against their baselines, in the same run (issue 11).

- Export: the activities CSV exporter over N activities (default 100,000) against
  PostgreSQL's own `COPY (the same query) TO STDOUT WITH CSV`; target ≤ 3× the COPY time and
  a peak memory growth ≤ 100 MB (the exporter streams from a server-side cursor).
- Import: M activity rows (default 10,000) through the validated, atomic import against a
  plain `bulk_create` of the same rows; target ≤ 5×.

Run on a PostgreSQL database of your own (rows are added under a "bench" title prefix and
removed at the end; reference data must be loaded):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/labimpact_<you> \\
        .venv/bin/python -m benchmarks.reports [--rows 100000] [--import-rows 10000]

Each phase runs in a child process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

PREFIX = "bench-"


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labimpact.settings.local")
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _coordinator():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-coordinatore", defaults={"is_superuser": True})
    return user


def phase_seed(rows: int) -> dict:
    from datetime import date, timedelta
    from decimal import Decimal

    from plan.models import MacroAzione
    from reports.models import Activity, BeneficiaryGroup
    from territories.models import Ambito

    existing = Activity.objects.filter(title__startswith=PREFIX).count()
    if existing == rows:
        return {"seeded": 0}
    Activity.objects.filter(title__startswith=PREFIX).delete()
    ambiti = list(Ambito.objects.all())
    macro = MacroAzione.objects.filter(plan__is_demo=False, number=1).first()
    start = time.perf_counter()
    batch = 5000
    for offset in range(0, rows, batch):
        items = [
            Activity(
                ambito=ambiti[i % len(ambiti)],
                macro_azione=macro,
                kind="laboratorio_l2",
                title=f"{PREFIX}{i}",
                start_date=date(2019, 1, 1) + timedelta(days=i % 1000),
                end_date=date(2019, 1, 1) + timedelta(days=i % 1000),
                hours=Decimal("2.5"),
                place="Biblioteca",
            )
            for i in range(offset, min(offset + batch, rows))
        ]
        Activity.objects.bulk_create(items, batch_size=batch)
        BeneficiaryGroup.objects.bulk_create(
            [
                BeneficiaryGroup(
                    activity=a, sex="F", age_band="11-13", nationality_group="asia", beneficiary_type="alunno", count=3
                )
                for a in items
            ],
            batch_size=batch,
        )
    return {"seeded": rows, "seconds": round(time.perf_counter() - start, 1)}


def phase_export() -> dict:
    from reports.exporters import ActivitiesExporter

    before = _rss_mb()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        ActivitiesExporter(_coordinator(), {"format": "csv"}).render(out)
        size = out.tell()
    return {"seconds": time.perf_counter() - start, "peak_growth_mb": _rss_mb() - before, "bytes": size}


def phase_copy() -> dict:
    from django.db import connection

    from reports.exporters import ActivitiesExporter

    qs = ActivitiesExporter(_coordinator(), {"format": "csv"}).queryset()
    sql, params = qs.query.sql_with_params()
    start = time.perf_counter()
    with connection.cursor() as cursor, tempfile.TemporaryFile() as out:
        statement = cursor.cursor.mogrify(sql, params).decode()
        cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV", out)
        size = out.tell()
    return {"seconds": time.perf_counter() - start, "bytes": size}


def _import_rows(rows: int) -> list[list[str]]:
    from territories.models import Ambito

    name = Ambito.objects.order_by("name").first().name
    header = ["Ambito", "Tipo di attività", "Titolo", "Data di inizio", "Data di fine", "Ore", "Luogo"]
    body = [
        [name, "Laboratorio di italiano L2", f"{PREFIX}import-{i}", "04/03/2020", "04/03/2020", "2,5", "Biblioteca"]
        for i in range(rows)
    ]
    return [header, *body]


def phase_import(rows: int) -> dict:
    from reports.importers import ActivityImporter
    from reports.models import Activity

    table = _import_rows(rows)
    start = time.perf_counter()
    report = ActivityImporter(_coordinator()).write(table)
    seconds = time.perf_counter() - start
    assert report.ok, report.errors[:5]
    Activity.objects.filter(title__startswith=f"{PREFIX}import-").delete()
    return {"seconds": seconds}


def phase_bulk(rows: int) -> dict:
    from datetime import date
    from decimal import Decimal

    from django.db import transaction

    from plan.models import MacroAzione
    from reports.models import Activity
    from territories.models import Ambito

    ambito = Ambito.objects.order_by("name").first()
    macro = MacroAzione.objects.filter(plan__is_demo=False, number=1).first()
    start = time.perf_counter()
    with transaction.atomic():
        Activity.objects.bulk_create(
            [
                Activity(
                    ambito=ambito,
                    macro_azione=macro,
                    kind="laboratorio_l2",
                    title=f"{PREFIX}import-{i}",
                    start_date=date(2020, 3, 4),
                    end_date=date(2020, 3, 4),
                    hours=Decimal("2.5"),
                    place="Biblioteca",
                )
                for i in range(rows)
            ]
        )
    seconds = time.perf_counter() - start
    Activity.objects.filter(title__startswith=f"{PREFIX}import-").delete()
    return {"seconds": seconds}


def phase_cleanup() -> dict:
    from reports.models import Activity

    deleted, _ = Activity.objects.filter(title__startswith=PREFIX).delete()
    return {"deleted": deleted}


PHASES = {
    "seed": lambda a: phase_seed(a.rows),
    "export": lambda a: phase_export(),
    "copy": lambda a: phase_copy(),
    "import": lambda a: phase_import(a.import_rows),
    "bulk": lambda a: phase_bulk(a.import_rows),
    "cleanup": lambda a: phase_cleanup(),
}


def _child(phase: str, args) -> dict:
    command = [sys.executable, "-m", "benchmarks.reports", "--phase", phase]
    command += ["--rows", str(args.rows), "--import-rows", str(args.import_rows)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 (our own module)
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--keep", action="store_true", help="keep the seeded activities for another run")
    parser.add_argument("--only", choices=("export", "import"), help="run one of the two comparisons")
    args = parser.parse_args(argv)
    if args.phase:
        _setup_django()
        print(json.dumps(PHASES[args.phase](args)))
        return 0
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    if args.only != "import":
        print("seed:", _child("seed", args))
        copy = _child("copy", args)
        export = _child("export", args)
        print(f"export of {args.rows} activities: COPY {copy['seconds']:.2f} s, exporter {export['seconds']:.2f} s")
        print(
            f"  ratio {export['seconds'] / copy['seconds']:.2f}× (target ≤ 3×), "
            f"peak memory growth {export['peak_growth_mb']:.0f} MB (target ≤ 100 MB)"
        )
    if args.only != "export":
        bulk = _child("bulk", args)
        imp = _child("import", args)
        print(f"import of {args.import_rows} rows: bulk_create {bulk['seconds']:.2f} s, import {imp['seconds']:.2f} s")
        print(f"  ratio {imp['seconds'] / bulk['seconds']:.1f}× (target ≤ 5×)")
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    if not args.keep:
        print("cleanup:", _child("cleanup", args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
