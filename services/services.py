from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import check_regional, check_write
from common.db import validated_save
from services.guide_files import GuideData
from services.models import Closure, Guide, GuideSource, GuideStep, OpeningSlot, ServiceCategory, Sportello


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


@transaction.atomic
def guide_source_save(*, source: GuideSource, by) -> GuideSource:
    check_write(by=by, instance=source, ambito=source.guide.ambito)
    return validated_save(source)


def _assign(instance, values: dict) -> bool:
    """Set `values` on `instance`; True when any of them differs from what it held."""
    changed = instance.pk is None
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


@transaction.atomic
def guide_reference_save(*, guide: GuideData) -> Guide:
    """Create or update a regional reference guide from its checked file, matched on its slug.

    Steps are matched on their position and sources on their URL; rows the file no longer
    has are removed. A row is saved only when something in it changed, so loading the same
    files again writes nothing (and adds no history).
    """
    record = Guide.objects.filter(slug=guide.slug).first() or Guide(slug=guide.slug)
    if _assign(
        record,
        {
            "ambito": None,
            "verified_on": guide.verified_on,
            "is_published": True,
            "is_demo": False,
            **guide.fields,
        },
    ):
        validated_save(record)
    categories = list(ServiceCategory.objects.filter(key__in=guide.categories))
    if {c.pk for c in record.categories.all()} != {c.pk for c in categories}:
        record.categories.set(categories)

    existing_steps = {step.order: step for step in record.steps.all()}
    for order, fields in enumerate(guide.steps):
        step = existing_steps.pop(order, None) or GuideStep(guide=record, order=order)
        if _assign(step, fields):
            validated_save(step)
    GuideStep.objects.filter(pk__in=[step.pk for step in existing_steps.values()]).delete()

    existing_sources = {source.url: source for source in record.sources.all()}
    for order, item in enumerate(guide.sources):
        source = existing_sources.pop(item["url"], None) or GuideSource(guide=record, url=item["url"])
        if _assign(source, {"order": order, "title": item["title"], "publisher": item["publisher"]}):
            validated_save(source)
    GuideSource.objects.filter(pk__in=[source.pk for source in existing_sources.values()]).delete()
    return record
