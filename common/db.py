"""Database helpers with no model of their own."""

from django.db import models


def validated_save(instance: models.Model) -> models.Model:
    """Validate the whole row (fields, uniqueness, constraints) and save it."""
    instance.full_clean()
    instance.save()
    return instance
