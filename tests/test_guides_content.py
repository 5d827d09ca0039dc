"""The reference guides a newcomer acts on: files in every language, cited sources, a safe loader."""

import json
import shutil

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from services.guide_files import GUIDES_DIR, read_guides
from services.models import Guide, GuideSource, GuideStep
from services.reference import load_guides

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
GUIDE_FILES = sorted(GUIDES_DIR.glob("*.json"))
EXPECTED_SLUGS = {
    "rinnovo-permesso-di-soggiorno",
    "ricongiungimento-familiare",
    "cittadinanza",
    "iscrizione-scuola",
    "iscrizione-servizio-sanitario",
    "corsi-italiano-cpia",
}


def _raw(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _counts():
    return (Guide.objects.count(), GuideStep.objects.count(), GuideSource.objects.count())


def test_every_guide_the_issue_names_has_a_file():
    assert {path.stem for path in GUIDE_FILES} >= EXPECTED_SLUGS


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda p: p.stem)
def test_every_field_of_every_guide_is_written_in_every_language(path):
    raw = _raw(path)
    blocks = [("title", raw["title"]), ("summary", raw["summary"])]
    for index, step in enumerate(raw["steps"]):
        blocks += [(f"steps[{index}].title", step["title"]), (f"steps[{index}].body", step["body"])]
    for field, block in blocks:
        for code in LANGUAGE_CODES:
            assert block.get(code, "").strip(), f"{path.name}: {field}.{code} is empty"
    for index, step in enumerate(raw["steps"]):
        checklist = step.get("checklist")
        if checklist:
            lengths = {code: len(checklist.get(code, [])) for code in LANGUAGE_CODES}
            assert set(lengths.values()) == {len(checklist["it"])}, f"{path.name}: steps[{index}].checklist {lengths}"


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda p: p.stem)
def test_every_guide_cites_official_sources_over_https_and_has_four_to_six_steps(path):
    raw = _raw(path)
    assert raw["sources"], f"{path.name} cites no source"
    for source in raw["sources"]:
        assert source["url"].startswith("https://") and source["title"] and source["publisher"]
    assert 4 <= len(raw["steps"]) <= 6


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda p: p.stem)
def test_no_translation_is_a_copy_of_the_italian(path):
    """A language left as the Italian text would pass the 'present' check and still fail the reader."""
    raw = _raw(path)
    for code in LANGUAGE_CODES:
        if code != "it":
            assert raw["summary"][code] != raw["summary"]["it"], f"{path.name}: summary.{code} is the Italian text"
            assert raw["title"][code] != raw["title"]["it"], f"{path.name}: title.{code} is the Italian text"


@pytest.mark.django_db
def test_every_guide_file_loads_published_regional_and_not_demo():
    guides = read_guides()
    assert {g.slug for g in guides} == {path.stem for path in GUIDE_FILES}
    load_guides()
    for data in guides:
        guide = Guide.objects.get(slug=data.slug)
        assert guide.is_published and not guide.is_demo and guide.ambito is None
        assert guide.verified_on == data.verified_on
        assert guide.steps.count() == len(data.steps)
        assert [s.url for s in guide.sources.order_by("order")] == [s["url"] for s in data.sources]
        assert set(guide.categories.values_list("key", flat=True)) == set(data.categories)
        assert all(getattr(guide, f"title_{code.replace('-', '_')}") for code in LANGUAGE_CODES)


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_guides()
    before = _counts()
    history = Guide.history.count()
    report = load_guides()
    assert _counts() == before
    assert report.guides == len(GUIDE_FILES)
    # Nothing changed, so nothing was saved again: the change history does not grow either.
    assert Guide.history.count() == history


@pytest.mark.django_db
def test_reloading_puts_back_an_edited_text_and_drops_a_source_the_file_no_longer_has(tmp_path):
    shutil.copy(GUIDES_DIR / "rinnovo-permesso-di-soggiorno.json", tmp_path)
    load_guides(tmp_path)
    guide = Guide.objects.get(slug="rinnovo-permesso-di-soggiorno")
    Guide.objects.filter(pk=guide.pk).update(title_ur="غلط")
    GuideSource.objects.create(guide=guide, title="Vecchia", publisher="Nessuno", url="https://example.org/vecchia")
    load_guides(tmp_path)
    guide.refresh_from_db()
    assert guide.title_ur == _raw(GUIDES_DIR / "rinnovo-permesso-di-soggiorno.json")["title"]["ur"]
    assert not guide.sources.filter(url="https://example.org/vecchia").exists()


@pytest.mark.django_db
def test_a_guide_missing_a_language_is_refused_naming_file_and_field_and_nothing_is_written(tmp_path):
    shutil.copy(GUIDES_DIR / "ricongiungimento-familiare.json", tmp_path)
    broken = _raw(GUIDES_DIR / "rinnovo-permesso-di-soggiorno.json")
    del broken["steps"][2]["body"]["ur"]
    broken["slug"] = "guida-rotta"
    (tmp_path / "guida-rotta.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    Guide.objects.filter(slug__in=["guida-rotta", "ricongiungimento-familiare"]).delete()
    before = _counts()

    with pytest.raises(ValidationError) as excinfo:
        load_guides(tmp_path)

    assert excinfo.value.messages == ["guida-rotta.json: steps[2].body.ur: missing or empty translation"]
    # The valid file next to it was not written either: the load is all or nothing.
    assert _counts() == before
    assert not Guide.objects.filter(slug="ricongiungimento-familiare").exists()


@pytest.mark.django_db
def test_a_source_without_https_or_a_checklist_shorter_in_one_language_is_refused(tmp_path):
    broken = _raw(GUIDES_DIR / "rinnovo-permesso-di-soggiorno.json")
    broken["sources"][0]["url"] = "http://example.org/"
    broken["steps"][1]["checklist"]["bn"].pop()
    (tmp_path / "rinnovo-permesso-di-soggiorno.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValidationError) as excinfo:
        load_guides(tmp_path)
    assert excinfo.value.messages == [
        "rinnovo-permesso-di-soggiorno.json: sources[0].url: must be an https:// address",
        "rinnovo-permesso-di-soggiorno.json: steps[1].checklist.bn: 4 items where the Italian list has 5",
    ]


@pytest.mark.django_db
def test_load_reference_command_reports_a_broken_guide_and_fails(tmp_path, monkeypatch):
    broken = _raw(GUIDES_DIR / "rinnovo-permesso-di-soggiorno.json")
    del broken["summary"]["zh-hans"]
    (tmp_path / "rinnovo-permesso-di-soggiorno.json").write_text(json.dumps(broken), encoding="utf-8")
    monkeypatch.setattr("services.guide_files.GUIDES_DIR", tmp_path)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"rinnovo-permesso-di-soggiorno\.json: summary\.zh-hans"):
        call_command("load_reference")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ur", "zh-hans"])
def test_guide_page_shows_linked_sources_with_publisher_and_verification_date(client, language):
    load_guides()
    guide = Guide.objects.get(slug="cittadinanza")
    with translation.override(language):
        response = client.get(reverse("services:guide", kwargs={"slug": guide.slug}))
        heading = translation.gettext("Fonti ufficiali")
    html = response.content.decode()
    assert response.status_code == 200
    assert heading != "Fonti ufficiali" and heading in html
    for source in guide.sources.all():
        assert f'<a href="{source.url}" lang="it" dir="ltr" rel="noopener">' in html
        publisher = source.publisher.replace("'", "&#x27;")
        assert f'<span class="guide-sources__publisher" lang="it" dir="ltr">{publisher}</span>' in html
    iso = guide.verified_on.isoformat()
    assert f'<time datetime="{iso}">{guide.verified_on:%d/%m/%Y}</time>' in html
    # The full address is in the page for the printed copy, where a link cannot be followed.
    assert f'<span class="guide-sources__url" dir="ltr">{guide.sources.first().url}</span>' in html
