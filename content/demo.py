"""Demo materials (with generated PDF and PNG files) and news, loaded by labimpact.demo.

The records are declared in labimpact/data/demo.json with the rest of the demo. Every item
is flagged `is_demo` and says "(demo)" in its title. Texts are in Italian, English and
Arabic; other languages fall back to Italian with the usual note. Facts come from the public
pages of the plan and of the ambiti (../shared/seeds).
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from content import demo_files, uploads
from content.models import Material, MaterialFile, News
from content.services import material_file_save, material_save, news_save
from plan.models import MacroAzione


def _demo_file(material: Material, language: str, kind: str) -> ContentFile:
    if kind == "png":
        return ContentFile(demo_files.png(), name=f"{material.slug}-{language}.png")
    lines = [
        "Lab'Impact - Regione Lombardia",
        f"{material.title_it}",
        f"Materiale dimostrativo / demo material - lingua: {language}",
    ]
    return ContentFile(demo_files.pdf(lines), name=f"{material.slug}-{language}.pdf")


def _store_demo_file(material: Material, language: str, kind: str) -> dict:
    """Write a demo file under a fixed name, so that reloading the demo overwrites it.

    Upload names are random (content.uploads); a fixed one here keeps repeated loads, and
    databases rebuilt on the same media folder, from piling up copies.
    """
    content = _demo_file(material, language, kind)
    file_kind = uploads.inspect_upload(content)  # the same checks as an upload
    storage = MaterialFile._meta.get_field("file").storage
    name = f"materiali/demo/{material.slug}-{language}{file_kind.extension}"
    if storage.exists(name):
        storage.delete(name)
    return {"file": storage.save(name, content), "content_type": file_kind.content_type, "size": content.size}


def load_content_demo(*, data: dict, by, ambiti: dict, categories: dict, upsert) -> None:
    """Upsert the demo materials (with generated files) and news through the services."""
    macro_azioni = {m.number: m for m in MacroAzione.objects.all()}
    for item in data["materials"]:
        material = upsert(
            Material,
            lambda obj: material_save(material=obj, by=by),
            lookup={"slug": item["slug"]},
            values={
                "ambito": ambiti[item["ambito"]] if item["ambito"] else None,
                "macro_azione": macro_azioni.get(item["macro_azione"]),
                "is_published": True,
                "is_demo": True,
                **item["fields"],
            },
            m2m={"categories": [categories[key] for key in item["categories"]]},
        )
        stored = dict(material.files.values_list("language", "file"))
        storage = MaterialFile._meta.get_field("file").storage
        for language, kind in item["files"].items():
            name = stored.get(language, "")
            if name.startswith(f"materiali/demo/{material.slug}-{language}.") and storage.exists(name):
                continue
            material_file = material.files.filter(language=language).first() or MaterialFile(
                material=material, language=language
            )
            for name, value in _store_demo_file(material, language, kind).items():
                setattr(material_file, name, value)
            material_file_save(material_file=material_file, by=by)
    for item in data["news"]:
        upsert(
            News,
            lambda obj: news_save(news=obj, by=by),
            lookup={"slug": item["slug"]},
            values={
                "ambito": ambiti[item["ambito"]] if item["ambito"] else None,
                "published_at": item["published_at"],
                "is_published": True,
                "is_demo": True,
                **item["fields"],
            },
        )
