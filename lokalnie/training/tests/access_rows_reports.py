"""Access-matrix rows of the reports (the cascade, the dashboard, the funder report)."""

from django.utils import timezone

from lokalnie.core.tests.access import OK, REDIRECT, Row, everyone, signed_in
from lokalnie.training.models import CascadeTraining, Completion, Edition
from lokalnie.training.tests import factories

COORDINATOR_PAGE = {**signed_in(403), "trainer": OK, "staff": OK}
STAFF_PAGE = {**signed_in(403), "staff": OK}

ROWS = {
    # By the secret link of a registration whose workshop is completed (no account).
    "training:cascade_report": Row(args=("alumnus_token",), outcomes=everyone(OK)),
    "training:cascade_edit": Row(args=("alumnus_token", "cascade_training"), outcomes=everyone(OK)),
    "training:cascade_delete": Row(
        method="post", args=("alumnus_token", "cascade_training"), outcomes=everyone(REDIRECT)
    ),
    "training:dashboard": Row(outcomes=COORDINATOR_PAGE),
    "training:edition_reports": Row(args=("edition",), outcomes=COORDINATOR_PAGE),
    "training:cascade_totals": Row(outcomes=STAFF_PAGE),
    "training:funder_report": Row(outcomes=STAFF_PAGE),
    "training:funder_export_edition": Row(args=("edition", "xlsx"), outcomes=STAFF_PAGE),
    "training:funder_export_programme": Row(args=("programme_slug", "csv"), outcomes=STAFF_PAGE),
}


def make_completion(registration, *, revoked=False, now=None) -> Completion:
    """A completion made directly (the issuing rules are attendance's, tested there)."""
    now = now or timezone.now()
    return Completion.objects.create(
        registration=registration,
        number=f"T/{registration.pk}",
        year=1999,
        sequence=registration.pk,
        issued_at=now,
        days_attended=3,
        revocation_index=10_000_000 + registration.pk,
        revoked_at=now if revoked else None,
        credential_jws="test",
    )


def extend_world(world):
    edition = Edition.objects.get(pk=world["edition"])
    alumnus = factories.accepted(edition, email="alumna@example.org")
    make_completion(alumnus)
    training = CascadeTraining.objects.create(
        registration=alumnus,
        date=edition.starts_on,
        place="Łódź, MOPS",
        topic="Rewitalizacja społeczna",
        participants=12,
    )
    world.update(alumnus_token=alumnus.token, cascade_training=training.pk)
