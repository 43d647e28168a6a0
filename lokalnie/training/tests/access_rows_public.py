"""Access rows: the public workshop pages, the participant's pages (the secret link is the
key: whoever has it sees that one registration, nothing else) and the coordinator pages."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone, signed_in


def _coordinator(ok=OK, **extra):
    """An edition's pages: its coordinator (the world's trainer) and staff; other signed-in
    people get 404 so that ids reveal nothing; anonymous visitors are sent to log in."""
    outcomes = everyone(404)
    outcomes.update(anonymous=LOGIN, trainer=ok, staff=ok, **extra)
    return outcomes


def _coordinates(ok=OK):
    """Pages for whoever runs workshops (staff and trainers), not tied to one edition."""
    outcomes = signed_in(403)
    outcomes.update(trainer=ok, staff=ok)
    return outcomes


def _staff(ok=OK):
    outcomes = signed_in(403)
    outcomes.update(staff=ok)
    return outcomes


ROWS = {
    "training:editions": Row(outcomes=everyone(OK)),
    "training:editions_ics": Row(outcomes=everyone(OK)),
    "training:edition": Row(args=("edition_slug",), outcomes=everyone(OK)),
    "training:edition_ics": Row(args=("edition_slug",), outcomes=everyone(OK)),
    "training:register": Row(args=("edition_slug",), outcomes=everyone(OK)),
    "training:waitlist_join": Row(args=("programme_slug",), outcomes=everyone(OK)),
    "training:waitlist_request": Row(args=("waitlist_token",), outcomes=everyone(OK)),
    "training:registration": Row(args=("registration_token",), outcomes=everyone(OK)),
    # Confirming an already accepted registration changes nothing and goes back to the page.
    "training:registration_confirm": Row(
        args=("registration_token",), method="post", outcomes=everyone(REDIRECT)
    ),
    "training:registration_withdraw": Row(args=("registration_token",), outcomes=everyone(OK)),
    # Not an offer: the page says so.
    "training:offer": Row(
        args=("registration_token",),
        method="post",
        data={"answer": "take"},
        outcomes=everyone(REDIRECT),
    ),
    "training:mine": Row(outcomes=signed_in(OK)),
    "training:coordination": Row(outcomes=_coordinates()),
    "training:edition_new": Row(outcomes=_coordinates()),
    "training:edition_manage": Row(args=("edition",), outcomes=_coordinator()),
    "training:edition_edit": Row(args=("edition",), outcomes=_coordinator()),
    # An unknown action is refused with a message on the edition's page.
    "training:edition_action": Row(
        args=("edition",),
        method="post",
        data={"action": "none"},
        outcomes=_coordinator(REDIRECT),
    ),
    "training:registration_decide": Row(
        args=("registration",),
        method="post",
        data={"action": "none"},
        outcomes=_coordinator(REDIRECT),
    ),
    "training:programmes": Row(outcomes=_staff()),
    "training:programme_new": Row(outcomes=_staff()),
    "training:programme_edit": Row(args=("programme_slug",), outcomes=_staff()),
}


def extend_world(world):
    from lokalnie.training import services
    from lokalnie.training.models import Edition
    from lokalnie.training.tests.factories import person

    edition = Edition.objects.get(pk=world["edition"])
    request = services.waitlist_request_create(
        programme=edition.programme, voivodeship=edition.voivodeship, weeks=4, person=person()
    )
    world["waitlist_token"] = request.token
