# The portal's image: web (gunicorn), Celery worker and beat all run it (deploy/docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=labimpact.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1000 --home-dir /app labimpact

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files and compiled catalogues are built into the image. Production settings
# insist on a complete environment: these build-time values are never used at run time.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    EMAIL_HOST=build.invalid \
    sh -c "python manage.py compiletranslations && python manage.py collectstatic --no-input" \
    && mkdir -p /app/media \
    && chown -R labimpact /app/media

USER labimpact
EXPOSE 8000
# Threaded workers (WEB_CONCURRENCY processes × 4 threads): as measured by benchmarks/load.py.
CMD ["sh", "-c", "gunicorn labimpact.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --worker-class gthread --threads 4 --timeout 30 --max-requests 2000 --max-requests-jitter 200 --access-logfile - --access-logformat '{\"request_id\":\"%({x-request-id}o)s\",\"method\":\"%(m)s\",\"path\":\"%(U)s\",\"status\":%(s)s,\"ms\":%(M)s}'"]
