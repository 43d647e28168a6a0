"""``make bench``: the performance harness end to end, every step bounded in time.

    .venv/bin/python -m bench.run [--skip-generate] [--duration 15] [--workers 4] ...

1. Waits until no test suite runs on the machine (``pgrep -f "pytest|\\.ci/run"``, every 30 s,
   at most 30 minutes), and again before each measured page; a page during whose
   measurement a test suite started is measured again once it is over (at most twice).
2. Installs ``wrk`` from Debian when it is missing (as root).
3. Generates the national-scale data set (``bench.generate``) in ``lokalnie_bench``.
4. Collects the static files into a temporary directory (WhiteNoise serves them).
5. Starts gunicorn (``bench.settings``: production, DEBUG off, Redis) with N sync workers on
   127.0.0.1:8100, and drives each page with wrk on loopback: a warm-up, then the measured
   run (2 threads, 16 connections, 15 s). Nothing but 127.0.0.1 is ever requested. The one
   signed-in page (the monitoring dashboard) is sent with the session cookies of its
   programmes' coordinators, which ``bench.targets`` creates; the harness first checks that
   it answers 200 to them.
6. Reads each gunicorn worker's peak RSS (VmHWM), stops the server.
7. Measures PDFs (``bench.pdf``): render time against a blank page, and 500 PDFs through one
   task worker with its throughput and peak RSS.
8. Solves the delimitation of synthetic gminas of 100 to 100,000 units
   (``bench.delimitation``).
9. Writes ``docs/performance.md`` and ``var/bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import OUT_DIR, ROOT, say

HOST, PORT = "127.0.0.1", 8100
BASE_URL = f"http://{HOST}:{PORT}"
BUSY_PATTERN = r"pytest|\.ci/run"
MAX_WAIT_S = 30 * 60


@dataclass
class Page:
    key: str
    title: str
    path: str = ""  # one fixed path, or
    paths: str = ""  # the name of a paths file (bench.targets) to rotate over
    throughput_target: float | None = None  # minimum ratio to the floor's throughput
    p95_target: float | None = 2.0  # maximum ratio to the floor's p95
    warm: bool = True  # a warm-up run first (cache-miss rows have none)
    signed_in: bool = False  # its paths file gives each path a session cookie
    warmup: int | None = None  # seconds of warm-up when the default is too short


SOCIAL = "pomoc-i-integracja-spoleczna"
PAGES = [
    Page("floor", "framework floor (bench only)", path="/bench/floor/", p95_target=None),
    Page("home", "home page", path="/"),
    Page(
        "search_name",
        "registry search, common name (`?q=osrodek`)",
        path="/certyfikat/rejestr/?q=osrodek",
        throughput_target=0.5,
    ),
    Page(
        "search_filtered",
        "registry search, voivodeship + area + status",
        path=f"/certyfikat/rejestr/?wojewodztwo=14&obszar={SOCIAL}&status=valid",
        throughput_target=0.5,
    ),
    Page(
        "verify",
        "verification page (200 valid certificates)",
        paths="verify",
        throughput_target=0.8,
    ),
    Page(
        "credential_json",
        "credential JSON (the same 200)",
        paths="credential_json",
        throughput_target=0.8,
    ),
    Page("status_list", "status lists (both, alternately)", paths="status_lists"),
    Page("map", "registry map", path="/certyfikat/rejestr/mapa/"),
    Page(
        "institution", "institution's registry page (their 200 institutions)", paths="institution"
    ),
    Page("workshops", "workshop editions (upcoming)", path="/warsztaty/"),
    Page(
        "workshops_filtered",
        "workshop editions, voivodeship + seats left",
        path="/warsztaty/?wojewodztwo=14&wolne=1",
    ),
    Page("edition", "workshop edition page (200 upcoming editions)", paths="editions"),
    Page(
        "revitalization_list",
        "revitalization programmes' public results, list",
        path="/rewitalizacja/wyniki/",
    ),
    Page(
        "revitalization_results",
        "a programme's public results (200 public programmes)",
        paths="revitalization_results",
        # Long enough for the first view of each of the 200 pages (their charts and tables
        # take tens of milliseconds to render) to be over before the measured run.
        warmup=10,
    ),
    Page(
        "revitalization_dashboard",
        "monitoring dashboard, signed-in coordinator (200 programmes)",
        paths="revitalization_dashboard",
        signed_in=True,
    ),
    Page(
        "verify_cold",
        "verification page, each certificate's first view (cache misses)",
        paths="verify_cold",
        p95_target=None,
        warm=False,
    ),
    Page(
        "search_towns",
        "registry search, a different gmina each time (cache misses)",
        paths="search_towns",
        p95_target=None,
        warm=False,
    ),
    Page("floor_end", "framework floor again, at the end", path="/bench/floor/", p95_target=None),
]


def run(command, *, env=None, timeout, capture=False, quiet_stdout=False) -> str:
    """Run a command from the repository, bounded in time; its output or an error."""
    result = subprocess.run(  # noqa: S603 (fixed commands)
        command,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture or quiet_stdout else None,
    )
    return result.stdout or ""


def busy() -> list[str]:
    found = subprocess.run(  # noqa: S603
        ["pgrep", "-af", BUSY_PATTERN],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return [line for line in found if line.split()[0] != str(os.getpid())]


def wait_until_quiet(options) -> float:
    """Seconds waited until no test suite runs; gives up after MAX_WAIT_S."""
    started = time.monotonic()
    if options.no_wait:
        return 0.0
    while processes := busy():
        waited = time.monotonic() - started
        if waited > MAX_WAIT_S:
            raise SystemExit(f"A test suite is still running after {waited:.0f} s: {processes}")
        say(f"a test suite is running ({processes[0][:80]}…); checking again in 30 s")
        time.sleep(30)
    return time.monotonic() - started


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: install it with `sudo apt-get install -y wrk`.")
    say("installing wrk from Debian")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=environment, timeout=600, check=False).returncode:  # noqa: S603
        subprocess.run(["apt-get", "update", "-q"], env=environment, timeout=600, check=True)  # noqa: S607
        subprocess.run(install, env=environment, timeout=600, check=True)  # noqa: S603
    return shutil.which("wrk") or "wrk"


def machine() -> dict:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def versions(env) -> dict:
    code = (
        "import django, gunicorn, psycopg, redis, weasyprint; from django.db import connection;"
        "from django.core.cache import cache;"
        "cursor = connection.cursor(); cursor.execute('SHOW server_version');"
        "print(django.get_version(), gunicorn.__version__, weasyprint.__version__,"
        " cursor.fetchone()[0], cache._cache.get_client().info()['redis_version'], sep='|')"
    )
    script = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    output = run(script, env=env, timeout=60, capture=True).strip().splitlines()[-1].split("|")
    wrk = subprocess.run(
        ["wrk", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    wrk_version = (wrk.stdout + wrk.stderr).split("Copyright")[0].strip()
    return dict(
        zip(["django", "gunicorn", "weasyprint", "postgresql", "redis"], output, strict=True),
        wrk=wrk_version,
    )


def memory_kb(pid: int) -> dict:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                values[name] = int(value.split()[0])
    except OSError:
        pass
    return values


class Server:
    """gunicorn with the bench settings on 127.0.0.1:8100."""

    def __init__(self, env, workers: int):
        self.env, self.workers = env, workers
        self.log = OUT_DIR / "gunicorn.log"

    def __enter__(self):
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "lokalnie.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=self.handle, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start; see {self.log}")
            try:
                with urllib.request.urlopen(BASE_URL + "/bench/floor/", timeout=5) as response:  # noqa: S310 (loopback)
                    if response.status == 200 and len(self.worker_pids()) == self.workers:
                        return self
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def memory(self) -> dict:
        workers = {pid: memory_kb(pid) for pid in self.worker_pids()}
        return {
            "master_peak_mb": round(memory_kb(self.process.pid).get("VmHWM", 0) / 1024, 1),
            "worker_peak_mb": [round(w.get("VmHWM", 0) / 1024, 1) for w in workers.values()],
            "worker_rss_mb": [round(w.get("VmRSS", 0) / 1024, 1) for w in workers.values()],
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.handle.close()

    def __exit__(self, *exc):
        self.stop()


def drive(page: Page, *, wrk: str, paths_dir: Path, duration: int, options) -> dict:
    """One page under load: wrk's summary (latencies in µs) as a dict."""
    url = BASE_URL + (page.path or "/")
    command = [
        wrk,
        "--threads",
        str(options.threads),
        "--connections",
        str(options.connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--script",
        str(ROOT / "bench" / "wrk.lua"),
        url,
    ]
    if page.paths:
        command += ["--", str(paths_dir / f"{page.paths}.txt")]
    assert url.startswith("http://127.0.0.1:"), url  # loopback only, always
    output = run(command, timeout=duration + 60, capture=True)
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    return json.loads(line)


def first_request(page: Page, paths_dir: Path) -> tuple[str, str]:
    """The page's first path and the Cookie header it is sent with ("" for none)."""
    if page.path:
        return page.path, ""
    line = (paths_dir / f"{page.paths}.txt").read_text().splitlines()[0]
    path, _, cookie = line.partition("\t")
    return path, cookie


def check_signed_in(page: Page, paths_dir: Path) -> None:
    """A signed-in page must answer 200 with its own content to its cookie, not send the
    visitor to the login (wrk counts a redirect as a success)."""
    path, cookie = first_request(page, paths_dir)
    url = BASE_URL + path
    assert url.startswith("http://127.0.0.1:"), url  # loopback only, always
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{page.key}: {path} answered {status} to its session cookie, not 200")


def measure_pages(env, *, wrk: str, paths_dir: Path, options) -> tuple[dict, dict]:
    results = {}
    with Server(env, options.workers) as server:
        say(f"gunicorn: {options.workers} sync workers, pids {server.worker_pids()}")
        for page in PAGES:
            if page.signed_in:
                check_signed_in(page, paths_dir)
            waited, remeasured = 0.0, 0
            while True:
                waited += wait_until_quiet(options)
                if page.warm:
                    warmup = max(options.warmup, page.warmup or 0)
                    drive(page, wrk=wrk, paths_dir=paths_dir, duration=warmup, options=options)
                summary = drive(
                    page, wrk=wrk, paths_dir=paths_dir, duration=options.duration, options=options
                )
                # A test suite that started during the measurement spoils it: measure again
                # once it is over (not the cache-miss rows, whose paths are now cached).
                if options.no_wait or not page.warm or remeasured == 2 or not busy():
                    break
                remeasured += 1
                say(f"{page.key}: a test suite started during the measurement; measuring again")
            seconds = summary["duration_us"] / 1e6
            latency = summary["latency_us"]
            results[page.key] = {
                **asdict(page),
                "requests": summary["requests"],
                "throughput": round(summary["requests"] / seconds, 1),
                "p50_ms": round(latency["p50"] / 1000, 2),
                "p95_ms": round(latency["p95"] / 1000, 2),
                "p99_ms": round(latency["p99"] / 1000, 2),
                "max_ms": round(latency["max"] / 1000, 2),
                "bytes_per_response": round(summary["bytes"] / max(summary["requests"], 1)),
                "errors": summary["errors"],
                "waited_for_tests_s": round(waited),
                "measured_again": remeasured,
            }
            say(
                f"{page.key}: {results[page.key]['throughput']:,.0f} req/s, "
                f"p95 {results[page.key]['p95_ms']} ms, errors {summary['errors']}"
            )
        memory = server.memory()
    return results, memory


def add_ratios(results: dict) -> None:
    floor = results["floor"]
    for row in results.values():
        row["throughput_ratio"] = round(row["throughput"] / floor["throughput"], 2)
        row["p95_ratio"] = round(row["p95_ms"] / floor["p95_ms"], 2)
        checks = []
        if row["throughput_target"] is not None:
            checks.append(row["throughput_ratio"] >= row["throughput_target"])
        if row["p95_target"] is not None:
            checks.append(row["p95_ratio"] <= row["p95_target"])
        failed = sum(row["errors"].values()) > 0
        row["met"] = None if not checks else (all(checks) and not failed)


def forget_cache(env) -> None:
    """Delete this run's cache entries from Redis (its own key prefix only)."""
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from django.core.cache import cache;"
        "client = cache._cache.get_client(write=True);"
        "prefix = settings.CACHES['default']['KEY_PREFIX'];"
        "keys = list(client.scan_iter(match=prefix + ':*', count=1000));"
        "[client.delete(*keys[i:i + 500]) for i in range(0, len(keys), 500)];"
        "print(len(keys))"
    )
    deleted = run([sys.executable, "-c", code], env=env, timeout=120, capture=True).strip()
    say(f"deleted {deleted} cache entries of this run")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Run the performance harness.")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the bench database")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument("--pdf-count", type=int, default=500)
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="do not wait for test suites to finish (to try the harness: numbers not clean)",
    )
    options = parser.parse_args(argv)
    started = time.monotonic()
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    say("checking that no test suite runs on this machine")
    wait_until_quiet(options)
    wrk = ensure_wrk()
    run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    static_root = Path(tempfile.mkdtemp(prefix="lokalnie-bench-static-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CACHE_KEY_PREFIX": f"lokalnie-bench-{run_id}",
        "BENCH_STATIC_ROOT": str(static_root),
        "PYTHONPATH": str(ROOT),
    }
    try:
        if not options.skip_generate:
            say("generating the data set")
            run([sys.executable, "-m", "bench.generate"], env=env, timeout=900)
        data = json.loads((OUT_DIR / "data.json").read_text())
        say("collecting static files")
        run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            timeout=300,
        )
        paths_dir = OUT_DIR / "paths"
        targets = json.loads(
            run(
                [sys.executable, "-m", "bench.targets", str(paths_dir)],
                env=env,
                timeout=300,
                capture=True,
            )
        )
        info = {"machine": machine(), "versions": versions(env)}
        say("driving the pages")
        pages, server_memory = measure_pages(env, wrk=wrk, paths_dir=paths_dir, options=options)
        add_ratios(pages)
        wait_until_quiet(options)
        say("time inside Django per request (no server, no network)")
        inside = {}
        for page in PAGES:
            path, cookie = first_request(page, paths_dir)
            inside[page.key] = [path, page.warm, cookie] if cookie else [path, page.warm]
        inprocess = json.loads(
            run(
                [sys.executable, "-m", "bench.inprocess", json.dumps(inside)],
                env=env,
                timeout=600,
                capture=True,
            )
        )
        for key, microseconds in inprocess["pages"].items():
            pages[key]["inprocess_us"] = microseconds
            pages[key]["resolve_us"] = inprocess["resolve"].get(key)
        forget_cache(env)
        wait_until_quiet(options)
        say("PDF: one certificate against a blank page")
        pdf_timing = json.loads(
            run([sys.executable, "-m", "bench.pdf", "timing"], env=env, timeout=600, capture=True)
        )
        say(f"PDF: {options.pdf_count} certificates through the task worker")
        with (OUT_DIR / "worker.log").open("w") as log:
            output = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.pdf", "batch", "--count", str(options.pdf_count)],
                cwd=ROOT,
                env=env,
                timeout=1200,
                check=True,
                text=True,
                stdout=subprocess.PIPE,
                stderr=log,
            ).stdout
        pdf_batch = json.loads(output.strip().splitlines()[-1])
        wait_until_quiet(options)
        say("delimitation: 100 to 100,000 units")
        output = run(
            [sys.executable, "-m", "bench.delimitation", "--json"],
            env=env,
            timeout=1800,
            capture=True,
        )
        delimitation = json.loads(output.strip().splitlines()[-1])
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    results = {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "make bench",
        "options": vars(options),
        **info,
        "data": data,
        "targets": targets,
        "pages": pages,
        "server_memory": server_memory,
        "inside_django_parts": inprocess["parts"],
        "pdf_timing": pdf_timing,
        "pdf_batch": pdf_batch,
        "delimitation": delimitation,
        "total_s": round(time.monotonic() - started),
    }
    (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    from bench.report import write

    write(results, Path(options.output))
    say(f"wrote {options.output} in {results['total_s']} s")


if __name__ == "__main__":
    main()
