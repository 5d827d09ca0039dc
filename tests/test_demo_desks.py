"""Demo desks: every text in all ten languages, labelled demo, no contact that could reach a real person."""

import json
import re

import pytest
from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

from labimpact.demo import demo_data
from services.models import Sportello

pytestmark = pytest.mark.django_db

TEXTS = ["name", "description", "audience", "how_to_access", "what_you_get", "accessibility_notes"]
CODES = [code for code, _name in settings.LANGUAGES]
DEMO_MARKS = ("(demo)", "(démo)", "(تجريبي)", "（演示）", "(демо)", "(ڈیمو)", "(ডেমো)")


@pytest.fixture
def desks():
    slugs = [item["slug"] for item in demo_data()["desks"]]
    desks = list(Sportello.objects.filter(slug__in=slugs).prefetch_related("closures"))
    assert len(desks) == len(slugs) == 11
    return desks


def _value(obj, field, code):
    return getattr(obj, build_localized_fieldname(field, code)) or ""


def test_every_demo_desk_text_is_written_in_all_ten_languages(desks):
    missing = [
        (desk.slug, field, code)
        for desk in desks
        for field in TEXTS
        for code in CODES
        if not _value(desk, field, code).strip()
    ]
    assert missing == []


def test_demo_desk_extras_are_all_languages_or_none(desks):
    for desk in desks:
        filled = {code for code in CODES if _value(desk, "what_to_bring", code).strip()}
        assert filled in (set(), set(CODES)), desk.slug
        # One document per line, the same number of lines in every language.
        counts = {len(_value(desk, "what_to_bring", code).splitlines()) for code in CODES}
        assert len(counts) == 1, desk.slug


def test_demo_closure_reasons_are_written_in_all_ten_languages(desks):
    closures = [closure for desk in desks for closure in desk.closures.all() if closure.reason_it]
    assert closures
    assert [(c.pk, code) for c in closures for code in CODES if not _value(c, "reason", code)] == []


def test_demo_desks_are_labelled_demo_in_every_language(desks):
    for desk in desks:
        assert desk.is_demo
        for code in CODES:
            assert _value(desk, "name", code).endswith(DEMO_MARKS), (desk.slug, code)


def test_translations_differ_from_the_italian_source(desks):
    # A copy of the Italian text is no translation (names of places aside, texts are sentences).
    for desk in desks:
        for field in ("description", "how_to_access", "what_you_get"):
            italian = _value(desk, field, "it")
            assert all(_value(desk, field, code) != italian for code in CODES if code != "it"), (desk.slug, field)


def test_no_demo_phone_number_could_be_real(desks):
    for desk in desks:
        digits = re.sub(r"\D", "", desk.phone)
        # +39 followed by 00: no Italian fixed line (0 + area code 1-9) or mobile (3) starts so.
        assert desk.phone.startswith("+39 000 "), desk.phone
        assert digits.startswith("3900"), desk.phone


def test_demo_emails_use_the_reserved_example_domain(desks):
    for desk in desks:
        assert desk.email.endswith("@example.org"), desk.email


def test_no_phone_like_number_anywhere_in_the_demo_desks():
    # Numbers typed into a text (a "call 02 …" in a description) would escape the field check.
    text = json.dumps(demo_data()["desks"], ensure_ascii=False)
    for number in re.findall(r"(?<![\d.])(?:\+39\s?)?0\d[\d ]{5,}\d", text):
        digits = re.sub(r"\D", "", number)
        national = digits[2:] if number.startswith("+39") else digits
        assert national.startswith("00"), number
