"""Production serves static files through a manifest: every public page must resolve its assets there.

Tests otherwise use the plain storage (no collectstatic), which accepts any path; a
`{% static %}` naming a folder, or a vendored file pointing at a missing source map,
only fails in production. This test collects into a temporary folder and renders the
pages with the manifest storage, as production does.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_public_pages_render_with_the_production_static_manifest(client, manifest_storage):
    desk = SportelloFactory(slug="sportello-manifest", is_published=True)
    names = [
        ("home", {}),
        ("services:search", {}),
        ("services:sportello", {"slug": desk.slug}),
        ("services:poster", {"slug": desk.slug}),
        ("services:guides", {}),
        ("content:materials", {}),
        ("content:news_list", {}),
        ("territories:ambiti", {}),
        ("sitesearch:search", {}),
        ("feedback:missing_desk", {}),
    ]
    for name, kwargs in names:
        with translation.override("ar"):
            url = reverse(name, kwargs=kwargs or None)
        response = client.get(url)
        assert response.status_code == 200, url
        # Asset URLs carry the manifest's content hash.
        assert "/static/labimpact/css/site." in response.content.decode()
        assert "/static/labimpact/css/site.css" not in response.content.decode()


def test_production_storage_remembers_urls_and_never_a_missing_name(tmp_path):
    import json

    from labimpact.storage import StaticStorage

    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "x"})
    )
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    storage.hashed_files.clear()  # were the manifest read again, the name would be missing
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
