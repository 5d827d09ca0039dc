"""Italian is the source language: its catalogue repeats every msgid as its msgstr.

Run by `make messages` after makemessages, so the Italian .po is complete like the others.
"""

import pathlib

import polib

PO = pathlib.Path(__file__).resolve().parent.parent / "locale" / "it" / "LC_MESSAGES" / "django.po"

catalogue = polib.pofile(str(PO))
for entry in catalogue:
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
catalogue.metadata_is_fuzzy = False
catalogue.save()
print(f"{PO}: {len(catalogue)} messages mirrored")
