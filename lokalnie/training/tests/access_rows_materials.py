"""Access-matrix rows of the materials (participants' downloads, coordinators' pages)."""

from django.core.files.base import ContentFile

from lokalnie.core.tests.access import OK, REDIRECT, Row, everyone, signed_in
from lokalnie.training.models import Edition, Material

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# An edition's pages: its coordinators (the world's trainer) and staff; other signed-in
# people are refused (403, not a coordinator at all), anonymous users go to the login page.
EDITION_PAGE = {**signed_in(403), "trainer": OK, "staff": OK}
EDITION_ACTION = {**signed_in(403), "trainer": REDIRECT, "staff": REDIRECT}
STAFF_PAGE = {**signed_in(403), "staff": OK}
STAFF_ACTION = {**signed_in(403), "staff": REDIRECT}

ROWS = {
    # The secret link of the registration is the key (no account needed): the world's
    # participant is accepted, so a material open to accepted participants downloads.
    # Stage refusals, other registrations' materials and wrong tokens: test_materials.
    "training:material_download": Row(
        args=("registration_token", "programme_material"), outcomes=everyone(OK)
    ),
    "training:edition_materials": Row(args=("edition",), outcomes=EDITION_PAGE),
    "training:material_preview": Row(args=("edition", "edition_material"), outcomes=EDITION_PAGE),
    "training:edition_material_delete": Row(
        method="post", args=("edition", "edition_material"), outcomes=EDITION_ACTION
    ),
    "training:programme_materials": Row(args=("programme_slug",), outcomes=STAFF_PAGE),
    "training:programme_material_delete": Row(
        method="post", args=("programme_slug", "programme_material"), outcomes=STAFF_ACTION
    ),
}


def _material(**fields) -> Material:
    material = Material(
        title_pl="Podręcznik trenera",
        filename="podrecznik-trenera.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        **fields,
    )
    material.file.save("material.pdf", ContentFile(PDF_BYTES), save=False)
    material.save()
    return material


def extend_world(world):
    edition = Edition.objects.get(pk=world["edition"])
    world["programme_material"] = _material(
        programme=edition.programme, stage=Material.Stage.REGISTERED
    ).pk
    world["edition_material"] = _material(edition=edition, stage=Material.Stage.COMPLETED).pk
