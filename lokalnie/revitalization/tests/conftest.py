"""Revitalization tests read messages in English (the source language): services raise
and render in the active language, and pages in the browser's, which are Polish by
default. Tests of the Polish texts ask for Polish explicitly."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client
