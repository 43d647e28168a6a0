"""Believable demo data for local use: the TERYT register, one account per role and
institutions in real gminas. Idempotent; refuses to run in production."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from lokalnie.accounts.models import Role
from lokalnie.accounts.services import role_grant, user_accept_privacy_notice
from lokalnie.institutions.models import AreaOfWork, Institution, Membership
from lokalnie.institutions.services import institution_create, invitation_accept, invitation_create

# For local use only; printed by `make run` and listed in the README.
DEMO_PASSWORD = "demo-lokalnie-2026"  # noqa: S105

USERS = [
    # email, first, last, language, roles, is_staff (Django admin)
    ("personel@lokalnie.test", "Anna", "Kowalska", "pl", [Role.STAFF], True),
    ("zarzad@lokalnie.test", "Piotr", "Nowak", "pl", [Role.BOARD], False),
    ("komisja@lokalnie.test", "Maria", "Wiśniewska", "pl", [Role.COMMITTEE], False),
    ("ekspert@lokalnie.test", "Tomasz", "Wójcik", "pl", [Role.ASSESSOR], False),
    ("ekspertka@lokalnie.test", "Barbara", "Kamińska", "pl", [Role.ASSESSOR], False),
    ("trener@lokalnie.test", "Katarzyna", "Lewandowska", "en", [Role.TRAINER], False),
    ("wlasciciel@lokalnie.test", "Joanna", "Zielińska", "pl", [], False),
    ("czlonek@lokalnie.test", "Łukasz", "Szymański", "pl", [], False),
    ("gmina@lokalnie.test", "Ewa", "Sowa", "pl", [], False),
]

INSTITUTIONS = [
    # owner, data, areas, members
    (
        "wlasciciel@lokalnie.test",
        {
            "name": "Miejski Ośrodek Pomocy Społecznej w Łodzi",
            "kind": Institution.Kind.OPS,
            "street": "ul. Piotrkowska 100",
            "postal_code": "90-001",
            "city": "Łódź",
            "gmina_id": "1061011",
            "nip": "7250012344",
            "regon": "725001231",
            "email": "sekretariat@mops.lodz.example",
            "website": "https://mops.lodz.example",
        },
        ["pomoc-i-integracja-spoleczna"],
        ["czlonek@lokalnie.test"],
    ),
    (
        "wlasciciel@lokalnie.test",
        {
            "name": "Gminny Ośrodek Pomocy Społecznej w Wąchocku",
            "kind": Institution.Kind.OPS,
            "street": "ul. Wielkowiejska 1",
            "postal_code": "27-215",
            "city": "Wąchock",
            "gmina_id": "2611053",
            "nip": "6740008875",
            "regon": "674000883",
        },
        ["pomoc-i-integracja-spoleczna"],
        [],
    ),
    (
        "czlonek@lokalnie.test",
        {
            "name": "Dom Kultury „Zamek” w Kazimierzu Dolnym",
            "kind": Institution.Kind.CULTURE,
            "street": "ul. Zamkowa 5",
            "postal_code": "24-120",
            "city": "Kazimierz Dolny",
            "gmina_id": "0614043",
            "nip": "7771112232",
        },
        ["kultura", "edukacja"],
        [],
    ),
    (
        "czlonek@lokalnie.test",
        {
            "name": "Stowarzyszenie Sąsiedzkie „Razem” z Poznania",
            "kind": Institution.Kind.NGO,
            "street": "ul. Święty Marcin 12",
            "postal_code": "61-809",
            "city": "Poznań",
            "gmina_id": "3064011",
            "krs": "0000123456",
        },
        ["ekologia", "bezpieczenstwo"],
        [],
    ),
]


class Command(BaseCommand):
    help = "Load demo data (accounts for every role, institutions in real gminas)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, quiet_logins=False, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data are for local use only (LOKALNIE_ENV=production).")
        call_command("import_teryt", verbosity=0)
        User = get_user_model()
        with transaction.atomic():
            staff = None
            for email, first, last, language, roles, is_staff in USERS:
                user, created = User.objects.get_or_create(
                    email=email,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "preferred_language": language,
                        "is_staff": is_staff,
                        "is_superuser": is_staff,
                    },
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                    user_accept_privacy_notice(user=user)
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                staff = staff or user
                for role in roles:
                    role_grant(user=user, role=role, by=staff, reason="demo data")
            for owner_email, data, area_slugs, members in INSTITUTIONS:
                if Institution.objects.filter(name=data["name"]).exists():
                    continue
                owner = User.objects.get(email=owner_email)
                institution = institution_create(
                    by=owner, data=data, areas=AreaOfWork.objects.filter(slug__in=area_slugs)
                )
                for member_email in members:
                    invitation = invitation_create(
                        institution=institution,
                        email=member_email,
                        role=Membership.Role.MEMBER,
                        by=owner,
                    )
                    invitation_accept(
                        invitation=invitation, by=User.objects.get(email=member_email)
                    )
        _demo_certificates()
        _demo_applications()
        from lokalnie.training.demo import load as load_demo_workshops

        load_demo_workshops()
        from lokalnie.revitalization.demo import load as load_demo_programme

        load_demo_programme(
            coordinator=User.objects.get(email="gmina@lokalnie.test"),
            editor=User.objects.get(email="czlonek@lokalnie.test"),
        )
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not quiet_logins and options["verbosity"] > 0:
            self.stdout.write("\nDemo logins (local use only), password for all: " + DEMO_PASSWORD)
            for email, _first, _last, _language, roles, _is_staff in USERS:
                with translation.override("en"):
                    label = ", ".join(str(Role(r).label) for r in roles)
                label = label or (
                    "revitalization programme coordinator (Wałbrzych)"
                    if email == "gmina@lokalnie.test"
                    else "institution owner/member"
                )
                self.stdout.write(f"  {email:<28} {label}")
            self.stdout.write(
                "Staff, board, committee and assessor accounts are asked to set up an "
                "authenticator app (TOTP) at first login.\n"
            )


# --- Certificates in the public registry (lokalnie.registry) ---------------------------------
# (institution, area): the first three valid, the Wąchock one suspended after an
# investigation, so that the registry shows a history beyond "issued".
DEMO_CERTIFICATES = [
    ("Miejski Ośrodek Pomocy Społecznej w Łodzi", "pomoc-i-integracja-spoleczna", None),
    ("Dom Kultury „Zamek” w Kazimierzu Dolnym", "kultura", None),
    ("Stowarzyszenie Sąsiedzkie „Razem” z Poznania", "ekologia", None),
    ("Gminny Ośrodek Pomocy Społecznej w Wąchocku", "pomoc-i-integracja-spoleczna", "suspend"),
]


def _demo_certificates():
    """Certified institutions, issued through the registry's services. The applications are
    created through the certification service and marked granted directly: the demo does
    not replay a whole review. Idempotent: an institution already certified in the area is
    left as it is."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from lokalnie.certification.models import Application
    from lokalnie.certification.services import application_create
    from lokalnie.registry import services as registry
    from lokalnie.registry.models import Certificate, ResponsiblePerson

    User = get_user_model()
    staff = User.objects.get(email="personel@lokalnie.test")
    committee = User.objects.get(email="komisja@lokalnie.test")
    if not ResponsiblePerson.objects.exists():
        registry.responsible_person_appoint(
            by=staff,
            name="Agnieszka Pawlak",
            function_pl="Pełnomocniczka Zarządu ds. certyfikacji",
            function_en="Board's representative for certification",
            from_date=timezone.localdate().replace(month=1, day=1),
        )
    for name, area_slug, action in DEMO_CERTIFICATES:
        institution = Institution.objects.filter(name=name).first()
        area = AreaOfWork.objects.filter(slug=area_slug).first()
        if institution is None or area is None:
            continue
        if Certificate.objects.filter(institution=institution, area=area).exists():
            continue
        owner = institution.memberships.filter(role=Membership.Role.OWNER).first().user
        try:
            application = application_create(institution=institution, area=area, by=owner)
        except ValidationError:  # an open application in this area: leave it to its review
            continue
        Application.objects.filter(pk=application.pk).update(status="granted")
        certificate = registry.certificate_issue(application=application, by=committee)
        if action == "suspend":
            investigation = registry.investigation_open(
                certificate=certificate,
                by=committee,
                charges=(
                    "Z informacji mieszkańców wynika, że od pół roku nie działa punkt "
                    "otwarty dla mieszkańców, wskazany w raporcie jako miejsce spotkań."
                ),
            )
            registry.investigation_respond(
                investigation=investigation,
                by=owner,
                text="Punkt jest w remoncie do końca kwartału; spotkania odbywają się w szkole.",
            )
            registry.investigation_decide(
                investigation=investigation,
                by=committee,
                decision="suspend",
                reasons="Zawieszenie do czasu ponownego otwarcia miejsca spotkań mieszkańców.",
            )


# --- Applications in progress (lokalnie.certification) ---------------------------------------
DEMO_REPORT = {
    "institutional": (
        "Organizowanie społeczności lokalnej jest wpisane do statutu od 2018 roku. Cały zespół "
        "przeszedł szkolenie CAL w 2019 roku; nowe osoby szkoli koordynatorka OSL."
    ),
    "community": (
        "Pracujemy z mieszkańcami osiedla przy ul. Zamkowej (społeczność terytorialna) i z "
        "seniorami (społeczność kategorialna). Prowadzimy spotkania obywatelskie, wolontariat "
        "sąsiedzki i kampanię „Nasze podwórko”. Rezultaty: trzy grupy samopomocowe, nowe "
        "partnerstwo ze szkołą. Trudności: rotacja w zespole. Wyzwania: większy udział młodzieży."
    ),
    "practice_title": "Sąsiedzkie podwórko",
    "practice_story": (
        "Mieszkańcy sami zdiagnozowali, że brakuje miejsca spotkań. Na spotkaniach obywatelskich "
        "zaplanowali remont podwórka, pozyskali partnerów i przeprowadzili prace "
        "w czynie społecznym."
    ),
    "practice_quotes": "„Pierwszy raz ktoś zapytał nas, czego chcemy” — pani Maria, mieszkanka.",
    "practice_evidence": (
        "Powstała grupa 12 wolontariuszy; rada osiedla przyjęła wniosek mieszkańców o budżet na "
        "ławki; trzy osoby prowadzą dziś zajęcia dla dzieci."
    ),
}


def _demo_files():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from lokalnie.core.pdf import render_pdf

    def pdf(title):
        data = render_pdf("core/pdf/document.html", {"title": title, "paragraphs": [title]})
        return SimpleUploadedFile(f"{title}.pdf", data)

    def photo(number):
        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), (40 + 60 * number, 120, 160)).save(buffer, format="PNG")
        return SimpleUploadedFile(f"podworko-{number}.png", buffer.getvalue())

    return pdf, photo


def _demo_applications():
    """One application under review by two assessors, one draft being written. Made
    through the services, as applicants and staff would. Idempotent."""
    from lokalnie.certification import reports, review, services
    from lokalnie.certification.models import Application
    from lokalnie.certification.report import PHOTOS_MIN, REQUIRED_DOCUMENTS, AttachmentKind

    User = get_user_model()
    staff = User.objects.get(email="personel@lokalnie.test")
    pdf, photo = _demo_files()

    def write_report(application, owner, *, complete):
        for key, body in DEMO_REPORT.items():
            if complete or key in {"institutional", "community"}:
                reports.report_section_save(
                    application=application, key=key, body=body, base_version=0, by=owner
                )
        if not complete:
            return
        services.checklist_save(
            application=application,
            by=owner,
            answers={a.requirement_id: (True, "Statut, § 3") for a in application.checklist.all()},
        )
        for kind in REQUIRED_DOCUMENTS:
            reports.report_attachment_add(
                application=application,
                kind=kind,
                alt_text="",
                by=owner,
                upload=pdf(str(AttachmentKind(kind).label)),
            )
        for number in range(PHOTOS_MIN):
            reports.report_attachment_add(
                application=application,
                kind=AttachmentKind.PHOTO,
                by=owner,
                upload=photo(number),
                alt_text=f"Mieszkańcy podczas remontu podwórka, zdjęcie {number + 1}",
            )

    kazimierz = Institution.objects.get(name="Dom Kultury „Zamek” w Kazimierzu Dolnym")
    education = AreaOfWork.objects.get(slug="edukacja")
    if not Application.objects.filter(institution=kazimierz, area=education).exists():
        owner = kazimierz.memberships.get(role=Membership.Role.OWNER).user
        application = services.application_create(institution=kazimierz, area=education, by=owner)
        write_report(application, owner, complete=True)
        services.application_transition(application=application, action="submit", by=owner)
        services.application_transition(application=application, action="accept", by=staff)
        for email in ("ekspert@lokalnie.test", "ekspertka@lokalnie.test"):
            review.assessor_assign(
                application=application, assessor=User.objects.get(email=email), by=staff
            )

    lodz = Institution.objects.get(name="Miejski Ośrodek Pomocy Społecznej w Łodzi")
    culture = AreaOfWork.objects.get(slug="kultura")
    if not Application.objects.filter(institution=lodz, area=culture).exists():
        owner = lodz.memberships.get(role=Membership.Role.OWNER).user
        application = services.application_create(institution=lodz, area=culture, by=owner)
        write_report(application, owner, complete=False)
