"""Benchmarks (benchmarks/run.sh): production settings, served over plain http on 127.0.0.1 only.

Production insists on HTTPS (secure cookies, SSL redirect, HSTS); the benchmark talks to gunicorn directly on
loopback, so those are switched off here and nowhere else. Never use these settings for a real deployment.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from .production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
# Plain storage: the benchmark measures the app, and a manifest miss would turn a page into a 500.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
