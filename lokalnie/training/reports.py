"""Reports of the workshops module.

- The cascade: alumni (people with a completion that has not been revoked) report the
  trainings they deliver themselves; totals per edition and per programme.
- The funder report: participants and their attendance as XLSX or CSV, with the fields an
  EU-funded project reports, and a note on the legal basis of the processing.
- The coordinators' dashboard: fill rate, waiting list, pending decisions, no-shows and
  the survey response rate of each edition, in a fixed number of queries.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.core.audit import audit_record
from lokalnie.training.models import (
    Attendance,
    CascadeTraining,
    Completion,
    Edition,
    EditionDay,
    Programme,
    Registration,
    Survey,
    SurveyResponse,
    WaitlistRequest,
)
from lokalnie.training.workflow import EditionStatus, RegStatus

MAX_CASCADE_PARTICIPANTS = 10_000

# --- The cascade --------------------------------------------------------------------------


def valid_completion(registration) -> Completion | None:
    return Completion.objects.filter(registration=registration, revoked_at__isnull=True).first()


def may_report_cascade(registration) -> bool:
    return valid_completion(registration) is not None


def _clean_cascade(registration, *, date, place, topic, participants, today) -> dict:
    errors: dict[str, list[str]] = {}
    place, topic = (place or "").strip(), (topic or "").strip()
    if date is None:
        errors["date"] = [_("Give the date of the training.")]
    elif date > today:
        errors["date"] = [
            _("The date is in the future; report a training once it has taken place.")
        ]
    elif date < registration.edition.starts_on:
        errors["date"] = [
            _("The date is before your workshop (it began on %(start)s).")
            % {"start": registration.edition.starts_on.strftime("%d.%m.%Y")}
        ]
    if not place:
        errors["place"] = [_("Say where the training took place.")]
    if not topic:
        errors["topic"] = [_("Give the topic of the training.")]
    if participants is None:
        errors["participants"] = [_("Give the number of participants.")]
    elif not 1 <= participants <= MAX_CASCADE_PARTICIPANTS:
        errors["participants"] = [
            _("The number of participants must be between 1 and %(max)s.")
            % {"max": f"{MAX_CASCADE_PARTICIPANTS:,}".replace(",", "\u00a0")}
        ]
    if errors:
        raise ValidationError(errors)
    return {"date": date, "place": place, "topic": topic, "participants": participants}


def _require_alumnus(registration) -> None:
    if not may_report_cascade(registration):
        raise ValidationError(
            _("Trainings can be reported by people who have completed the workshop.")
        )


def _audit_data(training: CascadeTraining) -> dict:
    return {
        "registration": training.registration_id,
        "date": str(training.date),
        "participants": training.participants,
    }


@transaction.atomic
def cascade_add(
    *, registration, date, place: str, topic: str, participants: int, today=None
) -> CascadeTraining:
    """An alumnus reports a training they delivered."""
    _require_alumnus(registration)
    today = today or timezone.localdate()
    values = _clean_cascade(
        registration, date=date, place=place, topic=topic, participants=participants, today=today
    )
    training = CascadeTraining.objects.create(registration=registration, **values)
    audit_record(
        actor=None,
        action="training.cascade.add",
        obj=registration,
        reason=_("reported by the participant"),
        data={"training": training.pk, **_audit_data(training)},
    )
    return training


@transaction.atomic
def cascade_change(
    *, training: CascadeTraining, date, place: str, topic: str, participants: int, today=None
) -> CascadeTraining:
    registration = training.registration
    _require_alumnus(registration)
    today = today or timezone.localdate()
    values = _clean_cascade(
        registration, date=date, place=place, topic=topic, participants=participants, today=today
    )
    before = _audit_data(training)
    for name, value in values.items():
        setattr(training, name, value)
    training.save(update_fields=list(values))
    audit_record(
        actor=None,
        action="training.cascade.change",
        obj=registration,
        reason=_("changed by the participant"),
        data={"training": training.pk, "before": before, "after": _audit_data(training)},
    )
    return training


@transaction.atomic
def cascade_delete(*, training: CascadeTraining) -> None:
    registration = training.registration
    data = {"training": training.pk, **_audit_data(training)}
    training.delete()
    audit_record(
        actor=None,
        action="training.cascade.delete",
        obj=registration,
        reason=_("deleted by the participant"),
        data=data,
    )


def cascade_summary(registration) -> dict:
    totals = registration.cascade_trainings.aggregate(
        trainings=Count("pk"), participants=Coalesce(Sum("participants"), 0)
    )
    return totals


def cascade_totals_of_editions(editions):
    """The editions annotated with ``cascade_trainings`` and ``cascade_participants``."""
    base = CascadeTraining.objects.filter(registration__edition=OuterRef("pk")).order_by()
    count = base.values("registration__edition").annotate(n=Count("pk")).values("n")
    total = base.values("registration__edition").annotate(n=Sum("participants")).values("n")
    return editions.annotate(
        cascade_trainings=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        cascade_participants=Coalesce(Subquery(total, output_field=IntegerField()), 0),
    )


def cascade_totals_of_programmes():
    """Every programme annotated with its alumni's trainings and their participants."""
    base = CascadeTraining.objects.filter(
        registration__edition__programme=OuterRef("pk")
    ).order_by()
    key = "registration__edition__programme"
    count = base.values(key).annotate(n=Count("pk")).values("n")
    total = base.values(key).annotate(n=Sum("participants")).values("n")
    alumni = (
        Completion.objects.filter(
            registration__edition__programme=OuterRef("pk"), revoked_at__isnull=True
        )
        .order_by()
        .values("registration__edition__programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Programme.objects.annotate(
        cascade_trainings=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        cascade_participants=Coalesce(Subquery(total, output_field=IntegerField()), 0),
        alumni=Coalesce(Subquery(alumni, output_field=IntegerField()), 0),
    ).order_by("title_pl")


# --- The funder report ---------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV and
    formula injection); numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def report_registrations(editions):
    """The participants to report: accepted, or present on a day, or holding a
    completion (someone cancelled after attending still counts)."""
    present = Attendance.objects.filter(registration=OuterRef("pk"), present=True)
    return (
        Registration.objects.filter(edition__in=editions)
        .filter(Q(status=RegStatus.ACCEPTED) | Exists(present) | Q(completion__isnull=False))
        .select_related("edition", "institution__gmina", "completion")
        .prefetch_related(
            Prefetch(
                "attendance", queryset=Attendance.objects.only("registration", "day", "present")
            )
        )
        .order_by("edition__starts_on", "edition__pk", "last_name", "first_name", "pk")
    )


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


@dataclass
class FunderReport:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    date_columns: set[int] = field(default_factory=set)
    datetime_columns: set[int] = field(default_factory=set)


def funder_report(editions, *, title: str, today=None) -> FunderReport:
    """The rows of the funder report for these editions (in the active language)."""
    today = today or timezone.localdate()
    editions = list(editions.select_related("programme"))
    days_by_edition: dict[int, list[EditionDay]] = {}
    for day in EditionDay.objects.filter(edition__in=editions).order_by("edition", "number"):
        days_by_edition.setdefault(day.edition_id, []).append(day)
    day_count = max((len(days) for days in days_by_edition.values()), default=0)
    headers = [
        _("Edition"),
        _("City"),
        _("First name"),
        _("Last name"),
        _("E-mail"),
        _("Phone"),
        _("Position"),
        _("Gender"),
        _("Age group"),
        _("Institution"),
        _("Institution's NIP"),
        _("Institution's gmina (TERYT)"),
        _("Status"),
    ]
    date_columns, datetime_columns = set(), set()
    for number in range(1, day_count + 1):
        date_columns.add(len(headers))
        headers.append(_("Day %(number)d: date") % {"number": number})
        headers.append(_("Day %(number)d: present") % {"number": number})
    headers += [_("Days attended"), _("Completion number"), _("Completion date")]
    date_columns.add(len(headers) - 1)
    headers += [_("Privacy notice version"), _("Consent given")]
    datetime_columns.add(len(headers) - 1)
    report = FunderReport(
        title=title, headers=headers, date_columns=date_columns, datetime_columns=datetime_columns
    )
    for registration in report_registrations(editions):
        edition = registration.edition
        institution = registration.institution
        present = {a.day_id: a.present for a in registration.attendance.all()}
        row = [
            edition.slug,
            edition.city,
            registration.first_name,
            registration.last_name,
            registration.email,
            registration.phone,
            registration.position,
            registration.get_gender_display(),
            registration.get_age_group_display(),
            registration.institution_name or (institution.name if institution else ""),
            (institution.nip if institution and institution.nip else registration.institution_nip),
            institution.gmina.code if institution and institution.gmina_id else "",
            registration.get_status_display(),
        ]
        days = days_by_edition.get(edition.pk, [])
        for index in range(day_count):
            if index < len(days):
                day = days[index]
                recorded = present.get(day.pk)
                # Nothing is marked for a day that has not come yet.
                upcoming = recorded is None and day.date > today
                mark = "" if upcoming else _yes_no(bool(recorded))
                row += [day.date, mark]
            else:
                row += [None, ""]
        completion = getattr(registration, "completion", None)
        if completion is not None and completion.revoked_at is not None:
            completion_number = _("%(number)s (revoked)") % {"number": completion.number}
        else:
            completion_number = completion.number if completion else ""
        row += [
            sum(1 for value in present.values() if value),
            completion_number,
            timezone.localtime(completion.issued_at).date() if completion else None,
            registration.privacy_version,
            _local(registration.consented_at),
        ]
        report.rows.append([safe_cell(value) for value in row])
    return report


def legal_basis_text() -> str:
    return render_to_string("training/reports/legal_basis.txt").strip()


def report_csv(report: FunderReport) -> bytes:
    """UTF-8 with a byte-order mark and ``;`` between fields: Polish Excel opens it
    with the right letters and columns by a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in report.headers])
    for row in report.rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def report_xlsx(report: FunderReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    sheet.append([safe_cell(header) for header in report.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in report.rows:
        sheet.append(row)
    widths = [len(str(header)) for header in report.headers]
    for row in report.rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_csv_value(value)))
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 50)
        if index - 1 in report.date_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        elif index - 1 in report.datetime_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    if report.rows:
        sheet.auto_filter.ref = sheet.dimensions

    note = workbook.create_sheet(_("Legal basis")[:31])
    note.column_dimensions["A"].width = 100
    note.append([safe_cell(report.title)])
    note["A1"].font = Font(bold=True)
    for line in legal_basis_text().splitlines():
        note.append([safe_cell(line)])
    for (cell,) in note.iter_rows(min_row=2, max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_export_audit(*, by, obj, file_format: str, rows: int) -> None:
    """The export is recorded with its size, never with the data."""
    audit_record(
        actor=by,
        action="training.report.export",
        obj=obj,
        data={"format": file_format, "rows": rows, "scope": obj._meta.model_name},
    )


# --- The coordinators' dashboard --------------------------------------------------------

RECENT_DAYS = 90


@dataclass
class EditionFigures:
    edition: Edition
    seats: int
    accepted: int
    fill_rate: int
    waiting: int
    regional: int
    pending: int
    no_shows: int | None
    attendees: int
    responded: int
    has_survey: bool

    @property
    def waiting_total(self) -> int:
        return self.waiting + self.regional

    @property
    def response_rate(self) -> int | None:
        if not self.has_survey or not self.attendees:
            return None
        return round(100 * self.responded / self.attendees)


def _count(queryset, key="edition"):
    subquery = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def dashboard_editions(editions, *, today=None) -> list[EditionFigures]:
    """Figures of the upcoming editions and of those that ended in the last 90 days.

    No-shows: accepted people not present on any of the edition's days that have passed
    (counted once the first day is over). Survey response rate: of the people present on
    at least one day, the share who answered the satisfaction survey (the same figure as
    ``evaluation.response_rates``, computed here for all editions at once). A fixed
    number of queries, however many editions there are."""
    today = today or timezone.localdate()
    editions = editions.filter(ends_on__gte=today - dt.timedelta(days=RECENT_DAYS)).exclude(
        status=EditionStatus.CANCELLED
    )
    registrations = Registration.objects.filter(edition=OuterRef("pk"))
    attended = Attendance.objects.filter(registration=OuterRef("pk"), present=True)
    present_on_past_day = Attendance.objects.filter(
        registration=OuterRef("pk"), present=True, day__date__lte=today
    )
    satisfaction = {"survey__kind": Survey.Kind.SATISFACTION, "phase": SurveyResponse.Phase.AFTER}
    answered = SurveyResponse.objects.filter(registration=OuterRef("pk"), **satisfaction)
    editions = (
        editions.select_related("programme", "voivodeship")
        .annotate(
            n_accepted=_count(registrations.filter(status=RegStatus.ACCEPTED)),
            n_waiting=_count(
                registrations.filter(status__in=(RegStatus.WAITLISTED, RegStatus.OFFERED))
            ),
            n_pending=_count(registrations.filter(status=RegStatus.PENDING)),
            n_no_shows=_count(
                registrations.filter(status=RegStatus.ACCEPTED).exclude(Exists(present_on_past_day))
            ),
            # As evaluation.response_rates: attendees (and anyone who answered) expected.
            n_attendees=_count(registrations.filter(Exists(attended) | Exists(answered))),
            n_responded=_count(
                SurveyResponse.objects.filter(registration__edition=OuterRef("pk"), **satisfaction),
                key="registration__edition",
            ),
            has_survey=Exists(
                Survey.objects.filter(
                    programme=OuterRef("programme"),
                    kind=Survey.Kind.SATISFACTION,
                    questions__isnull=False,
                )
            ),
        )
        .order_by("starts_on", "city", "pk")
    )
    editions = list(editions)
    requests = list(
        WaitlistRequest.objects.filter(
            active=True,
            email_confirmed_at__isnull=False,
            programme_id__in={e.programme_id for e in editions},
        ).values_list("programme_id", "voivodeship_id", "created_at", "weeks")
    )
    figures = []
    for edition in editions:
        regional = sum(
            1
            for programme_id, voivodeship_id, created_at, weeks in requests
            if programme_id == edition.programme_id
            and voivodeship_id == edition.voivodeship_id
            and (created_at + dt.timedelta(weeks=weeks)).date() >= edition.starts_on
            and edition.starts_on > today
        )
        figures.append(
            EditionFigures(
                edition=edition,
                seats=edition.capacity,
                accepted=edition.n_accepted,
                fill_rate=round(100 * edition.n_accepted / edition.capacity),
                waiting=edition.n_waiting,
                regional=regional,
                pending=edition.n_pending,
                no_shows=edition.n_no_shows if edition.starts_on < today else None,
                attendees=edition.n_attendees,
                responded=edition.n_responded,
                has_survey=edition.has_survey,
            )
        )
    return figures
