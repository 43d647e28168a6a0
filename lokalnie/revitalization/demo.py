"""The demo revitalization programme for ``load_demo``: Wałbrzych (a real gmina) with 30
units, eight indicators of every sphere, the delimited revitalization area, partners, an
action plan and two years of approved measurements. Everything goes through the same
services (and the same file imports) a team uses. Idempotent (keyed by the address)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from lokalnie.institutions.models import TerytUnit
from lokalnie.revitalization import demo_files
from lokalnie.revitalization.models import DiagnosisIndicator, Period, Programme
from lokalnie.revitalization.services import delimitation as delimitation_services
from lokalnie.revitalization.services import diagnosis as diagnosis_services
from lokalnie.revitalization.services import monitoring as monitoring_services
from lokalnie.revitalization.services import partners as partner_services
from lokalnie.revitalization.services import plan as plan_services
from lokalnie.revitalization.services import programme as programme_services
from lokalnie.revitalization.services import results as results_services

SLUG = "gminny-program-rewitalizacji-walbrzycha-2024-2030"
TITLE = "Gminny Program Rewitalizacji Wałbrzycha 2024–2030"


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def diagnose(programme: Programme, *, by) -> None:
    """Settings, units with boundaries, indicators and their values, as files."""
    diagnosis_services.diagnosis_settings_update(
        programme=programme,
        by=by,
        gmina_area_ha=Decimal(str(demo_files.GMINA_AREA_HA)),
        gmina_residents=demo_files.gmina_residents(),
        reference_year=2023,
        crisis_rules=demo_files.CRISIS_RULES,
    )
    diagnosis_services.units_import(
        programme=programme,
        file=upload("jednostki.csv", demo_files.units_csv(), "text/csv"),
        by=by,
    )
    diagnosis_services.boundaries_import(
        programme=programme,
        file=upload("granice.geojson", demo_files.boundaries_geojson(), "application/geo+json"),
        by=by,
    )
    diagnosis_services.indicator_add_from_catalogue(
        programme=programme, codes=demo_files.INDICATORS, by=by
    )
    diagnosis_services.values_import(
        programme=programme,
        file=upload("wartosci.csv", demo_files.values_csv(), "text/csv"),
        by=by,
    )


# (kind, name, interest, influence, contact, role, partner)
STAKEHOLDERS = [
    (
        "institution",
        "Ośrodek Pomocy Społecznej w Wałbrzychu",
        5,
        5,
        "Beata Sowa",
        "lider partnerstwa, streetworking i praca socjalna na Sobięcinie",
        True,
    ),
    (
        "institution",
        "Powiatowy Urząd Pracy w Wałbrzychu",
        3,
        4,
        "Jan Dudek",
        "aktywizacja zawodowa mieszkańców obszaru",
        True,
    ),
    (
        "ngo",
        "Stowarzyszenie „Sobięcin Razem”",
        5,
        2,
        "Ewa Lis",
        "animacja sąsiedzka, świetlica dla dzieci",
        True,
    ),
    (
        "ngo",
        "Fundacja Rozwoju Śródmieścia",
        4,
        3,
        "Adam Kruk",
        "centrum sąsiedzkie w Śródmieściu",
        True,
    ),
    (
        "business",
        "Wałbrzyska Spółdzielnia Mieszkaniowa",
        2,
        4,
        "Irena Wolna",
        "remonty podwórek, lokale na działania społeczne",
        False,
    ),
    (
        "resident_group",
        "Rada Osiedla Podgórze",
        4,
        2,
        "Marek Zięba",
        "głos mieszkańców Podgórza w planowaniu działań",
        True,
    ),
    ("business", "Piekarnia „Pod Zamkiem”", 2, 1, "", "praktyki zawodowe dla młodzieży", False),
]
# (title, goal, responsible, partners, start, end, budget, source, target group)
ACTIONS = [
    (
        "Centrum Sąsiedzkie Sobięcin",
        "Miejsce spotkań i wsparcia dla mieszkańców; 300 osób rocznie w zajęciach.",
        "Stowarzyszenie „Sobięcin Razem”",
        ["Ośrodek Pomocy Społecznej w Wałbrzychu"],
        dt.date(2024, 3, 1),
        dt.date(2027, 12, 31),
        "840000.00",
        "EFS+ (program regionalny)",
        "mieszkańcy Sobięcina, zwłaszcza rodziny z dziećmi",
    ),
    (
        "Klub Integracji Społecznej „Start”",
        "Powrót na rynek pracy osób długotrwale bezrobotnych z obszaru rewitalizacji.",
        "Ośrodek Pomocy Społecznej w Wałbrzychu",
        ["Powiatowy Urząd Pracy w Wałbrzychu"],
        dt.date(2024, 4, 1),
        dt.date(2026, 12, 31),
        "520000.00",
        "EFS+ (program regionalny)",
        "osoby bezrobotne i korzystające z pomocy społecznej",
    ),
    (
        "Podwórka Śródmieścia",
        "Pięć podwórek zaprojektowanych i odnowionych razem z mieszkańcami.",
        "Fundacja Rozwoju Śródmieścia",
        ["Wałbrzyska Spółdzielnia Mieszkaniowa", "Rada Osiedla Podgórze"],
        dt.date(2025, 5, 1),
        dt.date(2026, 10, 31),
        "1250000.00",
        "środki własne gminy",
        "mieszkańcy kamienic Śródmieścia",
    ),
    (
        "Streetworking Podgórze",
        "Kontakt z młodzieżą przebywającą na ulicy i wsparcie w powrocie do szkoły.",
        "Ośrodek Pomocy Społecznej w Wałbrzychu",
        ["Rada Osiedla Podgórze"],
        dt.date(2024, 9, 1),
        dt.date(2028, 6, 30),
        "310000.00",
        "budżet państwa",
        "młodzież 13–24",
    ),
]


def delimit(programme: Programme, *, by):
    """The exact delimitation with the default objective, adopted by the coordinator."""
    run = delimitation_services.delimitation_run(programme=programme, by=by)
    delimitation_services.delimitation_adopt(delimitation=run, by=by)
    return run


def result_indicators(programme: Programme, *, by) -> dict:
    """Three indicators with their baselines (two from the diagnosis over the adopted area);
    yearly periods 2024–2026 with targets."""
    diagnosis = {
        indicator.catalogue_code or indicator.code: indicator
        for indicator in DiagnosisIndicator.objects.filter(programme=programme)
    }
    baseline = results_services.BaselineInput
    indicators = {
        "bezrobocie": results_services.indicator_create(
            programme=programme,
            by=by,
            code="R1",
            name="Bezrobotni na 100 mieszkańców w wieku produkcyjnym na obszarze rewitalizacji",
            kind="percentage",
            method=(
                "Liczba bezrobotnych zarejestrowanych w PUP z adresem na obszarze rewitalizacji "
                "(31 grudnia) podzielona przez liczbę mieszkańców tego obszaru w wieku "
                "produkcyjnym (ewidencja ludności)."
            ),
            unit_label="%",
            direction="decrease",
            tolerance_pct=Decimal("10"),
            breakdowns=["sex"],
            baseline=baseline(mode="diagnosis", diagnosis_indicator=diagnosis["bezrobocie"]),
        ),
        "kis": results_services.indicator_create(
            programme=programme,
            by=by,
            code="R2",
            name="Uczestnicy Klubu Integracji Społecznej, którzy podjęli pracę",
            kind="quantitative",
            method=(
                "Liczba uczestników KIS „Start”, którzy w okresie podjęli zatrudnienie (umowa "
                "o pracę lub zlecenie na co najmniej 3 miesiące), według list OPS."
            ),
            unit_label="osoby",
            direction="increase",
            tolerance_pct=Decimal("15"),
            breakdowns=["sex", "age_group"],
            baseline=baseline(mode="typed", value=0, year=2023, reference="KIS nie działał"),
        ),
        "pomoc": results_services.indicator_create(
            programme=programme,
            by=by,
            code="R3",
            name="Osoby korzystające z pomocy społecznej na obszarze rewitalizacji",
            kind="quantitative",
            method=(
                "Liczba osób w rodzinach objętych świadczeniami pomocy społecznej (OPS) z "
                "adresem na obszarze rewitalizacji, stan na 31 grudnia."
            ),
            unit_label="osoby",
            direction="decrease",
            tolerance_pct=Decimal("10"),
            baseline=baseline(
                mode="diagnosis", diagnosis_indicator=diagnosis["pomoc_spoleczna"], take="total"
            ),
        ),
    }
    results_services.periods_generate(
        programme=programme,
        by=by,
        every="year",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    periods = list(Period.objects.filter(programme=programme).order_by("starts_on"))
    plans = {"bezrobocie": (0.95, 0.9, 0.85), "kis": None, "pomoc": (0.97, 0.93, 0.9)}
    for key, indicator in indicators.items():
        indicator.refresh_from_db()
        start = indicator.baseline_value or 0
        targets = (10, 25, 40) if plans[key] is None else [start * f for f in plans[key]]
        results_services.targets_set(
            indicator=indicator,
            by=by,
            values={p.pk: round(t, 1) for p, t in zip(periods, targets, strict=True)},
        )
    return {"indicators": indicators, "periods": periods}


EXPLANATION = (
    "Wynik różni się od planu: dane PUP i OPS za rok {year}; zmianę omówiono na spotkaniu "
    "partnerstwa i uwzględniono w planie na kolejny rok."
)


def measurements(programme: Programme, *, by, approver, indicators, periods) -> None:
    """2024 and 2025 measured and approved (2024 then locked); 2026 submitted, waiting
    for the coordinator's approval."""
    measurement_input = results_services.MeasurementInput
    bezrobocie, kis, pomoc = indicators["bezrobocie"], indicators["kis"], indicators["pomoc"]
    for indicator in indicators.values():
        indicator.refresh_from_db()
    base = round(bezrobocie.baseline_denominator or 20_000)
    rate = (bezrobocie.baseline_value or 8.0) / 100
    women_base = round(base * 0.51)
    for number, (period, factor, people) in enumerate(
        zip(periods, (0.96, 0.88, 0.86), (12, 21, 33), strict=True)
    ):
        unemployed = round(base * rate * factor)
        women = round(unemployed * 0.47)
        young = people // 3
        inputs = {
            bezrobocie: measurement_input(
                numerator=unemployed,
                denominator=base,
                breakdown={"sex": {"female": women, "male": unemployed - women}},
                breakdown_denominators={"sex": {"female": women_base, "male": base - women_base}},
            ),
            kis: measurement_input(
                value=people,
                breakdown={
                    "sex": {"female": people // 2 + 1, "male": people - people // 2 - 1},
                    "age_group": {"0-17": 0, "18-29": young, "30-64": people - young - 1, "65+": 1},
                },
            ),
            pomoc: measurement_input(value=round((pomoc.baseline_value or 6000) * factor)),
        }
        for indicator, data in inputs.items():
            data.explanation = EXPLANATION.format(year=period.starts_on.year)
            measurement = results_services.measurement_save(
                indicator=indicator, period=period, by=by, data=data, submit=True
            )
            if number < 2:
                results_services.measurement_approve(measurement=measurement, by=approver)
    results_services.period_lock(period=periods[0], by=approver)


def partners_and_plan(programme: Programme, *, by, indicators=None) -> dict:
    stakeholders = {}
    for kind, name, interest, influence, contact, role, partner in STAKEHOLDERS:
        stakeholders[name] = partner_services.stakeholder_create(
            programme=programme,
            by=by,
            data={
                "kind": kind,
                "name": name,
                "interest": interest,
                "influence": influence,
                "contact_name": contact,
                "role": role,
                "is_partner": partner,
            },
        )
    partner_services.agreement_create(
        programme=programme,
        by=by,
        title="Porozumienie o partnerstwie na rzecz rewitalizacji społecznej Wałbrzycha",
        signed_on=dt.date(2024, 2, 12),
        stakeholders=[s for s in stakeholders.values() if s.is_partner],
    )
    actions = {}
    for title, goal, responsible, others, start, end, budget, source, group in ACTIONS:
        actions[title] = plan_services.action_create(
            programme=programme,
            by=by,
            data={
                "title": title,
                "goal": goal,
                "responsible": stakeholders[responsible],
                "partners": [stakeholders[name] for name in others],
                "starts_on": start,
                "ends_on": end,
                "budget_pln": Decimal(budget),
                "funding_source": source,
                "target_group": group,
                "indicators": list((indicators or {}).values()),
            },
        )
    return actions


def load(*, coordinator, editor=None, observer=None) -> Programme | None:
    if Programme.objects.filter(slug=SLUG).exists():
        return None
    gmina = TerytUnit.objects.get(code=demo_files.GMINA_CODE)
    programme = programme_services.programme_create(
        by=coordinator,
        title=TITLE,
        gmina=gmina,
        description=(
            "Program rewitalizacji społecznej opracowany z Modelowym Standardem Aktywnej "
            "Integracji: diagnoza 30 jednostek urbanistycznych miasta, obszar rewitalizacji "
            "wyznaczony w granicach ustawy, partnerstwo lokalne, plan działań i monitoring "
            "rezultatów. Dane demonstracyjne."
        ),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2030, 12, 31),
    )
    Programme.objects.filter(pk=programme.pk).update(slug=SLUG)
    programme.refresh_from_db()
    for user, role in ((editor, "editor"), (observer, "viewer")):
        if user is not None:
            programme_services.member_add(
                programme=programme, email=user.email, role=role, by=coordinator
            )
    diagnose(programme, by=coordinator)
    programme.refresh_from_db()  # the services saved their own copies
    delimit(programme, by=coordinator)
    framework = result_indicators(programme, by=coordinator)
    partners_and_plan(programme, by=coordinator, indicators=framework["indicators"])
    measurements(programme, by=editor or coordinator, approver=coordinator, **framework)
    monitoring_services.review_add(
        programme=programme,
        by=coordinator,
        held_on=dt.date(2026, 3, 20),
        findings=(
            "Po dwóch latach bezrobocie na obszarze rewitalizacji spada szybciej, niż "
            "zakładano, a Klub Integracji Społecznej realizuje plan. Liczba osób korzystających "
            "z pomocy społecznej maleje wolniej: rodziny z Sobięcina potrzebują dłuższego "
            "wsparcia."
        ),
        recommendations="Wzmocnić streetworking na Podgórzu i dodać poradnictwo rodzinne.",
    )
    monitoring_services.programme_publish_results(programme=programme, by=coordinator)
    # Two years in, the team is monitoring (every earlier stage's work is done).
    programme_services.programme_stage_set(programme=programme, stage="monitoring", by=coordinator)
    return programme
