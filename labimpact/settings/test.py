"""Test settings: the real PostgreSQL and Redis (DATABASE_URL, REDIS_URL), fast hashing, locmem mail."""

import atexit
import shutil
import socket
import tempfile
from urllib.parse import urlparse

from .base import *  # noqa: F403
from .base import env, resilient_redis_cache

DEBUG = False
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/labimpact"),
}
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")


def _answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


# Tests exercise the real cache server where one answers (CI, developers' machines with
# Redis); elsewhere they fall back to the in-process cache rather than fail on setup.
REDIS_AVAILABLE = _answers(REDIS_URL)
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
