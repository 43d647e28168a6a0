"""Services of the partners part: stakeholders and partnership agreements — validation
messages, refusals, audit entries and files."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Agreement, Stakeholder
from lokalnie.revitalization.services import partners as services
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_partners import (
    make_action,
    make_agreement,
    make_stakeholder,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def team():
    coordinator, editor, viewer = make_user(), make_user(), make_user()
    programme = make_programme(coordinator=coordinator, editor=editor, viewer=viewer)
    return programme, coordinator, editor, viewer


def _data(**fields):
    data = {"kind": "ngo", "name": "Stowarzyszenie Razem", "interest": 4, "influence": 2}
    data.update(fields)
    return data


def _messages(error: ValidationError) -> dict:
    return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}


def test_create_stores_and_audits(team):
    programme, _coordinator, editor, _viewer = team
    stakeholder = services.stakeholder_create(
        programme=programme,
        by=editor,
        data=_data(
            contact_name=" Anna  Nowak ",
            contact_email="anna@example.org",
            role="prowadzi klub",
            is_partner=True,
        ),
    )
    assert stakeholder.contact_name == "Anna Nowak"
    assert stakeholder.is_partner
    entry = AuditEntry.objects.get(action="revitalization.partners.stakeholder_created")
    assert entry.actor == editor
    assert entry.object_id == str(programme.pk)
    assert entry.to_state == "partner"
    assert entry.data["stakeholder"] == stakeholder.pk


def test_every_problem_is_named_at_once(team):
    programme, coordinator, *_ = team
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_create(
            programme=programme,
            by=coordinator,
            data={
                "kind": "alien",
                "name": "",
                "interest": 7,
                "influence": "x",
                "contact_email": "not-an-address",
            },
        )
    errors = _messages(caught.value)
    assert errors["kind"] == ["Choose the kind of stakeholder."]
    assert errors["name"] == [
        "Give the stakeholder's name (or choose an institution from the registry)."
    ]
    assert errors["interest"] == ["Choose the interest from 1 to 5."]
    assert errors["influence"] == ["Choose the influence from 1 to 5."]
    assert errors["contact_email"] == ["“not-an-address” is not an e-mail address."]
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("level", [0, 6, -1, "3.5", None])
def test_levels_outside_one_to_five_are_refused(team, level):
    programme, coordinator, *_ = team
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_create(programme=programme, by=coordinator, data=_data(interest=level))
    assert "interest" in caught.value.message_dict


def test_registry_institution_gives_the_name(team):
    programme, coordinator, *_ = team
    institution = make_institution(name="Miejski Ośrodek Pomocy Społecznej")
    stakeholder = services.stakeholder_create(
        programme=programme,
        by=coordinator,
        data=_data(kind="institution", name="", institution=institution),
    )
    assert stakeholder.name == "Miejski Ośrodek Pomocy Społecznej"
    assert stakeholder.institution == institution


def test_the_same_registry_institution_twice_is_refused(team):
    programme, coordinator, *_ = team
    institution = make_institution(name="Dom Kultury")
    services.stakeholder_create(
        programme=programme, by=coordinator, data=_data(kind="institution", institution=institution)
    )
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_create(
            programme=programme,
            by=coordinator,
            data=_data(kind="institution", name="DK", institution=institution),
        )
    assert _messages(caught.value)["institution_query"] == [
        "Dom Kultury is already a stakeholder of this programme (as “Stowarzyszenie Razem”)."
    ]


def test_an_individual_cannot_be_a_registry_institution(team):
    programme, coordinator, *_ = team
    institution = make_institution(name="Dom Kultury")
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_create(
            programme=programme,
            by=coordinator,
            data=_data(kind="individual", name="Jan Kowalski", institution=institution),
        )
    assert "not “individual”" in _messages(caught.value)["institution_query"][0]


def test_observers_and_outsiders_cannot_write(team):
    programme, _coordinator, _editor, viewer = team
    for user in (viewer, make_user()):
        with pytest.raises(PermissionDenied):
            services.stakeholder_create(programme=programme, by=user, data=_data())
    assert not Stakeholder.objects.exists()


def test_update_audits_only_what_changed(team):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme, name="Klub Seniora", interest=2, influence=2)
    services.stakeholder_update(
        stakeholder=stakeholder,
        by=coordinator,
        data=_data(name="Klub Seniora", interest=5, influence=2, is_partner=True),
    )
    stakeholder.refresh_from_db()
    assert (stakeholder.interest, stakeholder.is_partner, stakeholder.kind) == (5, True, "ngo")
    entry = AuditEntry.objects.get(action="revitalization.partners.stakeholder_updated")
    assert entry.data["changed"] == {"interest": [2, 5], "is_partner": [False, True]}
    assert (entry.from_state, entry.to_state) == ("stakeholder", "partner")
    # Nothing changed: no entry.
    services.stakeholder_update(
        stakeholder=stakeholder,
        by=coordinator,
        data=_data(name="Klub Seniora", interest=5, influence=2, is_partner=True),
    )
    assert AuditEntry.objects.filter(action__endswith="stakeholder_updated").count() == 1


def test_removing_a_responsible_stakeholder_names_the_actions(team):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme, name="MOPS")
    make_action(programme, responsible=stakeholder, title="Klub młodzieżowy")
    make_action(programme, responsible=stakeholder, title="Kawiarenka sąsiedzka")
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_delete(stakeholder=stakeholder, by=coordinator)
    assert caught.value.messages == [
        "MOPS is responsible for the actions “Klub młodzieżowy”, “Kawiarenka sąsiedzka”; "
        "give the actions another responsible partner first."
    ]
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_removing_a_party_to_an_agreement_is_refused(team):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme, name="Fundacja Most")
    make_agreement(programme, parties=[stakeholder], title="List intencyjny")
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_delete(stakeholder=stakeholder, by=coordinator)
    assert "“List intencyjny”" in caught.value.messages[0]


def test_removing_leaves_actions_as_other_partner_and_is_audited(team):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme, name="Parafia")
    action = make_action(programme, partners=[stakeholder])
    services.stakeholder_delete(stakeholder=stakeholder, by=coordinator)
    assert not action.partners.exists()
    entry = AuditEntry.objects.get(action="revitalization.partners.stakeholder_deleted")
    assert entry.data["name"] == "Parafia"
    assert entry.data["left_actions"] == [action.pk]


# --- Agreements ----------------------------------------------------------------------------


def test_agreement_with_a_checked_document(team):
    programme, coordinator, *_ = team
    party = make_stakeholder(programme)
    agreement = services.agreement_create(
        programme=programme,
        by=coordinator,
        title=" Porozumienie  o partnerstwie ",
        signed_on=dt.date(2025, 2, 1),
        stakeholders=[party],
        upload=pdf_upload("umowa partnerska.pdf"),
    )
    assert agreement.title == "Porozumienie o partnerstwie"
    assert agreement.filename == "umowa partnerska.pdf"
    assert agreement.content_type == "application/pdf"
    assert agreement.document.name.endswith(".pdf")
    assert "umowa" not in agreement.document.name  # stored under a random name
    assert list(agreement.stakeholders.all()) == [party]
    entry = AuditEntry.objects.get(action="revitalization.partners.agreement_created")
    assert entry.data["parties"] == [party.pk]


def test_agreement_problems_are_named_and_nothing_stored(team):
    programme, coordinator, *_ = team
    other = make_stakeholder(make_programme())
    fake = SimpleUploadedFile(
        "umowa.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            programme=programme,
            by=coordinator,
            title="",
            signed_on=timezone.localdate() + dt.timedelta(days=1),
            stakeholders=[other],
            upload=fake,
        )
    errors = _messages(caught.value)
    assert errors["title"] == ["Give the agreement a title."]
    assert errors["signed_on"] == ["The date of signing cannot be in the future."]
    assert errors["stakeholders"] == ["Choose the parties among this programme's stakeholders."]
    assert not Agreement.objects.exists()


def test_agreement_document_of_the_wrong_type_names_the_field(team):
    programme, coordinator, *_ = team
    party = make_stakeholder(programme)
    fake = SimpleUploadedFile("umowa.pdf", b"GIF89a not a document", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            programme=programme,
            by=coordinator,
            title="Umowa",
            signed_on=dt.date(2025, 1, 1),
            stakeholders=[party],
            upload=fake,
        )
    assert "PDF, DOCX, ODT" in _messages(caught.value)["document"][0]
    assert not Agreement.objects.exists()


def test_agreement_needs_a_party(team):
    programme, coordinator, *_ = team
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            programme=programme,
            by=coordinator,
            title="Umowa",
            signed_on=dt.date(2025, 1, 1),
            stakeholders=[],
        )
    assert _messages(caught.value)["stakeholders"] == [
        "Choose at least one party of the agreement."
    ]


def test_replacing_and_removing_the_document(team, django_capture_on_commit_callbacks):
    programme, coordinator, *_ = team
    party = make_stakeholder(programme)
    agreement = make_agreement(programme, parties=[party], with_file=True)
    old_name, storage = agreement.document.name, agreement.document.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_update(
            agreement=agreement,
            by=coordinator,
            title=agreement.title,
            signed_on=agreement.signed_on,
            stakeholders=[party],
            upload=pdf_upload("nowa wersja.pdf"),
        )
    agreement.refresh_from_db()
    assert agreement.filename == "nowa wersja.pdf"
    assert not storage.exists(old_name)
    assert storage.exists(agreement.document.name)
    entry = AuditEntry.objects.get(action="revitalization.partners.agreement_updated")
    assert entry.data["changed"]["file"] == ["porozumienie.pdf", "nowa wersja.pdf"]
    new_name = agreement.document.name
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_update(
            agreement=agreement,
            by=coordinator,
            title=agreement.title,
            signed_on=agreement.signed_on,
            stakeholders=[party],
            remove_document=True,
        )
    agreement.refresh_from_db()
    assert not agreement.document
    assert agreement.filename == ""
    assert not storage.exists(new_name)


def test_deleting_an_agreement_removes_its_file(team, django_capture_on_commit_callbacks):
    programme, coordinator, *_ = team
    agreement = make_agreement(programme, parties=[make_stakeholder(programme)], with_file=True)
    name, storage = agreement.document.name, agreement.document.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_delete(agreement=agreement, by=coordinator)
    assert not Agreement.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="revitalization.partners.agreement_deleted").exists()


def test_an_action_made_responsible_during_removal_still_refuses_it(team, monkeypatch):
    programme, coordinator, *_ = team
    stakeholder = make_stakeholder(programme, name="MOPS")
    make_action(programme, responsible=stakeholder, title="Klub młodzieżowy")
    real = services.stakeholder_blockers
    calls = []

    def blind_first(item):  # the check ran before the action was stored
        calls.append(item)
        return [] if len(calls) == 1 else real(item)

    monkeypatch.setattr(services, "stakeholder_blockers", blind_first)
    with pytest.raises(ValidationError) as caught:
        services.stakeholder_delete(stakeholder=stakeholder, by=coordinator)
    assert "“Klub młodzieżowy”" in caught.value.messages[0]
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith="stakeholder_deleted").exists()


def test_a_party_removed_meanwhile_is_named(team):
    programme, coordinator, *_ = team
    party = make_stakeholder(programme)
    Stakeholder.objects.filter(pk=party.pk).delete()  # in another request
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            programme=programme,
            by=coordinator,
            title="Umowa",
            signed_on=dt.date(2025, 1, 1),
            stakeholders=[party],
        )
    assert "has just been removed" in _messages(caught.value)["stakeholders"][0]
    assert not Agreement.objects.exists()
