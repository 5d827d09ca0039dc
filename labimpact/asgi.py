import os

from django.core.asgi import get_asgi_application

# Every entry point (manage.py, WSGI, ASGI, the Celery worker) defaults to production;
# `make run` and `make test` name their settings explicitly (README, "Settings").
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labimpact.settings.production")
application = get_asgi_application()
