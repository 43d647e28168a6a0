"""The certificate's status workflow (every action × every status), the investigation
procedure (charges → responses → decision), who may take each step, and the history,
audit entries, status lists and e-mails that follow."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.credentials import get_bit
from lokalnie.registry import services
from lokalnie.registry.models import Certificate, Investigation, StatusListRecord
from lokalnie.registry.tests.factories import committee_member, issue_certificate
from lokalnie.registry.workflow import (
    TRANSITIONS,
    Decision,
    InvestigationStatus,
    Status,
    TransitionNotAllowed,
)

pytestmark = pytest.mark.django_db


def bit(purpose, index):
    return get_bit(bytes(StatusListRecord.objects.get(purpose=purpose).bits), index)


def put_in(certificate, status, *, past=False):
    valid_until = timezone.localdate() - dt.timedelta(days=1) if past else certificate.valid_until
    Certificate.objects.filter(pk=certificate.pk).update(status=status, valid_until=valid_until)
    certificate.refresh_from_db()


def investigation_of(certificate):
    return Investigation.objects.create(
        certificate=certificate,
        charges="Zarzut.",
        opened_at=timezone.now(),
        opened_by=committee_member(),
    )


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", Status.values)
def test_transition_table(action, status):
    transition = TRANSITIONS[action]
    certificate = issue_certificate()
    put_in(certificate, status, past=action == "expire")
    by = committee_member() if transition.permission else None
    investigation = investigation_of(certificate) if transition.needs_investigation else None

    def call():
        return services.certificate_transition(
            certificate=certificate,
            action=action,
            by=by,
            reason="Uzasadnienie na piśmie.",
            investigation=investigation,
        )

    if status in transition.sources:
        result = call()
        assert result.status == transition.target
        event = result.events.latest("at", "pk")
        assert (event.kind, event.from_status, event.to_status) == (
            transition.event,
            status,
            transition.target,
        )
        entry = AuditEntry.objects.get(action=f"certificate.{action}")
        assert (entry.from_state, entry.to_state) == (status, transition.target)
    else:
        with pytest.raises(TransitionNotAllowed):
            call()


@pytest.mark.parametrize("action", [a for a, t in TRANSITIONS.items() if t.reason_required])
def test_written_reasons_are_required(action):
    certificate = issue_certificate()
    source = TRANSITIONS[action].sources[0]
    put_in(certificate, source)
    with pytest.raises(ValidationError):
        services.certificate_transition(
            certificate=certificate,
            action=action,
            by=committee_member(),
            reason="   ",
            investigation=investigation_of(certificate),
        )


@pytest.mark.parametrize("action", ["suspend", "withdraw"])
def test_suspension_and_withdrawal_need_an_investigation(action):
    certificate = issue_certificate()
    with pytest.raises(ValidationError):
        services.certificate_transition(
            certificate=certificate, action=action, by=committee_member(), reason="Powody."
        )
    assert Certificate.objects.get(pk=certificate.pk).status == Status.VALID


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.ASSESSOR, None])
def test_only_the_committee_suspends_withdraws_and_reinstates(role):
    certificate = issue_certificate()
    person = make_user(roles=[role] if role else [])
    investigation = investigation_of(certificate)
    for action in ("suspend", "withdraw"):
        with pytest.raises(PermissionDenied):
            services.certificate_transition(
                certificate=certificate,
                action=action,
                by=person,
                reason="Powody.",
                investigation=investigation,
            )
    with pytest.raises(PermissionDenied):
        services.investigation_decide(
            investigation=investigation, by=person, decision="withdraw", reasons="Powody."
        )
    put_in(certificate, Status.SUSPENDED)
    with pytest.raises(PermissionDenied):
        services.certificate_transition(
            certificate=certificate, action="reinstate", by=person, reason="Powody."
        )
    assert Certificate.objects.get(pk=certificate.pk).status == Status.SUSPENDED
    with pytest.raises(PermissionDenied):
        services.investigation_open(certificate=certificate, by=person, charges="Zarzut.")


def test_expiry_is_for_the_system_and_only_after_the_last_day():
    certificate = issue_certificate()
    with pytest.raises(PermissionDenied):
        services.certificate_transition(
            certificate=certificate, action="expire", by=committee_member()
        )
    with pytest.raises(ValidationError):
        services.certificate_transition(certificate=certificate, action="expire", by=None)


def test_status_list_bits_follow_the_status():
    certificate = issue_certificate()
    committee = committee_member()
    revocation, suspension = certificate.revocation_index, certificate.suspension_index
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="suspend", reasons="Powody."
    )
    assert bit("suspension", suspension) and not bit("revocation", revocation)
    services.certificate_transition(
        certificate=certificate, action="reinstate", by=committee, reason="Powody."
    )
    assert not bit("suspension", suspension)
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="suspend", reasons="Powody."
    )
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Dalszy zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="withdraw", reasons="Powody."
    )
    assert bit("revocation", revocation) and not bit("suspension", suspension)


def test_expiry_leaves_the_status_lists_alone():
    certificate = issue_certificate()
    put_in(certificate, Status.VALID, past=True)
    before = {r.purpose: r.token for r in StatusListRecord.objects.all()}
    services.certificate_transition(certificate=certificate, action="expire", by=None)
    assert {r.purpose: r.token for r in StatusListRecord.objects.all()} == before


def test_investigation_charges_response_and_decision(django_capture_on_commit_callbacks):
    owner = make_user(language="en")
    committee = committee_member()
    certificate = issue_certificate(owner=owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        investigation = services.investigation_open(
            certificate=certificate, by=committee, charges="Brak działań OSL od roku."
        )
    [charges_mail] = mail.outbox
    assert charges_mail.to == [owner.email]
    assert "Brak działań OSL od roku." in charges_mail.body
    assert f"/certyfikat/postepowania/{investigation.pk}/" in charges_mail.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.investigation_respond(
            investigation=investigation, by=owner, text="Działania trwają; załączamy dowody."
        )
    assert [m.to for m in mail.outbox] == [[committee.email]]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.investigation_decide(
            investigation=investigation,
            by=committee,
            decision=Decision.SUSPEND,
            reasons="Do czasu przedstawienia planu.",
        )
    investigation.refresh_from_db()
    certificate.refresh_from_db()
    assert investigation.status == InvestigationStatus.CLOSED
    assert (investigation.decision, investigation.decided_by) == (Decision.SUSPEND, committee)
    assert certificate.status == Status.SUSPENDED
    event = certificate.events.get(kind="suspended")
    assert (event.investigation, event.reasons) == (investigation, "Do czasu przedstawienia planu.")
    [decision_mail] = mail.outbox
    assert "Do czasu przedstawienia planu." in decision_mail.body
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "certificate.investigation_opened",
        "certificate.investigation_response",
        "certificate.investigation_decided",
        "certificate.suspend",
    } <= actions


def test_closing_without_action_keeps_the_certificate(django_capture_on_commit_callbacks):
    owner = make_user()
    committee = committee_member()
    certificate = issue_certificate(owner=owner)
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.investigation_decide(
            investigation=investigation,
            by=committee,
            decision=Decision.NO_ACTION,
            reasons="Zarzut się nie potwierdził.",
        )
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Zarzut się nie potwierdził." in mail.outbox[0].body


def test_charges_and_decision_reasons_are_required():
    certificate = issue_certificate()
    committee = committee_member()
    with pytest.raises(ValidationError):
        services.investigation_open(certificate=certificate, by=committee, charges=" ")
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    with pytest.raises(ValidationError):
        services.investigation_decide(
            investigation=investigation, by=committee, decision="withdraw", reasons=""
        )
    with pytest.raises(ValidationError):
        services.investigation_decide(
            investigation=investigation, by=committee, decision="nonsense", reasons="Powody."
        )


def test_one_open_investigation_at_a_time():
    certificate = issue_certificate()
    committee = committee_member()
    services.investigation_open(certificate=certificate, by=committee, charges="Zarzut.")
    with pytest.raises(ValidationError):
        services.investigation_open(certificate=certificate, by=committee, charges="Drugi.")


def test_a_withdrawn_or_expired_certificate_is_not_investigated():
    certificate = issue_certificate()
    for status, past in ((Status.WITHDRAWN, False), (Status.VALID, True)):
        put_in(certificate, status, past=past)
        with pytest.raises(ValidationError):
            services.investigation_open(
                certificate=certificate, by=committee_member(), charges="Zarzut."
            )


def test_only_members_respond_and_only_while_open():
    owner = make_user()
    certificate = issue_certificate(owner=owner)
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    for outsider in (make_user(), committee, make_user(roles=[Role.STAFF])):
        with pytest.raises(PermissionDenied):
            services.investigation_respond(investigation=investigation, by=outsider, text="Nie.")
    services.investigation_decide(
        investigation=investigation, by=committee, decision="no_action", reasons="Powody."
    )
    with pytest.raises(ValidationError):
        services.investigation_respond(investigation=investigation, by=owner, text="Za późno.")


def test_suspending_a_suspended_certificate_is_refused_and_nothing_changes():
    certificate = issue_certificate()
    committee = committee_member()
    first = services.investigation_open(certificate=certificate, by=committee, charges="Z.")
    services.investigation_decide(
        investigation=first, by=committee, decision="suspend", reasons="Powody."
    )
    second = services.investigation_open(certificate=certificate, by=committee, charges="Z2.")
    with pytest.raises(TransitionNotAllowed):
        services.investigation_decide(
            investigation=second, by=committee, decision="suspend", reasons="Powody."
        )
    second.refresh_from_db()
    assert second.is_open
