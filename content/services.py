"""Writes to materials and news. The admin, imports and the demo loader call these."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from access.permissions import CHANGE
from access.scope import check_regional, check_write, require
from common.db import validated_save
from content.models import Material, MaterialFile, News
from content.signals import delete_file_on_commit


@transaction.atomic
def material_save(*, material: Material, by) -> Material:
    """Create or update a material of an ambito, or a regional one (the Regione's)."""
    check_write(by=by, instance=material, ambito=material.ambito)
    check_regional(
        by=by,
        ambito=material.ambito,
        message=_("I materiali regionali sono curati da Regione Lombardia: scegli il tuo ambito."),
    )
    return validated_save(material)


@transaction.atomic
def material_file_save(*, material_file: MaterialFile, by) -> MaterialFile:
    """Add or replace the file of a material in one language.

    The upload is checked by content and extension (content.uploads); the file it
    replaces is removed from storage once the change is committed.
    """
    material = material_file.material
    # A new file changes its material: whoever adds it must be allowed to change that.
    require(by, CHANGE, material)
    check_write(by=by, instance=material_file, ambito=material.ambito)
    check_regional(
        by=by,
        ambito=material.ambito,
        message=_("I materiali regionali sono curati da Regione Lombardia: scegli il tuo ambito."),
    )
    replaced = None
    if material_file.pk is not None:
        replaced = MaterialFile.objects.filter(pk=material_file.pk).values_list("file", flat=True).first()
    validated_save(material_file)
    if replaced and replaced != material_file.file.name:
        delete_file_on_commit(material_file.file.storage, replaced)
    return material_file


@transaction.atomic
def news_save(*, news: News, by) -> News:
    """Create or update a news item of an ambito, or a regional one (the Regione's)."""
    check_write(by=by, instance=news, ambito=news.ambito)
    check_regional(
        by=by,
        ambito=news.ambito,
        message=_("Le notizie regionali sono curate da Regione Lombardia: scegli il tuo ambito."),
    )
    return validated_save(news)
