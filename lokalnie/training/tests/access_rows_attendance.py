"""Access-matrix rows of attendance and completions (joined by access_rows.py)."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone


def extend_world(world):
    from lokalnie.training import attendance
    from lokalnie.training.tests.test_attendance import attend, held_edition

    trainer = world["users"]["trainer"]
    edition, (person,), _ = held_edition(people=1, coordinator=trainer)
    attend(person, [1, 2, 3], by=trainer)
    (completion,) = attendance.completions_issue(edition=edition, by=trainer)
    world.update(
        completion_edition=edition.pk,
        completion=completion.pk,
        completion_slug=completion.slug,
        completion_token=person.token,
    )


def _coordinators(outcome=OK):
    """The edition's coordinator (the world's trainer) and staff; others learn nothing."""
    outcomes = everyone(404)
    outcomes.update(anonymous=LOGIN, trainer=outcome, staff=outcome)
    return outcomes


ROWS = {
    "training:attendance_day": Row(args=("edition", 1), outcomes=_coordinators()),
    # The world's edition has not started: the mark is refused with a message.
    "training:attendance_mark": Row(
        method="post",
        args=("edition", 1, "registration"),
        data={"present": "true"},
        outcomes=_coordinators(REDIRECT),
    ),
    "training:completions": Row(args=("edition",), outcomes=_coordinators()),
    "training:completions_issue": Row(
        method="post", args=("edition",), outcomes=_coordinators(REDIRECT)
    ),
    "training:completion_revoke": Row(
        args=("completion_edition", "completion"), outcomes=_coordinators()
    ),
    # The participant's own link (the token is the key).
    "training:completion_pdf": Row(args=("completion_token",), outcomes=everyone(OK)),
    # Public verification.
    "training:completion_verify": Row(args=("completion_slug",), outcomes=everyone(OK)),
    "training:completion_credential": Row(args=("completion_slug",), outcomes=everyone(OK)),
    "training:completion_credential_json": Row(args=("completion_slug",), outcomes=everyone(OK)),
}
