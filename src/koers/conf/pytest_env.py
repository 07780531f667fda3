"""Loaded by pytest (-p) before Django reads its settings: the test environment's defaults.

Tests run with production settings otherwise: DEBUG off, every middleware, 2FA required.
"""

import os

os.environ.setdefault("KOERS_TESTING", "true")
os.environ.setdefault("KOERS_HTTPS", "false")  # the test client and live server speak plain HTTP
os.environ.setdefault(
    "KOERS_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
os.environ.setdefault("KOERS_DEMO", "false")
os.environ.setdefault("KOERS_REQUIRE_2FA", "true")
