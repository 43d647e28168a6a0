"""Public pages: the list of editions, an edition, calendars, registration and the
participant's own page (reached by the secret link in their e-mails)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.core import pagecache
from lokalnie.training import selectors, services
from lokalnie.training.calendar import edition_calendar, editions_calendar
from lokalnie.training.forms import RegistrationForm, WaitlistRequestForm
from lokalnie.training.models import Programme, Registration, WaitlistRequest
from lokalnie.training.workflow import ACTIVE, RegStatus, TransitionError

PAGE_SIZE = 20


# Anonymous visitors get the list and the edition pages from the page cache
# (``lokalnie.core.pagecache``) until a seat or an edition changes (the services forget
# ``selectors.PUBLIC_VERSION_KEY``), and for at most a minute, because whether registration
# is open depends on the clock.
PUBLIC_PAGE_SECONDS = 60


def editions(request):
    def render_page(extra):
        filters = selectors.EditionFilters.from_query(request.GET)
        page = Paginator(selectors.public_editions(filters), PAGE_SIZE).get_page(
            request.GET.get("strona")
        )
        query = request.GET.copy()
        query.pop("strona", None)
        return render(
            request,
            "training/editions.html",
            {
                "page": page,
                "filters": filters,
                "query": query.urlencode(),
                "programmes": Programme.objects.order_by("title_pl"),
                **selectors.filter_choices(),
                **extra,
            },
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.PUBLIC_VERSION_KEY,
        seconds=PUBLIC_PAGE_SECONDS,
        render_page=render_page,
    )


def edition(request, slug):
    def render_page(extra):
        edition = selectors.edition_for_page(slug)
        if edition is None:
            return render(request, "training/edition_not_found.html", status=404)
        now = timezone.now()
        return render(
            request,
            "training/edition.html",
            {
                "edition": edition,
                "programme": edition.programme,
                "registration_open": edition.registration_open(now),
                "not_yet_open": now < edition.registration_opens_at,
                "seats_left": max(edition.seats_left, 0),
                **extra,
            },
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.PUBLIC_VERSION_KEY,
        seconds=PUBLIC_PAGE_SECONDS,
        render_page=render_page,
    )


def edition_ics(request, slug):
    edition = selectors.edition_for_page(slug)
    if edition is None:
        return render(request, "training/edition_not_found.html", status=404)
    return _calendar_response(edition_calendar(edition), f"{edition.slug}.ics")


def editions_ics(request):
    filters = selectors.EditionFilters.from_query(request.GET)
    return _calendar_response(
        editions_calendar(selectors.public_editions(filters)[:500]), "warsztaty-cal.ics"
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def register(request, slug):
    edition = selectors.edition_for_page(slug)
    if edition is None:
        return render(request, "training/edition_not_found.html", status=404)
    now = timezone.now()
    if not edition.registration_open(now):
        messages.error(request, _("Registration for this edition is not open."))
        return redirect("training:edition", slug=edition.slug)
    form = RegistrationForm(request.POST or None, programme=edition.programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                edition=edition,
                person=form.person(),
                answers=form.answers(),
                needs_accessibility=form.cleaned_data["needs_accessibility"],
                needs_diet=form.cleaned_data["needs_diet"],
                user=request.user,
                language=get_language() or "pl",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.email_confirmed_at is None:
                messages.success(
                    request,
                    _(
                        "Almost done: we have sent a link to %(email)s. Open it to confirm "
                        "your address; your registration counts from then."
                    )
                    % {"email": registration.email},
                )
            else:
                messages.success(request, _("Thank you, your registration is in."))
            return redirect("training:registration", token=registration.token)
    return render(
        request,
        "training/register.html",
        {"edition": edition, "programme": edition.programme, "form": form},
    )


def _registration_or_404(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("edition__programme", "edition__voivodeship"),
        token=token,
    )


def registration(request, token):
    """The participant's page: status, what to do next, and what each part of the module
    adds (attendance and completion, surveys, materials, trainings they deliver)."""
    from lokalnie.training.views import attendance, evaluation, materials, reports

    registration = _registration_or_404(token)
    context = {
        "registration": registration,
        "edition": registration.edition,
        "programme": registration.edition.programme,
        "may_withdraw": registration.status in ACTIVE,
        "is_offered": registration.status == RegStatus.OFFERED,
        "position": selectors.waiting_position(registration),
    }
    for part in (attendance, evaluation, materials, reports):
        context.update(part.registration_context(registration))
    response = render(request, "training/registration.html", context)
    # The address is the key to this page: it must not leak to other sites in a Referer
    # ("no-referrer" would also make browsers send "Origin: null" with its own forms).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def registration_confirm(request, token):
    registration = _registration_or_404(token)
    try:
        registration = services.registration_confirm(registration=registration)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your e-mail address is confirmed. Status: %(status)s.")
            % {"status": registration.get_status_display()},
        )
    return redirect("training:registration", token=token)


def registration_withdraw(request, token):
    registration = _registration_or_404(token)
    if request.method == "POST":
        try:
            services.registration_withdraw(registration=registration)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("You have withdrawn; your seat goes to the next person."))
        return redirect("training:registration", token=token)
    if registration.status not in ACTIVE:
        messages.info(request, _("This registration is no longer active."))
        return redirect("training:registration", token=token)
    return render(request, "training/withdraw.html", {"registration": registration})


@require_POST
def offer(request, token):
    registration = _registration_or_404(token)
    try:
        if request.POST.get("answer") == "take":
            services.offer_take(registration=registration)
            messages.success(request, _("The seat is yours. See you at the workshop!"))
        elif request.POST.get("answer") == "decline":
            services.offer_decline(registration=registration)
            messages.success(
                request, _("Thank you for telling us; the seat goes to the next person.")
            )
        else:
            messages.error(request, _("Choose whether you take the seat."))
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("training:registration", token=token)


def waitlist_join(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    form = WaitlistRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            waitlist_request = services.waitlist_request_create(
                programme=programme,
                voivodeship=form.cleaned_data["voivodeship"],
                weeks=form.cleaned_data["weeks"],
                person=form.person(),
                user=request.user,
                language=get_language() or "pl",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if waitlist_request.email_confirmed_at is None:
                messages.success(
                    request,
                    _(
                        "We have sent a link to %(email)s; open it to confirm your place in "
                        "the queue."
                    )
                    % {"email": waitlist_request.email},
                )
            return redirect("training:waitlist_request", token=waitlist_request.token)
    return render(request, "training/waitlist_join.html", {"programme": programme, "form": form})


def waitlist_request(request, token):
    waitlist_request = get_object_or_404(
        WaitlistRequest.objects.select_related("programme", "voivodeship"), token=token
    )
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            services.waitlist_request_confirm(request=waitlist_request)
            messages.success(request, _("Your e-mail address is confirmed; you are in the queue."))
        elif request.POST.get("action") == "withdraw":
            services.waitlist_request_withdraw(request=waitlist_request)
            messages.success(request, _("You have left the waiting list."))
        return redirect("training:waitlist_request", token=token)
    offers = waitlist_request.offers.select_related("edition").order_by("-created_at")
    response = render(
        request,
        "training/waitlist_request.html",
        {"waitlist_request": waitlist_request, "offers": offers},
    )
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
def mine(request):
    """The signed-in person's registrations: linked to the account or made with one of its
    verified addresses."""
    from allauth.account.models import EmailAddress

    emails = list(
        EmailAddress.objects.filter(user=request.user, verified=True).values_list(
            "email", flat=True
        )
    )
    query = Q(user=request.user)
    for email in emails:
        query |= Q(email__iexact=email)
    registrations = (
        Registration.objects.filter(query)
        .select_related("edition__programme")
        .order_by("-edition__starts_on", "-created_at")
    )
    return render(request, "training/mine.html", {"registrations": registrations})


urlpatterns = [
    path("", editions, name="editions"),
    path("kalendarz.ics", editions_ics, name="editions_ics"),
    path("moje/", mine, name="mine"),
    path("program/<slug:slug>/lista-oczekujacych/", waitlist_join, name="waitlist_join"),
    path("lista-oczekujacych/<str:token>/", waitlist_request, name="waitlist_request"),
    path("zgloszenie/<str:token>/", registration, name="registration"),
    path("zgloszenie/<str:token>/potwierdz/", registration_confirm, name="registration_confirm"),
    path("zgloszenie/<str:token>/rezygnacja/", registration_withdraw, name="registration_withdraw"),
    path("zgloszenie/<str:token>/oferta/", offer, name="offer"),
    path("edycje/<slug:slug>/", edition, name="edition"),
    path("edycje/<slug:slug>/kalendarz.ics", edition_ics, name="edition_ics"),
    path("edycje/<slug:slug>/zapisy/", register, name="register"),
]
