"""Workshops at national scale for the benchmarks (called by ``bench.generate``).

Deterministic from the seed: three programmes; editions every week over two years, in the
cities with powiat rights (weighted towards the largest) so that every voivodeship has
some; ~50,000 registrations spread over them with the statuses a real recruitment leaves
(accepted up to capacity, a waiting list and offers for full upcoming editions, withdrawn,
refused, expired offers); attendance for the three days of every edition already held.
Registrations point to generated institutions (most) or carry a typed name.

Not generated: completions with their signed credentials, survey answers and materials;
the benchmarks measure the public list and edition pages, which read editions, their days
and the seats held.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from zoneinfo import ZoneInfo

from bench.common import Progress, say

ZONE = ZoneInfo("Europe/Warsaw")
BATCH = 5000
WEEKS_BACK, WEEKS_AHEAD = 70, 34
EDITIONS_PER_WEEK = 15
FIRST_NAMES = [
    "Anna",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Joanna",
    "Piotr",
    "Krzysztof",
    "Tomasz",
    "Paweł",
    "Marcin",
    "Michał",
    "Grażyna",
]
LAST_NAMES = [
    "Nowak",
    "Kowalska",
    "Wiśniewski",
    "Wójcik",
    "Kamińska",
    "Lewandowski",
    "Zielińska",
    "Szymański",
    "Woźniak",
    "Dąbrowska",
    "Kozłowski",
    "Jankowska",
]
POSITIONS = [
    "pracownik socjalny",
    "organizator społeczności lokalnej",
    "asystent rodziny",
    "kierownik działu",
    "specjalista ds. rewitalizacji",
    "animator lokalny",
]
PROGRAMMES = [
    ("rewitalizacja-spoleczna-msai", "Programy rewitalizacji społecznej z MSAI"),
    ("organizowanie-spolecznosci", "Organizowanie społeczności lokalnej — warsztaty"),
    ("partnerstwa-lokalne", "Partnerstwa lokalne i monitoring rezultatów"),
]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def generate_workshops(*, rng: random.Random, today: dt.date, institutions: list, target: int):
    """Writes programmes, editions, days, registrations and attendance; returns a summary."""
    from django.utils.text import slugify

    from lokalnie.institutions.models import TerytUnit
    from lokalnie.institutions.text import fold
    from lokalnie.training.models import (
        Attendance,
        Edition,
        EditionDay,
        EligibilityQuestion,
        Programme,
        Registration,
    )
    from lokalnie.training.workflow import EditionStatus, RegStatus

    say("workshops: programmes and editions")
    programmes = []
    for slug, title in PROGRAMMES:
        programme = Programme.objects.create(
            slug=slug,
            title_pl=title,
            description_pl="Trzydniowe warsztaty dla pracowników instytucji pomocy społecznej.",
            target_group_pl="Pracownicy publicznych instytucji pomocy i integracji społecznej.",
            days=3,
            min_days_to_complete=3 if slug.startswith("rew") else 2,
        )
        EligibilityQuestion.objects.create(
            programme=programme, text_pl="Czy pracujesz w instytucji pomocy społecznej?"
        )
        programmes.append(programme)
    cities = list(
        TerytUnit.objects.filter(level=TerytUnit.Level.GMINA, gmina_type="1")
        .order_by("code")
        .values_list("code", "name")
    )
    # Cities with powiat rights: their code's powiat part is 61–99 (e.g. 1465 Warszawa).
    cities = [(code, name) for code, name in cities if int(code[2:4]) >= 61] or cities
    weights = [
        10 if name in ("Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań") else 1
        for _code, name in cities
    ]
    editions, days = [], []
    first_monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS_BACK)
    slugs = set()
    next_pk = (Edition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for week in range(WEEKS_BACK + WEEKS_AHEAD):
        monday = first_monday + dt.timedelta(weeks=week)
        for number in range(EDITIONS_PER_WEEK):
            code, city = rng.choices(cities, weights)[0]
            start = monday + dt.timedelta(days=rng.choice([0, 1, 2]))
            programme = programmes[rng.randrange(len(programmes))]
            slug = slugify(fold(f"{city} {start:%Y-%m-%d} {programme.slug}"))[:95]
            while slug in slugs:
                slug = f"{slug[:90]}-{len(slugs)}"
            slugs.add(slug)
            held = start + dt.timedelta(days=2) < today
            closes = _aware(start - dt.timedelta(days=3), 23, 59)
            editions.append(
                Edition(
                    pk=next_pk,
                    programme=programme,
                    slug=slug,
                    city=city,
                    gmina_id=code,
                    voivodeship_id=code[:2],
                    venue_name=f"Centrum Aktywności Lokalnej nr {number + 1}",
                    venue_address=f"ul. Główna {rng.randint(1, 120)}, {city}",
                    accessibility_pl="Wejście bez progów, winda, toaleta dostępna.",
                    capacity=rng.choice([16, 20, 24, 24, 30]),
                    registration_opens_at=closes - dt.timedelta(days=60),
                    registration_closes_at=closes,
                    status=EditionStatus.FINISHED if held else EditionStatus.PUBLISHED,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=2),
                )
            )
            for day in range(3):
                days.append(
                    EditionDay(
                        edition_id=next_pk,
                        number=day + 1,
                        date=start + dt.timedelta(days=day),
                        starts_at=dt.time(9, 30),
                        ends_at=dt.time(16, 0),
                    )
                )
            next_pk += 1
    _insert(Edition, editions, "editions written")
    _insert(EditionDay, days, "edition days written")
    days_by_edition: dict[int, list[int]] = {}
    for pk, edition_id in EditionDay.objects.order_by("edition_id", "number").values_list(
        "pk", "edition_id"
    ):
        days_by_edition.setdefault(edition_id, []).append(pk)

    say("workshops: registrations")
    per_edition = max(target // len(editions), 1)
    registrations, attendance_plan = [], []
    next_reg = (Registration.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for edition in editions:
        count = max(1, int(rng.gauss(per_edition, per_edition / 4)))
        upcoming = edition.status == EditionStatus.PUBLISHED
        accepted = 0
        for index in range(count):
            created = edition.registration_opens_at + dt.timedelta(
                minutes=rng.randint(0, 60 * 24 * 55)
            )
            roll = rng.random()
            if roll < 0.06:
                status = RegStatus.WITHDRAWN
            elif roll < 0.09:
                status = RegStatus.REJECTED
            elif accepted < edition.capacity:
                status = RegStatus.ACCEPTED
                accepted += 1
            elif upcoming:
                status = (
                    RegStatus.OFFERED if index == count - 1 and roll < 0.3 else RegStatus.WAITLISTED
                )
            else:
                status = RegStatus.EXPIRED
            institution = rng.choice(institutions) if rng.random() < 0.8 else None
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            registrations.append(
                Registration(
                    pk=next_reg,
                    edition_id=edition.pk,
                    first_name=first,
                    last_name=last,
                    email=f"u{next_reg}@uczestnicy.example",
                    phone=f"+48 6{rng.randint(10, 99)} {rng.randint(100, 999)} 1{index:02d}",
                    position=rng.choice(POSITIONS),
                    gender=rng.choice(["female", "female", "male", "undisclosed"]),
                    age_group=rng.choice(["18-29", "30-54", "30-54", "55+"]),
                    institution=institution,
                    institution_name=institution.name
                    if institution
                    else f"OPS w gminie {edition.city}",
                    language="pl",
                    privacy_version="2026-11-21",
                    consented_at=created,
                    token=secrets.token_urlsafe(24),
                    email_confirmed_at=created + dt.timedelta(minutes=rng.randint(1, 600)),
                    created_at=created,
                    status=status,
                    status_changed_at=created,
                    eligibility_answers=[
                        {"question": "Czy pracujesz…", "answer": True, "eligible": True}
                    ],
                    offer_expires_at=_aware(edition.starts_on - dt.timedelta(days=1), 9)
                    if status == RegStatus.OFFERED
                    else None,
                )
            )
            if status == RegStatus.ACCEPTED and not upcoming:
                attendance_plan.append((next_reg, edition.pk))
            next_reg += 1
    _insert(Registration, registrations, "registrations written")

    rows = []
    for registration_id, edition_id in attendance_plan:
        for day_id in days_by_edition[edition_id]:
            rows.append(
                Attendance(
                    registration_id=registration_id, day_id=day_id, present=rng.random() < 0.93
                )
            )
    _insert(Attendance, rows, "attendance written")
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Edition, EditionDay, Registration, Attendance]
        ):
            cursor.execute(statement)
    return {
        "workshop_programmes": len(programmes),
        "workshop_editions": len(editions),
        "workshop_editions_upcoming": sum(
            1 for e in editions if e.status == EditionStatus.PUBLISHED
        ),
        "workshop_registrations": len(registrations),
        "workshop_attendance_rows": len(rows),
    }


def _insert(model, rows: list, label: str) -> None:
    progress = Progress(label, len(rows))
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        model.objects.bulk_create(chunk, batch_size=BATCH)
        progress.add(len(chunk))
    progress.finish()
