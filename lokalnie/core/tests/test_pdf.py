import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lokalnie.core.pdf import render_pdf

POLISH = "Zażółć gęślą jaźń — ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż"


def fonts_of(reader):
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def test_polish_letters_survive_the_round_trip():
    pdf = render_pdf("core/pdf/document.html", {"title": "Certyfikat", "paragraphs": [POLISH]})
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ":
        assert letter in text
    fonts = fonts_of(reader)
    assert fonts and all(fonts.values()), f"fonts not embedded: {fonts}"
    assert any("Lokalnie-Sans" in name for name in fonts)  # the shipped DejaVu Sans


@pytest.mark.django_db
def test_privacy_notice_downloads_as_a_polish_pdf(client):
    response = client.get(reverse("core:privacy_pdf"), HTTP_ACCEPT_LANGUAGE="pl")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "RODO" in text
    assert "Administratorem" in text
