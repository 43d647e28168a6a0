"""Demo workshops for ``load_demo``: a programme with its eligibility questions and four
editions in real cities — one full with a waiting list, one open, one not open yet and
one already held. Idempotent (keyed by the programme's address)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from lokalnie.institutions.models import Institution, TerytUnit
from lokalnie.institutions.text import fold
from lokalnie.training import services
from lokalnie.training.models import EligibilityQuestion, Programme
from lokalnie.training.workflow import EditionStatus

PROGRAMME_SLUG = "rewitalizacja-spoleczna-msai"

PEOPLE = [
    ("Agnieszka", "Mazur", "female", "30-54", "pracowniczka socjalna"),
    ("Marek", "Krawczyk", "male", "30-54", "kierownik działu pracy socjalnej"),
    ("Ewa", "Piotrowska", "female", "55+", "organizatorka społeczności lokalnej"),
    ("Paweł", "Grabowski", "male", "18-29", "asystent rodziny"),
    ("Monika", "Pawłowska", "female", "30-54", "specjalistka ds. rewitalizacji"),
    ("Krzysztof", "Michalski", "male", "55+", "dyrektor ośrodka"),
    ("Natalia", "Król", "female", "18-29", "animatorka lokalna"),
]


def load(*, trainer_email: str = "trener@lokalnie.test") -> Programme | None:
    if Programme.objects.filter(slug=PROGRAMME_SLUG).exists():
        return None
    programme = Programme.objects.create(
        slug=PROGRAMME_SLUG,
        title_pl="Programy rewitalizacji społecznej z Modelowym Standardem Aktywnej Integracji",
        title_en="Social revitalization programmes with the Model Standard of Active Integration",
        description_pl=(
            "Trzydniowe warsztaty o tym, jak opracować i realizować partnerski program "
            "rewitalizacji społecznej: jak określić obszar rewitalizacji, gdzie szukać "
            "podmiotów zainteresowanych zmianą społeczną, a nie tylko rozwojem infrastruktury, "
            "jak planować działania razem ze sposobem ich pomiaru i monitorowania.\n\n"
            "Uczestnicy zdobywają też kompetencje, by przekazywać tę wiedzę dalej: metody "
            "szkoleniowe, uczenie się dorosłych, praca z „trudnymi” uczestnikami. Po warsztatach "
            "zabierają „Podręcznik trenera” i „Katalog dobrych praktyk programów rewitalizacji "
            "społecznej”."
        ),
        description_en=(
            "A three-day workshop on preparing and running a partnership programme of social "
            "revitalization: delimiting the revitalization area, finding partners interested in "
            "social change and not only in infrastructure, planning actions together with how "
            "they will be measured and monitored. Participants also learn to pass the "
            "knowledge on, and take home the trainer's handbook and the catalogue of good "
            "practices."
        ),
        target_group_pl=(
            "Pracownicy publicznych instytucji pomocy i integracji społecznej (OPS, MOPS, GOPS, "
            "PCPR, CUS, CIS, KIS) oraz ich partnerzy."
        ),
        target_group_en=(
            "Staff of public social assistance and integration institutions and their partners."
        ),
        eligibility_pl="Zatrudnienie w publicznej instytucji pomocy lub integracji społecznej.",
        eligibility_en="Employment in a public social assistance or integration institution.",
        days=3,
        min_days_to_complete=3,
    )
    EligibilityQuestion.objects.create(
        programme=programme,
        order=0,
        text_pl="Czy pracuje Pani/Pan w publicznej instytucji pomocy lub integracji społecznej?",
        text_en="Do you work in a public social assistance or integration institution?",
        eligible_answer=True,
    )
    trainer = get_user_model().objects.filter(email=trainer_email).first()
    today = timezone.localdate()
    now = timezone.now()
    plans = [
        # city, gmina code, venue, address, starts in days, capacity, people, status
        (
            "Warszawa",
            "1465011",
            "Centrum Społeczne PAŁACYK",
            "ul. Tamka 41, 00-355 Warszawa",
            21,
            4,
            6,
            None,
        ),
        (
            "Poznań",
            "3064011",
            "Centrum Inicjatyw Lokalnych",
            "ul. Mostowa 4a, 61-854 Poznań",
            35,
            20,
            3,
            None,
        ),
        (
            "Kraków",
            "1261011",
            "Centrum Obywatelskie",
            "ul. Reymonta 20, 30-059 Kraków",
            70,
            24,
            0,
            "later",
        ),
        (
            "Łódź",
            "1061011",
            "Centrum Dialogu im. Marka Edelmana",
            "ul. Wojska Polskiego 83, 91-755 Łódź",
            -10,
            16,
            5,
            "past",
        ),
    ]
    ops = Institution.objects.filter(kind=Institution.Kind.OPS).first()
    for index, (city, code, venue, address, starts_in, capacity, people, kind) in enumerate(plans):
        gmina = TerytUnit.objects.filter(code=code).first()
        if gmina is None:
            continue
        first = today + dt.timedelta(days=starts_in)
        first += dt.timedelta(days=(1 - first.weekday()) % 7)  # Tuesday to Thursday
        opens = now - dt.timedelta(days=30) if kind != "later" else now + dt.timedelta(days=14)
        closes = timezone.make_aware(
            dt.datetime.combine(first - dt.timedelta(days=3), dt.time(23, 59))
        )
        edition = services.Edition(
            programme=programme,
            slug=slugify(fold(f"{city} {first:%Y-%m}")),
            city=city,
            gmina=gmina,
            venue_name=venue,
            venue_address=address,
            accessibility_pl=(
                "Wejście z poziomu chodnika, winda do sali na 1. piętrze, toaleta dostosowana, "
                "pętla indukcyjna na prośbę. Najbliższy przystanek komunikacji miejskiej 200 m."
            ),
            accessibility_en=(
                "Step-free entrance, lift to the first-floor room, accessible toilet, induction "
                "loop on request. Public transport stop 200 m away."
            ),
            capacity=capacity,
            registration_opens_at=min(opens, closes - dt.timedelta(days=1)),
            registration_closes_at=closes,
            priority_social_assistance=index == 0,
        )
        days = [
            services.DayPlan(first + dt.timedelta(days=n), dt.time(9, 30), dt.time(16, 0))
            for n in range(3)
        ]
        services.edition_save(edition=edition, days=days, by=trainer)
        if trainer is not None:
            edition.coordinators.add(trainer)
            edition.trainers.add(trainer)
        edition.status = EditionStatus.PUBLISHED
        edition.save(update_fields=["status"])
        for number in range(people):
            first_name, last_name, gender, age, position = PEOPLE[number % len(PEOPLE)]
            person = {
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{slugify(first_name)}.{number}.{slugify(city)[:3]}@uczestnik.test",
                "phone": f"+48 600 100 {200 + number}",
                "position": position,
                "gender": gender,
                "age_group": age,
                "institution": ops if number % 2 == 0 else None,
                "institution_name": (
                    ops.name if (ops and number % 2 == 0) else f"Ośrodek Pomocy Społecznej — {city}"
                ),
            }
            # A past edition's registrations are recorded at a time its window was open.
            when = closes - dt.timedelta(days=2) if kind == "past" else now
            registration = services.registration_create(
                edition=edition,
                person=person,
                answers={str(q.pk): True for q in programme.eligibility_questions.all()},
                language="pl",
                now=when,
            )
            services.registration_confirm(registration=registration, now=when)
    _demo_surveys_and_materials(programme)
    return programme


MATERIALS = [
    (
        "Podręcznik trenera",
        "The trainer's handbook",
        "registered",
        [
            "Jak prowadzić warsztaty o rewitalizacji społecznej: metody szkoleniowe, uczenie "
            "się dorosłych, praca z grupą i z „trudnymi” uczestnikami.",
            "Scenariusze trzech dni warsztatu z ćwiczeniami i materiałami do powielenia.",
        ],
    ),
    (
        "Katalog dobrych praktyk programów rewitalizacji społecznej",
        "Catalogue of good practices of social revitalization programmes",
        "completed",
        [
            "Przykłady partnerskich programów rewitalizacji społecznej z lat 2011–2014: "
            "diagnoza obszaru, partnerzy, działania i sposób pomiaru ich rezultatów.",
        ],
    ),
]


def _demo_surveys_and_materials(programme: Programme) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lokalnie.core.pdf import render_pdf
    from lokalnie.training import evaluation, materials

    staff = get_user_model().objects.filter(email="personel@lokalnie.test").first()
    if staff is None:
        return
    test = evaluation.survey_save(
        programme=programme,
        kind="knowledge",
        title_pl="Test wiedzy",
        title_en="Knowledge test",
        by=staff,
    )
    evaluation.question_save(
        survey=test,
        data={
            "kind": "choice",
            "text_pl": "Jaki jest największy obszar rewitalizacji, jaki może wyznaczyć gmina?",
            "text_en": "What is the largest revitalization area a gmina may delimit?",
            "choices_pl": "10% powierzchni i 20% mieszkańców\n20% powierzchni i 30% mieszkańców"
            "\ncała gmina",
            "choices_en": "10% of the area and 20% of residents\n20% of the area and 30% of "
            "residents\nthe whole gmina",
            "correct_choice": 2,
            "required": True,
        },
        by=staff,
    )
    satisfaction = evaluation.survey_save(
        programme=programme,
        kind="satisfaction",
        title_pl="Ocena warsztatu",
        title_en="Workshop evaluation",
        by=staff,
    )
    evaluation.question_save(
        survey=satisfaction,
        data={
            "kind": "scale",
            "text_pl": "Na ile warsztat przygotował Cię do rozmowy z partnerami lokalnymi?",
            "text_en": "How well did the workshop prepare you to talk with local partners?",
            "required": True,
        },
        by=staff,
    )
    evaluation.question_save(
        survey=satisfaction,
        data={"kind": "text", "text_pl": "Co zmienić w warsztacie?", "required": False},
        by=staff,
    )
    for title_pl, title_en, stage, paragraphs in MATERIALS:
        data = render_pdf("core/pdf/document.html", {"title": title_pl, "paragraphs": paragraphs})
        materials.material_add(
            by=staff,
            upload=SimpleUploadedFile(f"{title_pl}.pdf", data, content_type="application/pdf"),
            title_pl=title_pl,
            title_en=title_en,
            stage=stage,
            programme=programme,
        )
