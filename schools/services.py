from django.db import transaction

from schools.models import School
from territories.services import check_write, validated_save


@transaction.atomic
def school_save(*, school: School, by) -> School:
    """Create or update a school within the ambiti `by` works in."""
    check_write(by=by, instance=school, ambito=school.ambito)
    return validated_save(school)
