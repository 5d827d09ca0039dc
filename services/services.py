from django.db import transaction

from services.models import Closure, OpeningSlot, Sportello
from territories.services import check_write, validated_save


@transaction.atomic
def sportello_save(*, sportello: Sportello, by) -> Sportello:
    """Create or update an information desk within the ambiti `by` works in."""
    check_write(by=by, instance=sportello, ambito=sportello.ambito)
    return validated_save(sportello)


@transaction.atomic
def opening_slot_save(*, slot: OpeningSlot, by) -> OpeningSlot:
    check_write(by=by, instance=slot, ambito=slot.sportello.ambito)
    return validated_save(slot)


@transaction.atomic
def closure_save(*, closure: Closure, by) -> Closure:
    check_write(by=by, instance=closure, ambito=closure.sportello.ambito)
    return validated_save(closure)
