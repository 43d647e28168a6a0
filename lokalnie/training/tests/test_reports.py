"""The funder report (XLSX and CSV) and the coordinators' dashboard."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.training import evaluation, reports, services
from lokalnie.training.models import (
    Attendance,
    Edition,
    Question,
    Registration,
    Survey,
    SurveyResponse,
)
from lokalnie.training.tests.access_rows_reports import make_completion
from lokalnie.training.tests.factories import accepted, make_edition, person, register
from lokalnie.training.tests.test_cascade import move_to_past
from lokalnie.training.workflow import Acceptance, RegStatus

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attend(registration, number, present=True):
    Attendance.objects.create(
        registration=registration,
        day=registration.edition.days.get(number=number),
        present=present,
    )


@pytest.fixture
def staff():
    return make_user(roles=[Role.STAFF])


@pytest.fixture
def edition(staff):
    """A past edition: Anna (registry institution, days 1–2, completed), an injection
    attempt (entered NIP, absent), a withdrawn person (not reported) and a cancelled one
    who came on day 1 (reported)."""
    edition = make_edition(by=staff, city="Kutno")
    institution = make_institution(name="MOPS w Kutnie")
    institution.nip = "7751001452"
    institution.save()
    anna = accepted(
        edition,
        first_name="Anna",
        last_name="Nowak",
        institution=institution,
        institution_name="MOPS w Kutnie",
        gender="female",
        age_group="55+",
    )
    hostile = accepted(
        edition,
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="@SUM(A1:A9)",
        position="-2+3",
        institution_name="+cmd|' /C calc'!A0",
        institution_nip="1234563218",
        gender="male",
        age_group="18-29",
    )
    withdrawn = accepted(edition, last_name="Zrezygnowana")
    services.registration_withdraw(registration=withdrawn)
    cancelled = accepted(edition, last_name="Odwołana")
    move_to_past(edition, days_ago=10)
    attend(anna, 1)
    attend(anna, 2)
    attend(anna, 3, present=False)
    attend(cancelled, 1)
    Registration.objects.filter(pk=cancelled.pk).update(status=RegStatus.CANCELLED)
    make_completion(anna)
    edition.people = {"anna": anna, "hostile": hostile, "cancelled": cancelled}
    return edition


def build(edition):
    with translation.override("en"):
        return reports.funder_report(Edition.objects.filter(pk=edition.pk), title="Test")


def as_dicts(report):
    return {row[3]: dict(zip(report.headers, row, strict=True)) for row in report.rows}


# --- The funder report ---------------------------------------------------------------------


def test_report_has_the_funders_columns(edition):
    report = build(edition)
    assert report.headers == [
        "Edition",
        "City",
        "First name",
        "Last name",
        "E-mail",
        "Phone",
        "Position",
        "Gender",
        "Age group",
        "Institution",
        "Institution's NIP",
        "Institution's gmina (TERYT)",
        "Status",
        "Day 1: date",
        "Day 1: present",
        "Day 2: date",
        "Day 2: present",
        "Day 3: date",
        "Day 3: present",
        "Days attended",
        "Completion number",
        "Completion date",
        "Privacy notice version",
        "Consent given",
    ]


def test_report_rows_and_values(edition):
    rows = as_dicts(build(edition))
    assert set(rows) == {"Nowak", "'@SUM(A1:A9)", "Odwołana"}  # not the withdrawn person
    anna = rows["Nowak"]
    registration = edition.people["anna"]
    days = list(edition.days.order_by("number"))
    assert anna["Edition"] == edition.slug and anna["City"] == "Kutno"
    assert anna["E-mail"] == registration.email
    assert anna["Gender"] == "woman" and anna["Age group"] == "55 and over"
    assert anna["Institution"] == "MOPS w Kutnie"
    assert anna["Institution's NIP"] == "7751001452"
    assert anna["Institution's gmina (TERYT)"] == "1061011"
    assert anna["Status"] == "accepted"
    assert anna["Day 1: date"] == days[0].date and anna["Day 1: present"] == "yes"
    assert anna["Day 2: present"] == "yes" and anna["Day 3: present"] == "no"
    assert anna["Days attended"] == 2
    assert anna["Completion number"] == f"T/{registration.pk}"
    assert anna["Completion date"] == timezone.localdate()
    assert anna["Privacy notice version"] == registration.privacy_version
    assert isinstance(anna["Consent given"], dt.datetime) and anna["Consent given"].tzinfo is None
    hostile = rows["'@SUM(A1:A9)"]
    assert hostile["Institution's NIP"] == "1234563218"  # as entered: not in the registry
    assert hostile["Institution's gmina (TERYT)"] == ""
    assert hostile["Days attended"] == 0 and hostile["Day 1: present"] == "no"
    assert hostile["Completion number"] == ""
    cancelled = rows["Odwołana"]
    assert cancelled["Status"] == "cancelled by the coordinator"
    assert cancelled["Days attended"] == 1


def test_days_that_have_not_come_are_left_blank(staff):
    edition = make_edition(by=staff)
    accepted(edition)
    row = build(edition).rows[0]
    report = build(edition)
    assert row[report.headers.index("Day 1: present")] == ""


def test_a_revoked_completion_is_marked(edition):
    completion = edition.people["anna"].completion
    completion.revoked_at = timezone.now()
    completion.save()
    assert as_dicts(build(edition))["Nowak"]["Completion number"].endswith("(revoked)")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+48 600 100 200", "'+48 600 100 200"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Anna", "Anna"),
        ("a=b", "a=b"),
        (5, 5),
        (None, None),
    ],
)
def test_formula_injection_guard(value, expected):
    assert reports.safe_cell(value) == expected


def csv_rows(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_is_utf8_with_bom_and_semicolons_and_guards_formulas(edition):
    content = reports.report_csv(build(edition))
    rows = csv_rows(content)
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Edition", "City", "First name"]
    assert len(header) == 24 and all(len(row) == 24 for row in data)
    assert "Odwołana".encode() in content  # Polish letters as UTF-8
    hostile = next(row for row in data if row[3] == "'@SUM(A1:A9)")
    assert hostile[2] == '\'=HYPERLINK("http://evil.example","x")'
    assert hostile[6] == "'-2+3"
    assert hostile[9] == "'+cmd|' /C calc'!A0"
    assert hostile[5] == "'+48 600 100 200"
    anna = next(row for row in data if row[3] == "Nowak")
    assert anna[13] == edition.days.get(number=1).date.isoformat()
    for row in data:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_xlsx_has_a_frozen_header_widths_dates_and_the_legal_basis(edition):
    content = reports.report_xlsx(build(edition))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Participants", "Legal basis"]
    sheet = workbook["Participants"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Edition" and sheet["A1"].font.bold
    assert sheet.column_dimensions["C"].width >= len("First name")
    assert sheet.max_row == 4
    values = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    anna = values["Nowak"]
    assert anna[13] == dt.datetime.combine(edition.days.get(number=1).date, dt.time())
    assert sheet.cell(row=2, column=14).number_format == "yyyy-mm-dd"
    hostile = values["'@SUM(A1:A9)"]
    assert hostile[2] == '\'=HYPERLINK("http://evil.example","x")'
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}"
    note = "\n".join(str(c.value) for c in workbook["Legal basis"]["A"] if c.value)
    assert "Article 6(1)(c)" in note and "6(1)(e)" in note
    assert "retention" in note and "&quot;" not in note


def test_legal_basis_is_a_translated_template():
    with translation.override("en"):
        text = reports.legal_basis_text()
    assert text.startswith("Legal basis of the processing")
    assert '"prefer not to say"' in text


def test_staff_export_edition_as_xlsx_and_it_is_audited_without_data(client, edition, staff):
    client.force_login(staff)
    response = client.get(reverse("training:funder_export_edition", args=[edition.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="uczestnicy-{edition.slug}.xlsx"'
    )
    assert response["Cache-Control"] == "no-store"
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0]
    entry = AuditEntry.objects.get(action="training.report.export")
    assert entry.actor == staff
    assert entry.data == {"format": "xlsx", "rows": 3, "scope": "edition"}
    assert "Nowak" not in str(entry.data)


def test_staff_export_programme_as_csv_with_every_edition(client, edition, staff):
    second = make_edition(programme=edition.programme, by=staff, city="Płock")
    accepted(second, last_name="Wiśniewska")
    make_edition(by=staff)  # another programme: not included
    client.force_login(staff)
    response = client.get(
        reverse("training:funder_export_programme", args=[edition.programme.slug, "csv"])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert {row[1] for row in rows[1:]} == {"Kutno", "Płock"}
    assert len(rows) == 1 + 4
    assert AuditEntry.objects.get(action="training.report.export").data["scope"] == "programme"


def test_unknown_format_is_404(client, edition, staff):
    client.force_login(staff)
    response = client.get(reverse("training:funder_export_edition", args=[edition.pk, "pdf"]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="training.report.export").exists()


def test_coordinator_may_not_export(client, edition):
    trainer = make_user(roles=[Role.TRAINER])
    edition.coordinators.add(trainer)
    client.force_login(trainer)
    url = reverse("training:funder_export_edition", args=[edition.pk, "csv"])
    assert client.get(url).status_code == 403


def test_funder_report_page_links_exports_and_shows_the_legal_basis(client, edition, staff):
    client.force_login(staff)
    page = client.get(reverse("training:funder_report"), HTTP_ACCEPT_LANGUAGE="en").content
    page = page.decode()
    assert reverse("training:funder_export_edition", args=[edition.pk, "xlsx"]) in page
    assert reverse("training:funder_export_programme", args=[edition.programme.slug, "csv"]) in page
    assert "Article 6(1)(c)" in page


# --- The dashboard ----------------------------------------------------------------------


def satisfaction_survey(programme):
    survey = Survey.objects.create(
        programme=programme, kind=Survey.Kind.SATISFACTION, title_pl="Ankieta"
    )
    Question.objects.create(survey=survey, kind=Question.Kind.SCALE, text_pl="Ocena")
    return survey


def test_dashboard_figures_of_an_upcoming_edition(staff):
    edition = make_edition(capacity=4, acceptance=Acceptance.COORDINATOR, by=staff)
    people = [register(edition) for _ in range(7)]
    for registration in people[:4]:
        services.registration_accept(registration=registration, by=staff)
    services.registration_waitlist(registration=people[4], by=staff)
    services.registration_waitlist(registration=people[5], by=staff)
    services.registration_cancel(registration=people[0], by=staff, reason="Choroba")
    # The freed seat is offered to the first person waiting: offered still counts as waiting.
    assert Registration.objects.filter(edition=edition, status=RegStatus.OFFERED).count() == 1
    request = services.waitlist_request_create(
        programme=edition.programme, voivodeship=edition.voivodeship, weeks=52, person=person()
    )
    services.waitlist_request_confirm(request=request)
    services.waitlist_request_create(  # not confirmed: not counted
        programme=edition.programme, voivodeship=edition.voivodeship, weeks=52, person=person()
    )

    (row,) = reports.dashboard_editions(Edition.objects.all())
    assert (row.seats, row.accepted, row.fill_rate) == (4, 3, 75)
    assert row.pending == 1
    assert (row.waiting, row.regional, row.waiting_total) == (2, 1, 3)
    assert row.no_shows is None  # not started
    assert row.response_rate is None and not row.has_survey


def test_dashboard_regional_requests_match_programme_voivodeship_and_weeks(staff):
    edition = make_edition(capacity=1, by=staff, starts_in_days=60, closes_in_days=50)
    accepted(edition)  # full: a confirmed request stays waiting
    near = services.waitlist_request_create(
        programme=edition.programme, voivodeship=edition.voivodeship, weeks=10, person=person()
    )
    too_short = services.waitlist_request_create(
        programme=edition.programme, voivodeship=edition.voivodeship, weeks=2, person=person()
    )
    other_programme = services.waitlist_request_create(
        programme=make_edition(by=staff).programme,
        voivodeship=edition.voivodeship,
        weeks=10,
        person=person(),
    )
    for request in (near, too_short, other_programme):
        services.waitlist_request_confirm(request=request)
    row = next(r for r in reports.dashboard_editions(Edition.objects.all()) if r.edition == edition)
    assert row.regional == 1 and row.waiting == 0 and row.waiting_total == 1


def test_dashboard_no_shows_and_response_rate_of_a_past_edition(staff):
    edition = make_edition(capacity=10, by=staff)
    survey = satisfaction_survey(edition.programme)
    came, absent, unmarked, came_day_3 = (accepted(edition) for _ in range(4))
    move_to_past(edition, days_ago=5)
    attend(came, 1)
    attend(came, 2)
    attend(absent, 1, present=False)
    attend(unmarked, 2, present=False)
    attend(came_day_3, 3)
    SurveyResponse.objects.create(
        survey=survey, registration=came, phase=SurveyResponse.Phase.AFTER, answers={}
    )
    (row,) = reports.dashboard_editions(Edition.objects.all())
    assert row.no_shows == 2
    assert (row.attendees, row.responded, row.response_rate) == (2, 1, 50)
    rates = evaluation.response_rates(edition)["satisfaction"]["after"]
    assert (rates["expected"], rates["responses"], rates["rate"]) == (2, 1, 50)


def test_dashboard_leaves_out_old_and_cancelled_editions_and_others_editions(client, staff):
    mine = make_edition(by=staff, city="Kutno")
    old = make_edition(by=staff, city="Sieradz")
    move_to_past(old, days_ago=reports.RECENT_DAYS + 10)
    recent = make_edition(by=staff, city="Płock")
    move_to_past(recent, days_ago=20)
    others = make_edition(by=staff, city="Radom")
    trainer = make_user(roles=[Role.TRAINER])
    for edition in (mine, old, recent):
        edition.coordinators.add(trainer)
    client.force_login(trainer)
    response = client.get(reverse("training:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert reverse("training:edition_manage", args=[mine.pk]) in page
    assert reverse("training:edition_manage", args=[recent.pk]) in page
    assert "Sieradz" not in page and "Radom" not in page
    assert reverse("training:edition_manage", args=[others.pk]) not in page
    assert reverse("training:funder_report") not in page  # staff only


def dashboard_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("training:dashboard")).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_editions(client, staff):
    def editions(n):
        for _ in range(n):
            edition = make_edition(by=staff, capacity=3)
            accepted(edition)
            register(edition, confirm=False)

    editions(2)
    few = dashboard_queries(client, staff)
    editions(18)
    many = dashboard_queries(client, staff)
    assert few == many
