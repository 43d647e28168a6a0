import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lokalnie.conftest import make_gmina, make_institution, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.institutions import services
from lokalnie.institutions.models import Institution, Invitation, Membership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


DATA = {
    "name": "Biblioteka Publiczna",
    "kind": Institution.Kind.LIBRARY,
    "street": "ul. Długa 1",
    "postal_code": "90-001",
    "city": "Łódź",
}


def test_registering_makes_the_person_owner_and_is_audited():
    user = make_user()
    institution = services.institution_create(by=user, data={**DATA, "gmina": make_gmina()})
    assert Membership.objects.get(institution=institution).role == Membership.Role.OWNER
    entry = AuditEntry.objects.get(action="institution.created")
    assert entry.actor == user and entry.data["name"] == "Biblioteka Publiczna"


def test_invalid_data_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError) as excinfo:
        services.institution_create(
            by=make_user(), data={**DATA, "gmina": make_gmina(), "nip": "1234567890"}
        )
    assert "nip" in excinfo.value.error_dict
    assert not Institution.objects.exists()
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.filter(action="institution.created").exists()


def test_update_records_what_changed():
    owner = make_user()
    institution = make_institution(owner=owner)
    services.institution_update(institution=institution, by=owner, data={"city": "Zgierz"})
    entry = AuditEntry.objects.get(action="institution.updated")
    assert entry.data == {"city": ["Łódź", "Zgierz"]}


def test_a_member_cannot_update():
    member = make_user()
    institution = make_institution(owner=make_user(), members=[member])
    with pytest.raises(PermissionDenied):
        services.institution_update(institution=institution, by=member, data={"city": "X"})


def test_invitation_email_and_acceptance():
    owner = make_user()
    invitee = make_user(email="nowa@example.org", language="en")
    institution = make_institution(owner=owner, name="MOPS Łódź")
    invitation = services.invitation_create(
        institution=institution, email="Nowa@Example.org", role=Membership.Role.MEMBER, by=owner
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nowa@example.org"]
    assert mail.outbox[0].subject == "Invitation to MOPS Łódź on Lokalnie"  # invitee's language
    assert f"/instytucje/zaproszenie/{invitation.token}/" in mail.outbox[0].body

    membership = services.invitation_accept(invitation=invitation, by=invitee)
    assert membership.role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    with pytest.raises(ValidationError, match="expired or was already used"):
        services.invitation_accept(invitation=invitation, by=invitee)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["invitation.created", "invitation.accepted"]


def test_invitation_for_someone_else_cannot_be_accepted():
    owner = make_user()
    institution = make_institution(owner=owner)
    invitation = services.invitation_create(
        institution=institution, email="a@example.org", role="member", by=owner
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, by=make_user(email="b@example.org"))
    assert not Membership.objects.filter(user__email="b@example.org").exists()


def test_duplicate_invitations_and_existing_members_are_refused():
    owner = make_user()
    member = make_user(email="m@example.org")
    institution = make_institution(owner=owner, members=[member])
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(
            institution=institution, email="m@example.org", role="member", by=owner
        )
    services.invitation_create(
        institution=institution, email="x@example.org", role="member", by=owner
    )
    with pytest.raises(ValidationError, match="already waiting"):
        services.invitation_create(
            institution=institution, email="x@example.org", role="member", by=owner
        )


def test_only_owners_invite():
    member = make_user()
    institution = make_institution(owner=make_user(), members=[member])
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            institution=institution, email="x@example.org", role="member", by=member
        )


def test_revoked_invitation_cannot_be_accepted():
    owner = make_user()
    institution = make_institution(owner=owner)
    invitation = services.invitation_create(
        institution=institution, email="x@example.org", role="member", by=owner
    )
    services.invitation_revoke(invitation=invitation, by=owner)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, by=make_user(email="x@example.org"))


def test_the_last_owner_cannot_leave():
    owner = make_user()
    make_institution(owner=owner)
    membership = Membership.objects.get(user=owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_remove(membership=membership, by=owner)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_may_leave_but_not_remove_others():
    owner, member, other = make_user(), make_user(), make_user()
    institution = make_institution(owner=owner, members=[member, other])
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=Membership.objects.get(user=other), by=member)
    services.membership_remove(membership=Membership.objects.get(user=member), by=member)
    assert not Membership.objects.filter(user=member, institution=institution).exists()
    assert AuditEntry.objects.filter(action="membership.removed").count() == 1
