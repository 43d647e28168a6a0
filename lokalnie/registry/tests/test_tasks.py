"""The task that renders a certificate's PDF in the worker (used by the benchmarks)."""

import pytest

from lokalnie.registry import documents
from lokalnie.registry.models import Certificate
from lokalnie.registry.tasks import certificate_pdf_render
from lokalnie.registry.tests.factories import issue_certificate

pytestmark = pytest.mark.django_db


def test_the_pdf_task_renders_the_certificate_and_stores_nothing():
    certificate = issue_certificate()
    before = Certificate.objects.values().get(pk=certificate.pk)
    first = certificate_pdf_render.enqueue(certificate_id=certificate.pk)
    again = certificate_pdf_render.enqueue(certificate_id=certificate.pk)
    assert first.status == again.status == "SUCCESSFUL"
    size = len(documents.certificate_pdf(certificate))
    assert first.return_value == again.return_value == size > 1000
    assert Certificate.objects.values().get(pk=certificate.pk) == before
