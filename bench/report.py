"""docs/performance.md from a harness run (``var/bench/results.json``).

.venv/bin/python -m bench.report [var/bench/results.json] [docs/performance.md]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.common import OUT_DIR, ROOT

# Why a page misses its target, for the rows that do; filled in with this run's numbers.
CACHED_PAGE = (
    "Served from the page cache for anonymous visitors, from what each process keeps while "
    "nothing has changed; what it still costs is below."
)
# The pages served from the page cache.
CACHED = (
    "home",
    "search_name",
    "search_filtered",
    "verify",
    "map",
    "institution",
    "revitalization_list",
    "revitalization_results",
)
WORKSHOP_PAGE = (
    "Served from the page cache for anonymous visitors until a seat or an edition changes "
    "(and for at most a minute: whether registration is open depends on the clock)."
)
REVITALIZATION_PUBLIC = (
    "Served from the page cache for anonymous visitors, like the registry's pages. Part of "
    "what it costs more than they do is URL resolution ({resolve_page:.0f} µs against about "
    "20 µs for the registry's and the workshops' pages): the public addresses (`wyniki/`) "
    "come after all of the module's team-page addresses in `lokalnie/revitalization/urls.py`; "
    "listed first, they resolve in about 18 µs."
)
EXPLANATIONS = {
    "home": (
        "Served from the page cache for anonymous visitors (rendered again every 5 minutes: "
        "it shows only what the code defines); what it still costs is below."
    ),
    "search_name": CACHED_PAGE,
    "search_filtered": CACHED_PAGE,
    "verify": CACHED_PAGE,
    "map": CACHED_PAGE,
    "institution": CACHED_PAGE,
    "workshops": WORKSHOP_PAGE,
    "workshops_filtered": WORKSHOP_PAGE,
    "edition": WORKSHOP_PAGE,
    "revitalization_list": REVITALIZATION_PUBLIC,
    "revitalization_results": REVITALIZATION_PUBLIC,
    "revitalization_dashboard": (
        "A signed-in page, never served from a cache: each request loads the session and the "
        "user, checks the user's role on the programme, and reads the programme, its "
        "indicators, periods, targets, approved measurements with their breakdowns and "
        "approvers, the actions in figures, the measurements waiting for approval and the "
        "stages' completion (18 queries, each an index lookup taking well under a "
        "millisecond in PostgreSQL), then renders each indicator's table and SVG chart (about "
        "45 KB of HTML). The time goes to Python: the ORM building the rows, the charts, and "
        "Django's template engine. A whole-page cache would be wrong here: the page is per "
        "user, carries a CSRF token for the coordinator's forms and shows measurements "
        "waiting for approval, which change without the public pages' versions changing. "
        "Its throughput ratio is shown for comparison; it has no throughput target."
    ),
    "status_list": (
        "Served from the page cache like the pages, then a check that the list is signed "
        "with the current key; see below."
    ),
    "credential_json": (
        "Credentials are kept in each process (they never change once issued): no query and "
        "no round trip. What remains is URL resolution ({resolve:.0f} µs, see below) and the "
        "public headers."
    ),
}


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _target(row: dict) -> str:
    parts = []
    if row["throughput_target"] is not None:
        parts.append(f"≥ {row['throughput_target']}× thr.")
    if row["p95_target"] is not None:
        parts.append(f"≤ {row['p95_target']:g}× p95")
    return ", ".join(parts) or "—"


def _met(row: dict) -> str:
    if row["met"] is None:
        return "—"
    return "yes" if row["met"] else "**no**"


def table(results: dict) -> str:
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | thr. ÷ floor | p95 ÷ floor p95 "
        "| target | met? | inside Django µs |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for row in results["pages"].values():
        errors = sum(row["errors"].values())
        title = row["title"] + (f" ({errors} errors)" if errors else "")
        inside = row.get("inprocess_us")
        lines.append(
            f"| {title} | {row['throughput']:,.0f} | {_ms(row['p50_ms'])} | "
            f"{_ms(row['p95_ms'])} | {_ms(row['p99_ms'])} | {row['throughput_ratio']:.2f} | "
            f"{row['p95_ratio']:.2f} | {_target(row)} | {_met(row)} | "
            f"{f'{inside:,}' if inside is not None else '—'} |"
        )
    return "\n".join(lines)


def urls(results: dict) -> str:
    lines = []
    for row in results["pages"].values():
        if row["path"]:
            what = f"`{row['path']}`"
        else:
            count = results["targets"].get(row["paths"], "?")
            what = f"rotating over `var/bench/paths/{row['paths']}.txt` ({count} paths)"
        lines.append(f"  - {row['title']}: {what}")
    return "\n".join(lines)


def data_sizes(data: dict) -> str:
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in data["institutions_by_kind"].items())
    statuses = ", ".join(
        f"{status} {count:,}" for status, count in data["certificates_by_status"].items()
    )
    events = ", ".join(
        f"{kind} {count:,}" for kind, count in data["history_events_by_kind"].items()
    )
    indicator_kinds = ", ".join(
        f"{kind} {count:,}"
        for kind, count in data.get("revitalization_indicators_by_kind", {}).items()
    )
    measurement_statuses = ", ".join(
        f"{status} {count:,}"
        for status, count in data.get("revitalization_measurements_by_status", {}).items()
    )
    return f"""| what | rows |
|---|---:|
| TERYT gminas (all of the 2024-01-01 register) | {data["gminas"]:,} |
| gminas with at least one institution | {data["gminas_with_institutions"]:,} |
| institutions | {data["institutions"]:,} |
| institutions' areas of work | {data["institution_areas"]:,} |
| certified institutions (each with an owner) | {data["certified_institutions"]:,} |
| certificates (and as many granted applications) | {data["certificates"]:,} |
| of which renewals | {data["renewals"]:,} |
| history events | {data["history_events"]:,} |
| investigations | {data["investigations"]:,} |
| workshop programmes | {data.get("workshop_programmes", 0):,} |
| workshop editions | {data.get("workshop_editions", 0):,} |
| of which upcoming | {data.get("workshop_editions_upcoming", 0):,} |
| workshop registrations | {data.get("workshop_registrations", 0):,} |
| workshop attendance records | {data.get("workshop_attendance_rows", 0):,} |
| revitalization programmes | {data.get("revitalization_programmes", 0):,} |
| of which running | {data.get("revitalization_programmes_running", 0):,} |
| of which with public results | {data.get("revitalization_programmes_public", 0):,} |
| gminas with a programme (each with a coordinator) | {data.get("revitalization_gminas", 0):,} |
| programme team members | {data.get("revitalization_members", 0):,} |
| result indicators | {data.get("revitalization_indicators", 0):,} |
| periods (yearly) | {data.get("revitalization_periods", 0):,} |
| of which locked | {data.get("revitalization_periods_locked", 0):,} |
| targets | {data.get("revitalization_targets", 0):,} |
| measurements | {data.get("revitalization_measurements", 0):,} |
| measurement breakdown cells | {data.get("revitalization_breakdown_cells", 0):,} |
| stakeholders | {data.get("revitalization_stakeholders", 0):,} |
| partnership agreements | {data.get("revitalization_agreements", 0):,} |
| actions | {data.get("revitalization_actions", 0):,} |
| evaluation reviews | {data.get("revitalization_reviews", 0):,} |

Institutions by kind: {kinds}. Certificates by status: {statuses}. History events: {events}.
Result indicators by kind: {indicator_kinds}. Measurements by status: {measurement_statuses}.
Seed {data["seed"]}, reference day {data["reference_day"]}; generated in {data["total_s"]:.0f} s
(signing the {data["certificates"]:,} credentials: {data["timings"]["signing_s"]:.0f} s in 2
processes; the revitalization programmes:
{data["timings"].get("write_revitalization_s", 0):.0f} s)."""


def _parts(results: dict) -> dict:
    parts = results["inside_django_parts"]
    return {
        "lookup_kept": parts["page_lookup_kept_us"],
        "round_trip": parts["page_lookup_round_trip_us"],
        "resolve": parts["resolve_verification_us"],
        "resolve_floor": parts["resolve_floor_us"],
    }


def unmet(results: dict) -> str:
    floor = results["pages"]["floor"].get("inprocess_us", 0)
    lines = []
    for key, row in results["pages"].items():
        if row["met"] is False:
            resolve_page = (row.get("resolve_us") or {}).get("now_us", 0)
            reason = EXPLANATIONS.get(key, "").format(**_parts(results), resolve_page=resolve_page)
            lines.append(
                f"- **{row['title']}**: {row['throughput_ratio']:.2f}× the floor's throughput, "
                f"{row['p95_ratio']:.2f}× its p95 (target {_target(row)}); "
                f"{row.get('inprocess_us', 0):,} µs inside Django against the floor's "
                f"{floor:,} µs. {reason}"
            )
    return "\n".join(lines) or "Every measured page meets its target."


def what_if(results: dict) -> str:
    """Each page's URL resolution inside Django (median of many)."""
    lines = [
        "| page | URL resolution µs |",
        "|---|---:|",
    ]
    for key, row in results["pages"].items():
        times = row.get("resolve_us")
        if key.startswith("floor") or not times or row["met"] is None:
            continue
        lines.append(f"| {row['title']} | {times['now_us']:.0f} |")
    return "\n".join(lines)


def bound(results: dict) -> dict:
    """The cost outside Django of one request (the floor's whole cost minus its time inside)."""
    floor = results["pages"]["floor"]
    inside = floor.get("inprocess_us", 0)
    return {"outside_us": results["machine"]["cores"] / floor["throughput"] * 1e6 - inside}


def render(results: dict) -> str:
    m, v, o = results["machine"], results["versions"], results["options"]
    pdf, batch, memory = results["pdf_timing"], results["pdf_batch"], results["server_memory"]
    floor = results["pages"]["floor"]
    workers = ", ".join(f"{value:.0f}" for value in memory["worker_peak_mb"])
    template = (Path(__file__).parent / "performance.md.in").read_text()
    return template.format(
        run_at=results["run_at"],
        total_min=results["total_s"] / 60,
        waited_min=sum(row["waited_for_tests_s"] for row in results["pages"].values()) / 60,
        floor_end_ratio=results["pages"]["floor_end"]["throughput_ratio"],
        cores=m["cores"],
        cpu=m["cpu"],
        ram=m["ram_gb"],
        kernel=m["kernel"],
        python=m["python"],
        django=v["django"],
        postgresql=v["postgresql"],
        redis=v["redis"],
        gunicorn=v["gunicorn"],
        weasyprint=v["weasyprint"],
        wrk=v["wrk"],
        workers=o["workers"],
        threads=o["threads"],
        connections=o["connections"],
        duration=o["duration"],
        warmup=o["warmup"],
        table=table(results),
        what_if=what_if(results),
        cached_p95_low=min(results["pages"][key]["p95_ratio"] for key in CACHED),
        cached_p95_high=max(results["pages"][key]["p95_ratio"] for key in CACHED),
        unmet=unmet(results),
        urls=urls(results),
        data=data_sizes(results["data"]),
        floor_rps=floor["throughput"],
        floor_p95=floor["p95_ms"],
        floor_inside=floor.get("inprocess_us", 0),
        **{f"bound_{key}": value for key, value in bound(results).items()},
        **{f"part_{key}": value for key, value in _parts(results).items()},
        pdf_blank=pdf["blank_ms"],
        pdf_certificate=pdf["certificate_ms"],
        pdf_ratio=pdf["ratio"],
        pdf_renders=pdf["renders"],
        pdf_bytes=pdf["certificate_bytes"],
        batch_tasks=batch["tasks"],
        batch_statuses=", ".join(f"{k} {n}" for k, n in batch["statuses"].items()),
        batch_span=batch["first_start_to_last_finish_s"],
        batch_wall=batch["worker_wall_s"],
        batch_rate=batch["pdfs_per_s"],
        batch_rss=batch["worker_peak_rss_mb"],
        worker_peaks=workers,
        worker_peak_max=max(memory["worker_peak_mb"]),
        master_peak=memory["master_peak_mb"],
        delimitation=results.get("delimitation", {}).get("table", "Not measured in this run."),
    )


def write(results: dict, path: Path) -> None:
    path.write_text(render(results))


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR / "results.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "performance.md"
    write(json.loads(source.read_text()), target)
