import pytest

from lokalnie.conftest import ensure_reference_data


@pytest.fixture(autouse=True)
def _reference_data(request):
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("django_db_setup")
        request.getfixturevalue(
            "transactional_db"
            if request.node.get_closest_marker("django_db").kwargs.get("transaction")
            else "db"
        )
        ensure_reference_data()
