"""Delimitation (art. 10) on synthetic gminas of 100 to 100,000 units: time, whether the
solution is proven optimal, the gap, and the greedy ranking's objective beside it.

    .venv/bin/python -m bench.delimitation [--sizes 100,1000,10000,100000] [--seeds 5]
                                           [--time-limit 60] [--json]

Prints a Markdown table and writes it to ``var/bench/delimitation.md`` (with ``--json``,
prints the rows and the table as JSON for ``bench.run`` instead). Pure computation: no
database, no Django.

The instances (seeded, ``numpy.random.default_rng(seed)``): residents per unit log-normal
(median about 670), area log-normal (median about 20 ha, hundredths of a hectare), 40% of
the units degraded with a composite index drawn from Gamma(2, 0.6), the others with an
index around -0.5; the gmina is the sum of its units. The degraded units then hold about
40% of the area and of the residents, so both limits (20% and 30%) bind.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time

import numpy as np

from bench.common import OUT_DIR
from lokalnie.revitalization.calc.delimitation import UnitInput, delimit

OUTPUT = OUT_DIR / "delimitation.md"
SIZES = (100, 1_000, 10_000, 100_000)


def instance(n: int, seed: int) -> tuple[list[UnitInput], float, int]:
    rng = np.random.default_rng(seed)
    residents = np.maximum(1, rng.lognormal(6.5, 0.9, n)).astype(int)
    area = np.round(rng.lognormal(3.0, 1.2, n), 2) + 0.01
    degraded = rng.random(n) < 0.4
    index = np.where(degraded, rng.gamma(2.0, 0.6, n), rng.normal(-0.5, 0.5, n))
    units = [
        UnitInput(
            f"U{i:06d}", int(residents[i]), float(area[i]), bool(degraded[i]), float(index[i])
        )
        for i in range(n)
    ]
    return units, float(round(area.sum(), 2)), int(residents.sum())


def measure(n: int, seed: int, time_limit: float) -> dict:
    units, area, residents = instance(n, seed)
    started = time.perf_counter()
    result = delimit(units, gmina_area_ha=area, gmina_residents=residents, time_limit=time_limit)
    seconds = time.perf_counter() - started
    return {
        "units": n,
        "seed": seed,
        "degraded": sum(unit.degraded for unit in units),
        "seconds": seconds,
        "status": result.status,
        "proven": result.proven_optimal,
        "method": result.method,
        "gap_abs": result.gap_abs,
        "gap_rel": result.gap_rel,
        "objective": result.objective,
        "greedy": result.greedy.objective,
        "ratio": result.greedy.objective / result.objective,
        "selected": len(result.selected),
        "area_share": result.area_share,
        "residents_share": result.residents_share,
    }


def _gap(row: dict) -> str:
    return "0" if row["gap_abs"] == 0 else f"{row['gap_rel']:.1e}"


def table(rows: list[dict]) -> str:
    by_size: dict[int, list[dict]] = {}
    for row in rows:
        by_size.setdefault(row["units"], []).append(row)
    lines = [
        "| units | instances | proven optimal | time median s | time max s | largest gap "
        "| greedy ÷ optimal (median, worst) |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, group in by_size.items():
        times = [row["seconds"] for row in group]
        ratios = [row["ratio"] for row in group]
        worst = max(group, key=lambda row: row["gap_rel"])
        lines.append(
            f"| {n:,} | {len(group)} | {sum(row['proven'] for row in group)} of {len(group)} "
            f"| {statistics.median(times):.2f} | {max(times):.2f} | {_gap(worst)} "
            f"| {statistics.median(ratios):.3f}, {min(ratios):.3f} |"
        )
    lines += [
        "",
        "Each instance:",
        "",
        "| units | seed | degraded | time s | status | method | gap | objective "
        "| greedy objective | greedy ÷ optimal | units chosen | area | residents |",
        "|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['units']:,} | {row['seed']} | {row['degraded']:,} | {row['seconds']:.2f} "
            f"| {row['status']} | {row['method']} | {_gap(row)} | {row['objective']:,.1f} "
            f"| {row['greedy']:,.1f} | {row['ratio']:.3f} | {row['selected']:,} "
            f"| {row['area_share']:.1%} | {row['residents_share']:.1%} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--seeds", type=int, default=5, help="instances per size (seeds 1..N)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--json", action="store_true", help="print JSON for bench.run")
    options = parser.parse_args(argv)
    rows = []
    for n in (int(size) for size in options.sizes.split(",")):
        for seed in range(1, options.seeds + 1):
            row = measure(n, seed, options.time_limit)
            rows.append(row)
            print(
                f"[delimitation] {n:,} units, seed {seed}: {row['seconds']:.2f} s, "
                f"{row['status']} ({row['method']}), greedy ÷ optimal {row['ratio']:.3f}",
                file=sys.stderr,
                flush=True,
            )
    markdown = table(rows)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        f"# Delimitation benchmark\n\n`python -m bench.delimitation`, Python "
        f"{platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC.\n\n{markdown}\n"
    )
    if options.json:
        print(json.dumps({"rows": rows, "table": markdown}))
    else:
        print(markdown)


if __name__ == "__main__":
    main()
