import re

import pytest
from django.urls import reverse
from django.utils import translation

from lokalnie.accounts.models import Role
from lokalnie.certification.models import Application, SelfCheckResponse
from lokalnie.certification.selectors import selfcheck_statistics
from lokalnie.certification.selfcheck import QUESTIONS
from lokalnie.conftest import make_institution, make_user

pytestmark = pytest.mark.django_db

# The questions as published on CAL's certificate page (source 000), word for word.
SOURCE_QUESTIONS = [
    "Uważasz, że twoja instytucja/organizacja jest jednym z miejsc, które stanowi ważny punkt "
    "na mapie aktywności twojej miejscowości?",
    "Widzisz problemy w swoim środowisku oczami mieszkańców? Potrafisz te problemy zdiagnozować?",
    "Wiesz jak szukać i wydobywać potencjał w swoim otoczeniu?",
    "Uważasz, że twój zespół nie zamyka się na sprawach bieżących instytucji/organizacji, a "
    "szuka nowych form działania?",
    "Masz odwagę realizować nowe pomysły nie na papierze, a wdrażając je w rzeczywistość?",
    "Twoja instytucja lub organizacja nie robi nic dla ludzi bez ludzi?",
    "Pracę z partnerami traktujesz na poważnie?",
    "Czy kiedykolwiek uczestniczyłeś w szkoleniach, organizowanych przez Centrum Wspierania "
    "Aktywności Lokalnej CAL?",
]


def test_the_polish_questions_are_the_source_text_word_for_word():
    with translation.override("pl"):
        assert [str(q.text) for q in QUESTIONS] == SOURCE_QUESTIONS


def answer(client, yes: int, area="", language="pl"):
    data = {f"q{n}": "yes" if n <= yes else "no" for n in range(1, 9)}
    data["area"] = area
    return client.post(reverse("certification:selfcheck"), data, HTTP_ACCEPT_LANGUAGE=language)


def test_five_yes_answers_invite_to_apply_with_the_areas_documents(client):
    response = answer(client, 5, language="en")
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are invited to apply for the CAL Quality Certificate" in page
    assert "What to develop first" not in page


def test_fewer_answers_get_advice_on_what_to_develop(client):
    response = answer(client, 4, language="en")
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What to develop first" in page
    assert "Take part in CAL" in page  # the advice for question 8, answered "no"
    assert "invited to apply" not in page


def test_every_question_must_be_answered_and_answers_are_kept(client):
    data = {"q1": "yes", "q2": "no"}
    response = client.post(reverse("certification:selfcheck"), data, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choose “yes” or “no”.") == 6 * 2  # in the summary and at each field
    assert re.search(r'name="q1" value="yes"[^>]*checked', page)
    assert re.search(r'name="q2" value="no"[^>]*checked', page)
    assert not SelfCheckResponse.objects.exists()


def test_a_result_is_only_visible_in_the_session_that_answered(client):
    response = answer(client, 6)
    other = client.__class__()
    assert other.get(response.url).status_code == 404
    assert client.get(response.url).status_code == 200


def test_answers_are_carried_into_an_application_after_signing_in(client):
    response = answer(client, 6, area="")
    pk = SelfCheckResponse.objects.get().pk
    user = make_user()
    institution = make_institution(owner=user)
    client.force_login(user)  # the session (and its self-check) is kept on login
    from lokalnie.conftest import ensure_reference_data

    ensure_reference_data()
    from lokalnie.institutions.models import AreaOfWork

    area = AreaOfWork.objects.get(slug="kultura")
    url = reverse("certification:application_create") + f"?samoocena={pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"institution": institution.pk, "area": area.pk, "samoocena": pk})
    application = Application.objects.get()
    assert response.url == reverse("certification:application", args=[application.pk])
    assert application.self_check_id == pk


def test_someone_elses_self_check_cannot_be_attached(client):
    answer(client, 6)
    pk = SelfCheckResponse.objects.get().pk
    other = client.__class__()
    user = make_user()
    make_institution(owner=user)
    other.force_login(user)
    assert (
        other.get(reverse("certification:application_create") + f"?samoocena={pk}").status_code
        == 404
    )


def test_statistics_count_answers_without_identifying_anyone(client):
    answer(client, 8)
    answer(client, 2)
    stats = selfcheck_statistics()
    assert stats["total"] == 2
    assert stats["invited"] == 1
    assert [row["yes"] for row in stats["questions"]] == [2, 2, 1, 1, 1, 1, 1, 1]
    assert {row["yes_count"]: row["n"] for row in stats["distribution"]}[8] == 1
    client.force_login(make_user(roles=[Role.STAFF]))
    page = client.get(
        reverse("certification:selfcheck_stats"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "2 completed self-checks" in page
