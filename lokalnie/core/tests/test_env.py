import pytest
from django.core.exceptions import ImproperlyConfigured

from lokalnie.env import Env


def test_bool_accepts_common_spellings():
    env = Env({"A": "yes", "B": "0", "C": "TRUE"})
    assert env.bool("A", default=False) is True
    assert env.bool("B", default=True) is False
    assert env.bool("C", default=False) is True
    assert env.bool("MISSING", default=True) is True


def test_bad_boolean_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        Env({"DEBUG": "maybe"}).bool("DEBUG", default=False)


def test_bad_integer_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='twenty' is not a whole number"):
        Env({"EMAIL_PORT": "twenty"}).int("EMAIL_PORT", 25)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=0 must be at least 1"):
        Env({"EMAIL_PORT": "0"}).int("EMAIL_PORT", 25, minimum=1)


def test_required_value_names_the_variable():
    with pytest.raises(
        ImproperlyConfigured, match=r"SECRET_KEY must be set \(or SECRET_KEY_FILE\)"
    ):
        Env({}).str("SECRET_KEY")


def test_secret_is_read_from_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    assert (
        Env({"SECRET_KEY_FILE": str(secret), "SECRET_KEY": "ignored"}).str("SECRET_KEY") == "s3cr3t"
    )


def test_unreadable_secret_file_names_the_variable(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE: cannot read the file"):
        Env({"SECRET_KEY_FILE": str(tmp_path / "nope")}).str("SECRET_KEY")


def test_choice_lists_the_allowed_values():
    with pytest.raises(ImproperlyConfigured, match="LOKALNIE_ENV='staging' is not allowed"):
        Env({"LOKALNIE_ENV": "staging"}).choice(
            "LOKALNIE_ENV", "development", ["development", "production"]
        )


def test_database_url_selects_postgresql():
    config = Env({"DATABASE_URL": "postgres://lokalnie@127.0.0.1:5432/lokalnie"}).database_url(
        "DATABASE_URL", "sqlite:///x.sqlite3"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "lokalnie"
    assert config["HOST"] == "127.0.0.1"


def test_database_url_refuses_other_engines():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must point to PostgreSQL"):
        Env({"DATABASE_URL": "mysql://u@h/db"}).database_url("DATABASE_URL", "sqlite:///x")


def test_database_url_that_is_not_a_url_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        Env({"DATABASE_URL": "nonsense"}).database_url("DATABASE_URL", "sqlite:///x")
