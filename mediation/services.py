from django.db import transaction

from mediation.models import Mediator
from territories.services import check_write, validated_save


@transaction.atomic
def mediator_save(*, mediator: Mediator, by) -> Mediator:
    """Create or update a mediator's register entry (the ambiti are set by the caller after)."""
    check_write(by=by, instance=mediator)
    return validated_save(mediator)
