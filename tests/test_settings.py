import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    # Production asks for the https address people use; the tests give one unless they say otherwise.
    env.setdefault("SITE_URL", "https://backcare.example.org")
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", "--settings=backcare.settings.production")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checklist_without_a_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        "--settings=backcare.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="backcare.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_local_settings_generate_a_random_secret_key_kept_beside_the_data(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "--no-imports", "-c", code, BACKCARE_VAR_DIR=str(tmp_path))
    second = manage("shell", "--no-imports", "-c", code, BACKCARE_VAR_DIR=str(tmp_path))

    assert first.stdout.strip() == (tmp_path / "secret_key").read_text().strip()
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50


def test_production_has_no_vapid_key_of_its_own_so_push_is_off_without_one(tmp_path):
    code = "from tracker.reminders import push; print(push.enabled(), push.application_server_key())"
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        "--settings=backcare.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        BACKCARE_VAR_DIR=str(tmp_path),
        VAPID_PRIVATE_KEY="",
    )

    assert result.stdout.strip() == "False None", result.stderr
    assert list(tmp_path.iterdir()) == []


def test_production_refuses_a_vapid_key_without_a_real_mailto_subject():
    result = manage(
        "check",
        "--settings=backcare.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        VAPID_PRIVATE_KEY="x" * 43,
        VAPID_SUBJECT="https://backcare.example.org",
    )

    assert result.returncode != 0
    assert "VAPID_SUBJECT" in result.stderr


def test_a_vapid_key_that_cannot_be_read_stops_the_start():
    result = manage(
        "check",
        "--settings=backcare.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        VAPID_PRIVATE_KEY="not-a-key",
        VAPID_SUBJECT="mailto:team@backcare.example.org",
    )

    assert result.returncode != 0
    assert "VAPID_PRIVATE_KEY cannot be read" in result.stderr


def test_production_refuses_a_site_url_that_is_not_https():
    result = manage(
        "check", "--settings=backcare.settings.production", SECRET_KEY=secrets.token_urlsafe(50), SITE_URL=""
    )

    assert result.returncode != 0
    assert "SITE_URL must be the https:// address" in result.stderr
