"""Production settings: `check --deploy` is clean, 2FA cannot be switched off, no default secret.

Each case runs manage.py in a fresh process with only the environment a production server
would have (the test run's own KOERS_TESTING, DATABASE_URL etc. are not passed on).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


@pytest.fixture
def production_env(tmp_path):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ALLOWED_HOSTS": "koers.example.nl",
        "DEBUG": "false",
        "KOERS_HTTPS": "true",
        "KOERS_REQUIRE_2FA": "true",
        "KOERS_DEMO": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'koers.sqlite3'}",
        "KOERS_VAR_DIR": str(tmp_path / "var"),
    }


def manage(env, *args):
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_deploy_check_reports_nothing_in_production(production_env):
    assert len(production_env["SECRET_KEY"]) >= 50
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr
    # The secret key came from the environment, not from a generated file.
    assert not (Path(production_env["KOERS_VAR_DIR"]) / "secret_key").exists()


def test_switching_off_two_factor_in_production_fails_the_check(production_env):
    result = manage({**production_env, "KOERS_REQUIRE_2FA": "false"}, "check")
    assert result.returncode != 0
    assert "koers.E001" in result.stderr


def test_demo_mode_fails_the_deploy_check(production_env):
    result = manage({**production_env, "KOERS_DEMO": "true"}, "check", "--deploy")
    assert result.returncode != 0
    assert "koers.E002" in result.stderr


def test_plain_http_in_production_fails_the_deploy_check(production_env):
    result = manage(
        {**production_env, "KOERS_HTTPS": "false"}, "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


def test_production_refuses_to_start_without_a_secret_key(production_env):
    env = {key: value for key, value in production_env.items() if key != "SECRET_KEY"}
    result = manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr
