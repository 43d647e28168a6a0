"""Shared by the bench scripts: Django set-up with the bench settings, progress on stderr,
the bench database and the development signing key."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


_STARTED = time.perf_counter()


def say(message: str) -> None:
    """A line on stderr with the seconds since the start."""
    print(f"[bench {time.perf_counter() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


class Progress:
    """Counts and rate of one step on stderr: a line rewritten in place on a terminal (at most
    twice a second), otherwise a line every 5 seconds."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.started = self.last = time.perf_counter()
        self.terminal = sys.stderr.isatty()

    def add(self, count: int) -> None:
        self.done += count
        now = time.perf_counter()
        if now - self.last >= (0.5 if self.terminal else 5) and self.done < self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            line = f"  {self.label}: {self.done:,}/{self.total:,} ({rate:,.0f}/s)"
            print(
                "\r" + line if self.terminal else line,
                end="" if self.terminal else "\n",
                file=sys.stderr,
                flush=True,
            )

    def finish(self) -> float:
        elapsed = time.perf_counter() - self.started
        line = (
            f"  {self.label}: {self.done:,} in {elapsed:.1f} s "
            f"({self.done / max(elapsed, 1e-9):,.0f}/s)"
        )
        print("\r" + line if self.terminal else line, file=sys.stderr, flush=True)
        return elapsed


def database_parts() -> tuple[str, dict]:
    """The bench database's name and the connection arguments of its server."""
    from bench.settings import BENCH_DATABASE_URL

    url = urlsplit(BENCH_DATABASE_URL)
    name = url.path.lstrip("/")
    if url.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"The bench database must be on this machine, not {url.hostname}.")
    return name, {
        "host": url.hostname,
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password or None,
    }


def recreate_database() -> None:
    """Drop and create the bench database (never any other: its name must contain 'bench')."""
    import psycopg
    from psycopg import sql

    name, server = database_parts()
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: the bench database's name contains 'bench'.")
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_dev_key() -> Path:
    """The development signing key (``var/keys/``, as ``make run`` creates it), created once."""
    from bench.settings import DEV_KEY_FILE
    from lokalnie.credentials import generate_private_key

    if not DEV_KEY_FILE.exists():
        DEV_KEY_FILE.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = generate_private_key()
        try:
            descriptor = os.open(DEV_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return DEV_KEY_FILE
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    return DEV_KEY_FILE
