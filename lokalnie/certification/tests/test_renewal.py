import pytest
from django.urls import reverse
from django.utils import translation

from lokalnie.certification import reports, services
from lokalnie.certification.changes import word_diff
from lokalnie.certification.models import Application
from lokalnie.certification.tests.factories import make_application
from lokalnie.certification.workflow import Status
from lokalnie.conftest import make_institution, make_user

pytestmark = pytest.mark.django_db


def test_renewal_starts_from_the_previous_report_and_shows_what_changed(client):
    owner = make_user()
    previous = make_application(institution=make_institution(owner=owner), by=owner)
    with (
        translation.override("en"),
        pytest.raises(Exception, match="Only an application that ended with a certificate"),
    ):
        services.application_renew(previous=previous, by=owner)
    Application.objects.filter(pk=previous.pk).update(status=Status.GRANTED)
    previous.refresh_from_db()
    renewal = services.application_renew(previous=previous, by=owner)
    assert renewal.renewal_of == previous
    assert renewal.status == Status.DRAFT
    old = previous.sections.get(key="community").body
    assert renewal.sections.get(key="community").body == old
    assert renewal.attachments.count() == previous.attachments.count()
    assert services.missing_for_submission(renewal) == []  # everything carried over
    reports.report_section_save(
        application=renewal,
        key="community",
        body=old + " Nowa grupa sąsiedzka.",
        base_version=1,
        by=owner,
    )
    client.force_login(owner)
    page = client.get(
        reverse("certification:application_changes", args=[renewal.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<ins>" in page and "sąsiedzka." in page
    assert page.count("No changes.") == 6


def test_word_diff_escapes_and_labels_changes():
    html = word_diff("Ala ma kota", "Ala ma <b>psa</b>")
    assert '<del><span class="visually-hidden">' in html
    assert "&lt;b&gt;psa&lt;/b&gt;" in html
