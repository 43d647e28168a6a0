from lokalnie.certification import services
from lokalnie.institutions.models import AreaOfWork

SOCIAL = "pomoc-i-integracja-spoleczna"


def area(slug=SOCIAL) -> AreaOfWork:
    return AreaOfWork.objects.get(slug=slug)


def make_application(*, institution, by, slug=SOCIAL, complete=True):
    application = services.application_create(institution=institution, area=area(slug), by=by)
    if complete:
        services.checklist_save(
            application=application,
            by=by,
            answers={
                answer.requirement_id: (True, "Statut, § 5")
                for answer in application.checklist.all()
            },
        )
    return application
