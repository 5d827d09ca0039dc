"""Every offered language has a complete, compiled catalogue."""

import pathlib

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE = pathlib.Path(settings.BASE_DIR) / "locale"
CODES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("code", CODES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(code):
    catalogue = polib.pofile(str(LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"{code}: fuzzy {fuzzy[:3]}"
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("code", CODES)
def test_placeholders_survive_translation(code):
    import re

    catalogue = polib.pofile(str(LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)s")
    for entry in catalogue.translated_entries():
        if not entry.msgid_plural:
            assert set(pattern.findall(entry.msgid)) == set(pattern.findall(entry.msgstr)), entry.msgid
            continue
        # A plural form may spell its number out ("one desk", Arabic duals) and leave the
        # counter out; it must not lose another placeholder nor invent one.
        known = set(pattern.findall(entry.msgid)) | set(pattern.findall(entry.msgid_plural))
        counters = {"%(counter)s", "%(count)s"}
        for form in entry.msgstr_plural.values():
            used = set(pattern.findall(form))
            assert used <= known, f"{entry.msgid}: unknown placeholder in {form!r}"
            assert known - counters <= used, f"{entry.msgid}: lost a placeholder in {form!r}"


@pytest.mark.parametrize("code", CODES)
def test_compiled_catalogue_matches_its_source(code):
    po_path = LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in polib.pofile(str(po_path)).translated_entries():
        if not entry.msgid_plural:
            key = (entry.msgctxt, entry.msgid)
            assert compiled.get(key) == entry.msgstr, f"{code}: .mo is stale, run make translations"


def test_reference_content_is_translated_in_every_language():
    import json

    data = json.loads((pathlib.Path(settings.BASE_DIR) / "labimpact" / "data" / "reference.json").read_text())
    items = [data["plan"]["title"], data["plan"]["summary"]]
    for macro in data["macro_azioni"]:
        items += [macro["title"], macro["description"]]
    for group in ("service_categories", "partner_types", "languages"):
        items += [item["name"] for item in data[group]]
    for values in items:
        missing = [code for code in CODES if not values.get(code)]
        assert not missing, f"{values['it']!r} lacks {missing}"
