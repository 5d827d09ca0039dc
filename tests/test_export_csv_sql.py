"""The activities CSV formatted by PostgreSQL (the fast path) is byte for byte the Python-formatted one."""

import io
from datetime import date
from decimal import Decimal

import pytest

from reports import exporters
from territories.models import Ambito, Comune
from tests.factories import ActivityFactory, BeneficiaryGroupFactory

pytestmark = pytest.mark.django_db


def _csv(user, monkeypatch, *, sql: bool) -> bytes:
    monkeypatch.setattr(exporters.ActivitiesExporter, "_sql_text", lambda self: sql)
    out = io.BytesIO()
    exporters.ActivitiesExporter(user, {"format": "csv"}).render(out)
    return out.getvalue()


def test_sql_formatted_csv_equals_python_formatted_csv(coordinatore, monkeypatch):
    cremona = Ambito.objects.get(slug="cremonese-casalasco")
    hours = [Decimal("10.0"), Decimal("2.5"), Decimal("0.5"), Decimal("100.0"), Decimal("1234.5")]
    for i, value in enumerate(hours):
        activity = ActivityFactory(
            ambito=cremona if i % 2 else Ambito.objects.get(slug="sesto-san-giovanni"),
            kind=["laboratorio_l2", "corso_italiano", "studio_estivo", "formazione_mediatori", "intervento_mediazione"][
                i
            ],
            title=f'Attività; con "virgolette" e à {i}',
            start_date=date(2020, 1, i + 1),
            end_date=date(2020, 3, i + 1),
            hours=value,
            comune=Comune.objects.get(name="Cremona") if i == 1 else None,
        )
        BeneficiaryGroupFactory(activity=activity, count=i + 1)
    python = _csv(coordinatore, monkeypatch, sql=False)
    sql = _csv(coordinatore, monkeypatch, sql=True)
    assert sql == python
    assert ";10;" in python.decode("utf-8-sig") and ";2,5;" in python.decode("utf-8-sig")
