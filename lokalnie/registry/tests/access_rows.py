"""Access-matrix rows for certificates and the registry (collected by test_access_matrix)."""

from lokalnie.conftest import ensure_reference_data
from lokalnie.core.tests.access import (
    OK,
    REDIRECT,
    Row,
    everyone,
    institution_private,
    signed_in,
)
from lokalnie.institutions.models import Institution
from lokalnie.registry import services
from lokalnie.registry.tests.factories import granted_application


def extend_world(world):
    ensure_reference_data()
    users = world["users"]
    institution = Institution.objects.get(pk=world["institution"])
    # Another area than the certification rows' open application (one open per area).
    application = granted_application(institution=institution, by=users["owner"], slug="kultura")
    certificate = services.certificate_issue(application=application, by=users["committee"])
    investigation = services.investigation_open(
        certificate=certificate, by=users["committee"], charges="Zarzut na piśmie."
    )
    world.update(certificate_slug=certificate.slug, investigation=investigation.pk)


def _certificate_private(**extra):
    """The institution's members and staff (and whoever else is named) see it; outsiders
    get 404 so that numbers and ids reveal nothing private."""
    outcomes = institution_private(member=OK, owner=OK, staff=OK)
    outcomes.update(extra)
    return outcomes


def _committee_acts(ok=OK):
    """A Committee step: the Committee acts; people who can see the certificate but may not
    act get 403; everyone else 404."""
    outcomes = institution_private(member=403, owner=403, staff=403)
    outcomes.update(committee=ok, board=403)
    return outcomes


ROWS = {
    # --- public: the registry, verification, open data, published keys and lists ---------
    "registry:registry": Row(outcomes=everyone(OK)),
    "registry:map": Row(outcomes=everyone(OK)),
    "registry:institution": Row(args=("institution",), outcomes=everyone(OK)),
    "registry:open_data": Row(outcomes=everyone(OK)),
    "registry:export_csv": Row(outcomes=everyone(OK)),
    "registry:export_json": Row(outcomes=everyone(OK)),
    "registry:verify": Row(outcomes=everyone(OK)),
    "registry:verify_number": Row(args=("certificate_slug",), outcomes=everyone(OK)),
    "registry:badge": Row(args=("certificate_slug",), outcomes=everyone(OK)),
    "registry:jwt": Row(args=("certificate_slug",), outcomes=everyone(OK)),
    "registry:json": Row(args=("certificate_slug",), outcomes=everyone(OK)),
    "registry:status_list": Row(args=("uniewaznienia",), outcomes=everyone(OK)),
    "jwks": Row(outcomes=everyone(OK)),
    # --- certificates: the institution, the Committee, the Board, staff ------------------
    "registry:certificates": Row(outcomes=signed_in(OK)),
    "registry:certificate": Row(
        args=("certificate_slug",), outcomes=_certificate_private(committee=OK, board=OK)
    ),
    # The PDF: only the institution's members and staff.
    "registry:pdf": Row(args=("certificate_slug",), outcomes=_certificate_private()),
    "registry:investigation_open": Row(args=("certificate_slug",), outcomes=_committee_acts()),
    # The certificate is not suspended: the Committee is sent back with an explanation.
    "registry:reinstate": Row(
        method="post",
        args=("certificate_slug",),
        data={"reason": "Powody."},
        outcomes=_committee_acts(REDIRECT),
    ),
    "registry:investigations": Row(outcomes=signed_in(OK)),
    "registry:investigation": Row(
        args=("investigation",), outcomes=_certificate_private(committee=OK, board=OK)
    ),
    "registry:respond": Row(
        method="post",
        args=("investigation",),
        data={"text": "Odpowiedź na zarzuty."},
        outcomes={
            **institution_private(member=REDIRECT, owner=REDIRECT, staff=403),
            "committee": 403,
            "board": 403,
        },
    ),
    "registry:decide": Row(
        method="post",
        args=("investigation",),
        data={"decision": "no_action", "reasons": "Zarzut się nie potwierdził."},
        outcomes=_committee_acts(REDIRECT),
    ),
    "registry:responsible_person": Row(outcomes={**signed_in(403), "staff": OK}),
}
