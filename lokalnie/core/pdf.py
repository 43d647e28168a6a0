"""HTML → PDF with WeasyPrint.

Fonts are shipped with the app (``static/core/fonts``, DejaVu Sans, free licence) and
declared with ``@font-face`` in ``core/pdf/base.html``, so PDFs embed them and show
Polish letters (ąćęłńóśźż) whatever fonts the server has installed.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

STATIC_DIR = Path(__file__).resolve().parent / "static"


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a template (which should extend ``core/pdf/base.html``) to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"static_root": STATIC_DIR.as_uri(), **(context or {})})
    # base_url lets the template refer to the shipped fonts and images by file URL only;
    # nothing is fetched from the network.
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/").write_pdf()
