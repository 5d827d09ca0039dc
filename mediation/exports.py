"""The mediation sheet of the FAMI workbook (`reports.exporters.register_workbook_section`).

Its figures are those of the mediation measures page (`selectors.measures`) for the same
filters: ambito, provincia and period (requests submitted in it, with their sessions).
Per ambito × year, then the whole period, then session hours by language and by setting.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from access import permissions
from mediation import selectors
from mediation.models import MediationRequest
from reports.exporters import WorkbookSection, register_workbook_section


def _hours(value):
    return round(value, 1) if value is not None else None


def measures_for(exporter, start: date | None = None, end: date | None = None) -> dict:
    """`selectors.measures` with the workbook's filters (and a narrower period, for a year)."""
    filters = exporter.filters
    return selectors.measures(
        exporter.user,
        ambito=filters.ambito,
        provincia=filters.provincia,
        start=start if start is not None else filters.start,
        end=end if end is not None else filters.end,
    )


def _requests(exporter):
    filters = exporter.filters
    qs = permissions.visible(exporter.user, MediationRequest.objects.all())
    if filters.ambito:
        qs = qs.filter(ambito_id=filters.ambito)
    if filters.provincia:
        qs = qs.filter(ambito__provincia_id=filters.provincia)
    if filters.start:
        qs = qs.filter(submitted_at__date__gte=filters.start)
    if filters.end:
        qs = qs.filter(submitted_at__date__lte=filters.end)
    return qs


def years(exporter) -> list[int]:
    filters = exporter.filters
    qs = _requests(exporter)
    first = filters.start or (qs.order_by("submitted_at").values_list("submitted_at", flat=True).first())
    last = filters.end or (qs.order_by("-submitted_at").values_list("submitted_at", flat=True).first())
    if first is None or last is None:
        return []
    return list(range(first.year, last.year + 1))


def has_data(exporter) -> bool:
    return _requests(exporter).exists()


def _headers() -> list[str]:
    return [
        _("Richieste"),
        _("Ore di mediazione"),
        _("Richiesta → assegnazione: mediana (ore)"),
        _("Richiesta → assegnazione: 90° percentile (ore)"),
        _("Richiesta → primo incontro: mediana (ore)"),
        _("Richiesta → primo incontro: 90° percentile (ore)"),
    ]


def _figures(row) -> list:
    if row is None:
        return [0, 0, None, None, None, None]
    return [
        row.requests,
        row.hours,
        _hours(row.to_assigned_median),
        _hours(row.to_assigned_p90),
        _hours(row.to_session_median),
        _hours(row.to_session_p90),
    ]


def write(exporter, table) -> None:
    ambiti = exporter.ambiti()
    filters = exporter.filters
    table.row([_("Mediazione linguistico-culturale: richieste, tempi di attivazione, ore")], bold=True)
    table.row(
        [
            _(
                "Tempi in ore dall'invio della richiesta; richieste contate nell'anno in cui sono state inviate, "
                "con i loro incontri."
            )
        ]
    )
    table.row([])
    table.row([_("Ambito"), _("Provincia"), _("Anno"), *_headers()], bold=True)
    per_year = {}
    for year in years(exporter):
        start = max(date(year, 1, 1), filters.start) if filters.start else date(year, 1, 1)
        end = min(date(year, 12, 31), filters.end) if filters.end else date(year, 12, 31)
        per_year[year] = {row.ambito: row for row in measures_for(exporter, start, end)["ambiti"]}
    for ambito in ambiti:
        for year, rows in per_year.items():
            table.row([ambito.name, ambito.provincia.name, year, *_figures(rows.get(ambito.name))])
    whole = measures_for(exporter)
    by_name = {row.ambito: row for row in whole["ambiti"]}
    table.row([])
    table.row([_("Intero periodo")], bold=True)
    table.row([_("Ambito"), _("Provincia"), *_headers()], bold=True)
    for ambito in ambiti:
        table.row([ambito.name, ambito.provincia.name, *_figures(by_name.get(ambito.name))])
    table.row([])
    table.row([_("Lingua"), _("Ore di mediazione")], bold=True)
    for name, hours in whole["by_language"]:
        table.row([str(name), hours])
    table.row([])
    table.row([_("Contesto"), _("Ore di mediazione")], bold=True)
    for name, hours in whole["by_setting"]:
        table.row([str(name), hours])


SECTION = register_workbook_section(WorkbookSection(title=lambda: _("Mediazione"), has_data=has_data, write=write))
