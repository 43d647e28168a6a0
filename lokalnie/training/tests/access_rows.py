"""Access-matrix rows of the workshops module (collected by core's test_access_matrix).

Each part of the module keeps its rows in ``access_rows_<part>.py``; this module joins
them and builds the shared world (an edition the world's trainer coordinates, with an
accepted participant)."""

import importlib

from lokalnie.training.tests import factories

PARTS = ("public", "attendance", "evaluation", "materials", "reports")
_modules = []
for _part in PARTS:
    try:
        _modules.append(importlib.import_module(f"lokalnie.training.tests.access_rows_{_part}"))
    except ModuleNotFoundError as exc:  # a part not written yet
        if exc.name != f"lokalnie.training.tests.access_rows_{_part}":
            raise

ROWS = {}
for _module in _modules:
    _repeated = set(_module.ROWS) & set(ROWS)
    assert not _repeated, f"{_module.__name__} repeats rows: {_repeated}"
    ROWS.update(_module.ROWS)


def extend_world(world):
    users = world["users"]
    edition = factories.make_edition(capacity=5, by=users["staff"])
    edition.coordinators.add(users["trainer"])
    registration = factories.accepted(edition, email="participant@example.org")
    world.update(
        edition=edition.pk,
        edition_slug=edition.slug,
        programme=edition.programme.pk,
        programme_slug=edition.programme.slug,
        registration=registration.pk,
        registration_token=registration.token,
    )
    for module in _modules:
        if hasattr(module, "extend_world"):
            module.extend_world(world)
