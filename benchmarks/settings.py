"""Settings for benchmarks/run.py: production's shape, served over plain HTTP on loopback.

As in production: DEBUG off, the whole middleware stack, static files collected and served
by whitenoise, persistent database connections, a cache shared by the workers when the script
finds Redis (the in-process cache otherwise), and the public page cache at its production
default unless the script turns it off (PUBLIC_PAGE_CACHE_SECONDS=0, the "uncached" run).
Unlike production: no required secrets or mail server, no HTTPS redirect or secure cookies
(there is no TLS on loopback), and the URLs of benchmarks/urls.py, which add the bare view
every page is compared with.
"""

from labimpact.settings.base import *  # noqa: F403
from labimpact.settings.base import DATABASES, env

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
_REDIS_URL = env.str("BENCH_REDIS_URL", default="")
if _REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _REDIS_URL,
            # The script deletes these keys when it ends; other users of the server keep theirs.
            "KEY_PREFIX": env.str("BENCH_CACHE_PREFIX", default="labimpact-bench"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "labimpact-bench"}}
