from django.tasks import task

from lokalnie.registry import documents
from lokalnie.registry.models import Certificate


@task(queue_name="default")
def certificate_pdf_render(*, certificate_id: int) -> int:
    """Render a certificate's PDF in the worker and return its size in bytes; nothing is
    stored, so running it again changes nothing. The performance harness (``bench/``) uses
    it to measure PDF rendering through the task worker."""
    certificate = Certificate.objects.select_related("area", "responsible_person").get(
        pk=certificate_id
    )
    return len(documents.certificate_pdf(certificate))
