"""PDF measurements, each printing one JSON object on stdout.

.venv/bin/python -m bench.pdf timing [--count 20]
    A certificate's PDF against a blank one-page WeasyPrint document, rendered in this
    process (medians of ``count`` renders after two warm-up renders of each).
.venv/bin/python -m bench.pdf batch [--count 500] [--timeout 900]
    Enqueues ``count`` certificate PDFs (the ``certificate_pdf_render`` task), then runs
    one task worker (``manage.py db_worker --queue-name '*' --batch``) until the queue is
    empty, reading the worker's peak RSS (VmHWM) from /proc while it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from bench.common import ROOT, say, setup_django

BLANK = "<!DOCTYPE html><html><head><title>.</title></head><body></body></html>"


def _median_ms(function, count: int) -> tuple[float, int]:
    for _ in range(2):
        size = len(function())
    times = []
    for _ in range(count):
        started = time.perf_counter()
        size = len(function())
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), size


def timing(count: int) -> dict:
    setup_django()
    from weasyprint import HTML

    from lokalnie.registry import documents
    from lokalnie.registry.models import Certificate

    certificate = (
        Certificate.objects.filter(status="valid", responsible_person__isnull=False)
        .select_related("area", "responsible_person")
        .order_by("number")
        .first()
    )
    blank_ms, blank_bytes = _median_ms(lambda: HTML(string=BLANK).write_pdf(), count)
    certificate_ms, certificate_bytes = _median_ms(
        lambda: documents.certificate_pdf(certificate), count
    )
    return {
        "renders": count,
        "blank_ms": blank_ms,
        "blank_bytes": blank_bytes,
        "certificate_ms": certificate_ms,
        "certificate_bytes": certificate_bytes,
        "ratio": round(certificate_ms / blank_ms, 1),
        "certificate": certificate.number,
    }


def _memory_kb(pid: int) -> dict:
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmHWM", "VmRSS"):
                    values[name] = int(value.split()[0])
    except OSError:
        pass
    return values


def batch(count: int, timeout: int) -> dict:
    setup_django()
    from django.db import connections
    from django.db.models import Count, Max, Min
    from django_tasks_db.models import DBTaskResult

    from lokalnie.registry.models import Certificate
    from lokalnie.registry.tasks import certificate_pdf_render

    pks = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))
    step = max(len(pks) // count, 1)
    chosen = pks[::step][:count]
    started = time.perf_counter()
    ids = [str(certificate_pdf_render.enqueue(certificate_id=pk).id) for pk in chosen]
    enqueue_s = time.perf_counter() - started
    connections.close_all()
    say(f"{len(ids)} PDF tasks enqueued in {enqueue_s:.1f} s; running one worker")
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--batch",
        "--no-startup-delay",
    ]
    started = time.perf_counter()
    worker = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 (our own interpreter)
    peak = {}
    while worker.poll() is None:
        reading = _memory_kb(worker.pid)
        if reading:
            peak = {key: max(peak.get(key, 0), value) for key, value in reading.items()}
        if time.perf_counter() - started > timeout:
            worker.terminate()
            worker.wait(30)
            raise SystemExit(f"The PDF worker did not finish in {timeout} s.")
        time.sleep(0.2)
    wall_s = time.perf_counter() - started
    results = DBTaskResult.objects.filter(id__in=ids)
    statuses = dict(results.order_by().values_list("status").annotate(n=Count("id")))
    span = results.aggregate(first=Min("started_at"), last=Max("finished_at"))
    run_s = (span["last"] - span["first"]).total_seconds() if span["first"] else None
    return {
        "tasks": len(ids),
        "statuses": statuses,
        "enqueue_s": round(enqueue_s, 1),
        "worker_exit_code": worker.returncode,
        "worker_wall_s": round(wall_s, 1),
        "first_start_to_last_finish_s": round(run_s, 1) if run_s else None,
        "pdfs_per_s": round(len(ids) / run_s, 2) if run_s else None,
        "worker_peak_rss_mb": round(peak.get("VmHWM", 0) / 1024, 1),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["timing", "batch"])
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--timeout", type=int, default=900)
    options = parser.parse_args(argv)
    os.chdir(ROOT)
    if options.what == "timing":
        result = timing(options.count or 20)
    else:
        result = batch(options.count or 500, options.timeout)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
