"""Workshop tests read messages in English (the source language): services raise and
render in the active language, which is Polish by default."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield
