"""What the delimitation's pages, report and table show, in words: the reasons of the
units, the run's outcome, art. 10's limits, the greedy ranking beside the exact choice,
the crisis per sphere, the map, the history of runs; and the report as PDF and the unit
list as CSV."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from lokalnie.core.pdf import render_pdf
from lokalnie.revitalization.calc import delimitation as calc
from lokalnie.revitalization.calc.geometry import choropleth_svg, swatch_svg
from lokalnie.revitalization.models import Delimitation, Programme, Sphere
from lokalnie.revitalization.selectors import delimitation as selectors
from lokalnie.revitalization.selectors.diagnosis import unit_geometries
from lokalnie.revitalization.services.delimitation import ADOPTABLE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # CSV injection


# --- Words for the numbers ---------------------------------------------------------------


def _num(value, places: int = 2) -> str:
    # number_format cuts the digits off; round first (0.97 is 1.0, not 0.9).
    if value is None:
        return "—"
    return number_format(round(value, places), places, use_l10n=True, force_grouping=True)


def _ha(value) -> str:
    return _("%(value)s ha") % {"value": _num(value, 2)}


def _people(value) -> str:
    return ngettext("%(count)s resident", "%(count)s residents", int(value)) % {
        "count": _num(int(value), 0)
    }


def _pct(share) -> str:
    return _("%(value)s%%") % {"value": _num(share * 100, 1)}


def objective_label(code: str) -> str:
    try:
        return str(Delimitation.Objective(code).label)
    except ValueError:
        return code


def sphere_label(code: str) -> str:
    try:
        return str(Sphere(code).label)
    except ValueError:
        return code


def _not_degraded_detail(unit: dict) -> str:
    crisis = unit.get("crisis") or {}
    others = [sphere for sphere, flag in crisis.items() if flag and sphere != "social"]
    if unit.get("composite") is None and not any(crisis.values()):
        return _("no indicator values")
    if crisis.get("social"):
        return _("a social crisis, but no crisis in another sphere")
    if others:
        return _("a crisis in the %(spheres)s sphere, but no social crisis") % {
            "spheres": ", ".join(sphere_label(sphere) for sphere in others)
        }
    return _("no social crisis")


def reason_text(reason: dict, unit: dict) -> str:
    """One unit's reason, in words (the calculation gives a code and numbers)."""
    code = reason["code"]
    score = _num(reason.get("score"), 2)
    over_area = reason.get("excess_area_ha")
    over_people = reason.get("excess_residents")
    if code == calc.NOT_DEGRADED:
        return _("Not in the degraded area (art. 9): %(detail)s.") % {
            "detail": _not_degraded_detail(unit)
        }
    if code == calc.PINNED_OUT:
        return _("Kept out of the area by the team's decision: %(reason)s") % {
            "reason": unit.get("pin_reason") or "—"
        }
    if code == calc.PINNED_IN:
        return _("Kept in the area by the team's decision: %(reason)s") % {
            "reason": unit.get("pin_reason") or "—"
        }
    if code == calc.SELECTED:
        return _(
            "Chosen by the calculation: it adds %(score)s to the objective, and the chosen "
            "units together give the highest total within the limits."
        ) % {"score": score}
    if code == calc.NON_POSITIVE_SCORE:
        return _(
            "Degraded, but its value for the objective is %(score)s (not above zero), so "
            "including it could not raise the total."
        ) % {"score": score}
    if code == calc.ALONE_EXCEEDS_LIMITS:
        parts = []
        if over_area:
            parts.append(
                _("its area exceeds the area limit by %(area)s") % {"area": _ha(over_area)}
            )
        if over_people:
            parts.append(
                _("its residents exceed the residents limit by %(count)s")
                % {"count": _num(over_people, 0)}
            )
        return _("Degraded, but too large on its own: %(parts)s.") % {"parts": "; ".join(parts)}
    if code in (calc.WOULD_EXCEED_AREA, calc.WOULD_EXCEED_RESIDENTS, calc.WOULD_EXCEED_BOTH):
        parts = []
        if over_area:
            parts.append(_("the area limit by %(area)s") % {"area": _ha(over_area)})
        if over_people:
            parts.append(
                ngettext(
                    "the residents limit by %(count)s person",
                    "the residents limit by %(count)s people",
                    int(over_people),
                )
                % {"count": _num(over_people, 0)}
            )
        return _(
            "Degraded (value for the objective %(score)s), but added to the chosen units it "
            "would exceed %(parts)s; the chosen units give a higher total."
        ) % {"score": score, "parts": _(" and ").join(parts)}
    if code == calc.PINS_INFEASIBLE:
        return _("Not decided: the units kept in by the team already exceed a limit.")
    return code


def status_text(result: dict) -> dict:
    """The run's outcome in words: a headline, the detail and whether it is proven."""
    status = result.get("status")
    objective = objective_label(result.get("objective_name", ""))
    value = _num(result.get("objective"), 2)
    if status == calc.OPTIMAL:
        return {
            "proven": True,
            "headline": _("Proven optimal"),
            "detail": _(
                "No other choice of degraded units within the limits gives a higher value of "
                "the objective (%(objective)s) than %(value)s. The gap between this value "
                "and the best possible is 0."
            )
            % {"objective": objective, "value": value},
        }
    if status == calc.TIME_LIMIT:
        return {
            "proven": False,
            "headline": _("Stopped at the time limit"),
            "detail": _(
                "The chosen units give %(value)s; no choice within the limits can give more "
                "than %(bound)s, so this result is at most %(gap)s below the best possible "
                "(a gap of %(gap_abs)s)."
            )
            % {
                "value": value,
                "bound": _num(result.get("dual_bound"), 2),
                "gap": _pct(result.get("gap_rel") or 0),
                "gap_abs": _num(result.get("gap_abs"), 2),
            },
        }
    if status == calc.INFEASIBLE:
        reason = result.get("status_reason")
        what = {
            calc.PINNED_IN_EXCEED_AREA: _("the area limit"),
            calc.PINNED_IN_EXCEED_RESIDENTS: _("the residents limit"),
            calc.PINNED_IN_EXCEED_BOTH: _("both limits"),
        }.get(reason, _("a limit"))
        return {
            "proven": False,
            "headline": _("No admissible area"),
            "detail": _(
                "The units kept in the area by the team's decisions alone exceed %(what)s. "
                "Keep fewer units in."
            )
            % {"what": what},
        }
    reason = result.get("status_reason")
    return {
        "proven": True,
        "headline": _("No unit qualifies"),
        "detail": _(
            "No unit meets the conditions of the degraded area (art. 9), so there is no "
            "revitalization area to choose."
        )
        if reason == calc.NO_DEGRADED_UNITS
        else _(
            "Every degraded unit is kept out by the team, has no positive value for the "
            "objective, or alone exceeds a limit."
        ),
    }


def limits_check(result: dict, inputs: dict) -> list[dict]:
    """Art. 10's two limits against the chosen units (or, when the pins contradict the
    limits, against the units kept in)."""
    if result.get("status") == calc.INFEASIBLE:
        chosen = [u for u in inputs["units"] if u.get("pin") == "in"]
        area = round(sum(u["area_ha"] for u in chosen), 2)
        residents = sum(u["residents"] for u in chosen)
    else:
        area, residents = result["area_ha"], result["residents"]
    gmina_area, gmina_residents = result["gmina_area_ha"], result["gmina_residents"]
    limits = result["limits"]
    rows = []
    for label, value, limit, total, share_limit, text in (
        (
            pgettext("delimitation", "Area"),
            area,
            result["area_limit_ha"],
            gmina_area,
            limits["area_share"],
            _ha,
        ),
        (
            pgettext("delimitation", "Residents"),
            residents,
            result["residents_limit"],
            gmina_residents,
            limits["residents_share"],
            _people,
        ),
    ):
        ok = value <= limit
        rows.append(
            {
                "label": label,
                "value": text(value),
                "share": _pct(value / total) if total else "—",
                "limit": _("at most %(limit)s (%(share)s of %(total)s)")
                % {"limit": text(limit), "share": _pct(share_limit), "total": text(total)},
                "ok": ok,
                "verdict": _("✓ within the limit") if ok else _("✗ exceeds the limit"),
            }
        )
    return rows


def unit_rows(delimitation: Delimitation) -> list[dict]:
    """Every unit of the run with its state and reason: the area first (highest value for
    the objective first), then the other degraded units, then the rest."""
    result, inputs = delimitation.result, delimitation.inputs
    reasons = result.get("reasons", {})
    selected = set(result.get("selected", []))
    rows = []
    for unit in inputs.get("units", []):
        reason = reasons.get(unit["code"], {"code": "", "score": None})
        rows.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "residents": unit["residents"],
                "area_ha": unit["area_ha"],
                "degraded": unit["degraded"],
                "composite": unit["composite"],
                "crisis": [s for s, flag in (unit.get("crisis") or {}).items() if flag],
                "crisis_text": ", ".join(
                    sphere_label(s) for s, flag in (unit.get("crisis") or {}).items() if flag
                ),
                "score": reason.get("score"),
                "in_area": unit["code"] in selected,
                "reason_code": reason.get("code", ""),
                "reason": reason_text(reason, unit) if reason.get("code") else "",
                "excess_area_ha": reason.get("excess_area_ha"),
                "excess_residents": reason.get("excess_residents"),
                "pin": unit.get("pin", ""),
                "pin_reason": unit.get("pin_reason", ""),
            }
        )

    def order(row):
        group = 0 if row["in_area"] else 1 if row["degraded"] else 2
        key = -(row["score"] or 0) if group == 0 else -(row["composite"] or 0) if group == 1 else 0
        return (group, key, row["code"])

    rows.sort(key=order)
    return rows


def greedy_summary(delimitation: Delimitation) -> dict | None:
    result = delimitation.result
    greedy = result.get("greedy")
    if not greedy:
        return None
    names = {u["code"]: u["name"] for u in delimitation.inputs.get("units", [])}
    optimum = result.get("objective") or 0
    return {
        "objective": greedy["objective"],
        "objective_text": _num(greedy["objective"], 2),
        "units": len(greedy["selected"]),
        "ratio_text": _pct(greedy["objective"] / optimum) if optimum else "—",
        "same": not result.get("only_exact") and not result.get("only_greedy"),
        "only_exact": [f"{code} {names.get(code, '')}".strip() for code in result["only_exact"]],
        "only_greedy": [f"{code} {names.get(code, '')}".strip() for code in result["only_greedy"]],
        "area_text": _ha(greedy["area_ha"]),
        "residents_text": _people(greedy["residents"]),
    }


def crisis_summary(inputs: dict) -> list[dict]:
    """Per sphere: its indicators, the crisis rule and the units in crisis."""
    units = inputs.get("units", [])
    rows = []
    for sphere in inputs.get("spheres", []):
        indicators = [i for i in inputs.get("indicators", []) if i["sphere"] == sphere]
        rows.append(
            {
                "sphere": sphere_label(sphere),
                "indicators": indicators,
                "rule": inputs.get("crisis_rules", {}).get(sphere),
                "in_crisis": sum(1 for u in units if (u.get("crisis") or {}).get(sphere)),
            }
        )
    return rows


CATEGORY_LABELS = {
    "area": lambda: _("revitalization area (art. 10)"),
    "degraded": lambda: _("degraded area outside the revitalization area"),
    "none": lambda: _("not degraded"),
}


def area_map(programme, delimitation: Delimitation, *, width: int = 480) -> dict | None:
    """The choropleth of the run's units when they have boundaries (hatching, not colour
    alone, tells the area and the degraded units apart)."""
    geometries = unit_geometries(programme)
    if not geometries:
        return None
    selected = set(delimitation.result.get("selected", []))
    classes, titles = {}, {}
    counts = dict.fromkeys(CATEGORY_LABELS, 0)
    for unit in delimitation.inputs.get("units", []):
        category = (
            "area" if unit["code"] in selected else "degraded" if unit["degraded"] else "none"
        )
        classes[unit["code"]] = category
        titles[unit["code"]] = f"{unit['code']} {unit['name']}: {CATEGORY_LABELS[category]()}"
        counts[category] += 1
    label = _("Map of the revitalization area: %(counts)s.") % {
        "counts": "; ".join(
            f"{CATEGORY_LABELS[category]()}: {count}" for category, count in counts.items() if count
        )
    }
    svg = choropleth_svg(geometries, classes, titles, width=width, label=label, prefix="area")
    return {
        "svg": mark_safe(svg),  # built by calc.geometry: every text in it is escaped
        "legend": [
            {
                "label": CATEGORY_LABELS[category](),
                "count": count,
                "swatch": mark_safe(swatch_svg(category, prefix="area-legend")),
            }
            for category, count in counts.items()
            if count
        ],
        "missing": len(delimitation.inputs.get("units", [])) - len(geometries),
    }


def history(programme) -> list[dict]:
    history = []
    for run in selectors.runs(programme):
        gap = float(run.run_gap_rel) if run.run_gap_rel not in (None, "") else None
        history.append(
            {
                "run": run,
                "objective": objective_label(run.objective),
                "status": run.run_status,
                "status_text": status_label(run.run_status),
                "value": _num(float(run.run_objective), 2) if run.run_objective else "—",
                "gap": "0" if not gap else _pct(gap),
            }
        )
    return history


def status_label(status: str | None) -> str:
    return {
        calc.OPTIMAL: _("proven optimal"),
        calc.TIME_LIMIT: _("stopped at the time limit"),
        calc.INFEASIBLE: _("no admissible area"),
        calc.NOTHING_QUALIFIES: _("no unit qualifies"),
    }.get(status or "", status or "—")


def run_summary(programme, run: Delimitation) -> dict:
    result = run.result
    return {
        "run": run,
        "status": status_text(result),
        "limits": limits_check(result, run.inputs),
        "greedy": greedy_summary(run),
        "objective_label": objective_label(run.objective),
        "selected_count": len(result.get("selected", [])),
        "area_share_text": _pct(result.get("area_share", 0)),
        "residents_share_text": _pct(result.get("residents_share", 0)),
        "seconds_text": _num(result.get("seconds", 0), 2),
        "adoptable": run.status == Delimitation.Status.DRAFT
        and result.get("status") in ADOPTABLE
        and bool(result.get("selected")),
    }


# --- The report (PDF) and the unit list (CSV) ---------------------------------------------


def report_pdf(programme: Programme, delimitation: Delimitation, *, by) -> bytes:
    """The delimitation report: method, indicators and crisis, units with reasons, the
    limits check and the map, fit to annex to the council's resolution."""
    inputs = delimitation.inputs
    context = {
        "programme": programme,
        **run_summary(programme, delimitation),
        "rows": unit_rows(delimitation),
        "crisis": crisis_summary(inputs),
        "indicators": [
            {**indicator, "sphere_label": sphere_label(indicator["sphere"])}
            for indicator in inputs.get("indicators", [])
        ],
        "pins": [u for u in inputs.get("units", []) if u.get("pin")],
        "map": area_map(programme, delimitation, width=440),
        "degraded_count": sum(1 for u in inputs.get("units", []) if u["degraded"]),
        "unit_count": len(inputs.get("units", [])),
        "generated_at": timezone.localtime(),
        "generated_by": by,
    }
    return render_pdf("revitalization/delimitation/report_pdf.html", context)


def _safe(text: str) -> str:
    text = str(text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _decimal(value, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def units_csv_text(delimitation: Delimitation) -> str:
    """The run's units (UTF-8 with BOM, ``;`` and decimal commas, as Polish Excel reads)."""
    yes, no = _("yes"), _("no")
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            pgettext("delimitation csv", "unit id"),
            pgettext("delimitation csv", "name"),
            pgettext("delimitation csv", "residents"),
            pgettext("delimitation csv", "area (ha)"),
            pgettext("delimitation csv", "crisis spheres"),
            pgettext("delimitation csv", "composite index"),
            pgettext("delimitation csv", "degraded area"),
            pgettext("delimitation csv", "value for the objective"),
            pgettext("delimitation csv", "revitalization area"),
            pgettext("delimitation csv", "team's decision"),
            pgettext("delimitation csv", "reason code"),
            pgettext("delimitation csv", "reason"),
            pgettext("delimitation csv", "over the area limit (ha)"),
            pgettext("delimitation csv", "over the residents limit"),
        ]
    )
    pins = {"in": _("kept in"), "out": _("kept out"), "": ""}
    for row in sorted(unit_rows(delimitation), key=lambda row: row["code"]):
        writer.writerow(
            [
                _safe(row["code"]),
                _safe(row["name"]),
                row["residents"],
                _decimal(row["area_ha"]),
                row["crisis_text"],
                _decimal(row["composite"], 4),
                yes if row["degraded"] else no,
                _decimal(row["score"], 4),
                yes if row["in_area"] else no,
                pins.get(row["pin"], row["pin"]),
                row["reason_code"],
                _safe(row["reason"]),
                _decimal(row["excess_area_ha"]),
                row["excess_residents"] or "",
            ]
        )
    return buffer.getvalue()
