"""Pages of the partners part: who sees and changes what, the stakeholder form with the
registry picker (with and without JavaScript), agreements and their files, the map."""

import datetime as dt

import pytest
from django.urls import reverse

from lokalnie.conftest import close_file, make_institution, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.institutions.text import fold
from lokalnie.revitalization.models import Agreement, Stakeholder
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_partners import (
    make_action,
    make_agreement,
    make_stakeholder,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}


@pytest.fixture
def team():
    coordinator, editor, viewer = make_user(), make_user(), make_user()
    programme = make_programme(coordinator=coordinator, editor=editor, viewer=viewer)
    return programme, coordinator, editor, viewer


def url(name, programme, *args):
    return reverse(f"revitalization:{name}", args=[programme.pk, *args])


def _post_data(**fields):
    data = {"kind": "ngo", "name": "Stowarzyszenie Razem", "interest": "4", "influence": "2"}
    data.update(fields)
    return data


def _registry(name, nip=""):
    institution = make_institution(name=name)
    institution.search_name = fold(name)
    institution.nip = nip
    institution.save(update_fields=["search_name", "nip"])
    return institution


# --- Who may do what -----------------------------------------------------------------------


def test_outsiders_get_404_and_anonymous_the_login(client, team):
    programme, *_ = team
    stakeholder = make_stakeholder(programme)
    assert client.get(url("partners", programme)).status_code == 302
    client.force_login(make_user())
    for name, args in (
        ("partners", ()),
        ("partners_map", ()),
        ("partners_detail", (stakeholder.pk,)),
        ("partners_agreements", ()),
        ("partners_add", ()),
    ):
        assert client.get(url(name, programme, *args)).status_code == 404, name


def test_observers_read_but_cannot_change(client, team):
    programme, _coordinator, _editor, viewer = team
    stakeholder = make_stakeholder(programme, name="Klub Seniora")
    agreement = make_agreement(programme, parties=[stakeholder])
    client.force_login(viewer)
    page = client.get(url("partners", programme), **EN)
    assert page.status_code == 200
    assert "Klub Seniora" in page.text
    assert "Add a stakeholder" not in page.text
    assert client.get(url("partners_detail", programme, stakeholder.pk)).status_code == 200
    assert client.get(url("partners_add", programme)).status_code == 403
    assert client.post(url("partners_add", programme), _post_data()).status_code == 403
    assert client.get(url("partners_edit", programme, stakeholder.pk)).status_code == 403
    assert client.post(url("partners_delete", programme, stakeholder.pk)).status_code == 403
    assert client.get(url("partners_institutions", programme)).status_code == 403
    assert client.get(url("partners_agreement_add", programme)).status_code == 403
    assert client.post(url("partners_agreement_delete", programme, agreement.pk)).status_code == 403
    assert Stakeholder.objects.count() == 1
    assert Agreement.objects.count() == 1


def test_another_programmes_ids_are_404(client, team):
    programme, coordinator, *_ = team
    other = make_programme()
    theirs = make_stakeholder(other)
    their_agreement = make_agreement(other, parties=[theirs], with_file=True)
    client.force_login(coordinator)
    assert client.get(url("partners_detail", programme, theirs.pk)).status_code == 404
    assert client.get(url("partners_edit", programme, theirs.pk)).status_code == 404
    assert client.post(url("partners_delete", programme, theirs.pk)).status_code == 404
    assert (
        client.get(url("partners_agreement_file", programme, their_agreement.pk)).status_code == 404
    )
    assert (
        client.post(url("partners_agreement_delete", programme, their_agreement.pk)).status_code
        == 404
    )
    assert Stakeholder.objects.filter(pk=theirs.pk).exists()


def test_an_agreement_with_another_programmes_stakeholder_is_refused(client, team):
    programme, coordinator, *_ = team
    mine = make_stakeholder(programme)
    theirs = make_stakeholder(make_programme())
    client.force_login(coordinator)
    response = client.post(
        url("partners_agreement_add", programme),
        {"title": "Umowa", "signed_on": "2025-01-10", "stakeholders": [mine.pk, theirs.pk]},
        **EN,
    )
    assert response.status_code == 200
    assert "Choose the parties among this programme" in response.text
    assert not Agreement.objects.exists()


# --- Stakeholders --------------------------------------------------------------------------


def test_adding_a_stakeholder(client, team):
    programme, _coordinator, editor, _viewer = team
    client.force_login(editor)
    response = client.post(
        url("partners_add", programme),
        _post_data(contact_email="razem@example.org", is_partner="on", role="prowadzi świetlicę"),
    )
    stakeholder = Stakeholder.objects.get()
    assert response.status_code == 302
    assert response.url == url("partners_detail", programme, stakeholder.pk)
    assert stakeholder.is_partner
    assert AuditEntry.objects.filter(action="revitalization.partners.stakeholder_created").exists()


def test_form_errors_are_shown_and_nothing_stored(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    response = client.post(
        url("partners_add", programme),
        _post_data(name="", interest="", contact_email="zły adres"),
        **EN,
    )
    assert response.status_code == 200
    assert "Give the stakeholder&#x27;s name" in response.text
    assert "Choose the interest from 1 to 5." in response.text
    assert "Enter a valid email address." in response.text
    assert not Stakeholder.objects.exists()


def test_the_levels_are_explained_in_the_form(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    page = client.get(url("partners_add", programme), **EN).text
    assert "5 — very high: the change is part of its mission" in page
    assert "5 — decisive: the programme cannot go ahead without it" in page
    assert "stored only for this programme's partnership" in page


def test_without_javascript_a_nip_finds_the_institution(client, team):
    programme, coordinator, *_ = team
    institution = _registry("Centrum Integracji Społecznej", nip="5260250274")
    client.force_login(coordinator)
    response = client.post(
        url("partners_add", programme),
        _post_data(kind="institution", name="", institution_query="526-025-02-74"),
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    assert stakeholder.institution == institution
    assert stakeholder.name == "Centrum Integracji Społecznej"


def test_an_unknown_nip_is_named(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    response = client.post(
        url("partners_add", programme),
        _post_data(kind="institution", institution_query="5260250274"),
        **EN,
    )
    assert "No institution in the registry has the NIP 5260250274." in response.text
    assert not Stakeholder.objects.exists()


def test_find_button_lists_matches_without_saving(client, team):
    programme, coordinator, *_ = team
    first = _registry("Dom Kultury Widzew")
    second = _registry("Dom Kultury Bałuty")
    client.force_login(coordinator)
    response = client.post(
        url("partners_add", programme),
        _post_data(kind="institution", institution_query="dom kultury", find_institution="1"),
        **EN,
    )
    assert response.status_code == 200
    assert f'value="{first.pk}"' in response.text
    assert f'value="{second.pk}"' in response.text
    assert not Stakeholder.objects.exists()
    # Choosing one of them saves it.
    response = client.post(
        url("partners_add", programme),
        _post_data(
            kind="institution", name="", institution_query="dom kultury", institution=second.pk
        ),
    )
    assert response.status_code == 302
    assert Stakeholder.objects.get().institution == second


def test_several_matches_ask_for_a_choice(client, team):
    programme, coordinator, *_ = team
    _registry("Dom Kultury Widzew")
    _registry("Dom Kultury Bałuty")
    client.force_login(coordinator)
    response = client.post(
        url("partners_add", programme),
        _post_data(kind="institution", institution_query="dom kultury"),
        **EN,
    )
    assert "Several institutions match “dom kultury”; choose one from the list." in response.text
    assert not Stakeholder.objects.exists()


def test_htmx_search_returns_the_choices(client, team):
    programme, coordinator, *_ = team
    institution = _registry("Miejska Biblioteka Publiczna", nip="7740001454")
    client.force_login(coordinator)
    partial = client.get(
        url("partners_institutions", programme), {"institution_query": "bibliotek"}, **HTMX
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert f'name="institution" id="institution-{institution.pk}"' in partial.text
    by_nip = client.get(
        url("partners_institutions", programme), {"institution_query": "774-000-14-54"}, **HTMX
    )
    assert "Miejska Biblioteka Publiczna" in by_nip.text
    page = client.get(
        url("partners_institutions", programme), {"institution_query": "bibliotek"}, **EN
    )
    assert "<html" in page.text


def test_editing_keeps_the_chosen_institution(client, team):
    programme, coordinator, *_ = team
    institution = _registry("Miejski Ośrodek Pomocy Społecznej")
    stakeholder = make_stakeholder(
        programme, kind="institution", institution=institution, name="MOPS", interest=3
    )
    client.force_login(coordinator)
    form = client.get(url("partners_edit", programme, stakeholder.pk), **EN).text
    assert f'value="{institution.pk}" checked' in form
    response = client.post(
        url("partners_edit", programme, stakeholder.pk),
        _post_data(
            kind="institution",
            name="MOPS",
            interest="5",
            institution_query="Miejski Ośrodek Pomocy Społecznej",
            institution=institution.pk,
        ),
    )
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.interest, stakeholder.institution) == (5, institution)


def test_list_filters_by_kind_and_sorts(client, team):
    programme, coordinator, *_ = team
    make_stakeholder(programme, name="Anna Kowalska", kind="individual", interest=5, influence=1)
    make_stakeholder(programme, name="Biedronka", kind="business", interest=1, influence=2)
    make_stakeholder(programme, name="Caritas", kind="ngo", interest=3, influence=5)
    client.force_login(coordinator)
    page = client.get(url("partners", programme), {"kind": "business"}, **EN).text
    assert "Biedronka" in page
    assert "Caritas" not in page
    by_influence = client.get(url("partners", programme), {"sort": "influence"}, **EN).text
    assert (
        by_influence.index("Caritas")
        < by_influence.index("Biedronka")
        < by_influence.index("Anna Kowalska")
    )
    everyone = client.get(url("partners", programme), **EN).text
    assert "stored only for this programme's partnership" in everyone  # an individual
    assert "keep informed" in everyone  # her quadrant in words


def test_removing_a_responsible_stakeholder_is_refused_with_the_action_named(client, team):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme, name="MOPS")
    make_action(programme, responsible=stakeholder, title="Klub młodzieżowy")
    client.force_login(coordinator)
    detail = client.get(url("partners_detail", programme, stakeholder.pk), **EN).text
    assert "This stakeholder cannot be removed" in detail
    response = client.post(url("partners_delete", programme, stakeholder.pk), follow=True, **EN)
    assert "MOPS is responsible for the action “Klub młodzieżowy”" in response.text
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_removing_a_stakeholder(client, team):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme)
    client.force_login(coordinator)
    response = client.post(url("partners_delete", programme, stakeholder.pk))
    assert response.status_code == 302
    assert response.url == url("partners", programme)
    assert not Stakeholder.objects.exists()
    assert client.get(url("partners_delete", programme, stakeholder.pk)).status_code == 405


# --- The map -------------------------------------------------------------------------------


def test_map_svg_places_numbers_by_quadrant_and_the_table_says_it_in_words(client, team):
    programme, coordinator, *_ = team
    make_stakeholder(programme, name="Urząd Miasta", interest=4, influence=5, is_partner=True)
    make_stakeholder(programme, name="Deweloper", interest=1, influence=4)
    make_stakeholder(programme, name="Rada Osiedla", interest=5, influence=2)
    make_stakeholder(programme, name="Wspólnota <b>Mieszkaniowa</b>", interest=2, influence=1)
    client.force_login(coordinator)
    page = client.get(url("partners_map", programme), **EN).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-label="Interest × influence map of 4 stakeholders: manage closely: 1; keep ' in svg
    for name in ("manage closely", "keep satisfied", "keep informed", "monitor"):
        assert f">{name}</text>" in svg
    # Numbered by name: Deweloper 1, Rada Osiedla 2, Urząd Miasta 3, Wspólnota 4.
    assert "<title>3. Urząd Miasta (interest 4, influence 5)</title><rect" in svg  # a partner
    assert "<title>1. Deweloper (interest 1, influence 4)</title><circle" in svg
    assert "Wspólnota &lt;b&gt;Mieszkaniowa&lt;/b&gt;" in svg  # escaped
    assert "<b>" not in svg
    table = page[page.index("Stakeholders on the map") :]
    rows = [
        ("Deweloper", "keep satisfied"),
        ("Rada Osiedla", "keep informed"),
        ("Urząd Miasta", "manage closely"),
        ("Wspólnota &lt;b&gt;Mieszkaniowa&lt;/b&gt;", "monitor"),
    ]
    for name, quadrant in rows:
        row = table[table.index(name) :]
        row = row[: row.index("</tr>")]
        assert f"<td>{quadrant}</td>" in row, name


def test_empty_map_invites_to_add(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    page = client.get(url("partners_map", programme), **EN).text
    assert "<svg" not in page[page.index("<h1>") :]
    assert "the map fills as you add them" in page


# --- Agreements ----------------------------------------------------------------------------


def test_recording_an_agreement_with_its_document_and_downloading_it(client, team):
    programme, coordinator, _editor, viewer = team
    party = make_stakeholder(programme, name="Fundacja Most")
    client.force_login(coordinator)
    response = client.post(
        url("partners_agreement_add", programme),
        {
            "title": "Porozumienie partnerskie",
            "signed_on": "2025-02-14",
            "stakeholders": [party.pk],
            "document": pdf_upload("porozumienie.pdf"),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.signed_on == dt.date(2025, 2, 14)
    client.force_login(viewer)  # observers read the documents too
    listing = client.get(url("partners_agreements", programme), **EN).text
    assert "Fundacja Most" in listing
    download = client.get(url("partners_agreement_file", programme, agreement.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    close_file(download)
    client.force_login(make_user())
    assert client.get(url("partners_agreement_file", programme, agreement.pk)).status_code == 404


def test_a_wrong_document_is_named_and_the_form_kept(client, team):
    programme, coordinator, *_ = team
    party = make_stakeholder(programme)
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url("partners_agreement_add", programme),
        {
            "title": "Porozumienie partnerskie",
            "signed_on": "2025-02-14",
            "stakeholders": [party.pk],
            "document": SimpleUploadedFile("umowa.pdf", b"MZ\x90\x00 an exe"),
        },
        **EN,
    )
    assert response.status_code == 200
    assert "This file is not a valid PDF, DOCX, ODT document" in response.text
    assert 'value="Porozumienie partnerskie"' in response.text
    assert not Agreement.objects.exists()


def test_agreement_without_a_file_has_no_download(client, team):
    programme, coordinator, *_ = team
    agreement = make_agreement(programme, parties=[make_stakeholder(programme)])
    client.force_login(coordinator)
    assert client.get(url("partners_agreement_file", programme, agreement.pk)).status_code == 404
    assert "not attached" in client.get(url("partners_agreements", programme), **EN).text


def test_not_in_the_registry_keeps_the_stakeholder_unlinked(client, team):
    programme, coordinator, *_ = team
    _registry("Dom Kultury Widzew")
    client.force_login(coordinator)
    response = client.post(
        url("partners_add", programme),
        _post_data(
            kind="ngo", name="Klub Widzew", institution_query="dom kultury", institution="none"
        ),
    )
    assert response.status_code == 302
    assert Stakeholder.objects.get().institution is None


def test_a_tampered_institution_choice_is_named(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    response = client.post(url("partners_add", programme), _post_data(institution="99999"), **EN)
    assert "Choose the institution from the list again." in response.text
    assert not Stakeholder.objects.exists()


def test_the_levels_follow_each_request_s_language(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    polish = client.get(url("partners_add", programme), HTTP_ACCEPT_LANGUAGE="pl").text
    english = client.get(url("partners_add", programme), **EN).text
    assert "5 — very high" not in polish
    assert "5 — very high: the change is part of its mission" in english
