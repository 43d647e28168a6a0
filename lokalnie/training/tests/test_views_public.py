"""Public workshop pages, registration through the form, the participant's page and the
coordinator's pages."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_gmina, make_user
from lokalnie.core.models import OutboundEmail
from lokalnie.training.models import Edition, Registration
from lokalnie.training.tests.factories import accepted, make_edition, make_programme, register
from lokalnie.training.workflow import Acceptance, EditionStatus, RegStatus

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _form_data(edition, **overrides):
    data = {
        "first_name": "Jan",
        "last_name": "Nowak",
        "email": "jan.nowak@example.org",
        "phone": "600 700 800",
        "position": "organizator społeczności lokalnej",
        "gender": "male",
        "age_group": "30-54",
        "institution_name": "MOPS w Łodzi",
        "institution_nip": "",
        "needs_accessibility": "",
        "needs_diet": "wegetariańska",
        "consent": "on",
    }
    for question in edition.programme.eligibility_questions.all():
        data[f"q_{question.pk}"] = "yes"
    data.update(overrides)
    return data


def test_list_shows_upcoming_published_editions_with_seats_and_filters(client):
    lodz = make_edition(capacity=2, city="Łódź")
    warsaw = make_edition(capacity=1, city="Warszawa", gmina=make_gmina("1465011", "Warszawa"))
    draft = make_edition(city="Kraków", status=EditionStatus.DRAFT)
    accepted(warsaw)
    page = client.get(reverse("training:editions"), **EN).content.decode()
    assert lodz.city in page and "Warszawa" in page and draft.city not in page
    assert "none — waiting list" in page
    only_free = client.get(reverse("training:editions") + "?wolne=1", **EN).content.decode()
    assert "Łódź" in only_free and "/warszawa-" not in only_free
    by_region = client.get(reverse("training:editions") + "?wojewodztwo=14", **EN)
    assert "Warszawa" in by_region.content.decode()
    assert lodz.slug not in by_region.content.decode()


def test_nonsense_filters_are_ignored(client):
    make_edition()
    response = client.get(reverse("training:editions") + "?miesiac=2026-13&wojewodztwo=x&strona=9")
    assert response.status_code == 200


def test_edition_page_and_calendar(client):
    edition = make_edition()
    page = client.get(reverse("training:edition", args=[edition.slug]), **EN).content.decode()
    assert "Register for this edition" in page and "induction loop" in page
    response = client.get(reverse("training:edition_ics", args=[edition.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 3
    assert "Łódź" in str(events[0]["summary"])
    feed = Calendar.from_ical(client.get(reverse("training:editions_ics")).content)
    assert len(feed.walk("VEVENT")) == 3


def test_draft_edition_page_is_not_found(client):
    edition = make_edition(status=EditionStatus.DRAFT)
    assert client.get(reverse("training:edition", args=[edition.slug])).status_code == 404


def test_registration_through_the_form_then_confirmation(client):
    edition = make_edition(capacity=5)
    response = client.post(reverse("training:register", args=[edition.slug]), _form_data(edition))
    registration = Registration.objects.get()
    assert response.url == reverse("training:registration", args=[registration.token])
    assert registration.status == RegStatus.UNCONFIRMED
    assert registration.needs_diet == "wegetariańska"
    assert registration.privacy_version
    page = client.get(response.url, **EN).content.decode()
    assert "e-mail address not confirmed yet" in page
    client.post(reverse("training:registration_confirm", args=[registration.token]))
    registration.refresh_from_db()
    assert registration.status == RegStatus.ACCEPTED


def test_form_errors_name_the_problem_and_keep_the_input(client):
    edition = make_edition()
    data = _form_data(edition, email="not-an-address", consent="")
    response = client.post(reverse("training:register", args=[edition.slug]), data, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page and "This field is required." in page
    assert 'value="Nowak"' in page
    assert not Registration.objects.exists()


def test_second_registration_through_the_form_is_refused(client):
    edition = make_edition()
    client.post(reverse("training:register", args=[edition.slug]), _form_data(edition))
    response = client.post(
        reverse("training:register", args=[edition.slug]), _form_data(edition), **EN
    )
    assert "already registered for this edition" in response.content.decode()
    assert Registration.objects.count() == 1


def test_nip_links_the_registry_institution(client):
    from lokalnie.conftest import make_institution

    institution = make_institution()
    institution.nip = "5260250274"
    institution.save()
    edition = make_edition()
    client.post(
        reverse("training:register", args=[edition.slug]),
        _form_data(edition, institution_name="", institution_nip="526-025-02-74"),
    )
    registration = Registration.objects.get()
    assert registration.institution == institution
    assert registration.institution_name == institution.name


def test_closed_registration_redirects_with_a_message(client):
    edition = make_edition(opens_days_ago=3, closes_in_days=-1)
    response = client.get(reverse("training:register", args=[edition.slug]), follow=True, **EN)
    assert "Registration for this edition is not open." in response.content.decode()


def test_withdrawal_from_the_link_frees_the_seat_for_the_waiting_person(client):
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    waiting = register(edition)
    url = reverse("training:registration_withdraw", args=[holder.token])
    assert "this cannot be undone" in client.get(url, **EN).content.decode()
    client.post(url)
    waiting.refresh_from_db()
    assert waiting.status == RegStatus.OFFERED
    page = client.get(reverse("training:registration", args=[waiting.token]), **EN)
    assert "Take the seat" in page.content.decode()
    client.post(reverse("training:offer", args=[waiting.token]), {"answer": "take"})
    waiting.refresh_from_db()
    assert waiting.status == RegStatus.ACCEPTED


def test_unknown_token_is_not_found(client):
    assert client.get(reverse("training:registration", args=["nope"])).status_code == 404


def test_participant_page_shows_only_their_registration(client):
    edition = make_edition()
    mine, other = accepted(edition), accepted(edition)
    page = client.get(reverse("training:registration", args=[mine.token])).content.decode()
    assert mine.last_name in page and other.last_name not in page and other.email not in page


def test_my_workshops_lists_registrations_with_my_verified_address(client):
    from allauth.account.models import EmailAddress

    user = make_user()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    edition = make_edition()
    mine = register(edition, email=user.email)
    other = register(edition)
    client.force_login(user)
    page = client.get(reverse("training:mine")).content.decode()
    assert mine.token in page and other.token not in page


def test_coordinator_creates_publishes_and_accepts(client):
    trainer = make_user(roles=[Role.TRAINER])
    programme = make_programme()
    make_gmina()
    client.force_login(trainer)
    response = client.post(
        reverse("training:edition_new"),
        {
            "programme": programme.pk,
            "city": "Łódź",
            "gmina_query": "Łódź",
            "gmina": make_gmina().code,
            "venue_name": "Centrum",
            "venue_address": "ul. Piotrkowska 1",
            "accessibility_pl": "Winda.",
            "day1": "2031-03-03",
            "day2": "2031-03-04",
            "day3": "2031-03-05",
            "starts_at": "09:00",
            "ends_at": "16:00",
            "capacity": "1",
            "registration_opens_at": "2026-11-01T09:00",
            "registration_closes_at": "2031-02-20T12:00",
            "acceptance": Acceptance.COORDINATOR,
            "offer_hours": "48",
        },
    )
    assert response.status_code == 302, [(f, e) for f, e in response.context["form"].errors.items()]
    edition = Edition.objects.get()
    assert response.url == reverse("training:edition_manage", args=[edition.pk])
    assert edition.status == EditionStatus.DRAFT and trainer in edition.coordinators.all()
    client.post(reverse("training:edition_action", args=[edition.pk]), {"action": "publish"})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    first, second = register(edition), register(edition)
    decide = reverse("training:registration_decide", args=[first.pk])
    client.post(decide, {"action": "accept"})
    response = client.post(
        reverse("training:registration_decide", args=[second.pk]),
        {"action": "accept"},
        follow=True,
        **EN,
    )
    assert "The only seat is taken" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RegStatus.ACCEPTED, RegStatus.PENDING)


def test_another_trainer_cannot_decide_on_my_edition(client):
    edition = make_edition(acceptance=Acceptance.COORDINATOR)
    registration = register(edition)
    client.force_login(make_user(roles=[Role.TRAINER]))
    response = client.post(
        reverse("training:registration_decide", args=[registration.pk]), {"action": "accept"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegStatus.PENDING


def test_programme_form_keeps_eligibility_questions(client):
    client.force_login(make_user(roles=[Role.STAFF]))
    response = client.post(
        reverse("training:programme_new"),
        {
            "title_pl": "Warsztat MSAI",
            "slug": "msai",
            "description_pl": "Opis.",
            "target_group_pl": "Pracownicy OPS.",
            "days": "3",
            "min_days_to_complete": "2",
            "questions": "Czy pracujesz w OPS?\n!Czy uczestniczyłeś już w tym warsztacie?",
        },
    )
    assert response.status_code == 302
    questions = list(Edition._meta.apps.get_model("training", "EligibilityQuestion").objects.all())
    assert [(q.text_pl, q.eligible_answer) for q in questions] == [
        ("Czy pracujesz w OPS?", True),
        ("Czy uczestniczyłeś już w tym warsztacie?", False),
    ]


def test_confirmation_email_is_in_the_registrants_language(client):
    edition = make_edition()
    client.post(reverse("training:register", args=[edition.slug]), _form_data(edition), **EN)
    mail = OutboundEmail.objects.get(key__endswith=":confirm")
    assert mail.language == "en" and "Confirm your registration" in mail.subject
