"""The certificate as a PDF (A4, with a QR code to its public page) and as an SVG badge."""

from __future__ import annotations

from xml.sax.saxutils import escape

import segno

from lokalnie.core.pdf import render_pdf
from lokalnie.registry import signing
from lokalnie.registry.models import Certificate
from lokalnie.registry.workflow import Status


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (embedded: nothing is fetched)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def certificate_pdf(certificate: Certificate) -> bytes:
    url = signing.verification_url(certificate)
    return render_pdf(
        "registry/pdf/certificate.html",
        {
            "certificate": certificate,
            "verification_url": url,
            "qr": qr_data_uri(url),
            "person": certificate.responsible_person,
            "issuer_name": signing.issuer()["name"],
        },
    )


# Text colour on white, each with a contrast of at least 4.5:1; the status is also written.
BADGE_COLOURS = {
    Status.VALID: "#1d6b2f",
    Status.SUSPENDED: "#7a4b00",
    Status.WITHDRAWN: "#a4161a",
    Status.EXPIRED: "#4a4a4a",
}


def _text_width(text: str, *, bold: bool = False, size: float = 11) -> int:
    # Generous estimates for DejaVu Sans/Verdana (the widest common fallbacks), so that the
    # text never overflows its box: about 0.63 em per character, 0.72 em in bold.
    per_character = 0.72 if bold else 0.63
    return int(len(text) * size * per_character) + 12


def badge_svg(*, number: str, label: str, status_text: str, status: str, title: str) -> str:
    """A small two-part badge: "CAL Quality Certificate" and the live status, in words."""
    left = f"{label} {number}"
    left_width, right_width = _text_width(left), _text_width(status_text, bold=True)
    width, colour = left_width + right_width, BADGE_COLOURS.get(status, "#4a4a4a")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="22" '
        f'viewBox="0 0 {width} 22" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{width}" height="22" rx="3" fill="#fff" stroke="#073a66"/>'
        f'<rect width="{left_width}" height="22" rx="3" fill="#073a66"/>'
        f'<g font-family="DejaVu Sans,Verdana,Arial,sans-serif" font-size="11">'
        f'<text x="6" y="15" fill="#fff">{escape(left)}</text>'
        f'<text x="{left_width + 6}" y="15" fill="{colour}" font-weight="bold">'
        f"{escape(status_text)}</text></g></svg>"
    )
