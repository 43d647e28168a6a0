"""Revitalization programmes at national scale for the benchmarks (called by
``bench.generate``).

Deterministic from the seed and the reference day: ~5,000 programmes in gminas all over
Poland (about 45% of the gminas have one, the larger ones often a chain of programmes one
after another: an earlier "Lokalny Program Rewitalizacji", then a "Gminny Program
Rewitalizacji"), each of 4 to 6 years with one period a year, led by the gmina's social
assistance centre where there is one. Each programme has:

- a coordinator (one generated person per gmina, coordinating all of its programmes), and
  as an editor the owner of the leading institution when that institution is certified;
- six result indicators drawn from ten (quantitative, percentages with a numerator and a
  denominator, one qualitative), some asking for breakdowns by sex and by age group;
- a target for every period (from the baseline to the final target), and measurements for
  the periods already over: periods ended before the last one are locked with approved
  measurements (a few missing); the last period over is still open in running programmes,
  its measurements approved, submitted, drafts or returned; some drafts for the current
  year. Breakdown cells add up to the measurement's value (its numerator and denominator
  for a percentage), as the services require;
- three to five stakeholders (mostly generated institutions of the gmina, with a resident
  group and sometimes a business), a partnership agreement, two to four actions with
  their partners and indicators, and an evaluation review for programmes over 3 years old;
- for about 10% of the programmes with an approved measurement, a public results page.

Rows are written with ``bulk_create`` programme by programme in chunks (explicit primary
keys, so that references are set before insert), which keeps memory flat. Not generated:
evidence files, diagnosis units and delimitations (the pages measured do not read them),
audit entries.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from bench.common import Progress, say

ZONE = ZoneInfo("Europe/Warsaw")
BATCH = 5000
CHUNK = 250  # programmes built and written together
MAX_PER_GMINA = 4
PUBLIC_SHARE = 0.10
FIRST_NAMES = ["Anna", "Katarzyna", "Magdalena", "Ewa", "Joanna", "Piotr", "Marek", "Tomasz"]
LAST_NAMES = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Zielińska", "Mazur"]

Q, P, QUAL = "quantitative", "percentage", "qualitative"
INC, DEC = "increase", "decrease"
# (code, name, kind, unit, direction, breakdowns, baseline range, final ÷ baseline range)
# For percentages the baseline range is in per cent and the denominators are residents.
INDICATORS = [
    (
        "W01",
        "Liczba osób objętych usługami aktywnej integracji",
        Q,
        "osoby",
        INC,
        ["sex", "age_group"],
        (40, 400),
        (1.3, 2.0),
    ),
    (
        "W02",
        "Odsetek mieszkańców obszaru korzystających ze świadczeń pomocy społecznej",
        P,
        "%",
        DEC,
        ["sex"],
        (8, 25),
        (0.6, 0.9),
    ),
    (
        "W03",
        "Liczba inicjatyw sąsiedzkich zrealizowanych na obszarze rewitalizacji",
        Q,
        "inicjatywy",
        INC,
        [],
        (2, 15),
        (1.5, 3.0),
    ),
    (
        "W04",
        "Udział osób długotrwale bezrobotnych wśród bezrobotnych z obszaru rewitalizacji",
        P,
        "%",
        DEC,
        ["sex", "age_group"],
        (30, 60),
        (0.7, 0.9),
    ),
    (
        "W05",
        "Liczba dzieci i młodzieży w zajęciach świetlic środowiskowych",
        Q,
        "osoby",
        INC,
        ["sex"],
        (20, 200),
        (1.2, 1.8),
    ),
    (
        "W06",
        "Liczba osób, które podjęły zatrudnienie po udziale w projektach",
        Q,
        "osoby",
        INC,
        ["sex", "age_group"],
        (5, 60),
        (1.5, 3.0),
    ),
    (
        "W07",
        "Odsetek uczestników, którzy ukończyli program reintegracji społecznej",
        P,
        "%",
        INC,
        [],
        (40, 65),
        (1.1, 1.35),
    ),
    (
        "W08",
        "Liczba odnowionych przestrzeni publicznych (podwórka, skwery)",
        Q,
        "obiekty",
        INC,
        [],
        (0, 4),
        (2.0, 4.0),
    ),
    (
        "W09",
        "Liczba organizacji pozarządowych działających na obszarze rewitalizacji",
        Q,
        "organizacje",
        INC,
        [],
        (3, 25),
        (1.1, 1.5),
    ),
    (
        "W10",
        "Poczucie bezpieczeństwa mieszkańców obszaru (badanie ankietowe)",
        QUAL,
        "",
        INC,
        [],
        None,
        None,
    ),
]
CATEGORIES = {
    "sex": (("female", 0.54), ("male", 0.46)),
    "age_group": (("0-17", 0.15), ("18-29", 0.22), ("30-64", 0.48), ("65+", 0.15)),
}
QUALITATIVE_TEXTS = [
    "Badanie ankietowe mieszkańców obszaru: większość czuje się bezpiecznie po zmroku; "
    "najczęściej wskazywane problemy to oświetlenie podwórek i pustostany.",
    "Wywiady grupowe z mieszkańcami: poprawa odczuwana zwłaszcza na odnowionych podwórkach, "
    "obawy dotyczą okolic dworca.",
    "Spacery badawcze z radą osiedla: mieszkańcy wskazują mniej miejsc, których unikają.",
]
EXPLANATIONS = [
    "Odchylenie wynika ze zmiany liczby mieszkańców obszaru i opóźnienia naboru w projekcie.",
    "Wynik lepszy od zakładanego dzięki dodatkowemu naborowi finansowanemu z EFS+.",
    "Część działań przesunięto na kolejny rok z powodu remontu siedziby partnera.",
]
RETURN_REASONS = [
    "Podział według płci nie zgadza się ze sprawozdaniem OPS; proszę sprawdzić dane.",
    "Brakuje wyjaśnienia odchylenia od wartości docelowej.",
]
ACTIONS = [
    (
        "Centrum Sąsiedzkie",
        "Miejsce spotkań i wsparcia dla mieszkańców obszaru rewitalizacji.",
        "mieszkańcy obszaru, zwłaszcza rodziny z dziećmi",
    ),
    (
        "Klub Integracji Społecznej",
        "Powrót na rynek pracy osób długotrwale bezrobotnych z obszaru rewitalizacji.",
        "osoby bezrobotne i korzystające z pomocy społecznej",
    ),
    (
        "Odnowa podwórek z mieszkańcami",
        "Podwórka zaprojektowane i odnowione razem z mieszkańcami.",
        "mieszkańcy kamienic obszaru rewitalizacji",
    ),
    (
        "Streetworking",
        "Kontakt z młodzieżą przebywającą na ulicy i wsparcie w powrocie do szkoły.",
        "młodzież 13–24",
    ),
    (
        "Świetlica środowiskowa",
        "Zajęcia pozalekcyjne i opieka dla dzieci z rodzin wspieranych przez OPS.",
        "dzieci 6–15 z obszaru rewitalizacji",
    ),
    (
        "Klub Seniora",
        "Aktywność i wsparcie sąsiedzkie dla osób starszych mieszkających samotnie.",
        "seniorzy 65+",
    ),
    (
        "Inkubator inicjatyw lokalnych",
        "Małe granty i doradztwo dla grup mieszkańców.",
        "grupy nieformalne i organizacje z obszaru",
    ),
]
FUNDING = [
    "EFS+ (program regionalny)",
    "EFRR (program regionalny)",
    "środki własne gminy",
    "budżet państwa",
    "Fundusz Inicjatyw Obywatelskich",
]
BUSINESSES = ["Spółdzielnia Mieszkaniowa „Przyszłość”", "Przedsiębiorstwo Komunalne", "Piekarnia"]
RESIDENT_GROUPS = ["Rada Osiedla", "Wspólnota Mieszkaniowa", "Koło Gospodyń Wiejskich"]


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=ZONE)


def _split(total: int, weights, rng: random.Random) -> list[int]:
    """``total`` split into whole parts roughly by ``weights`` (jittered), adding up exactly."""
    jittered = [w * rng.uniform(0.7, 1.3) for w in weights]
    scale = total / sum(jittered)
    parts = [int(w * scale) for w in jittered]
    for index in rng.sample(range(len(parts)), len(parts)):
        if sum(parts) >= total:
            break
        parts[index] += 1
    parts[-1] += total - sum(parts)
    return parts


def _split_fraction(numerator: int, denominators: list[int]) -> list[int]:
    """The numerator split in proportion to the denominators' parts, none above its part."""
    denominator = sum(denominators)
    parts = [d * numerator // denominator for d in denominators]
    index = 0
    while sum(parts) < numerator:
        if parts[index] < denominators[index]:
            parts[index] += 1
        index = (index + 1) % len(parts)
    return parts


def plan_programmes(rng: random.Random, gminas: list[dict], target: int, today: dt.date):
    """Each programme as a dict: gmina, years, whether running; chains per gmina."""
    chosen = rng.sample(gminas, min(len(gminas), round(target * 0.45)))
    counts = dict.fromkeys((g["code"] for g in chosen), 1)
    weights = [g["weight"] for g in chosen]
    while sum(counts.values()) < target:
        gmina = rng.choices(chosen, weights)[0]
        if counts[gmina["code"]] < MAX_PER_GMINA:
            counts[gmina["code"]] += 1
    plans = []
    for gmina in chosen:
        chain = []
        start = today.year - rng.choice([0, 1, 2, 2, 3, 3, 4, 5])
        for _ in range(counts[gmina["code"]]):
            years = rng.choice([4, 5, 5, 6])
            chain.append((start, start + years - 1))
            start = start - rng.choice([0, 1]) - rng.choice([4, 5, 6])
        for first, last in reversed(chain):
            plans.append({"gmina": gmina, "first": first, "last": last})
    return plans


def generate_revitalization(
    *,
    rng: random.Random,
    today: dt.date,
    gminas: list[dict],
    institutions: list,
    owner_of: dict[int, int],
    target: int = 5000,
) -> dict:
    """Writes the programmes and everything they hold; returns a summary for data.json."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management.color import no_style
    from django.db import connection
    from django.utils.text import slugify

    from lokalnie.institutions.text import fold
    from lokalnie.revitalization.models import (
        Action,
        Agreement,
        Measurement,
        MeasurementBreakdown,
        Period,
        Programme,
        ProgrammeMember,
        ResultIndicator,
        Review,
        Stakeholder,
        Target,
    )

    User = get_user_model()

    def next_pk(model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    say(f"revitalization: planning {target:,} programmes")
    plans = plan_programmes(rng, gminas, target, today)
    by_gmina = defaultdict(list)
    for institution in institutions:
        by_gmina[institution.gmina_id].append(institution)
    lock_before = dt.date(today.year - 1, 1, 1)  # periods before last year are locked

    # Coordinators: one person per gmina with programmes.
    unusable = make_password(None)
    user_pk = next_pk(User)
    coordinator_of = {}
    people = []
    for plan in plans:
        code = plan["gmina"]["code"]
        if code not in coordinator_of:
            coordinator_of[code] = user_pk
            people.append(
                User(
                    id=user_pk,
                    email=f"rewitalizacja.{code}@bench.lokalnie.test",
                    password=unusable,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                )
            )
            user_pk += 1
    User.objects.bulk_create(people, batch_size=BATCH)

    # Public results: about 10% of all programmes, among those with a period already over.
    eligible = [i for i, plan in enumerate(plans) if plan["first"] < today.year]
    public = set(rng.sample(eligible, min(len(eligible), round(PUBLIC_SHARE * len(plans)))))

    pks = {
        model: next_pk(model)
        for model in (
            Programme,
            ProgrammeMember,
            ResultIndicator,
            Period,
            Target,
            Measurement,
            MeasurementBreakdown,
            Stakeholder,
            Agreement,
            Action,
            Review,
        )
    }

    def take(model) -> int:
        pks[model] += 1
        return pks[model] - 1

    now = dt.datetime.now(dt.UTC)
    counts = Counter()
    statuses = Counter()
    kinds = Counter()
    slugs = set()
    progress = Progress("revitalization programmes written", len(plans))
    for chunk_start in range(0, len(plans), CHUNK):
        rows = defaultdict(list)
        for index in range(chunk_start, min(chunk_start + CHUNK, len(plans))):
            plan = plans[index]
            gmina, first, last = plan["gmina"], plan["first"], plan["last"]
            coordinator = coordinator_of[gmina["code"]]
            starts, ends = dt.date(first, 1, 1), dt.date(last, 12, 31)
            running = ends >= today
            local = by_gmina.get(gmina["code"], [])
            leader = next((i for i in local if i.kind in ("cus", "ops")), None)
            kind = (
                "Gminny Program Rewitalizacji" if first >= 2016 else "Lokalny Program Rewitalizacji"
            )
            of = "Miasta" if gmina["type"] == "1" else "Gminy"
            title = f"{kind} {of} {gmina['name']} na lata {first}–{last}"
            slug = slugify(fold(f"{kind.split()[0][0]}pr {gmina['name']}"))[:50]
            slug = f"{slug}-{gmina['code']}-{first}-{last}"
            while slug in slugs:
                slug += "-2"
            slugs.add(slug)
            periods_over = [year for year in range(first, last + 1) if year < today.year]
            if not running:
                stage = "evaluation"
            elif periods_over:
                stage = "monitoring"
            else:
                stage = "plan"
            programme_pk = take(Programme)
            rows[Programme].append(
                Programme(
                    id=programme_pk,
                    slug=slug,
                    title=title,
                    gmina_id=gmina["code"],
                    institution_id=leader.pk if leader else None,
                    description=(
                        f"Program rewitalizacji społecznej {names_place(gmina)}: diagnoza, "
                        "obszar rewitalizacji, partnerstwo lokalne, plan działań i monitoring "
                        "rezultatów. Dane wygenerowane do testów wydajności."
                    ),
                    gmina_area_ha=round(rng.uniform(800, 30_000), 2),
                    gmina_residents=rng.randint(2_500, 60_000)
                    if gmina["type"] != "1"
                    else rng.randint(8_000, 400_000),
                    reference_year=first - 1,
                    period_start=starts,
                    period_end=ends,
                    stage=stage,
                    public_results=index in public,
                    created_by_id=coordinator,
                )
            )
            rows[ProgrammeMember].append(
                ProgrammeMember(
                    id=take(ProgrammeMember),
                    programme_id=programme_pk,
                    user_id=coordinator,
                    role="coordinator",
                )
            )
            if leader is not None and leader.pk in owner_of:
                rows[ProgrammeMember].append(
                    ProgrammeMember(
                        id=take(ProgrammeMember),
                        programme_id=programme_pk,
                        user_id=owner_of[leader.pk],
                        role="editor",
                    )
                )

            # Periods: one a year; locked once the year before last is over.
            periods = []
            for year in range(first, last + 1):
                over = year < today.year
                locked = dt.date(year, 12, 31) < lock_before or (over and not running)
                period = Period(
                    id=take(Period),
                    programme_id=programme_pk,
                    label=str(year),
                    starts_on=dt.date(year, 1, 1),
                    ends_on=dt.date(year, 12, 31),
                    locked=locked,
                    locked_at=_aware(dt.date(year + 1, 4, 30), rng) if locked else None,
                    locked_by_id=coordinator if locked else None,
                )
                periods.append(period)
                counts["periods_locked"] += locked
            rows[Period] += periods

            # Indicators, their targets and measurements.
            chosen = sorted(rng.sample(INDICATORS, 6))
            measured = []
            for position, spec in enumerate(chosen):
                code, name, kind_, unit, direction, breakdowns, base, change = spec
                indicator_pk = take(ResultIndicator)
                kinds[kind_] += 1
                indicator = ResultIndicator(
                    id=indicator_pk,
                    programme_id=programme_pk,
                    code=code,
                    name=name,
                    kind=kind_,
                    method="Dane OPS i PUP za rok kalendarzowy, zestawione przez koordynatora.",
                    unit_label=unit,
                    direction=direction,
                    breakdowns=breakdowns,
                    baseline_year=first - 1,
                    position=position,
                )
                if kind_ == QUAL:
                    indicator.baseline_provenance = {
                        "source": "typed",
                        "reference": f"Diagnoza {first - 1}",
                        "year": first - 1,
                        "text": "Mieszkańcy wskazują wiele miejsc, których unikają po zmroku.",
                    }
                    rows[ResultIndicator].append(indicator)
                    for period in periods:
                        if period.ends_on < today and rng.random() < 0.8:
                            measured.append((indicator, period, None, None))
                    continue
                if kind_ == P:
                    denominator = rng.randint(1_500, 20_000)
                    baseline = round(rng.uniform(*base), 1)
                    numerator = round(denominator * baseline / 100)
                    baseline = numerator / denominator * 100
                    indicator.baseline_numerator = numerator
                    indicator.baseline_denominator = denominator
                    indicator.baseline_value = baseline
                else:
                    denominator = None
                    baseline = rng.randint(*base)
                    indicator.baseline_value = baseline
                indicator.baseline_provenance = {
                    "source": "typed",
                    "reference": f"Sprawozdanie OPS za {first - 1}",
                    "year": first - 1,
                    "value": indicator.baseline_value,
                    "numerator": indicator.baseline_numerator,
                    "denominator": indicator.baseline_denominator,
                }
                rows[ResultIndicator].append(indicator)
                final = max(baseline, 1) * rng.uniform(*change)
                if kind_ == P:
                    final = min(final, 95.0)
                for step, period in enumerate(periods, start=1):
                    value = baseline + (final - baseline) * step / len(periods)
                    value = round(value, 1) if kind_ == P else round(value)
                    rows[Target].append(
                        {
                            "id": take(Target),
                            "indicator": indicator_pk,
                            "period": period.pk,
                            "value": value,
                        }
                    )
                    if period.ends_on < today or (period.starts_on <= today and running):
                        measured.append((indicator, period, value, denominator))

            for indicator, period, target_value, denominator in measured:
                current = period.ends_on >= today
                if current:  # the year in progress: a few drafts
                    if rng.random() >= 0.1:
                        continue
                    status = "draft"
                elif period.locked:
                    if rng.random() < 0.05:
                        continue  # never measured
                    status = "approved"
                else:  # the last year over, still open
                    status = rng.choices(
                        ["approved", "submitted", "draft", "returned"], [55, 20, 15, 10]
                    )[0]
                measurement = {
                    "id": take(Measurement),
                    "indicator": indicator.pk,
                    "period": period.pk,
                    "status": status,
                    "text": "",
                    "explanation": "",
                    "return_reason": "",
                    "updated_at": now,
                }
                if indicator.kind == QUAL:
                    measurement["text"] = rng.choice(QUALITATIVE_TEXTS)
                    cells = []
                elif indicator.kind == P:
                    base_denominator = max(100, round(denominator * rng.gauss(1, 0.03)))
                    share = max(0.0, target_value * rng.gauss(1, 0.12))
                    numerator = min(base_denominator, round(base_denominator * share / 100))
                    measurement["numerator"] = numerator
                    measurement["denominator"] = base_denominator
                    measurement["value"] = numerator / base_denominator * 100
                    cells = []
                    for dimension in indicator.breakdowns:
                        categories = CATEGORIES[dimension]
                        parts = _split(base_denominator, [w for _c, w in categories], rng)
                        tops = _split_fraction(numerator, parts)
                        cells += [
                            (dimension, category, top, part)
                            for (category, _w), top, part in zip(
                                categories, tops, parts, strict=True
                            )
                        ]
                else:
                    value = max(0, round(target_value * rng.gauss(1, 0.12)))
                    measurement["value"] = value
                    cells = []
                    for dimension in indicator.breakdowns:
                        categories = CATEGORIES[dimension]
                        parts = _split(value, [w for _c, w in categories], rng)
                        cells += [
                            (dimension, category, part, None)
                            for (category, _w), part in zip(categories, parts, strict=True)
                        ]
                if (
                    target_value
                    and measurement.get("value") is not None
                    and abs(measurement["value"] - target_value) / abs(target_value) > 0.1
                ):
                    measurement["explanation"] = rng.choice(EXPLANATIONS)
                reported = min(
                    today - dt.timedelta(days=1),
                    period.ends_on + dt.timedelta(days=rng.randint(20, 100)),
                )
                if status != "draft":
                    measurement["submitted_at"] = _aware(reported, rng)
                    measurement["submitted_by"] = coordinator
                if status == "approved":
                    approved = min(today, reported + dt.timedelta(days=rng.randint(1, 20)))
                    measurement["approved_at"] = _aware(approved, rng)
                    measurement["approved_by"] = coordinator
                if status == "returned":
                    measurement["return_reason"] = rng.choice(RETURN_REASONS)
                statuses[status] += 1
                rows[Measurement].append(measurement)
                for dimension, category, value, cell_denominator in cells:
                    rows[MeasurementBreakdown].append(
                        {
                            "id": take(MeasurementBreakdown),
                            "measurement": measurement["id"],
                            "dimension": dimension,
                            "category": category,
                            "value": value,
                            "denominator": cell_denominator,
                        }
                    )

            # Stakeholders, the partnership agreement, the actions.
            candidates = [i for i in local if i is not leader and i.kind != "school"]
            picked = ([leader] if leader else []) + rng.sample(
                candidates, min(len(candidates), rng.randint(1, 3))
            )
            stakeholders = []
            for institution in picked:
                stakeholders.append(
                    Stakeholder(
                        id=take(Stakeholder),
                        programme_id=programme_pk,
                        kind="ngo" if institution.kind == "ngo" else "institution",
                        institution_id=institution.pk,
                        name=institution.name[:200],
                        interest=rng.randint(3, 5),
                        influence=rng.randint(2, 5),
                        contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        role="realizacja działań na obszarze rewitalizacji",
                        is_partner=True,
                    )
                )
            stakeholders.append(
                Stakeholder(
                    id=take(Stakeholder),
                    programme_id=programme_pk,
                    kind="resident_group",
                    name=f"{rng.choice(RESIDENT_GROUPS)} {names_place(gmina)}",
                    interest=rng.randint(3, 5),
                    influence=rng.randint(1, 3),
                    role="głos mieszkańców w planowaniu działań",
                    is_partner=rng.random() < 0.6,
                )
            )
            if rng.random() < 0.4:
                stakeholders.append(
                    Stakeholder(
                        id=take(Stakeholder),
                        programme_id=programme_pk,
                        kind="business",
                        name=f"{rng.choice(BUSINESSES)} {names_place(gmina)}",
                        interest=rng.randint(1, 3),
                        influence=rng.randint(2, 4),
                        is_partner=False,
                    )
                )
            rows[Stakeholder] += stakeholders
            partners = [s for s in stakeholders if s.is_partner]
            agreement_pk = take(Agreement)
            rows[Agreement].append(
                Agreement(
                    id=agreement_pk,
                    programme_id=programme_pk,
                    title=f"Porozumienie o partnerstwie na rzecz rewitalizacji {gmina['name']}",
                    signed_on=starts - dt.timedelta(days=rng.randint(10, 120)),
                )
            )
            rows["agreement_stakeholders"] += [
                {"agreement": agreement_pk, "stakeholder": s.pk} for s in partners
            ]
            measurable = [i for i in rows[ResultIndicator][-6:] if i.kind != QUAL]
            for title, goal, group in rng.sample(ACTIONS, rng.randint(2, 4)):
                action_pk = take(Action)
                begin = starts + dt.timedelta(days=rng.randint(0, 365 * (last - first)))
                finish = min(ends, begin + dt.timedelta(days=rng.randint(180, 1100)))
                responsible = rng.choice(partners or stakeholders)
                rows[Action].append(
                    Action(
                        id=action_pk,
                        programme_id=programme_pk,
                        title=f"{title} {gmina['name']}"[:200],
                        goal=goal,
                        responsible_id=responsible.pk,
                        starts_on=begin,
                        ends_on=max(begin, finish),
                        budget_pln=rng.randrange(50_000, 2_000_000, 1_000),
                        funding_source=rng.choice(FUNDING),
                        target_group=group,
                        created_by_id=coordinator,
                    )
                )
                others = [s for s in partners if s is not responsible]
                rows["action_partners"] += [
                    {"action": action_pk, "stakeholder": s.pk}
                    for s in rng.sample(others, min(len(others), rng.randint(0, 2)))
                ]
                rows["action_indicators"] += [
                    {"action": action_pk, "resultindicator": i.pk}
                    for i in rng.sample(measurable, min(len(measurable), rng.randint(1, 2)))
                ]
            if first + 3 <= today.year:
                rows[Review].append(
                    Review(
                        id=take(Review),
                        programme_id=programme_pk,
                        held_on=dt.date(min(first + 3, today.year - 1), 6, rng.randint(1, 28)),
                        findings="Działania realizowane zgodnie z planem; wskaźniki zatrudnienia "
                        "poniżej wartości docelowych.",
                        recommendations="Wzmocnić współpracę z PUP i organizacjami z obszaru.",
                        created_by_id=coordinator,
                    )
                )
            counts["programmes_public"] += index in public
            counts["programmes_running"] += running

        copied = {
            Target: Target,
            Measurement: Measurement,
            MeasurementBreakdown: MeasurementBreakdown,
            "agreement_stakeholders": Agreement.stakeholders.through,
            "action_partners": Action.partners.through,
            "action_indicators": Action.indicators.through,
        }
        for key in (
            Programme,
            ProgrammeMember,
            Period,
            ResultIndicator,
            Target,
            Measurement,
            MeasurementBreakdown,
            Stakeholder,
            Agreement,
            "agreement_stakeholders",
            Action,
            "action_partners",
            "action_indicators",
            Review,
        ):
            items = rows[key]
            if key in copied:
                _copy(copied[key], items)
            elif items:
                key.objects.bulk_create(items, batch_size=BATCH)
            counts[key if isinstance(key, str) else key.__name__] += len(items)
        progress.add(len(rows[Programme]))
    progress.finish()

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(),
            [
                User,
                Programme,
                ProgrammeMember,
                Period,
                ResultIndicator,
                Target,
                Measurement,
                MeasurementBreakdown,
                Stakeholder,
                Agreement,
                Action,
                Review,
            ],
        ):
            cursor.execute(statement)
    return {
        "revitalization_programmes": counts["Programme"],
        "revitalization_programmes_running": counts["programmes_running"],
        "revitalization_programmes_public": counts["programmes_public"],
        "revitalization_gminas": len(coordinator_of),
        "revitalization_coordinators": len(people),
        "revitalization_members": counts["ProgrammeMember"],
        "revitalization_indicators": counts["ResultIndicator"],
        "revitalization_indicators_by_kind": dict(kinds.most_common()),
        "revitalization_periods": counts["Period"],
        "revitalization_periods_locked": counts["periods_locked"],
        "revitalization_targets": counts["Target"],
        "revitalization_measurements": counts["Measurement"],
        "revitalization_measurements_by_status": dict(statuses.most_common()),
        "revitalization_breakdown_cells": counts["MeasurementBreakdown"],
        "revitalization_stakeholders": counts["Stakeholder"],
        "revitalization_agreements": counts["Agreement"],
        "revitalization_actions": counts["Action"],
        "revitalization_reviews": counts["Review"],
    }


def _copy(model, rows: list[dict]) -> None:
    """Rows (dicts by field name; a missing field is NULL) written with COPY: several times
    faster than ``bulk_create`` for the large tables, which hold plain numbers and text."""
    from django.db import connection
    from psycopg import sql

    if not rows:
        return
    fields = [
        field.name
        for field in model._meta.concrete_fields
        if not (field.primary_key and "id" not in rows[0])
    ]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(model._meta.get_field(f).column) for f in fields),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row.get(field) for field in fields])


def names_place(gmina: dict) -> str:
    from bench.names import place_phrase

    return place_phrase(gmina["name"], gmina["type"])
