import pytest

from lokalnie.accounts.models import Role
from lokalnie.accounts.permissions import RULES, can, visible_institutions
from lokalnie.accounts.services import role_grant, role_revoke
from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_member_sees_only_own_institutions():
    owner, member, stranger = make_user(), make_user(), make_user()
    mine = make_institution(owner=owner, members=[member])
    other = make_institution(owner=stranger)
    assert list(visible_institutions(member)) == [mine]
    assert can(member, "institution.view", mine)
    assert not can(member, "institution.view", other)
    assert not can(member, "institution.change", mine)
    assert can(owner, "institution.change", mine)
    assert can(owner, "institution.manage_members", mine)
    assert not can(owner, "institution.change", other)


def test_staff_see_every_institution():
    staff = make_user(roles=[Role.STAFF])
    institution = make_institution(owner=make_user())
    assert can(staff, "institution.change", institution)
    assert institution in visible_institutions(staff)


def test_anonymous_sees_no_private_institution_pages():
    from django.contrib.auth.models import AnonymousUser

    institution = make_institution(owner=make_user())
    assert not can(AnonymousUser(), "institution.view", institution)
    assert not visible_institutions(AnonymousUser()).exists()


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown action"):
        can(make_user(), "institution.explode")


def test_every_rule_answers_for_every_role():
    from lokalnie.certification.tests.factories import make_application
    from lokalnie.conftest import ensure_reference_data

    ensure_reference_data()
    owner = make_user()
    institution = make_institution(owner=owner)
    application = make_application(institution=institution, by=owner)

    on_application = {"application", "review", "question", "visit", "vote"}

    from lokalnie.training.tests.factories import make_edition

    edition = make_edition()

    def target(action):
        prefix = action.split(".")[0]
        if prefix in on_application and action != "application.create":
            return application
        if prefix == "edition":
            return edition
        return institution

    # Certificate and investigation rules take registry objects: tested in lokalnie/registry.
    actions = [a for a in RULES if a.split(".")[0] not in {"certificate", "investigation"}]
    for role in [None, *Role.values]:
        user = make_user(roles=[role] if role else [])
        for action in actions:
            assert can(user, action, target(action)) in {True, False}


def test_granting_and_revoking_roles_is_audited():
    staff = make_user(roles=[Role.STAFF])
    user = make_user()
    role_grant(user=user, role=Role.ASSESSOR, by=staff, reason="appointed")
    role_grant(user=user, role=Role.ASSESSOR, by=staff)  # no duplicate
    assert list(user.role_assignments.values_list("role", flat=True)) == ["assessor"]
    role_revoke(user=user, role=Role.ASSESSOR, by=staff, reason="term ended")
    actions = list(
        AuditEntry.objects.filter(object_id=str(user.pk))
        .order_by("id")
        .values_list("action", "reason")
    )
    assert actions == [("role.granted", "appointed"), ("role.revoked", "term ended")]


def test_grant_role_command_is_audited():
    from django.core.management import CommandError, call_command

    staff = make_user(roles=[Role.STAFF])
    user = make_user(email="ekspert@example.org")
    call_command(
        "grant_role",
        "ekspert@example.org",
        "assessor",
        "--by",
        staff.email,
        "--reason",
        "appointed",
        stdout=None,
    )
    assert list(user.role_assignments.values_list("role", flat=True)) == ["assessor"]
    entry = AuditEntry.objects.filter(action="role.granted", object_id=str(user.pk)).get()
    assert entry.actor == staff and entry.reason == "appointed"
    with pytest.raises(
        CommandError, match=r"No account with the e-mail address nobody@example\.org"
    ):
        call_command("grant_role", "nobody@example.org", "assessor")
