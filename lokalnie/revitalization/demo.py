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
from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.services import diagnosis as diagnosis_services
from lokalnie.revitalization.services import partners as partner_services
from lokalnie.revitalization.services import plan as plan_services
from lokalnie.revitalization.services import programme as programme_services

SLUG = "gminny-program-rewitalizacji-walbrzycha-2026-2032"
TITLE = "Gminny Program Rewitalizacji Wałbrzycha 2026–2032"


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def diagnose(programme: Programme, *, by) -> None:
    """Settings, units with boundaries, indicators and their values, as files."""
    diagnosis_services.diagnosis_settings_update(
        programme=programme,
        by=by,
        gmina_area_ha=Decimal(str(demo_files.GMINA_AREA_HA)),
        gmina_residents=demo_files.gmina_residents(),
        reference_year=2025,
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
        dt.date(2026, 3, 1),
        dt.date(2028, 12, 31),
        "840000.00",
        "EFS+ (program regionalny)",
        "mieszkańcy Sobięcina, zwłaszcza rodziny z dziećmi",
    ),
    (
        "Klub Integracji Społecznej „Start”",
        "Powrót na rynek pracy osób długotrwale bezrobotnych z obszaru rewitalizacji.",
        "Ośrodek Pomocy Społecznej w Wałbrzychu",
        ["Powiatowy Urząd Pracy w Wałbrzychu"],
        dt.date(2026, 1, 1),
        dt.date(2027, 12, 31),
        "520000.00",
        "EFS+ (program regionalny)",
        "osoby bezrobotne i korzystające z pomocy społecznej",
    ),
    (
        "Podwórka Śródmieścia",
        "Pięć podwórek zaprojektowanych i odnowionych razem z mieszkańcami.",
        "Fundacja Rozwoju Śródmieścia",
        ["Wałbrzyska Spółdzielnia Mieszkaniowa", "Rada Osiedla Podgórze"],
        dt.date(2026, 5, 1),
        dt.date(2027, 10, 31),
        "1250000.00",
        "środki własne gminy",
        "mieszkańcy kamienic Śródmieścia",
    ),
    (
        "Streetworking Podgórze",
        "Kontakt z młodzieżą przebywającą na ulicy i wsparcie w powrocie do szkoły.",
        "Ośrodek Pomocy Społecznej w Wałbrzychu",
        ["Rada Osiedla Podgórze"],
        dt.date(2026, 9, 1),
        dt.date(2029, 6, 30),
        "310000.00",
        "budżet państwa",
        "młodzież 13–24",
    ),
]


def partners_and_plan(programme: Programme, *, by) -> dict:
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
        signed_on=dt.date(2026, 2, 12),
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
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2032, 12, 31),
    )
    Programme.objects.filter(pk=programme.pk).update(slug=SLUG)
    programme.refresh_from_db()
    for user, role in ((editor, "editor"), (observer, "viewer")):
        if user is not None:
            programme_services.member_add(
                programme=programme, email=user.email, role=role, by=coordinator
            )
    diagnose(programme, by=coordinator)
    partners_and_plan(programme, by=coordinator)
    return programme
