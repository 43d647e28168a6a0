"""The whole CAL Quality Certificate journey in Polish, as the people involved do it:
a visitor takes the self-check, signs up, registers the institution, applies, writes and
submits the OSL report; staff check it formally and assign two assessors, who declare no
conflict and score it; staff recommend, the Committee votes and grants. Every page is run
through axe."""

import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from lokalnie.accounts.models import Role, User
from lokalnie.certification.models import Application
from lokalnie.certification.report import SECTIONS, AttachmentKind
from lokalnie.certification.tests.factories import PDF, png_bytes
from lokalnie.certification.workflow import Status
from lokalnie.conftest import ensure_reference_data, make_user
from lokalnie.credentials import verify
from lokalnie.registry.models import Certificate

pytestmark = pytest.mark.browser

PASSWORD = "Korale-Sosnowe-2931"


def as_user(new_page, live_server, user, language="pl"):
    """A page whose session belongs to ``user`` (people with a required second factor
    cannot type TOTP codes in a test, so the session is made on the server)."""
    client = Client()
    client.force_login(user)
    page = new_page(language)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def click(page, locator):
    """Click something that submits a form and wait until the resulting page has loaded
    and no background request (autosave) is still running."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("networkidle")


def submit_step(page, action):
    form = page.locator(f"form[action$='/krok/{action}/']")
    return form


def test_certificate_journey_in_polish(new_page, live_server, teryt, assert_accessible):
    ensure_reference_data()
    page = new_page("pl")

    # 1. Self-check, anonymous: answer with the keyboard-friendly radio buttons.
    page.goto("/certyfikat/samoocena/")
    assert_accessible(page, "samoocena")
    assert page.get_by_text(
        "Uważasz, że twoja instytucja/organizacja jest jednym z miejsc"
    ).is_visible()
    for number in range(1, 9):
        page.locator(f"input[name=q{number}][value=yes]").check()
    page.locator("select[name=area]").select_option(label="pomoc i integracja społeczna")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/samoocena/wynik/\d+/"))
    result_url = page.url
    assert "Zapraszamy" in page.content() or "zaproszen" in page.content().lower()
    assert_accessible(page, "wynik samooceny")

    # 2. Sign up from the result page, confirm the e-mail address from the message.
    page.locator("main a[href*='/konto/signup/']").click()
    page.locator("input[name=first_name]").fill("Ewa")
    page.locator("input[name=last_name]").fill("Kamińska")
    page.locator("input[name=email]").fill("ewa@mops.example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=privacy]").check()
    assert_accessible(page, "rejestracja")
    click(page, page.locator("main form button[type=submit]"))
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    page.goto(
        link.replace("http://testserver", live_server.url).replace(
            settings.SITE_URL, live_server.url
        )
    )
    click(page, page.locator("main form button[type=submit]"))
    page.goto("/pulpit/")
    assert page.url.endswith("/pulpit/"), page.url  # signed in by confirming the address

    # 3. Register the institution, finding the gmina by typing "lodz".
    page.goto("/instytucje/nowa/")
    page.locator("#id_name").fill("Miejski Ośrodek Pomocy Społecznej w Łodzi")
    page.locator("#id_kind").select_option("ops")
    page.locator("#id_street").fill("ul. Piotrkowska 100")
    page.locator("#id_postal_code").fill("90-001")
    page.locator("#id_city").fill("Łódź")
    page.locator("#id_gmina_query").fill("lodz")
    page.locator("#gmina-1061011").wait_for()
    page.locator("#gmina-1061011").check()
    page.locator("#id_nip").fill("725-001-23-44")
    click(page, page.locator("main .actions button[type=submit]"))
    page.wait_for_url(re.compile(r"/instytucje/\d+/$"))

    # 4. Carry the self-check answers into an application.
    page.goto(result_url)
    page.locator("main a[href*='samoocena=']").click()
    assert_accessible(page, "nowy wniosek")
    click(page, page.locator("main form button[type=submit]"))
    page.wait_for_url(re.compile(r"/wnioski/\d+/$"))
    application = Application.objects.get()
    assert application.self_check is not None
    assert_accessible(page, "wniosek (wersja robocza)")

    # 5. Requirements checklist.
    for checkbox in page.locator("input[type=checkbox][name^=met_]").all():
        checkbox.check()
    for evidence in page.locator("input[name^=evidence_]").all():
        evidence.fill("Statut, § 5 ust. 2")
    click(page, page.locator("form[action$='/lista/'] button[type=submit]"))

    # 6. The OSL report: every required section, then the attachments.
    page.goto(f"/certyfikat/wnioski/{application.pk}/raport/")
    assert_accessible(page, "raport OSL")
    for section in SECTIONS:
        if not section.required:
            continue
        textarea = page.locator(f"#body-{section.key}")
        textarea.fill(f"{section.title}: opis pracy ze społecznością lokalną, zażółć gęślą jaźń.")
        click(page, page.locator(f"#section-{section.key} button[type=submit]").first)
    kinds = [
        (k, f"{k}.pdf", PDF, "") for k in ("statute", "org_rules", "structure", "job_descriptions")
    ]
    kinds += [
        (AttachmentKind.PHOTO, f"foto{n}.png", png_bytes(), f"Spotkanie sąsiedzkie {n}")
        for n in range(3)
    ]
    for kind, name, content, alt in kinds:
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_file").set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": content}
        )
        page.locator("#id_alt_text").fill(alt)
        click(page, page.locator("form[action$='/zalaczniki/'] button[type=submit]"))
    assert page.locator("#h-missing").count() == 0, page.locator("main").inner_text()[:2000]
    assert_accessible(page, "raport OSL z załącznikami")

    # 7. Submit.
    page.goto(f"/certyfikat/wnioski/{application.pk}/")
    click(page, submit_step(page, "submit").locator("button[type=submit]"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    # 8. Staff: formal check, two assessors.
    staff = make_user(email="personel@example.org", roles=[Role.STAFF])
    assessors = [make_user(email=f"ekspert{n}@example.org", roles=[Role.ASSESSOR]) for n in (1, 2)]
    staff_page = as_user(new_page, live_server, staff)
    staff_page.goto(f"/certyfikat/wnioski/{application.pk}/")
    assert_accessible(staff_page, "wniosek — ocena formalna")
    click(staff_page, submit_step(staff_page, "accept").locator("button[type=submit]"))
    staff_page.goto(f"/certyfikat/wnioski/{application.pk}/eksperci/")
    for assessor in assessors:
        staff_page.locator("#id_assessor").select_option(str(assessor.pk))
        click(
            staff_page, staff_page.locator("main form:not(.inline-form) button[type=submit]").last
        )
    assert_accessible(staff_page, "eksperci")

    # 9. Each assessor declares no conflict, scores every standard and submits.
    for assessor in assessors:
        review = as_user(new_page, live_server, assessor)
        review.goto(f"/certyfikat/wnioski/{application.pk}/ocena/")
        assert_accessible(review, "deklaracja braku konfliktu interesów")
        click(review, review.locator("button[name=declare][value=yes]"))
        for group in review.locator("fieldset").all():
            group.locator("input[type=radio][value='4']").check()
        review.locator("#id_summary").fill("Instytucja spełnia standardy OSL.")
        assert_accessible(review, "ocena eksperta")
        click(review, review.locator("button[name=submit]"))

    # 10. Staff recommend; the Committee votes and grants.
    staff_page.goto(f"/certyfikat/wnioski/{application.pk}/")
    recommend = submit_step(staff_page, "recommend")
    recommend.locator("textarea").fill("Rekomendujemy przyznanie certyfikatu.")
    click(staff_page, recommend.locator("button[type=submit]"))
    member = make_user(email="komisja@example.org", roles=[Role.COMMITTEE])
    committee = as_user(new_page, live_server, member)
    committee.goto(f"/certyfikat/wnioski/{application.pk}/glosowanie/")
    committee.locator("input[name=choice][value=grant]").check()
    assert_accessible(committee, "głosowanie Komisji")
    click(committee, committee.locator("main form button[type=submit]"))
    committee.goto(f"/certyfikat/wnioski/{application.pk}/")
    grant = submit_step(committee, "grant")
    grant.locator("textarea").fill("Instytucja realizuje model OSL.")
    click(committee, grant.locator("button[type=submit]"))
    application.refresh_from_db()
    assert application.status == Status.GRANTED
    assert_accessible(committee, "wniosek — certyfikat przyznany")
    assert User.objects.get(email="ewa@mops.example.org").memberships.count() == 1

    # 11. The certificate: PDF for the institution, the signed credential, the QR page.
    certificate = Certificate.objects.get(application=application)
    slug = certificate.number.replace("/", "-")
    pdf = page.request.get(f"{live_server.url}/certyfikat/certyfikaty/{slug}/certyfikat.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert certificate.number in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages
    )
    token = (
        page.request.get(f"{live_server.url}/certyfikat/weryfikacja/{slug}/poswiadczenie.jwt")
        .text()
        .strip()
    )

    def verify_now():
        return verify(token, fetch=fetch_from(live_server), now=timezone.now())

    assert verify_now().status == "valid"
    visitor = new_page("pl")
    visitor.goto(f"/certyfikat/weryfikacja/{slug}/")  # what the QR code opens
    assert visitor.locator(".verdict-valid").is_visible()
    assert_accessible(visitor, "weryfikacja — ważny")

    # 12. Withdrawal: the Committee opens an investigation with written charges, the
    # institution responds, the Committee withdraws the certificate with reasons.
    committee.goto(f"/certyfikat/certyfikaty/{slug}/postepowanie/")
    committee.locator("textarea[name=charges]").fill("Instytucja zaprzestała pracy metodą OSL.")
    assert_accessible(committee, "otwarcie postępowania")
    click(committee, committee.locator("main form button[type=submit]"))
    investigation_url = committee.url
    page.goto(investigation_url)
    page.locator("textarea[name=text]").fill("Wyjaśniamy: zespół zmienił się w 2026 roku.")
    assert_accessible(page, "postępowanie — odpowiedź instytucji")
    click(page, page.locator("form[action$='/odpowiedz/'] button[type=submit]"))
    committee.goto(investigation_url)
    committee.locator("input[name=decision][value=withdraw]").check()
    committee.locator("textarea[name=reasons]").fill("Zarzuty potwierdzone podczas wizytacji.")
    click(committee, committee.locator("form[action$='/decyzja/'] button[type=submit]"))
    visitor.goto(f"/certyfikat/weryfikacja/{slug}/")
    assert visitor.locator(".verdict-withdrawn").is_visible()
    assert_accessible(visitor, "weryfikacja — odebrany")
    result = verify_now()
    assert result.valid_signature and result.status == "revoked"


def fetch_from(live_server):
    """A third party's HTTP access, limited to what the platform publishes."""
    import urllib.request
    from urllib.parse import urlsplit

    from django.conf import settings as django_settings

    site = urlsplit(django_settings.SITE_URL)

    def fetch(url: str) -> bytes:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == (site.scheme, site.netloc), url
        with urllib.request.urlopen(live_server.url + parts.path) as response:  # noqa: S310
            return response.read()

    return fetch
