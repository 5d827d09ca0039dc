from django.db import transaction

from services.models import Sportello
from territories.services import check_write, validated_save


@transaction.atomic
def sportello_save(*, sportello: Sportello, by) -> Sportello:
    """Create or update an information desk within the ambiti `by` works in."""
    check_write(by=by, instance=sportello, ambito=sportello.ambito)
    return validated_save(sportello)
