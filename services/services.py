from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import check_regional, check_write
from common.db import validated_save
from services.models import Closure, Guide, GuideStep, OpeningSlot, Sportello


@transaction.atomic
def sportello_save(*, sportello: Sportello, by) -> Sportello:
    """Create or update an information desk within the ambiti `by` works in."""
    check_write(by=by, instance=sportello, ambito=sportello.ambito)
    return validated_save(sportello)


@transaction.atomic
def opening_slot_save(*, slot: OpeningSlot, by) -> OpeningSlot:
    """A weekly slot; the same or an overlapping slot of the desk on that day is refused.

    The desk's row is locked first, so two saves adding slots to the same desk at once
    check their overlaps one after the other.
    """
    check_write(by=by, instance=slot, ambito=slot.sportello.ambito)
    Sportello.objects.select_for_update().filter(pk=slot.sportello_id).first()
    siblings = OpeningSlot.objects.filter(sportello_id=slot.sportello_id, weekday=slot.weekday)
    if slot.pk:
        siblings = siblings.exclude(pk=slot.pk)
    for other in siblings:
        if slot.opens and slot.closes and slot.overlaps(other):
            raise slot.overlap_error(other)
    return validated_save(slot)


@transaction.atomic
def closure_save(*, closure: Closure, by) -> Closure:
    check_write(by=by, instance=closure, ambito=closure.sportello.ambito)
    return validated_save(closure)


@transaction.atomic
def guide_save(*, guide: Guide, by) -> Guide:
    """A guide of an ambito, or a regional one (no ambito) that only the Regione writes."""
    check_write(by=by, instance=guide, ambito=guide.ambito)
    check_regional(
        by=by,
        ambito=guide.ambito,
        message=_("Le guide regionali sono curate da Regione Lombardia: scegli il tuo ambito."),
    )
    return validated_save(guide)


@transaction.atomic
def guide_step_save(*, step: GuideStep, by) -> GuideStep:
    check_write(by=by, instance=step, ambito=step.guide.ambito)
    return validated_save(step)
