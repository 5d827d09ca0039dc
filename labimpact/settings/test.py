"""Test settings: the real PostgreSQL and Redis (DATABASE_URL, REDIS_URL), fast hashing, locmem mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/labimpact"),
}
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Tests exercise the real cache server; each run gets its own key prefix so parallel
# workers and earlier runs do not see each other's keys.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"labimpact-test-{env.str('PYTEST_XDIST_WORKER', default='main')}",
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
