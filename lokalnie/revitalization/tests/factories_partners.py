"""Factories of the partners and plan parts: stakeholders, agreements and actions (made
directly, without the services, for tests that need them as a starting point)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from lokalnie.revitalization.models import Action, Agreement, Stakeholder

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "porozumienie.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_stakeholder(programme, **fields) -> Stakeholder:
    fields.setdefault("kind", Stakeholder.Kind.NGO)
    fields.setdefault("name", f"Stowarzyszenie {Stakeholder.objects.count() + 1}")
    fields.setdefault("interest", 4)
    fields.setdefault("influence", 3)
    return Stakeholder.objects.create(programme=programme, **fields)


def make_agreement(programme, *, parties=(), with_file: bool = False, **fields) -> Agreement:
    fields.setdefault("title", "Porozumienie o partnerstwie")
    fields.setdefault("signed_on", dt.date(2025, 3, 1))
    agreement = Agreement(programme=programme, **fields)
    if with_file:
        agreement.filename = "porozumienie.pdf"
        agreement.content_type = "application/pdf"
        agreement.size = len(PDF_BYTES)
        agreement.document.save("porozumienie.pdf", ContentFile(PDF_BYTES), save=False)
    agreement.save()
    agreement.stakeholders.set(parties)
    return agreement


def make_action(programme, *, responsible=None, partners=(), **fields) -> Action:
    responsible = responsible or make_stakeholder(programme)
    fields.setdefault("title", f"Działanie {Action.objects.count() + 1}")
    fields.setdefault("goal", "Więcej młodzieży w zajęciach po szkole.")
    fields.setdefault("starts_on", dt.date(2025, 3, 1))
    fields.setdefault("ends_on", dt.date(2025, 12, 31))
    fields.setdefault("budget_pln", Decimal("12345.00"))
    fields.setdefault("funding_source", "środki własne gminy")
    fields.setdefault("target_group", "młodzież 15–24")
    action = Action.objects.create(programme=programme, responsible=responsible, **fields)
    action.partners.set(partners)
    return action
