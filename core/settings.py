"""The one settings module. Everything that differs between machines comes from the environment.

See README.md ("Configuration") for the variables and docs/deploy.md for production.
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    oidc_providers,
    origin_of,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Used only while DEBUG is on; core.checks refuses to run a server with it otherwise.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "assessment",
]

MIDDLEWARE = [
    # Outermost: every line logged while a request is handled carries its id (core/logs.py), and
    # every request is counted and timed (core/metrics.py), static files included.
    "core.middleware.RequestIdMiddleware",
    "core.middleware.RequestMetricsMiddleware",
    # Next, so every response gets its headers, static files included.
    "core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless it is marked @login_not_required (login, health).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.TwoFactorSetupMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.accounts",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Sign-in by username or e-mail address, and single sign-on (django-allauth).
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Accounts (django-allauth): sign-in by username or e-mail address, sign-up with a verified
# address, password reset, TOTP two-factor, single sign-on with OpenID Connect.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
ACCOUNT_FORMS = {"login": "core.accounts.LoginForm", "signup": "core.accounts.SignupForm"}
# Anyone may sign up, or only people invited: open by default in development only.
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", default=DEBUG)
# Whether anyone signed in may create an organisation, or only staff.
ORGANIZATION_CREATION = os.environ.get("ORGANIZATION_CREATION", "anyone").strip().lower()
if ORGANIZATION_CREATION not in {"anyone", "staff"}:
    raise ImproperlyConfigured(
        f"ORGANIZATION_CREATION must be 'anyone' or 'staff'; got {ORGANIZATION_CREATION!r}"
    )
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per address only: a count per account would let a stranger lock a colleague out. Axes
    # locks a username *from one address* after five failures (above).
    "login_failed": "10/m/ip",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "3/h/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "core.accounts.MFAAdapter"
MFA_TOTP_ISSUER = "MLOps maturity"
SOCIALACCOUNT_ONLY = False
# The instance's one provider is trusted by its operator: an identity whose address the provider
# says is verified signs in to the account that already has that address (people at a domain an
# organisation signs in through single sign-on already have password accounts).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ADAPTER = "core.accounts.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = oidc_providers()

# E-mail: the console in development, SMTP from the environment in production (docs/deploy.md).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MLOps maturity <noreply@localhost>")

# The address people open the site at, e.g. https://maturity.example.com: e-mails sent outside a
# request (the reminders) have no request to take the host from. Empty: they give the page's path
# and ask to open it on the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").strip().rstrip("/")
if SITE_URL and (not SITE_URL.startswith(("http://", "https://")) or not origin_of(SITE_URL)):
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's address, e.g. https://maturity.example.com; got {SITE_URL!r}"
    )
# Reminder e-mails (assessment/services/reminders.py, docs/deploy.md): an action's owner hears
# this many days before its due date (0: on the day), and once more when it is overdue.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", default=3)
if not 0 <= REMINDER_DAYS_BEFORE <= 60:
    raise ImproperlyConfigured(
        f"REMINDER_DAYS_BEFORE must be a number of days from 0 to 60; got {REMINDER_DAYS_BEFORE}"
    )

# Lock out a username from one address after repeated failed logins: by username *and* address,
# so that a stranger cannot lock a colleague out with five wrong passwords. allauth's rate
# limits below slow guessing per address. Behind a proxy, the client's address is the one the
# proxy puts in X-Forwarded-For (TRUSTED_PROXY_COUNT proxies of ours in front), not the proxy's.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "core.accounts.login_identifier"  # allauth's sign-in form
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", default=1 if env_bool("BEHIND_TLS_PROXY", default=False) else 0
)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# What one request may carry. The largest form, the consensus page, posts 2 fields per question
# (54) and their "initial-" copies, about 220 fields; a phase page about 150. Its texts at their
# longest, accented and percent-encoded, come to about 1.3 MB, so the body keeps Django's 2.5 MB.
# The only upload, an assessment file, is refused above 1 MB before it is parsed
# (assessment/formats/answers_file.py); larger ones are spooled to disk, not held in memory.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# --- File storage (rendered PDFs, organisation exports): core/storage.py, docs/deploy.md ---------
# The local disk under MEDIA_ROOT by default, written atomically (a file appears whole or not at
# all). With STORAGE_BUCKET set, an S3 bucket (AWS, or MinIO and the like at
# STORAGE_ENDPOINT_URL) shared by every host, so no shared disk is needed. The credentials are
# boto3's own: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role or profile.
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "").strip()
_storage_endpoint = os.environ.get("STORAGE_ENDPOINT_URL", "").strip()
_storage_extras = [
    name
    for name in ("STORAGE_ENDPOINT_URL", "STORAGE_REGION", "STORAGE_PREFIX")
    if os.environ.get(name, "").strip()
]
if _storage_extras and not STORAGE_BUCKET:
    raise ImproperlyConfigured(
        f"{', '.join(_storage_extras)} set without STORAGE_BUCKET: set the bucket's name too, "
        "or unset them to keep files on the local disk (MEDIA_ROOT)"
    )
if _storage_endpoint and not _storage_endpoint.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"STORAGE_ENDPOINT_URL must be an http:// or https:// URL; got {_storage_endpoint!r}"
    )
_default_storage = (
    {
        "BACKEND": "core.bucket_storage.BucketStorage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": _storage_endpoint or None,
            "region_name": os.environ.get("STORAGE_REGION", "").strip() or None,
            # Every name under this prefix ("folder"), so one bucket may serve several sites.
            "location": os.environ.get("STORAGE_PREFIX", "").strip().strip("/"),
            # S3-compatible servers (MinIO, Ceph) answer at their address, not at
            # <bucket>.<host>; AWS itself takes either.
            "addressing_style": "path" if _storage_endpoint else None,
            "file_overwrite": True,  # the code names its files; a save replaces, never renames
            "default_acl": None,  # private objects: downloads go through the application
            # A download read from the bucket is held in memory up to this size, then on disk.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }
    if STORAGE_BUCKET
    else {"BACKEND": "core.storage.AtomicFileSystemStorage"}
)
# --- end of file storage ------------------------------------------------------------------------
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Scripts only from our own origin or with the per-request nonce: never 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The sign-in button posts to us and is redirected to the single sign-on provider:
        # browsers apply form-action to that redirect too.
        "form-action": [SELF, *filter(None, [origin_of(os.environ.get("OIDC_ISSUER", ""))])],
        "frame-ancestors": [NONE],
    }
}

# Webhooks (docs/webhooks.md): private, loopback and link-local receivers, and plain http://,
# are refused unless this is on (tests, intranet installs). An attempt may take WEBHOOK_TIMEOUT s.
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", default=False)
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", default=5)

# One cache for every process and host when CACHE_URL names a Redis server: sign-in and API rate
# limits count there. Without it each process counts alone (fine on one host, one worker).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// or rediss:// URL, not {CACHE_URL!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# The API (assessment/api/, docs/api.md): a personal access token or the session of the pages'
# own scripts; one error format (RFC 9457 problem details); requests counted per token.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "assessment.api.authentication.BearerTokenAuthentication",
        # The pages' own scripts: DRF's session authentication, CSRF-checked on writes.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "assessment.api.access.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["assessment.api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "assessment.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "assessment.api.problems.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # No OPTIONS introspection: the schema (/api/schema/) describes every operation.
    "DEFAULT_METADATA_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MLOps maturity API",
    "DESCRIPTION": "Assessments, answers, results, reports and action plans, for scripts and CI. "
    "Errors are RFC 9457 problem details. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is for signed-in people and tokens, like everything but sign-in and health.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "assessment.models.AssessmentStatus",
        "ActionStatusEnum": "assessment.models.Action.Status",
    },
    "PREPROCESSING_HOOKS": ["assessment.api.schema_hooks.only_canonical_paths"],
    # Every operation documents the problem details it may answer with (RFC 9457).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "assessment.api.schema_hooks.problem_responses",
    ],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds without a heartbeat after which an export under way counts as abandoned (its worker was
# killed or never came): the next request marks it failed and starts afresh. The worker beats
# once a second, or after its current file when that takes longer (one PDF report takes about a
# second), so five minutes leaves a wide margin for a busy worker while a jammed export frees
# itself within minutes. A job left queued that long has no worker picking it up either.
EXPORT_STALE_AFTER = env_int("EXPORT_STALE_AFTER", default=300)
# On: the worker sends the reminder e-mails itself, every hour, once `manage.py
# schedule_reminders` has queued the first run. Off (the default): run `manage.py send_reminders`
# from cron or a systemd timer instead (docs/deploy.md). Turning it off ends the hourly runs.
REMINDERS_IN_WORKER = env_bool("REMINDERS_IN_WORKER", default=False)
# Readiness (/readyz, core/health.py): the workers count as stale once a task ready to run has
# waited this many seconds for one. An empty queue is fine.
WORKER_STALE_AFTER = env_int("WORKER_STALE_AFTER", default=300)
if WORKER_STALE_AFTER < 1:
    raise ImproperlyConfigured(
        f"WORKER_STALE_AFTER must be a number of seconds above 0; got {WORKER_STALE_AFTER}"
    )

# Prometheus metrics (/metrics, core/metrics.py): for the holder of this bearer token, or staff
# signed in. Unset: staff only.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 16 characters long when set")
# Several worker processes (gunicorn) add up their metrics in this folder, emptied before they
# start (docs/deploy.md). prometheus-client reads the variable itself; a folder that is not there
# would only fail at the first request.
_metrics_folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _metrics_folder is not None and not (
    os.path.isdir(_metrics_folder) and os.access(_metrics_folder, os.W_OK | os.X_OK)
):
    raise ImproperlyConfigured(
        "PROMETHEUS_MULTIPROC_DIR must name an existing folder this process can write to; "
        f"got {_metrics_folder!r} (unset it to keep each process's metrics to itself)"
    )

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe health over plain HTTP; a redirect would read as "down". Prometheus
# scrapes each host directly, on its own address, usually over plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard output: one JSON object a line for a log collector (the default without
# DEBUG), or text for someone reading a terminal (the default with DEBUG). Each line carries the
# request_id of the request (or background task) it was logged in (core/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text'; got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logs.json_formatter"},
        "text": {
            "format": "{asctime} {levelname} [{request_id}] {name}: {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Quiet libraries that narrate routine work at INFO (login checks, PDF layout steps).
    "loggers": {
        # Django's own console handler would print its lines a second time: ours has them.
        "django": {"handlers": [], "propagate": True},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
