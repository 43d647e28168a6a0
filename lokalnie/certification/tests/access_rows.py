"""Access-matrix rows for the certification module (collected by test_access_matrix)."""

from django.core.files.base import ContentFile

from lokalnie.certification.models import AreaDocument, RubricCriterion, SelfCheckResponse
from lokalnie.certification.tests.factories import make_application
from lokalnie.conftest import ensure_reference_data
from lokalnie.core.tests.access import OK, REDIRECT, Row, everyone, institution_private, signed_in
from lokalnie.institutions.models import Institution


def extend_world(world):
    ensure_reference_data()
    owner = world["users"]["owner"]
    institution = Institution.objects.get(pk=world["institution"])
    application = make_application(institution=institution, by=owner)
    document = AreaDocument.objects.create(
        area=application.area,
        title_pl="Procedura",
        filename="procedura.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=4,
        uploaded_by=owner,
        file=ContentFile(b"%PDF", name="procedura.pdf"),
    )
    world.update(
        application=application.pk,
        attachment=application.attachments.first().pk,
        section_key="institutional",
        area_slug=application.area.slug,
        document=document.pk,
        criterion=RubricCriterion.objects.first().pk,
        selfcheck=SelfCheckResponse.objects.create(
            answers=[True] * 8, yes_count=8, language="pl"
        ).pk,
    )


READERS = {"committee": OK, "board": OK}
NOT_EDITORS = {"committee": 403, "board": 403}

ROWS = {
    # --- public ---------------------------------------------------------------------------
    "certification:index": Row(outcomes=everyone(OK)),
    "certification:selfcheck": Row(outcomes=everyone(OK)),
    # A result belongs to the browser session that answered; nobody else finds it.
    "certification:selfcheck_result": Row(args=("selfcheck",), outcomes=everyone(404)),
    "certification:areas": Row(outcomes=everyone(OK)),
    "certification:area": Row(args=("area_slug",), outcomes=everyone(OK)),
    "certification:document_download": Row(args=("document",), outcomes=everyone(OK)),
    "certification:regulation": Row(outcomes=everyone(OK)),
    # --- staff ----------------------------------------------------------------------------
    "certification:selfcheck_stats": Row(outcomes={**signed_in(403), "board": OK, "staff": OK}),
    "certification:area_edit": Row(args=("area_slug",), outcomes={**signed_in(403), "staff": OK}),
    "certification:document_add": Row(
        args=("area_slug",), outcomes={**signed_in(403), "staff": OK}
    ),
    "certification:document_archive": Row(
        method="post", args=("document",), outcomes={**signed_in(403), "staff": REDIRECT}
    ),
    "certification:regulation_edit": Row(outcomes={**signed_in(403), "staff": OK}),
    # --- applications -----------------------------------------------------------------
    "certification:applications": Row(outcomes=signed_in(OK)),
    "certification:application_create": Row(outcomes=signed_in(OK)),
    "certification:application": Row(
        args=("application",),
        outcomes={
            **institution_private(member=OK, owner=OK, staff=OK),
            "committee": OK,
            "board": OK,
        },
    ),
    "certification:application_checklist": Row(
        method="post",
        args=("application",),
        outcomes={
            **institution_private(member=REDIRECT, owner=REDIRECT, staff=403),
            "committee": 403,
            "board": 403,
        },
    ),
    "certification:application_action": Row(
        method="post",
        args=("application", "submit"),
        outcomes={
            **institution_private(member=REDIRECT, owner=REDIRECT, staff=403),
            "committee": 403,
            "board": 403,
        },
    ),
    # --- the OSL report ---------------------------------------------------------------
    "certification:report": Row(
        args=("application",),
        outcomes={**institution_private(member=OK, owner=OK, staff=OK), **READERS},
    ),
    "certification:report_pdf": Row(
        args=("application",),
        outcomes={**institution_private(member=OK, owner=OK, staff=OK), **READERS},
    ),
    "certification:report_history": Row(
        args=("application", "section_key"),
        outcomes={**institution_private(member=OK, owner=OK, staff=OK), **READERS},
    ),
    "certification:report_section": Row(
        method="post",
        args=("application", "section_key"),
        data={"body": "Nowa treść sekcji.", "base_version": "1"},
        outcomes={
            **institution_private(member=REDIRECT, owner=REDIRECT, staff=403),
            **NOT_EDITORS,
        },
    ),
    "certification:attachment": Row(
        args=("application", "attachment"),
        outcomes={**institution_private(member=OK, owner=OK, staff=OK), **READERS},
    ),
    # No file sent: members get the form back with an error (400); others may not attach.
    "certification:attachment_add": Row(
        method="post",
        args=("application",),
        outcomes={**institution_private(member=400, owner=400, staff=403), **NOT_EDITORS},
    ),
    "certification:attachment_remove": Row(
        method="post",
        args=("application", "attachment"),
        outcomes={
            **institution_private(member=REDIRECT, owner=REDIRECT, staff=403),
            **NOT_EDITORS,
        },
    ),
    # --- review, questions, site visit, Committee -------------------------------------
    # The world's assessor is not assigned to this application: it stays invisible (404).
    "certification:assessors": Row(
        args=("application",),
        outcomes={**institution_private(member=403, owner=403, staff=OK), **NOT_EDITORS},
    ),
    "certification:review": Row(
        args=("application",),
        outcomes={**institution_private(member=403, owner=403, staff=403), **NOT_EDITORS},
    ),
    "certification:reviews": Row(
        args=("application",),
        outcomes={**institution_private(member=403, owner=403, staff=OK), **READERS},
    ),
    "certification:questions": Row(
        args=("application",),
        outcomes={**institution_private(member=OK, owner=OK, staff=OK), **READERS},
    ),
    "certification:site_visit": Row(
        args=("application",),
        outcomes={**institution_private(member=403, owner=403, staff=OK), **NOT_EDITORS},
    ),
    "certification:votes": Row(
        args=("application",),
        outcomes={**institution_private(member=403, owner=403, staff=OK), **READERS},
    ),
    # --- staff pages ------------------------------------------------------------------------
    "certification:dashboard": Row(
        outcomes={**signed_in(403), "staff": OK, "committee": OK, "board": OK}
    ),
    "certification:rubric": Row(outcomes={**signed_in(403), "staff": OK}),
    "certification:rubric_add": Row(outcomes={**signed_in(403), "staff": OK}),
    "certification:rubric_edit": Row(args=("criterion",), outcomes={**signed_in(403), "staff": OK}),
    # --- renewal (the world's application is a draft: nothing to renew or compare) ------
    "certification:application_renew": Row(
        method="post",
        args=("application",),
        outcomes={
            **institution_private(member=REDIRECT, owner=REDIRECT, staff=403),
            **NOT_EDITORS,
        },
    ),
    "certification:application_changes": Row(
        args=("application",),
        outcomes={
            **institution_private(member=404, owner=404, staff=404),
            "committee": 404,
            "board": 404,
        },
    ),
}
