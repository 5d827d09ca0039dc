"""`make run`: DEBUG, SQLite, locmem cache, Celery eager. Needs no running service."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Local runs serve static files straight from the apps; no collectstatic step.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Serve static files from the apps' folders, without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A developer editing templates wants to see the change at once; content edits made in the
# admin would invalidate the cache anyway (set the variable to try the cache locally).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0)
# No worker under `make run`: tasks run in the request that queues them.
CELERY_TASK_ALWAYS_EAGER = True
# Every demo desk is shown by the API under `make run` (production leaves demo rows out).
API_INCLUDE_DEMO = env.bool("API_INCLUDE_DEMO", default=True)
