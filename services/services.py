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
    check_write(by=by, instance=slot, ambito=slot.sportello.ambito)
    return validated_save(slot)


@transaction.atomic
def opening_slots_replace(*, sportello: Sportello, slots, by) -> None:
    """Make the desk's weekly hours exactly `slots` (imports): unchanged slots stay, others go or come."""
    check_write(by=by, instance=sportello, ambito=sportello.ambito)
    wanted = {(s.weekday, s.opens, s.closes): s for s in slots}
    for existing in sportello.slots.all():
        key = (existing.weekday, existing.opens, existing.closes)
        if key in wanted:
            wanted.pop(key)
        else:
            existing.delete()
    for slot in wanted.values():
        slot.sportello = sportello
        opening_slot_save(slot=slot, by=by)


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
