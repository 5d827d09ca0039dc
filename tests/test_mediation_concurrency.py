"""Two operators assign the same mediator to overlapping slots at the same moment.

Real concurrent transactions on PostgreSQL: two threads, each with its own connection.
"""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from labimpact.demo import load_demo
from labimpact.reference import load_reference
from mediation import services
from mediation.models import MediationRequest
from tests.mediation_helpers import next_weekday, samira, submit, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def requests_in_triage():
    # A transactional test starts from an empty database (and leaves it empty).
    load_reference()
    load_demo()
    operator = user("operatore_sesto")
    start = next_weekday(3, hour=9, weeks=2)
    first = submit(start=start)
    second = submit(start=start + timedelta(minutes=30))
    for request in (first, second):
        services.mediation_request_triage(request=request, by=operator)
    return first, second


def test_two_concurrent_assignments_of_one_mediator_end_with_one_success(requests_in_triage):
    barrier = threading.Barrier(2)
    outcomes = {}

    def assign(request):
        try:
            operator = user("operatore_sesto")
            mediator = samira()
            barrier.wait(timeout=10)
            with transaction.atomic():
                services.mediation_request_assign(request=request, mediator=mediator, by=operator)
                # Hold the transaction open so the other thread really overlaps with it.
                threading.Event().wait(0.5)
            outcomes[request.pk] = "ok"
        except Exception as error:
            outcomes[request.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(r,)) for r in requests_in_triage]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    successes = [pk for pk, outcome in outcomes.items() if outcome == "ok"]
    failures = [outcome for outcome in outcomes.values() if outcome != "ok"]
    assert len(successes) == 1, outcomes
    assert len(failures) == 1 and isinstance(failures[0], services.DoubleBooking)
    assert "già un incontro" in " ".join(failures[0].messages)
    booked = MediationRequest.objects.filter(pk__in=[r.pk for r in requests_in_triage], mediator=samira())
    assert booked.count() == 1


def test_database_refuses_overlapping_bookings_even_without_the_service(requests_in_triage):
    first, second = requests_in_triage
    end = first.preferred_start + timedelta(hours=1)
    MediationRequest.objects.filter(pk=first.pk).update(
        mediator=samira(), status="assigned", scheduled_start=first.preferred_start, scheduled_end=end
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MediationRequest.objects.filter(pk=second.pk).update(
            mediator=samira(),
            status="assigned",
            scheduled_start=second.preferred_start,
            scheduled_end=second.preferred_start + timedelta(hours=1),
        )
    # Back-to-back slots do not overlap.
    MediationRequest.objects.filter(pk=second.pk).update(
        mediator=samira(), status="assigned", scheduled_start=end, scheduled_end=end + timedelta(hours=1)
    )
