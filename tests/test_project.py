import os
import subprocess
import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _import_production(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "labimpact.settings.production"
    code = "import django; django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


GOOD = {
    "DJANGO_SECRET_KEY": "t3st-0nly-" + "".join(chr(65 + (i * 7) % 58) for i in range(50)),
    "DJANGO_ALLOWED_HOSTS": "labimpact.example.org",
    "DATABASE_URL": "postgres://labimpact@db.example.org:5432/labimpact",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def test_production_settings_start_with_complete_environment():
    result = _import_production(GOOD)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_production_settings_name_a_missing_variable(missing):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = _import_production(env)
    assert result.returncode != 0
    assert f"Set the environment variable {missing}" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATABASE_URL", "sqlite:///db.sqlite3"), ("REDIS_URL", "http://cache"), ("DJANGO_SECRET_KEY", "short")],
)
def test_production_settings_name_a_malformed_variable(name, value):
    result = _import_production({**GOOD, name: value})
    assert result.returncode != 0
    assert f"The environment variable {name} is malformed" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(GOOD, DJANGO_SETTINGS_MODULE="labimpact.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_celery_app_is_configured_from_django_settings():
    from labimpact.celery import app

    assert app.conf.task_always_eager is True
    assert app.conf.timezone == "Europe/Rome"
