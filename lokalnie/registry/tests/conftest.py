import pytest

from lokalnie.conftest import ensure_reference_data
from lokalnie.credentials import generate_private_key


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory):
    """One signing key for the test session (generating RSA keys is slow)."""
    path = tmp_path_factory.mktemp("keys") / "signing.pem"
    path.write_bytes(generate_private_key())
    path.chmod(0o600)
    return path


@pytest.fixture(autouse=True)
def _registry_settings(settings, signing_key_file):
    settings.CREDENTIAL_SIGNING_KEY_FILE = str(signing_key_file)
    settings.CREDENTIAL_PUBLISHED_KEYS_DIR = None
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.CREDENTIAL_ISSUER_ID = "http://127.0.0.1:8000/"


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    if marker:
        request.getfixturevalue("django_db_setup")
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
        ensure_reference_data()
