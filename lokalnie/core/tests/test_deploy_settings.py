"""Production settings pass `manage.py check --deploy` with no warnings."""

import os
import subprocess
import sys

from django.conf import settings

SECRET = "x9!Kq2#mZ7$wT4&rV8^pL1*nB6(yH3)jF5-uC0+eG2=sD7~aQ-test-only-value"  # test-only value


def run_manage(*args, **extra_env):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "LOKALNIE_ENV"}
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        LOKALNIE_ENV="production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="lokalnie.example.org",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_names_the_variable(tmp_path):
    result = run_manage(
        "check", LOKALNIE_ENV="production", ALLOWED_HOSTS="x", DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_value_stops_startup_with_the_variable_named(tmp_path):
    result = run_manage("check", DEBUG="perhaps", DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr
