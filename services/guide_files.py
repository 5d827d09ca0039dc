"""Read and check the reference guides kept as files in `services/data/guides/<slug>.json`.

Every file is checked completely before anything is written: a newcomer must find each guide
in their own language, so a guide missing a language (or a source) is refused, naming the
file and the field, rather than published half translated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

GUIDES_DIR = Path(settings.BASE_DIR) / "services" / "data" / "guides"


@dataclass(frozen=True)
class GuideData:
    """One guide as the loader writes it: model field names (`title_it`, ...) and values."""

    slug: str
    categories: list[str]
    verified_on: date
    sources: list[dict[str, str]]
    fields: dict[str, str]
    steps: list[dict[str, str]]


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _field(name: str, code: str) -> str:
    return f"{name}_{code.replace('-', '_')}"


class _Checker:
    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[str] = []

    def error(self, field: str, problem: str) -> None:
        self.errors.append(f"{self.filename}: {field}: {problem}")

    def texts(self, value, field: str) -> dict[str, str]:
        """A {"it": "...", "en": "...", ...} block with every site language, none empty."""
        if not isinstance(value, dict):
            self.error(field, "expected an object with one text per language")
            return {}
        result = {}
        for code in _language_codes():
            text = value.get(code)
            if not isinstance(text, str) or not text.strip():
                self.error(f"{field}.{code}", "missing or empty translation")
            else:
                result[code] = text.strip()
        for code in sorted(set(value) - set(_language_codes())):
            self.error(f"{field}.{code}", "not a language of the site")
        return result

    def checklist(self, value, field: str) -> dict[str, str]:
        """Lists of documents, one per language, each with as many items as the Italian one."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(field, "expected an object with one list per language")
            return {}
        expected = len(value.get("it") or [])
        result = {}
        for code in _language_codes():
            items = value.get(code)
            if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
                self.error(f"{field}.{code}", "missing, or not a list of non-empty texts")
                continue
            if len(items) != expected:
                self.error(f"{field}.{code}", f"{len(items)} items where the Italian list has {expected}")
                continue
            if any("\n" in item for item in items):
                self.error(f"{field}.{code}", "an item spans more than one line")
                continue
            result[code] = "\n".join(item.strip() for item in items)
        return result


def parse_guide(path: Path, category_keys: set[str]) -> GuideData:
    """Check one guide file; raise ValidationError listing every problem, file and field named."""
    check = _Checker(path.name)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path.name}: not readable JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise ValidationError(f"{path.name}: expected a JSON object")

    slug = raw.get("slug")
    if not isinstance(slug, str) or slug != path.stem:
        check.error("slug", f"must equal the file name {path.stem!r}")
    categories = raw.get("categories")
    if not isinstance(categories, list) or not categories:
        check.error("categories", "at least one category is needed")
        categories = []
    for key in categories:
        if key not in category_keys:
            check.error("categories", f"unknown category {key!r}")
    verified_on = None
    try:
        verified_on = date.fromisoformat(raw.get("verified_on") or "")
    except (TypeError, ValueError):
        check.error("verified_on", "expected a date as YYYY-MM-DD")

    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        check.error("sources", "at least one official source is needed")
        sources = []
    clean_sources = []
    for index, source in enumerate(sources):
        field = f"sources[{index}]"
        if not isinstance(source, dict):
            check.error(field, "expected an object with title, publisher and url")
            continue
        for key in ("title", "publisher", "url"):
            if not isinstance(source.get(key), str) or not source[key].strip():
                check.error(f"{field}.{key}", "missing or empty")
        url = str(source.get("url") or "")
        if url and not url.startswith("https://"):
            check.error(f"{field}.url", "must be an https:// address")
        clean_sources.append({key: str(source.get(key) or "").strip() for key in ("title", "publisher", "url")})
    if len({s["url"] for s in clean_sources}) != len(clean_sources):
        check.error("sources", "the same url is listed twice")

    fields = {}
    for name in ("title", "summary"):
        for code, text in check.texts(raw.get(name), name).items():
            fields[_field(name, code)] = text

    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        check.error("steps", "at least one step is needed")
        steps = []
    clean_steps = []
    for index, step in enumerate(steps):
        field = f"steps[{index}]"
        if not isinstance(step, dict):
            check.error(field, "expected an object with title, body and checklist")
            continue
        values = {}
        for name in ("title", "body"):
            for code, text in check.texts(step.get(name), f"{field}.{name}").items():
                values[_field(name, code)] = text
        checklist = check.checklist(step.get("checklist"), f"{field}.checklist")
        for code in _language_codes():
            values[_field("checklist", code)] = checklist.get(code, "")
        clean_steps.append(values)

    if check.errors:
        raise ValidationError(check.errors)
    return GuideData(
        slug=slug,
        categories=list(categories),
        verified_on=verified_on,
        sources=clean_sources,
        fields=fields,
        steps=clean_steps,
    )


def read_guides(directory: Path | None = None, category_keys: set[str] | None = None) -> list[GuideData]:
    """Every guide file of `directory`, all checked; the errors of all files are raised together."""
    directory = directory or GUIDES_DIR
    if category_keys is None:
        from services.models import ServiceCategory

        category_keys = set(ServiceCategory.objects.values_list("key", flat=True))
    guides, errors = [], []
    for path in sorted(directory.glob("*.json")):
        try:
            guides.append(parse_guide(path, category_keys))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return guides
