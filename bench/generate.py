"""National-scale data for the benchmarks, on PostgreSQL (database ``lokalnie_bench``).

    .venv/bin/python -m bench.generate [--institutions 100000] [--certificates 20000]
                                       [--programmes 5000]
                                       [--seed 2026] [--today YYYY-MM-DD] [--keep-database]

Drops and recreates the bench database, migrates it, imports the real TERYT register
(``import_teryt``: 2,477 gminas), then builds, deterministically from the seed and the
reference day:

- institutions spread over every gmina, weighted by the kind of gmina (cities with powiat
  rights most), with names by kind and gmina, valid NIP and REGON check digits, KRS numbers
  for NGOs, postal codes by voivodeship, streets, areas of work and the folded search name;
- certificates with their applications (granted), numbers ``CAL/<year>/<seq>``, random
  status-list indexes unique per list, credentials signed with the development key (RS256,
  in a pool of 2 processes), and histories: issued, renewed, suspended, reinstated,
  withdrawn (after investigations with charges) and expired; the two status lists with the
  bits of suspended and withdrawn certificates, signed;
- an owner for every certified institution, and a Certification Committee.

Rows are written with ``bulk_create`` in batches, with explicit primary keys so that
references (renewals, applications, investigations) are set before insert. Progress (counts
and rate) goes to stderr; a summary is written to ``var/bench/data.json``.

- workshops (``bench/generate_training.py``): programmes, ~1,500 editions over two years in
  the cities with powiat rights, ~50,000 registrations with the statuses a recruitment leaves,
  attendance of the editions already held.

- revitalization (``bench/generate_revitalization.py``): ~5,000 programmes in about 45% of
  the gminas (chains of programmes one after another in some), each with a coordinator,
  six result indicators of mixed kinds with breakdowns, yearly periods (the older ones
  locked), targets, measurements in every status with breakdowns adding up, stakeholders,
  a partnership agreement, actions and reviews; about 10% with public results.

Not generated, because its module does not exist yet: good practices. Nor audit-log
entries and e-mails, which the services would write: the bench measures reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import multiprocessing
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bench import names
from bench.common import (
    OUT_DIR,
    Progress,
    ensure_dev_key,
    recreate_database,
    say,
    setup_django,
)

BATCH = 5000
ZONE = ZoneInfo("Europe/Warsaw")
FIRST_DAY = dt.date(2012, 1, 1)  # the first certificates of the generated history

# Institutions per 100,000, and how they are placed: one per gmina first ("gmina"), one per
# land powiat ("powiat"), the rest by weight. "other" takes what is left.
KINDS = [
    ("ops", 2477, "gmina"),
    ("pcpr", 314, "powiat"),
    ("cus", 150, None),
    ("cis_kis", 1000, None),
    ("culture", 5000, "gmina"),
    ("library", 9000, "gmina"),
    ("school", 25000, None),
    ("ngo", 55000, None),
    ("other", None, None),
]
# How likely an institution of each kind holds a certificate (relative), and in which areas.
CERTIFICATION_WEIGHT = {
    "ops": 10,
    "cus": 10,
    "cis_kis": 6,
    "pcpr": 5,
    "culture": 5,
    "library": 3,
    "other": 2,
    "ngo": 1,
    "school": 0.4,
}
SOCIAL, CULTURE, EDUCATION = "pomoc-i-integracja-spoleczna", "kultura", "edukacja"
AREAS_BY_KIND = {
    "ops": [(SOCIAL, 9), (EDUCATION, 1)],
    "pcpr": [(SOCIAL, 9), (EDUCATION, 1)],
    "cus": [(SOCIAL, 9), (CULTURE, 1)],
    "cis_kis": [(SOCIAL, 8), (EDUCATION, 2)],
    "culture": [(CULTURE, 8), (EDUCATION, 2)],
    "library": [(CULTURE, 6), (EDUCATION, 4)],
    "school": [(EDUCATION, 9), ("ekologia", 1)],
    "ngo": [(SOCIAL, 25), (CULTURE, 25), (EDUCATION, 25), ("ekologia", 15), ("bezpieczenstwo", 10)],
    "other": [(SOCIAL, 6), (CULTURE, 2), (EDUCATION, 2)],
}
# Gminas by size: cities with powiat rights are heavier, the largest cities much heavier.
BIG_CITIES = {
    "Warszawa": 90,
    "Kraków": 40,
    "Wrocław": 33,
    "Łódź": 33,
    "Poznań": 27,
    "Gdańsk": 24,
    "Szczecin": 20,
    "Bydgoszcz": 17,
    "Lublin": 17,
    "Białystok": 15,
    "Katowice": 15,
}
CHARGES = [
    "Skarga mieszkańców na zaprzestanie działań środowiskowych opisanych w raporcie OSL.",
    "Instytucja nie przedstawiła informacji o realizacji modelu OSL w wyznaczonym terminie.",
    "Zmiana profilu działalności instytucji niezgodna ze standardami Certyfikatu Jakości CAL.",
    "Sygnał o zaprzestaniu współpracy z partnerami lokalnymi i grupami mieszkańców.",
]
REASONS = {
    "suspend": "Instytucja nie odniosła się do zarzutów; certyfikat zawieszono do wyjaśnienia.",
    "withdraw": "Zarzuty potwierdzone w toku postępowania; certyfikat cofnięto.",
    "no_action": "Wyjaśnienia instytucji przyjęto; postępowanie zamknięto bez działań.",
    "reinstate": "Instytucja przywróciła działania środowiskowe; zawieszenie uchylono.",
}
FIRST_NAMES = ["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Piotr", "Krzysztof", "Tomasz"]
LAST_NAMES = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska"]


@dataclass
class Event:
    kind: str
    at: dt.datetime
    from_status: str = ""
    to_status: str = ""
    reasons: str = ""
    investigation: int | None = None  # index into the investigations list
    related: object = None  # the renewing Cert


@dataclass
class Cert:
    institution: int
    area: str
    issued_at: dt.datetime
    valid_until: dt.date
    status: str = "valid"
    status_changed_at: dt.datetime | None = None
    previous: Cert | None = None
    events: list[Event] = field(default_factory=list)
    name: str = ""
    id: int = 0
    number: str = ""
    year: int = 0
    sequence: int = 0


def at(rng: random.Random, day: dt.date, first_hour: int = 9, last_hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(first_hour, last_hour), rng.randint(0, 59)), tzinfo=ZONE
    )


# --- Institutions -------------------------------------------------------------------------


def load_gminas():
    from lokalnie.institutions.models import TerytUnit

    gminas = []
    for unit in (
        TerytUnit.objects.filter(level=TerytUnit.Level.GMINA)
        .select_related("parent")
        .order_by("code")
    ):
        weight = {"1": 2.5, "2": 1.0, "3": 1.6}[unit.gmina_type]
        if unit.gmina_type == "1" and int(unit.code[2:4]) >= 61:  # city with powiat rights
            weight = BIG_CITIES.get(unit.name, 12)
        gminas.append(
            {
                "code": unit.code,
                "name": unit.name,
                "type": unit.gmina_type,
                "powiat": unit.code[:4],
                "powiat_name": unit.parent.name,
                "voivodeship": unit.code[:2],
                "weight": weight,
            }
        )
    return gminas


def plan_institutions(rng: random.Random, gminas: list[dict], total: int) -> list[tuple]:
    """(kind, gmina) for every institution, in a deterministic order."""
    scale = total / 100_000
    counts = {kind: round(per * scale) for kind, per, _how in KINDS if per is not None}
    counts["other"] = total - sum(counts.values())
    cumulative, running = [], 0.0
    for gmina in gminas:
        running += gmina["weight"]
        cumulative.append(running)
    land_powiats = {}
    for gmina in gminas:  # the seat: the town gmina of the powiat if there is one
        if int(gmina["powiat"][2:]) < 61:
            best = land_powiats.get(gmina["powiat"])
            if best is None or (gmina["type"] in "13" and best["type"] == "2"):
                land_powiats[gmina["powiat"]] = gmina
    plan = []
    for kind, _per, how in KINDS:
        count = counts[kind]
        placed = []
        if how == "gmina":
            placed = rng.sample(gminas, len(gminas))[:count]
        elif how == "powiat":
            placed = list(land_powiats.values())[:count]
        placed += rng.choices(gminas, cum_weights=cumulative, k=count - len(placed))
        plan += [(kind, gmina) for gmina in placed]
    return plan


def build_institutions(rng, plan, areas_by_slug):
    from lokalnie.institutions.models import Institution
    from lokalnie.institutions.text import fold

    institutions, area_links, gmina_of = [], [], {}
    ordinals = Counter()
    progress = Progress("institutions built", len(plan))
    nips = set()
    for pk, (kind, gmina) in enumerate(plan, start=1):
        ordinals[(kind, gmina["code"])] += 1
        village = rng.choice(names.VILLAGES)
        name = names.institution_name(
            rng, kind, gmina, ordinal=ordinals[(kind, gmina["code"])], village=village
        )
        # Village institutions are in their village; others mostly in the gmina's seat.
        city = gmina["name"]
        if name.endswith(f"w miejscowości {village}") or (
            gmina["type"] != "1" and rng.random() < 0.3
        ):
            city = village
        number = names.nip(rng)
        while number in nips:
            number = names.nip(rng)
        nips.add(number)
        slug = re.sub(r"[^a-z0-9]", "", fold(name))[:20]
        institutions.append(
            Institution(
                id=pk,
                name=name,
                kind=kind,
                street=f"{rng.choice(names.STREETS)} {rng.randint(1, 120)}",
                postal_code=names.postal_code(rng, gmina["voivodeship"]),
                city=city,
                gmina_id=gmina["code"],
                nip=number if rng.random() < 0.95 else "",
                regon=names.regon(rng) if rng.random() < 0.9 else "",
                krs=f"{rng.randint(1, 1_100_000):010d}" if kind == "ngo" else "",
                email=f"kontakt{pk}@{slug or 'instytucja'}.example.pl",
                phone=names.phone(rng),
                website="" if kind == "ngo" else f"https://{slug or 'instytucja'}{pk}.example.pl",
                search_name=fold(name),
            )
        )
        gmina_of[pk] = gmina
        slugs = [slug for slug, _w in AREAS_BY_KIND[kind]]
        weights = [w for _slug, w in AREAS_BY_KIND[kind]]
        chosen = {rng.choices(slugs, weights)[0]}
        if rng.random() < 0.3:
            chosen.add(rng.choices(slugs, weights)[0])
        area_links += [(pk, areas_by_slug[slug].pk) for slug in sorted(chosen)]
        if pk % 1000 == 0:
            progress.add(1000)
    progress.add(len(plan) % 1000)
    progress.finish()
    return institutions, area_links, gmina_of


# --- Certificates and their history -------------------------------------------------------


def live(rng, cert: Cert, today: dt.date, investigations: list[dict]) -> None:
    """Suspensions, reinstatements and withdrawals during a certificate's validity."""
    issued_on = cert.issued_at.astimezone(ZONE).date()
    horizon = min(cert.valid_until, today - dt.timedelta(days=1))
    span = (horizon - issued_on).days

    def investigate(opened: dt.date, decided: dt.date, decision: str) -> int:
        investigations.append(
            {
                "cert": cert,
                "charges": rng.choice(CHARGES),
                "opened_at": at(rng, opened),
                "decision": decision,
                "decided_at": at(rng, decided),
                "reasons": REASONS[decision],
            }
        )
        return len(investigations) - 1

    def change(kind, day, source, target, reasons, investigation=None):
        moment = at(rng, day)
        cert.events.append(Event(kind, moment, source, target, reasons, investigation))
        cert.status, cert.status_changed_at = target, moment

    roll = rng.random()
    if roll < 0.06 and span > 150:
        suspended = issued_on + dt.timedelta(days=rng.randint(120, span - 1))
        case = investigate(suspended - dt.timedelta(days=rng.randint(30, 90)), suspended, "suspend")
        change("suspended", suspended, "valid", "suspended", REASONS["suspend"], case)
        outcome = rng.random()
        if outcome < 0.5:
            back = suspended + dt.timedelta(days=rng.randint(30, 180))
            if back <= horizon:
                change("reinstated", back, "suspended", "valid", REASONS["reinstate"])
        elif outcome < 0.8:
            gone = suspended + dt.timedelta(days=rng.randint(45, 150))
            if gone <= horizon:
                case = investigate(suspended + dt.timedelta(days=10), gone, "withdraw")
                change("withdrawn", gone, "suspended", "withdrawn", REASONS["withdraw"], case)
    elif roll < 0.075 and span > 90:
        gone = issued_on + dt.timedelta(days=rng.randint(60, span - 1))
        case = investigate(gone - dt.timedelta(days=rng.randint(30, 60)), gone, "withdraw")
        change("withdrawn", gone, "valid", "withdrawn", REASONS["withdraw"], case)
    elif roll < 0.085 and span > 90:  # an investigation closed without action
        decided = issued_on + dt.timedelta(days=rng.randint(60, span - 1))
        investigate(decided - dt.timedelta(days=rng.randint(20, 60)), decided, "no_action")


def make_chain(rng, institution, area, start, today, budget, investigations) -> list[Cert]:
    """One institution's certificates in one area: the first, then renewals while the
    institution keeps applying (and the certificate was not withdrawn)."""
    from lokalnie.registry.dates import validity_end

    chain: list[Cert] = []
    issued_on = start
    while len(chain) < budget:
        issued_at = at(rng, issued_on, 10, 15)
        cert = Cert(institution, area, issued_at, validity_end(issued_on))
        cert.status_changed_at = issued_at
        cert.previous = chain[-1] if chain else None
        cert.events.append(Event("issued", issued_at, "", "valid"))
        live(rng, cert, today, investigations)
        chain.append(cert)
        if cert.status != "valid" or rng.random() >= 0.65:
            break
        renew_on = cert.valid_until - dt.timedelta(days=rng.randint(14, 150))
        if renew_on > today or renew_on <= cert.status_changed_at.date():
            break
        issued_on = renew_on
    return chain


def expire_and_link(chain: list[Cert], today: dt.date, rng) -> None:
    for earlier, later in itertools.pairwise(chain):
        earlier.events.append(Event("renewed", later.issued_at, related=later))
    for cert in chain:
        if cert.status in ("valid", "suspended") and cert.valid_until < today:
            day = cert.valid_until + dt.timedelta(days=1)
            moment = dt.datetime.combine(day, dt.time(2, rng.randint(0, 59)), tzinfo=ZONE)
            cert.events.append(Event("expired", moment, cert.status, "expired"))
            cert.status, cert.status_changed_at = "expired", moment
        cert.events.sort(key=lambda event: event.at)


def plan_certificates(rng, institutions, target: int, today: dt.date):
    kinds = [institution.kind for institution in institutions]
    weights = [CERTIFICATION_WEIGHT[kind] for kind in kinds]
    cumulative, running = [], 0.0
    for weight in weights:
        running += weight
        cumulative.append(running)
    certificates: list[Cert] = []
    investigations: list[dict] = []
    seen_pairs = set()
    days = (today - FIRST_DAY).days
    while len(certificates) < target:
        index = rng.choices(range(len(institutions)), cum_weights=cumulative)[0]
        institution = institutions[index]
        slugs = [slug for slug, _w in AREAS_BY_KIND[institution.kind]]
        area = rng.choices(slugs, [w for _slug, w in AREAS_BY_KIND[institution.kind]])[0]
        if (institution.pk, area) in seen_pairs:
            continue
        seen_pairs.add((institution.pk, area))
        start = FIRST_DAY + dt.timedelta(days=rng.randint(0, days - 1))
        chain = make_chain(
            rng, institution.pk, area, start, today, target - len(certificates), investigations
        )
        expire_and_link(chain, today, rng)
        certificates += chain
    # Open investigations of some certificates that are valid today.
    for cert in certificates:
        if cert.status == "valid" and cert.valid_until >= today and rng.random() < 0.01:
            latest = max(event.at for event in cert.events).date()
            opened = today - dt.timedelta(days=rng.randint(1, 60))
            if opened > latest:
                investigations.append(
                    {"cert": cert, "charges": rng.choice(CHARGES), "opened_at": at(rng, opened)}
                )
    return certificates, investigations


def number_certificates(certificates: list[Cert]) -> dict[int, int]:
    certificates.sort(key=lambda cert: (cert.issued_at, cert.institution, cert.area))
    last = defaultdict(int)
    for pk, cert in enumerate(certificates, start=1):
        year = cert.issued_at.astimezone(ZONE).year
        last[year] += 1
        cert.id, cert.year, cert.sequence = pk, year, last[year]
        cert.number = f"CAL/{year}/{last[year]:04d}"
    return dict(last)


# --- Signing (in a pool: RS256 costs a few milliseconds a token) ---------------------------

_PEM = b""


def _pool_init(pem: bytes) -> None:
    global _PEM
    _PEM = pem


def _pool_sign(credential: dict) -> str:
    from lokalnie.credentials import sign

    return sign(credential, private_pem=_PEM)


def sign_all(credentials: list[dict], processes: int) -> list[str]:
    from django.db import connections

    from lokalnie.registry import signing

    pem = signing.signing_key_pem()
    connections.close_all()  # the children are forked: they must not share a connection
    progress = Progress("credentials signed", len(credentials))
    tokens = []
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_pool_init, initargs=(pem,)) as pool:
        for token in pool.imap(_pool_sign, credentials, chunksize=250):
            tokens.append(token)
            if len(tokens) % 250 == 0:
                progress.add(250)
    progress.add(len(tokens) % 250)
    progress.finish()
    return tokens


# --- Writing -------------------------------------------------------------------------------


def insert(model, rows: list, label: str) -> None:
    progress = Progress(label, len(rows))
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        model.objects.bulk_create(chunk, batch_size=BATCH)
        progress.add(len(chunk))
    progress.finish()


def generate(
    *,
    institutions_total: int,
    certificates_total: int,
    seed: int,
    today,
    processes,
    registrations: int = 50_000,
    programmes: int = 5_000,
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from lokalnie.accounts.models import Role, RoleAssignment
    from lokalnie.certification.models import Application
    from lokalnie.credentials import new_bitstring, set_bit
    from lokalnie.institutions.models import AreaOfWork, Institution, Membership
    from lokalnie.institutions.text import fold
    from lokalnie.registry import services, signing
    from lokalnie.registry.models import (
        Certificate,
        CertificateEvent,
        Investigation,
        NumberCounter,
        ResponsiblePerson,
        StatusListRecord,
    )

    timings = {}
    rng = random.Random(seed)
    started = time.perf_counter()

    say("migrating the bench database")
    call_command("migrate", verbosity=0, interactive=False)
    say("importing the TERYT register")
    call_command("import_teryt", verbosity=0)
    timings["migrate_and_teryt_s"] = round(time.perf_counter() - started, 1)
    ensure_dev_key()

    gminas = load_gminas()
    areas = {area.slug: area for area in AreaOfWork.objects.all()}
    say(f"{len(gminas):,} gminas; building {institutions_total:,} institutions")
    step = time.perf_counter()
    plan = plan_institutions(rng, gminas, institutions_total)
    institutions, area_links, gmina_of = build_institutions(rng, plan, areas)
    insert(Institution, institutions, "institutions written")
    Link = Institution.areas.through
    insert(
        Link,
        [Link(institution_id=i, areaofwork_id=a) for i, a in area_links],
        "areas of work written",
    )
    timings["institutions_s"] = round(time.perf_counter() - step, 1)

    say(f"planning {certificates_total:,} certificates with their history")
    step = time.perf_counter()
    certificates, investigations = plan_certificates(rng, institutions, certificates_total, today)
    counters = number_certificates(certificates)
    by_pk = {institution.pk: institution for institution in institutions}
    # Some social assistance centres became social services centres (CUS) after their first
    # certificate: earlier certificates keep the name as certified.
    renamed = {}
    for cert in certificates:
        institution = by_pk[cert.institution]
        if institution.kind == "ops" and institution.pk not in renamed:
            renamed[institution.pk] = (
                cert.issued_at + dt.timedelta(days=rng.randint(400, 2500))
                if rng.random() < 0.08
                else None
            )
    for pk, when in renamed.items():
        if when is not None and when.date() < today:
            institution = by_pk[pk]
            institution.old_name = institution.name
            gmina = gmina_of[pk]
            where = names.place_phrase(gmina["name"], gmina["type"])
            institution.name = f"Centrum Usług Społecznych {where}"
            institution.search_name = fold(institution.name)
            institution.renamed_at = when
    Institution.objects.bulk_update(
        [by_pk[pk] for pk in renamed if hasattr(by_pk[pk], "old_name")],
        ["name", "search_name"],
        batch_size=BATCH,
    )

    User = get_user_model()
    unusable = make_password(None)  # nobody logs in as the generated people
    committee = [
        User(
            id=index,
            email=f"komisja{index}@bench.lokalnie.test",
            password=unusable,
            first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            last_name=LAST_NAMES[index % len(LAST_NAMES)],
        )
        for index in range(1, 6)
    ]
    certified = sorted({cert.institution for cert in certificates})
    owners = [
        User(
            id=10 + position,
            email=f"wlasciciel{pk}@bench.lokalnie.test",
            password=unusable,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
        )
        for position, pk in enumerate(certified)
    ]
    owner_of = {pk: 10 + position for position, pk in enumerate(certified)}
    insert(User, committee + owners, "people written")
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=user.id, role=Role.COMMITTEE) for user in committee]
    )
    insert(
        Membership,
        [Membership(institution_id=pk, user_id=owner_of[pk], role="owner") for pk in certified],
        "owners' memberships written",
    )
    people = [
        ResponsiblePerson.objects.create(
            name="Anna Kowalska",
            function_pl="Prezeska Zarządu Stowarzyszenia CAL",
            function_en="President of the Board of the CAL Association",
            from_date=FIRST_DAY,
        ),
        ResponsiblePerson.objects.create(
            name="Joanna Wiśniewska",
            function_pl="Pełnomocniczka Zarządu ds. certyfikacji",
            function_en="Board's representative for certification",
            from_date=dt.date(2019, 6, 1),
        ),
    ]

    # Status-list indexes: random, unique per list.
    size = len(new_bitstring()) * 8
    revocation = rng.sample(range(size), len(certificates))
    suspension = rng.sample(range(size), len(certificates))
    revocation_bits, suspension_bits = new_bitstring(), new_bitstring()
    model_rows, applications, credentials = [], [], []
    for position, cert in enumerate(certificates):
        institution = by_pk[cert.institution]
        gmina = gmina_of[cert.institution]
        renamed_at = getattr(institution, "renamed_at", None)
        name = (
            institution.old_name if renamed_at and cert.issued_at < renamed_at else institution.name
        )
        issued_on = cert.issued_at.astimezone(ZONE).date()
        person = people[1] if issued_on >= people[1].from_date else people[0]
        area = areas[cert.area]
        applications.append(
            Application(
                id=cert.id,
                institution_id=cert.institution,
                area=area,
                status="granted",
                created_by_id=owner_of[cert.institution],
                submitted_at=cert.issued_at - dt.timedelta(days=rng.randint(60, 200)),
                renewal_of_id=cert.previous.id if cert.previous else None,
            )
        )
        row = Certificate(
            id=cert.id,
            number=cert.number,
            year=cert.year,
            sequence=cert.sequence,
            application_id=cert.id,
            institution_id=cert.institution,
            area=area,
            status=cert.status,
            status_changed_at=cert.status_changed_at,
            issued_at=cert.issued_at,
            issued_on=issued_on,
            valid_until=cert.valid_until,
            previous_id=cert.previous.id if cert.previous else None,
            responsible_person=person,
            institution_name=name,
            place=institution.city,
            search_text=fold(" ".join([name, institution.city, gmina["name"]]))[:500],
            revocation_index=revocation[position],
            suspension_index=suspension[position],
        )
        if cert.status == "withdrawn":
            set_bit(revocation_bits, row.revocation_index, True)
        if cert.status == "suspended" or any(
            event.kind == "expired" and event.from_status == "suspended" for event in cert.events
        ):
            # Expiry changes no list: a certificate that expired while suspended keeps its bit.
            set_bit(suspension_bits, row.suspension_index, True)
        model_rows.append(row)
        credentials.append(signing.certificate_credential(row))
    timings["plan_certificates_s"] = round(time.perf_counter() - step, 1)

    step = time.perf_counter()
    say(f"signing {len(credentials):,} credentials in {processes} processes")
    for row, token in zip(model_rows, sign_all(credentials, processes), strict=True):
        row.credential_jws = token
    timings["signing_s"] = round(time.perf_counter() - step, 1)

    step = time.perf_counter()
    insert(Application, applications, "applications written")
    insert(Certificate, model_rows, "certificates written")
    investigation_rows = []
    for pk, case in enumerate(investigations, start=1):
        case["id"] = pk
        decided = "decision" in case
        investigation_rows.append(
            Investigation(
                id=pk,
                certificate_id=case["cert"].id,
                status="closed" if decided else "open",
                charges=case["charges"],
                opened_at=case["opened_at"],
                opened_by_id=committee[pk % len(committee)].id,
                decision=case.get("decision", ""),
                decision_reasons=case.get("reasons", ""),
                decided_at=case.get("decided_at"),
                decided_by_id=committee[pk % len(committee)].id if decided else None,
            )
        )
    insert(Investigation, investigation_rows, "investigations written")
    events = []
    for cert in certificates:
        for event in cert.events:
            person = None if event.kind == "expired" else committee[cert.id % len(committee)]
            events.append(
                CertificateEvent(
                    certificate_id=cert.id,
                    kind=event.kind,
                    at=event.at,
                    by_id=person.id if person else None,
                    by_label=person.email if person else "system",
                    from_status=event.from_status,
                    to_status=event.to_status,
                    reasons=event.reasons,
                    investigation_id=(
                        investigations[event.investigation]["id"]
                        if event.investigation is not None
                        else None
                    ),
                    related_id=event.related.id if event.related is not None else None,
                )
            )
    insert(CertificateEvent, events, "history events written")
    NumberCounter.objects.bulk_create(
        [NumberCounter(year=year, last=last) for year, last in sorted(counters.items())]
    )
    now = dt.datetime.combine(today, dt.time(3, 0), tzinfo=ZONE)
    for purpose, bits in (("revocation", revocation_bits), ("suspension", suspension_bits)):
        record = StatusListRecord.objects.create(purpose=purpose, bits=bytes(bits))
        services._status_list_sign(record, now)
    with connection.cursor() as cursor:
        # Applications were created before their certificates (auto_now_add set "now").
        cursor.execute(
            "UPDATE certification_application AS a SET"
            " created_at = c.issued_at - interval '200 days',"
            " updated_at = c.issued_at, status_changed_at = c.issued_at"
            " FROM registry_certificate AS c WHERE c.application_id = a.id"
        )
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [User, Institution, Application, Certificate, Investigation]
        ):
            cursor.execute(statement)
    timings["write_certificates_s"] = round(time.perf_counter() - step, 1)

    step = time.perf_counter()
    from bench.generate_training import generate_workshops

    workshops = generate_workshops(
        rng=random.Random(seed + 3), today=today, institutions=institutions, target=registrations
    )
    timings["write_workshops_s"] = round(time.perf_counter() - step, 1)

    step = time.perf_counter()
    from bench.generate_revitalization import generate_revitalization

    revitalization = generate_revitalization(
        rng=random.Random(seed + 5),
        today=today,
        gminas=gminas,
        institutions=institutions,
        owner_of=owner_of,
        target=programmes,
    )
    timings["write_revitalization_s"] = round(time.perf_counter() - step, 1)

    step = time.perf_counter()
    say("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum_analyze_s"] = round(time.perf_counter() - step, 1)

    statuses = Counter(cert.status for cert in certificates)
    kinds = Counter(event.kind for cert in certificates for event in cert.events)
    summary = {
        "seed": seed,
        "reference_day": today.isoformat(),
        "gminas": len(gminas),
        "gminas_with_institutions": len({gmina["code"] for _kind, gmina in plan}),
        "institutions": len(institutions),
        "institutions_by_kind": dict(Counter(i.kind for i in institutions).most_common()),
        "institution_areas": len(area_links),
        "certified_institutions": len(certified),
        "certificates": len(certificates),
        "certificates_by_status": dict(statuses.most_common()),
        "renewals": sum(1 for cert in certificates if cert.previous is not None),
        "history_events": len(events),
        "history_events_by_kind": dict(kinds.most_common()),
        "investigations": len(investigation_rows),
        "applications": len(applications),
        "people": len(committee) + len(owners),
        **workshops,
        **revitalization,
        "years": {str(year): last for year, last in sorted(counters.items())},
        "timings": timings,
        "total_s": round(time.perf_counter() - started, 1),
    }
    return summary


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--institutions", type=int, default=100_000)
    parser.add_argument("--certificates", type=int, default=20_000)
    parser.add_argument("--registrations", type=int, default=50_000, help="workshop registrations")
    parser.add_argument("--programmes", type=int, default=5_000, help="revitalization programmes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--processes", type=int, default=2, help="signing processes")
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="do not drop and recreate the database (it must be empty)",
    )
    options = parser.parse_args(argv)
    started = time.perf_counter()
    if not options.keep_database:
        say("dropping and creating the bench database")
        recreate_database()
    setup_django()
    from django.utils import timezone

    today = options.today or timezone.localdate()
    summary = generate(
        institutions_total=options.institutions,
        certificates_total=options.certificates,
        seed=options.seed,
        today=today,
        processes=options.processes,
        registrations=options.registrations,
        programmes=options.programmes,
    )
    summary["total_s"] = round(time.perf_counter() - started, 1)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "data.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    say(
        f"done in {summary['total_s']:.0f} s: {summary['institutions']:,} institutions, "
        f"{summary['certificates']:,} certificates, {summary['history_events']:,} events"
    )
    return summary


if __name__ == "__main__":
    main()
