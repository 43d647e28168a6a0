"""Typed readers for environment variables.

Every setting that can change between machines is read through these helpers, so
that a bad value stops the start-up with an error naming the variable, and every
secret can also come from a file (``NAME_FILE``, as Docker/Kubernetes secrets do).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


class Env:
    """Reads variables from a mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        file_var = f"{name}_FILE"
        if file_var in self.environ:
            path = Path(self.environ[file_var])
            try:
                return path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ImproperlyConfigured(
                    f"{file_var}: cannot read the file {path} ({exc.strerror})."
                ) from exc
        return self.environ.get(name)

    def str(self, name: str, default: str | object = _MISSING) -> str:
        value = self._raw(name)
        if value is None:
            if default is _MISSING:
                raise ImproperlyConfigured(f"{name} must be set (or {name}_FILE).")
            return default  # type: ignore[return-value]
        return value

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        normalized = value.strip().lower()
        if normalized in _TRUE:
            return True
        if normalized in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off."
        )

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
        return number

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: list[str]) -> str:
        value = self.str(name, default)
        if value not in choices:
            raise ImproperlyConfigured(
                f"{name}={value!r} is not allowed; choose one of: {', '.join(choices)}."
            )
        return value

    def database_url(self, name: str, default: str) -> dict:
        import dj_database_url

        value = self.str(name, default)
        try:
            config = dj_database_url.parse(value, conn_max_age=self.int("DB_CONN_MAX_AGE", 60))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc
        engine = config.get("ENGINE", "")
        if engine not in {
            "django.db.backends.sqlite3",
            "django.db.backends.postgresql",
        }:
            raise ImproperlyConfigured(
                f"{name} must point to PostgreSQL (postgres://…) or SQLite (sqlite:///…), "
                f"not {engine or value!r}."
            )
        return config
