import pytest
from django.urls import reverse

from lokalnie.conftest import make_user
from lokalnie.institutions.models import Institution

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Miejski Ośrodek Pomocy Społecznej w Łodzi",
    "kind": "ops",
    "street": "ul. Piotrkowska 100",
    "postal_code": "90-001",
    "city": "Łódź",
    "gmina": "1061011",
    "nip": "725-001-23-44",
    "regon": "725001231",
    "krs": "",
    "email": "mops@example.org",
    "phone": "",
    "website": "",
}


def post(client, **changes):
    return client.post(
        reverse("institutions:create"), {**VALID, **changes}, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.fixture
def signed_in(client, teryt):
    user = make_user()
    client.force_login(user)
    return user


def test_valid_form_registers_the_institution_with_compact_identifiers(client, signed_in):
    response = post(client)
    institution = Institution.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("institutions:detail", args=[institution.pk])
    assert institution.nip == "7250012344"
    assert institution.gmina_id == "1061011"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "1234567890", "This NIP has a wrong check digit"),
        ("nip", "12345", "NIP must have 10 digits."),
        ("regon", "725001232", "This REGON has a wrong check digit"),
        ("krs", "12345", "KRS number must have exactly 10 digits."),
        ("postal_code", "90001", "Enter the postal code as NN-NNN"),
    ],
)
def test_invalid_identifier_is_named_on_its_field_and_everything_else_is_kept(
    client, signed_in, field, value, message
):
    response = post(client, **{field: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'value="Miejski Ośrodek Pomocy Społecznej w Łodzi"' in page
    assert 'value="ul. Piotrkowska 100"' in page
    assert 'value="1061011" checked' in page  # the chosen gmina stays chosen
    assert not Institution.objects.exists()


def test_gmina_is_found_by_name_when_there_is_one_match(client, signed_in):
    post(client, gmina="", gmina_query="wachock")
    assert Institution.objects.get().gmina_id == "2611053"


def test_ambiguous_gmina_name_asks_to_choose(client, signed_in):
    response = post(client, gmina="", gmina_query="sejny")
    page = response.content.decode()
    assert "Several gminas match “sejny”; choose one from the list." in page
    assert 'value="2009011"' in page and 'value="2009052"' in page
    assert not Institution.objects.exists()


def test_find_gmina_button_works_without_javascript(client, signed_in):
    response = post(client, gmina="", gmina_query="lodz", find_gmina="1")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="1061011"' in page
    assert "Please correct" not in page  # searching is not a failed submission
    assert not Institution.objects.exists()


def test_htmx_search_returns_the_radio_list(client, teryt):
    response = client.get(
        reverse("institutions:gmina_search"), {"gmina_query": "lodz"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert '<input type="radio" name="gmina" id="gmina-1061011"' in page
    assert "<html" not in page


def test_an_exact_name_is_enough_even_when_other_names_contain_it(client, signed_in):
    post(client, gmina="", gmina_query="Łódź")  # Kłodzko also contains "lodz"
    assert Institution.objects.get().gmina_id == "1061011"


def test_htmx_search_preselects_the_exact_match(client, teryt):
    page = client.get(
        reverse("institutions:gmina_search"), {"gmina_query": "lodz"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="1061011" checked' in page
    assert 'value="0208021" checked' not in page
