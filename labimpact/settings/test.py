"""Test settings: the real PostgreSQL and Redis (DATABASE_URL, REDIS_URL), fast hashing, locmem mail.

`make test` runs pytest through tools.testenv, which sets both URLs (throwaway servers when
nothing answers at the defaults); these settings also serve a bare `pytest`.
"""

import atexit
import shutil
import tempfile

from django.core.exceptions import ImproperlyConfigured

from tools.testenv import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, ServiceError, answers, check_explicit

from .base import *  # noqa: F403
from .base import env, resilient_redis_cache


def _check_explicit(name: str) -> None:
    """A URL given explicitly that does not answer stops here, naming its variable, rather than
    surfacing later as a connection error (or, for Redis, as a silent switch to locmem)."""
    if env.str(name, default=""):
        try:
            check_explicit(name, env.str(name))
        except ServiceError as exc:
            raise ImproperlyConfigured(str(exc)) from exc


_check_explicit("DATABASE_URL")
_check_explicit("REDIS_URL")

DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL", default=DEFAULT_DATABASE_URL)}
REDIS_URL = env.str("REDIS_URL", default=DEFAULT_REDIS_URL)

# Under `make test` Redis always answers. A bare `pytest` on a machine without one, REDIS_URL
# unset, falls back to the in-process cache rather than fail on setup.
REDIS_AVAILABLE = answers(REDIS_URL)
if REDIS_AVAILABLE:
    CACHES = {
        "default": resilient_redis_cache(
            REDIS_URL, KEY_PREFIX=f"labimpact-test-{env.str('PYTEST_XDIST_WORKER', default='main')}"
        )
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Uploads (and the demo materials' files) go to a throw-away folder, one per test process,
# never into the working copy's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="labimpact-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
# The personas log in with force_login (no second step); tests/test_twofactor.py turns
# the requirement on. Production and `make run` keep it on (see README).
TWO_FACTOR_REQUIRED = False
# Serve static files from the apps' folders, without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Many tests post the public forms from 127.0.0.1 against a shared Redis; the rate-limit
# test sets its own rate and address.
FEEDBACK_RATE = "10000/h"
# The demo data is what the tests read; the API shows it (tests switch it off to check that).
API_INCLUDE_DEMO = True
# Many tests call the API from 127.0.0.1 against a shared Redis; the throttling test sets its own.
API_RATE = "100000/min"
