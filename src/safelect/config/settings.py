"""Django settings, read from the environment (see ``environment.SETTINGS`` and the README).

Apps attach themselves: every package under ``safelect.core`` and ``safelect.programs`` that has
an ``apps.py`` is installed, kernel first, so a new program app needs no edit here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import environment as env
from .database import django_databases

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = env.safelect_home()
SECRET_KEY = env.secret_key(HOME)
SECRET_KEY_FALLBACKS = env.csv_list("SAFELECT_SECRET_KEY_FALLBACKS")
DEBUG = env.boolean("SAFELECT_DEBUG")
ALLOWED_HOSTS = env.csv_list("SAFELECT_ALLOWED_HOSTS") + ["testserver"]
BASE_URL = env.text("SAFELECT_BASE_URL").rstrip("/")
ENACTMENT_DATE = env.date("SAFELECT_ENACTMENT_DATE")
OBLIGATION_POLICY_TARGETS = env.day_targets("SAFELECT_OBLIGATION_POLICY_TARGETS")

KERNEL_ORDER = ["directory", "accounts", "journal", "outbox", "obligations", "web"]


def _discover(group: str, first: list[str] | None = None) -> list[str]:
    root = PACKAGE_DIR / group
    found = sorted(p.parent.name for p in root.glob("*/apps.py"))
    ordered = [name for name in (first or []) if name in found] + [n for n in found if n not in (first or [])]
    return [f"safelect.{group}.{name}" for name in ordered]


INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "procrastinate.contrib.django",
    *_discover("core", KERNEL_ORDER),
    *_discover("programs"),
    "safelect.server",
    "ninja",  # serves Swagger UI for /api/docs from its own static files (no CDN); after server, whose template overrides its page
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safelect.core.web.security.ContentSecurityPolicyMiddleware",
    "safelect.core.web.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
_extra_middleware = PACKAGE_DIR / "core" / "accounts" / "middleware.py"
if _extra_middleware.exists():
    MIDDLEWARE.append("safelect.core.accounts.middleware.ActingOrganizationMiddleware")

ROOT_URLCONF = "safelect.server.urls"
WSGI_APPLICATION = "safelect.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safelect.core.web.context.navigation",
                "safelect.core.outbox.context.inbox",
            ],
        },
    }
]

DATABASES = django_databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/sign-in/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = env.node_modules()
STATICFILES_DIRS = [("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist")] if (NODE_MODULES / "@uswds" / "uswds" / "dist").is_dir() else []
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SECURE_COOKIES = env.boolean("SAFELECT_SECURE_COOKIES")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind the documented TLS-terminating proxy (README "Production"): trust its X-Forwarded-Proto.
if env.boolean("SAFELECT_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.integer("SAFELECT_HSTS_SECONDS", maximum=10 * 365 * 86400)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
WEBHOOK_ALLOW_PRIVATE = env.boolean("SAFELECT_WEBHOOK_ALLOW_PRIVATE")
# Journal checkpoints, anchored outside the database (core/journal/checkpoints.py).
JOURNAL_KEY = env.raw("SAFELECT_JOURNAL_KEY") or ""
JOURNAL_KEY_FILE = env.raw("SAFELECT_JOURNAL_KEY_FILE") or str(HOME / "journal-checkpoint.key")
JOURNAL_CHECKPOINTS = env.raw("SAFELECT_JOURNAL_CHECKPOINTS") or str(HOME / "journal-checkpoints.jsonl")
JOURNAL_PARTITIONS = env.integer("SAFELECT_JOURNAL_PARTITIONS", minimum=1, maximum=64)
CSRF_TRUSTED_ORIGINS = [BASE_URL] if BASE_URL.startswith(("http://", "https://")) else []

_email_backend = env.text("SAFELECT_EMAIL_BACKEND")
if _email_backend not in {"smtp", "console"}:
    raise env.ConfigurationError(f"SAFELECT_EMAIL_BACKEND={_email_backend!r}: use smtp or console")
EMAIL_BACKEND = f"django.core.mail.backends.{_email_backend}.EmailBackend"
EMAIL_HOST = env.text("SAFELECT_EMAIL_HOST")
EMAIL_PORT = env.integer("SAFELECT_EMAIL_PORT", minimum=1)
EMAIL_HOST_USER = env.text("SAFELECT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.text("SAFELECT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.boolean("SAFELECT_EMAIL_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.text("SAFELECT_EMAIL_FROM")
CONGRESS_LIAISON_EMAIL = env.text("SAFELECT_CONGRESS_LIAISON_EMAIL")

_level = env.text("SAFELECT_LOG_LEVEL").upper()
if _level not in logging.getLevelNamesMapping():
    raise env.ConfigurationError(f"SAFELECT_LOG_LEVEL={_level!r}: use DEBUG, INFO, WARNING or ERROR")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "safelect": {"handlers": ["console"], "level": _level},
        # Every server error with its traceback (Django logs 5xx on django.request with exc_info).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "procrastinate": {"handlers": ["console"], "level": "WARNING"},
    },
}
