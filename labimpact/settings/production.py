"""Production: everything that matters comes from the environment, and nothing silently defaults.

A required variable that is missing or malformed stops start-up with ImproperlyConfigured
naming it, instead of a half-configured site going live.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, resilient_redis_cache


def _required(name: str, cast=str, **kwargs):
    """Read a required variable; name it in the error when it is missing or malformed."""
    raw = env.str(name, default=None)
    if raw is None or raw.strip() == "":
        raise ImproperlyConfigured(f"Set the environment variable {name} (required in production).")
    try:
        return cast(name, **kwargs)
    except (ValueError, TypeError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"The environment variable {name} is malformed: {exc}") from exc


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY", env.str)
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("The environment variable DJANGO_SECRET_KEY is malformed: use at least 50 characters.")
ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS", env.list)
DATABASES = {"default": _required("DATABASE_URL", env.db_url)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
# Persistent connections are checked before reuse: after a PostgreSQL restart the next
# request reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("The environment variable DATABASE_URL is malformed: production needs postgres://.")
SITE_URL = env.str("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("The environment variable SITE_URL is malformed: expected https://host.")
REDIS_URL = _required("REDIS_URL", env.str)
if not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("The environment variable REDIS_URL is malformed: expected redis:// or rediss://.")
CACHES = {"default": resilient_redis_cache(REDIS_URL)}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _required("EMAIL_HOST", env.str)
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SITE_URL = env.str("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

# One JSON object per line on stderr, with the request id, addresses and e-mails masked
# (ops/logging.py). Login failures are counted by axes in the database, not logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "ERROR"},
        "celery.app.trace": {"level": env.str("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
    },
}
