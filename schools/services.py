from django.db import transaction

from access.scope import check_write
from common.db import validated_save
from schools.models import School


@transaction.atomic
def school_save(*, school: School, by) -> School:
    """Create or update a school within the ambiti `by` works in."""
    check_write(by=by, instance=school, ambito=school.ambito)
    return validated_save(school)
