"""Redis down or hanging: the site answers from the database, writes commit, nothing is lost.

Every test here runs against a real redis-server of its own (tests/redis_process.py) that
it stops, hangs (SIGSTOP: connections are accepted and never answered) and restarts.
"""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from feedback.models import Report
from labimpact import caching
from labimpact.settings.base import resilient_redis_cache
from ops import cache as ops_cache
from ops.models import FailedJob, OutboxMessage
from ops.services import outbox_flush
from services.services import sportello_save
from tests.factories import SportelloFactory
from tests.redis_process import RedisProcess

pytestmark = pytest.mark.django_db


def _forget_outage():
    ops_cache.breaker.down_since = None
    ops_cache.breaker.open_until = 0.0
    caching._memo["generation"] = None
    caching._local.clear()


@pytest.fixture
def redis(settings):
    server = RedisProcess()
    server.start()
    settings.CACHES = {"default": resilient_redis_cache(server.url)}
    _forget_outage()
    yield server
    server.close()
    _forget_outage()


@pytest.fixture
def desk():
    return SportelloFactory(name="Sportello guasti", slug="sportello-guasti", is_published=True)


def _public_urls(desk):
    return [
        reverse("home"),
        reverse("about"),
        reverse("services:search"),
        reverse("services:search") + "?q=Sesto+San+Giovanni",
        reverse("services:sportello", kwargs={"slug": desk.slug}),
    ]


def test_public_pages_answer_from_the_database_when_redis_is_down(client, redis, desk):
    for url in _public_urls(desk):
        assert client.get(url).status_code == 200
    redis.stop()
    caching._memo["generation"] = None  # past the second in which this process trusts its own copy
    for url in _public_urls(desk):
        assert client.get(url).status_code == 200, url
    assert not ops_cache.cache_is_up()


def test_healthz_still_reports_the_cache_down(client, redis):
    redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")


def test_a_hanging_redis_costs_a_short_timeout_not_the_request(client, redis, desk, settings):
    urls = _public_urls(desk) * 2

    def timed() -> float:
        started = time.monotonic()
        for url in urls:
            assert client.get(url).status_code == 200, url
        return time.monotonic() - started

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    without_cache = timed()  # the same pages rendered from the database, no cache call
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    redis.hang()
    try:
        hanging = timed()
    finally:
        redis.resume()
    # One socket timeout (0.25 s) opens the breaker; the other requests skip Redis
    # (before: 5 s per request, then a 500).
    assert hanging - without_cache < 1.5, (hanging, without_cache)


def test_public_forms_post_while_redis_is_down(client, redis, settings, desk):
    settings.FEEDBACK_RATE = "2/h"
    redis.stop()
    url = reverse("feedback:missing_desk")
    for n in range(3):  # the rate limit fails open: it cannot count
        response = client.post(url, {"comune": "Sesto San Giovanni", "desk_name": f"Sportello {n}", "message": "x"})
        assert response.status_code == 302, response.content[:500]
    assert Report.objects.filter(desk_name__startswith="Sportello ").count() == 3


def test_rate_limit_still_counts_when_redis_answers(client, redis, settings):
    settings.FEEDBACK_RATE = "2/h"
    url = reverse("feedback:missing_desk")
    codes = [
        client.post(url, {"comune": "Sesto San Giovanni", "desk_name": f"S {n}", "message": "x"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_content_saved_during_an_outage_is_fresh_when_redis_returns(
    client, redis, desk, coordinatore, django_capture_on_commit_callbacks
):
    url = reverse("services:sportello", kwargs={"slug": desk.slug})
    assert "Sportello guasti" in client.get(url).content.decode()  # cached now
    redis.hang()
    try:
        desk.name_it = "Sportello rinominato nel guasto"
        with django_capture_on_commit_callbacks(execute=True):
            sportello_save(sportello=desk, by=coordinatore)  # commits although invalidation fails
        assert "rinominato nel guasto" in client.get(url).content.decode()
    finally:
        redis.resume()
    assert OutboxMessage.objects.filter(task="ops.tasks.invalidate_public_pages").exists()
    ops_cache.breaker.open_until = 0.0  # skip the wait before the next probe
    # This process noticed the outage and bumps the generation as soon as Redis answers.
    assert "rinominato nel guasto" in client.get(url).content.decode()


def test_another_process_catches_up_through_the_outbox(
    client, redis, desk, coordinatore, django_capture_on_commit_callbacks
):
    url = reverse("services:sportello", kwargs={"slug": desk.slug})
    client.get(url)
    redis.hang()
    try:
        desk.name_it = "Sportello cambiato altrove"
        with django_capture_on_commit_callbacks(execute=True):
            sportello_save(sportello=desk, by=coordinatore)
    finally:
        redis.resume()
    _forget_outage()  # a process that never saw the outage: it would serve the stale page
    assert "Sportello guasti" in client.get(url).content.decode()
    assert outbox_flush() >= 1  # what beat runs every minute
    caching._memo["generation"] = None
    assert "cambiato altrove" in client.get(url).content.decode()
    assert not OutboxMessage.objects.filter(task="ops.tasks.invalidate_public_pages").exists()


def test_redis_stopped_and_started_again_serves_and_caches(client, redis, desk, django_assert_num_queries):
    url = reverse("services:sportello", kwargs={"slug": desk.slug})
    redis.stop()
    assert client.get(url).status_code == 200
    redis.start()
    ops_cache.breaker.open_until = 0.0
    assert client.get(url).status_code == 200  # probes, recovers, stores
    assert cache.get(caching.GENERATION_KEY) is not None
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_admin_save_commits_while_redis_is_down(login, redis, desk):
    from services.models import ServiceCategory

    category = ServiceCategory.objects.first()
    client = login("coordinatore")
    change = reverse("admin:services_servicecategory_change", args=[category.pk])
    data = _form_data(client.get(change))
    data["name_it"] = "Categoria salvata senza cache"
    redis.stop()
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    category.refresh_from_db()
    assert category.name_it == "Categoria salvata senza cache"


def test_a_redis_that_answers_errors_fails_neither_pages_nor_saves(client, login, redis, desk):
    # Full at maxmemory with noeviction: every write is answered "OOM command not allowed"
    # (a server error reply, not a connection failure).
    import redis as redis_py

    from services.models import ServiceCategory

    server = redis_py.Redis.from_url(redis.url)
    server.config_set("maxmemory-policy", "noeviction")
    server.config_set("maxmemory", "1")
    try:
        for url in _public_urls(desk):
            assert client.get(url).status_code == 200, url
        category = ServiceCategory.objects.first()
        staff = login("coordinatore")
        change = reverse("admin:services_servicecategory_change", args=[category.pk])
        data = _form_data(staff.get(change))
        data["name_it"] = "Categoria salvata con Redis pieno"
        assert staff.post(change, data).status_code == 302
        category.refresh_from_db()
        assert category.name_it == "Categoria salvata con Redis pieno"
    finally:
        server.config_set("maxmemory", "0")
        server.close()


def test_tasks_queued_while_the_broker_is_down_are_kept_and_sent_later(
    redis, desk, coordinatore, django_capture_on_commit_callbacks, monkeypatch
):
    from sitesearch import tasks

    sent = []

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.reindex, "apply_async", broker_down)
    desk.name_it = "Sportello da reindicizzare"
    with django_capture_on_commit_callbacks(execute=True):
        sportello_save(sportello=desk, by=coordinatore)
    waiting = OutboxMessage.objects.filter(task="sitesearch.tasks.reindex")
    assert waiting.exists() and waiting.first().last_error.startswith("ConnectionRefusedError")

    monkeypatch.setattr(tasks.reindex, "apply_async", lambda *a, **k: sent.append(k["args"]))
    assert outbox_flush() >= 1
    assert ["desk", desk.pk] in sent
    assert not waiting.exists()


def test_a_task_that_keeps_failing_ends_in_the_failed_jobs_list(monkeypatch, login):
    from sitesearch import services as search_services
    from sitesearch import tasks

    attempts = []

    def boom(**kwargs):
        attempts.append(kwargs)
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(search_services, "entry_index", boom)
    # As a worker runs it: failures are retried (eagerly here, without the backoff waits),
    # not propagated to the caller.
    conf = tasks.reindex.app.conf
    before, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        result = tasks.reindex.apply(args=["desk", 1])
    finally:
        conf.task_eager_propagates = before
    assert result.state == "FAILURE"
    assert len(attempts) == 1 + tasks.reindex.max_retries
    job = FailedJob.objects.get(task="sitesearch.tasks.reindex")
    assert "index unavailable" in job.error and job.args == ["desk", 1]
    assert job.retries == tasks.reindex.max_retries
    page = login("coordinatore").get(reverse("admin:ops_failedjob_changelist"))
    assert "index unavailable" in page.content.decode()
    assert login("operatore_sesto").get(reverse("admin:ops_failedjob_changelist")).status_code == 403


def test_retry_policy_backs_off():
    from sitesearch import tasks

    assert tasks.reindex.retry_backoff and tasks.reindex.max_retries >= 3
    assert tasks.reindex.autoretry_for == (Exception,)


def _form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = str(value)
    return data


@pytest.fixture
def real_broker(redis):
    """Celery publishing to the private redis-server (not eager), as in production."""
    from labimpact.celery import app

    def forget_connections():
        # Pools made for the in-memory broker of the other tests would "publish" anywhere.
        # Not closed: kombu keeps them in a global registry the other tests use again.
        app._pool = None
        app.amqp._producer_pool = None

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis.url, task_always_eager=False)
    forget_connections()
    yield app
    forget_connections()
    app.conf.update(saved)


def test_tasks_wait_in_the_outbox_while_the_broker_is_down_and_reach_it_after(
    real_broker, redis, desk, coordinatore, django_capture_on_commit_callbacks
):
    import redis as redis_client

    queue = redis_client.Redis.from_url(redis.url)
    redis.stop()
    desk.name_it = "Sportello senza broker"
    with django_capture_on_commit_callbacks(execute=True):
        sportello_save(sportello=desk, by=coordinatore)  # commits; the task cannot be sent
    waiting = OutboxMessage.objects.filter(task="sitesearch.tasks.reindex", args=["desk", desk.pk])
    assert waiting.exists()
    assert outbox_flush() == 0  # what beat would try meanwhile: still down, still kept
    assert waiting.get().attempts >= 1

    redis.start()
    assert outbox_flush() >= 1
    assert not waiting.exists()
    assert queue.llen("celery") >= 1  # the message is in the broker's queue for a worker
    queue.close()
