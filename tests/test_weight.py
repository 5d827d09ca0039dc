"""Light pages: compressed HTML, only the trimmed Bootstrap Italia files, a byte budget.

The Lighthouse run itself is a benchmark (benchmarks/lighthouse.py), not a test; these
guard what it measured from drifting back.
"""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from labimpact.compression import is_back_office

pytestmark = [pytest.mark.django_db]

ROOT = Path(settings.BASE_DIR)
TRIMMED_CSS = "labimpact/css/bootstrap-italia.trimmed.min.css"
TRIMMED_JS = "labimpact/js/bootstrap-italia.trimmed.min.js"
# Compressed bytes of the CSS and JS the home page references (gzip, as whitenoise and nginx
# serve them). Today about 20 KB; the whole-page budget is 150 KB.
HOME_CSS_JS_BUDGET = 40_000


@pytest.fixture
def reference(db):
    from labimpact.demo import load_demo
    from labimpact.reference import load_reference

    load_reference()
    load_demo()


def _assets(html: str) -> list[str]:
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    return links + scripts


def _static_path(url: str) -> Path:
    name = url.removeprefix(settings.STATIC_URL)
    found = finders.find(name)
    assert found, f"{url} is not a static file"
    return Path(found)


def test_public_html_is_gzip_compressed_when_the_reader_accepts_it(client, reference):
    plain = client.get("/it/")
    compressed = client.get("/it/", headers={"accept-encoding": "gzip"})
    assert plain.status_code == compressed.status_code == 200
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2


def test_back_office_and_signed_in_readers_get_uncompressed_html(client, reference, coordinatore):
    # BREACH: personal data beside reflected input is never compressed (labimpact/compression.py).
    login = client.get("/admin/login/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in login
    client.force_login(coordinatore)
    page = client.get("/it/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200
    assert "Content-Encoding" not in page


@pytest.mark.parametrize(
    ("path", "back_office"),
    [
        ("/admin/", True),
        ("/it/mediazione/richiesta/", True),
        ("/ar/consulenza-legale/3/", True),
        ("/it/sportelli/", False),
        ("/it/", False),
        ("/api/v1/services", False),
    ],
)
def test_back_office_paths_are_recognised(path, back_office):
    assert is_back_office(path) is back_office


def test_public_pages_load_only_the_trimmed_bootstrap_italia_files(client, reference):
    for path in ("/it/", "/ar/sportelli/", "/it/guide/"):
        html = client.get(path).content.decode()
        assets = _assets(html)
        assert any(TRIMMED_CSS.split("/")[-1].split(".")[0] in a and a.endswith(".css") for a in assets)
        assert any("bootstrap-italia.trimmed" in a and a.endswith(".js") for a in assets)
        # The full library (612 KB CSS, 1 MB JS bundle) never reaches a public page.
        assert "bootstrap-italia.min.css" not in html
        assert "bootstrap-italia.bundle" not in html


def test_no_render_blocking_script_on_public_pages(client, reference):
    html = client.get("/it/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert " defer" in tag or " async" in tag or 'type="module"' in tag, tag


def test_css_and_js_of_the_home_page_fit_the_budget(client, reference):
    html = client.get("/it/").content.decode()
    total = sum(len(gzip.compress(_static_path(url).read_bytes(), 9)) for url in _assets(html))
    assert total <= HOME_CSS_JS_BUDGET, f"{total} compressed bytes of CSS and JS on the home page"


def _template_classes() -> set[str]:
    """Every literal class name in a template's class attribute (Django tags skipped)."""
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        if "admin" in template.parts or "drf_spectacular" in template.parts:
            continue
        for attribute in re.findall(r'class="([^"]*)"', template.read_text(encoding="utf-8")):
            attribute = re.sub(r"\{[{%].*?[%}]\}", " ", attribute)
            names.update(n for n in attribute.split() if re.fullmatch(r"[A-Za-z][\w-]*", n))
    return names


def _selectors(css: str):
    for prelude in re.findall(r"([^{}]+)\{", css):
        if not prelude.lstrip().startswith("@"):
            yield from prelude.split(",")


# Classes, pseudo-classes and combinators only: PurgeCSS also drops rules for elements and
# attributes no template writes ("hr", "[data-focus-mouse]"), rightly.
_CLASS_ONLY = re.compile(r"(?:\.[\w-]+|[\s>+~]|::?[\w-]+(?:\([^)]*\))?)+")


def _classes(selector: str) -> set[str]:
    if not _CLASS_ONLY.fullmatch(selector.strip()):
        return set()
    return set(re.findall(r"\.([A-Za-z_-][\w-]*)", re.sub(r":not\([^)]*\)", "", selector)))


def test_trimmed_css_keeps_every_library_rule_our_templates_can_match():
    """After a template change, rebuild: cd tools/frontend && npm ci && npm run build."""
    used = _template_classes()
    full = Path(finders.find("css/bootstrap-italia.min.css")).read_text(encoding="utf-8")
    trimmed = _static_path(settings.STATIC_URL + TRIMMED_CSS).read_text(encoding="utf-8")
    kept = {selector.strip() for selector in _selectors(trimmed)}
    # A library rule every class of which a template uses (".alert.alert-danger"), missing
    # from the trimmed file.
    missing = sorted(
        {
            selector.strip()
            for selector in _selectors(full)
            if (classes := _classes(selector)) and classes <= used and selector.strip() not in kept
        }
    )
    assert not missing, f"rebuild the trimmed CSS (tools/frontend), missing: {missing[:20]}"


def test_trimmed_files_say_how_to_rebuild_them():
    for name in (TRIMMED_CSS, TRIMMED_JS):
        head = _static_path(settings.STATIC_URL + name).read_text(encoding="utf-8")[:400]
        assert "npm run build" in head and "tools/frontend" in head
