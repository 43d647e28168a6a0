"""Test data for the workshops module."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone
from django.utils.text import slugify

from lokalnie.conftest import make_gmina
from lokalnie.institutions.text import fold
from lokalnie.training import services
from lokalnie.training.models import EligibilityQuestion, Programme, Registration
from lokalnie.training.workflow import Acceptance, EditionStatus, RegStatus

_counter = itertools.count(1)


def make_programme(*, days=3, min_days=3, questions=1, slug=None) -> Programme:
    programme = Programme.objects.create(
        slug=slug or f"rewitalizacja-{next(_counter)}",
        title_pl="Programy rewitalizacji społecznej — warsztat",
        title_en="Social revitalization programmes — workshop",
        description_pl="Trzydniowe warsztaty o budowaniu programów rewitalizacji społecznej.",
        description_en="Three-day workshops on building social revitalization programmes.",
        target_group_pl="Pracownicy publicznych instytucji pomocy i integracji społecznej.",
        target_group_en="Staff of public social assistance and integration institutions.",
        eligibility_pl="Zatrudnienie w instytucji pomocy i integracji społecznej.",
        days=days,
        min_days_to_complete=min_days,
    )
    for number in range(questions):
        EligibilityQuestion.objects.create(
            programme=programme,
            order=number,
            text_pl="Czy pracuje Pan/Pani w publicznej instytucji pomocy społecznej?",
            text_en="Do you work in a public social assistance institution?",
            eligible_answer=True,
        )
    return programme


def make_edition(
    *,
    programme=None,
    capacity=20,
    acceptance=Acceptance.AUTOMATIC,
    status=EditionStatus.PUBLISHED,
    starts_in_days=30,
    opens_days_ago=5,
    closes_in_days=20,
    gmina=None,
    city="Łódź",
    offer_hours=48,
    by=None,
    **extra,
):
    from lokalnie.training.models import Edition

    programme = programme or make_programme()
    gmina = gmina or make_gmina()
    now = timezone.now()
    first = timezone.localdate() + dt.timedelta(days=starts_in_days)
    edition = Edition(
        programme=programme,
        slug=slugify(fold(f"{programme.slug} {city} {next(_counter)}")),
        city=city,
        gmina=gmina,
        venue_name="Centrum Dialogu",
        venue_address="ul. Przybyszewskiego 176/178, 93-120 Łódź",
        accessibility_pl="Wejście bez progów, winda, toaleta dostępna, pętla indukcyjna.",
        accessibility_en="Step-free entrance, lift, accessible toilet, induction loop.",
        capacity=capacity,
        registration_opens_at=now - dt.timedelta(days=opens_days_ago),
        registration_closes_at=now + dt.timedelta(days=closes_in_days),
        acceptance=acceptance,
        offer_hours=offer_hours,
        **extra,
    )
    days = [
        services.DayPlan(first + dt.timedelta(days=n), dt.time(9, 0), dt.time(16, 0))
        for n in range(programme.days)
    ]
    services.edition_save(edition=edition, days=days, by=by)
    if status != EditionStatus.DRAFT:
        edition.status = status
        edition.save(update_fields=["status"])
    return edition


def person(**overrides) -> dict:
    number = next(_counter)
    data = {
        "first_name": "Anna",
        "last_name": f"Kowalska-{number}",
        "email": f"uczestnik{number}@example.org",
        "phone": "+48 600 100 200",
        "position": "pracowniczka socjalna",
        "gender": "female",
        "age_group": "30-54",
        "institution": None,
        "institution_name": "Miejski Ośrodek Pomocy Społecznej w Łodzi",
    }
    data.update(overrides)
    return data


def answers_for(programme, eligible=True) -> dict[str, bool]:
    return {
        str(q.pk): (q.eligible_answer if eligible else not q.eligible_answer)
        for q in programme.eligibility_questions.all()
    }


def register(edition, *, confirm=True, eligible=True, **overrides) -> Registration:
    """A registration made through the service (confirmed by default)."""
    registration = services.registration_create(
        edition=edition,
        person=person(**overrides),
        answers=answers_for(edition.programme, eligible),
    )
    if confirm:
        registration = services.registration_confirm(registration=registration)
    registration.refresh_from_db()
    return registration


def accepted(edition, **overrides) -> Registration:
    registration = register(edition, **overrides)
    assert registration.status == RegStatus.ACCEPTED, registration.status
    return registration
