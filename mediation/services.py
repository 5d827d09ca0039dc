from django.db import transaction

from access.scope import check_write
from common.db import validated_save
from mediation.models import Mediator


@transaction.atomic
def mediator_save(*, mediator: Mediator, by) -> Mediator:
    """Create or update a mediator's register entry (the ambiti are set by the caller after)."""
    check_write(by=by, instance=mediator)
    return validated_save(mediator)
