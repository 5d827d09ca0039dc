"""Settings shared by every environment.

Values that differ between machines are read from the environment with django-environ;
the defaults here are the ones `make run` needs (SQLite, locmem cache), so a newcomer needs no
service; local.py and test.py add eager Celery. Production overrides them in production.py, where a missing or
malformed variable stops start-up with a message naming it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from labimpact.fallback import ReaderFallbackLanguages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes win.
    "modeltranslation",
    # django.contrib.admin with the portal's site (access.sites.AdminSite).
    "access.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "import_export",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "bootstrap_italia_template",
    "labimpact",
    "access",
    "territories",
    "plan",
    "services",
    "schools",
    "mediation",
    "legal",
    "reports",
    "content",
    "feedback",
    "sitesearch",
    "associations",
    "newsletter",
    "ops",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "twofactor",
    "api",
]

MIDDLEWARE = [
    "ops.logging.RequestIdMiddleware",
    # Probes address the process by IP: answered before host validation and the https redirect.
    "labimpact.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what every inner middleware has finished writing; public pages only (BREACH:
    # labimpact/compression.py).
    "labimpact.compression.PublicGZipMiddleware",
    "labimpact.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware (django-cors-headers); answers only under /api/ (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "labimpact.fallback.ReaderFallbackMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "twofactor.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last (STACK-NOTES).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "labimpact.urls"
WSGI_APPLICATION = "labimpact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "labimpact.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection kept between requests is checked before reuse: after a PostgreSQL restart
# the next request reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://labimpact")}
# Anonymous public pages are cached per language and URL (labimpact/caching.py); content
# changes invalidate them at once, the clock ("open now") within this many seconds.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# The public address of the site ("https://labimpact.regione.lombardia.it"): absolute links
# in shared cached pages come from it, never from the Host header. Empty: the request's host.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
# Public forms (page ratings, reports about desks): posts per address, counted in the cache.
FEEDBACK_RATE = env.str("FEEDBACK_RATE", default="10/h")
# Behind a proxy, the header holding the reader's address (e.g. HTTP_X_REAL_IP, set by our
# nginx). One setting for the rate limit and the login lock-out (labimpact.client_ip).
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None
# The limit is counted in the cache: when the cache does not answer, let posts through
# (the forms are anonymous and moderated) rather than refuse every reader.
RATELIMIT_FAIL_OPEN = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Authenticates like ModelBackend; permissions come from the table (access/permissions.py).
    "access.backend.PermissionTableBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out per account and address (5 wrong passwords lock that account from that address,
# not everyone behind the same proxy), and per account from any address with a higher
# threshold (guesses spread over several addresses). See labimpact/client_ip.py.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "labimpact.client_ip.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "labimpact.client_ip.client_ip"
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor login (twofactor/): required for the coordinator, offered to everyone else.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Lab'Impact"
# Each wrong code doubles the wait before the next one is checked (1, 2, 4… s).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Back-office sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Languages -------------------------------------------------------------------------
# Italian is the source language; the others cover the largest groups of third-country
# nationals in Lombardy (see README, "Adding a language").
LANGUAGE_CODE = "it"
LANGUAGES = [
    ("it", _("Italiano")),
    ("en", _("Inglese")),
    ("fr", _("Francese")),
    ("es", _("Spagnolo")),
    ("ar", _("Arabo")),
    ("sq", _("Albanese")),
    ("zh-hans", _("Cinese semplificato")),
    ("uk", _("Ucraino")),
    ("ur", _("Urdu")),
    ("bn", _("Bengalese")),
]
LANGUAGES_BIDI = ["ar", "ur", "he", "fa"]
# locale/ holds the portal's own strings (makemessages writes there); locale_overrides/
# rewords a few third-party strings (Django admin's gendered "Il {name}", "Cancella" for
# delete, import-export's infinitives, axes in English) and is edited by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
USE_I18N = True
TIME_ZONE = "Europe/Rome"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "it"
# Page language → the reader's chosen second language (cookie) → Italian: labimpact/fallback.py.
MODELTRANSLATION_FALLBACK_LANGUAGES = ReaderFallbackLanguages(default=("it",))
# Tabbed translation admin: jQuery UI shipped locally, never from a CDN (STACK-NOTES).
JQUERY_UI_URL = "labimpact/vendor/jquery-ui/jquery-ui.min.js"

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise.storage.CompressedManifestStaticFilesStorage, each URL worked out once.
    "staticfiles": {"BACKEND": "labimpact.storage.StaticStorage"},
}
DJANGO_BOOTSTRAP_ITALIA_USE_CDN = False
# Behind nginx, downloads are handed to it with X-Accel-Redirect to this internal location
# (deploy/nginx.conf: `location /protected-media/ { internal; alias /media/; }`).
# Empty: Django streams the file itself (make run, tests).
DOWNLOADS_X_ACCEL_PREFIX = env.str("DOWNLOADS_X_ACCEL_PREFIX", default="")

# --- Celery --------------------------------------------------------------------------------
# An explicit host: without one kombu warns "No hostname was supplied" on every eager task.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="cache+memory://")
# Tasks run in a worker; local.py and test.py (and only they) run them eagerly.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# How long a finished export stays downloadable (reports.tasks.export_run).
EXPORT_TTL = timedelta(days=env.int("EXPORT_TTL_DAYS", default=7))
# Imports: files with more rows than this run as a job (dry run, then the write) in a worker;
# uploaded files are deleted after IMPORT_UPLOAD_TTL_HOURS (reports.tasks.purge_expired).
IMPORT_JOB_ROWS = env.int("IMPORT_JOB_ROWS", default=2000)
IMPORT_UPLOAD_TTL = timedelta(hours=env.int("IMPORT_UPLOAD_TTL_HOURS", default=24))
# A web request never waits long for a broker that is down: the outbox (ops) keeps the task.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "ops.tasks.flush_outbox", "schedule": 60.0},
    # Expired export files and stale import uploads (reports.services, `manage.py purge_exports`).
    "reports-purge-expired": {"task": "reports.tasks.purge_expired", "schedule": 3600.0},
}

# --- Mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lab'Impact <noreply@labimpact.invalid>")

# Links in e-mails and iCalendar UIDs, where no request is at hand, use SITE_URL when it is
# set (production always sets it), otherwise this address of the local server.
OFFLINE_SITE_URL = env.str("OFFLINE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Newsletter: how long a confirmation link stays valid (seconds), messages per Celery task.
NEWSLETTER_CONFIRM_MAX_AGE = env.int("NEWSLETTER_CONFIRM_MAX_AGE", default=7 * 24 * 3600)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=50)

# --- Map -------------------------------------------------------------------------------------
# Tiles of the desk map (Leaflet). The list of desks is complete without them.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3])
MAP_ATTRIBUTION = env.str(
    "MAP_ATTRIBUTION", default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# --- Security headers ------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", MAP_TILE_ORIGIN],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        # The offline copy of the pages a reader opened (labimpact/offline.py): the worker and
        # the web app manifest come from this origin only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "admin:login"
# After logging in without a (valid) "next": the back office, not Django's /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"
# A load balancer probes /healthz over plain http: answer it, do not redirect it to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Open-data API (api/, /api/v1/) ---------------------------------------------------------------
# Demo rows (is_demo) in the API and the data package: on for `make run` and tests, off in
# production unless the deployment says otherwise.
API_INCLUDE_DEMO = env.bool("API_INCLUDE_DEMO", default=False)
# Requests per client address (the cache counts them), e.g. 300/min.
API_RATE = env.str("API_RATE", default="300/min")
# The licence of the published data, named in datapackage.json when set (Regione decides it).
OPEN_DATA_LICENSE = env.str("OPEN_DATA_LICENSE", default="")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PublicReadOnly"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # `format` is an HSDS parameter (api.filters), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lab'Impact — open data API (HSDS 3)",
    "DESCRIPTION": (
        "The information desks for third-country nationals of Regione Lombardia's Lab'Impact plan, as "
        "Open Referral Human Services Data Specification 3 records. Read-only, public, published data only. "
        "Response schemas `hsds_*` describe the HSDS 3.2 fields this API emits (https://docs.openreferral.org/en/latest/hsds/)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.hsds.add_components"],
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Content-Language")
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per finished task drowns the useful lines when tasks run eagerly in the web
    # process (make run, tests); failures are still logged as errors.
    "loggers": {"celery.app.trace": {"level": env.str("CELERY_TRACE_LOG_LEVEL", default="WARNING")}},
}

# --- Mediation and legal consultancy (issue 10) ----------------------------------------------
# Requests closed longer ago than the retention period lose their free text and requester
# (statistics stay), by the daily beat task below.
MEDIATION_RETENTION_DAYS = env.int("MEDIATION_RETENTION_DAYS", default=730)
CELERY_BEAT_SCHEDULE |= {
    "mediation-session-reminders": {"task": "mediation.tasks.send_session_reminders", "schedule": 3600},
    "mediation-overdue-triage": {"task": "mediation.tasks.alert_overdue_triage", "schedule": 3600},
    "mediation-anonymise": {"task": "mediation.tasks.anonymise_closed_requests", "schedule": 86400},
}


def resilient_redis_cache(url: str, **extra) -> dict:
    """The Redis cache of production and tests: short timeouts, and failures answered as
    misses instead of errors (ops/cache.py), so the site works from the database meanwhile."""
    return {
        "BACKEND": "ops.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
            "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=0.25),
            "health_check_interval": 30,
        },
        **extra,
    }
