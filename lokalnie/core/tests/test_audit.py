import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from lokalnie.conftest import make_institution, make_user
from lokalnie.core.audit import audit_record
from lokalnie.core.models import AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_entry_records_actor_object_transition_and_reason():
    actor = make_user()
    institution = make_institution(owner=actor)
    entry = audit_record(
        actor=actor,
        action="institution.checked",
        obj=institution,
        from_state="draft",
        to_state="submitted",
        reason="complete",
        data={"k": 1},
    )
    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.actor_label == actor.email
    assert entry.object_id == str(institution.pk)
    assert entry.object_label == institution.name
    assert (entry.from_state, entry.to_state, entry.reason) == ("draft", "submitted", "complete")
    assert entry.created_at is not None


def test_system_actions_are_labelled_system():
    entry = audit_record(actor=None, action="teryt.imported")
    assert entry.actor is None and entry.actor_label == "system"


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = audit_record(actor=None, action="x.happened")
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.reason == ""


def test_database_refuses_raw_updates_on_postgresql():
    entry = audit_record(actor=None, action="x.happened")
    if connection.vendor != "postgresql":
        # SQLite (the embedded default) relies on the model layer tested above.
        assert connection.vendor == "sqlite"
        return
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditentry SET reason = 'x' WHERE id = %s", [entry.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


def test_admin_cannot_add_change_or_delete_even_as_superuser():
    superuser = make_user(mfa=True)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = site._registry[AuditEntry]
    entry = audit_record(actor=None, action="x.happened")
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
