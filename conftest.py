"""Test-session defaults, set before Django's settings are read.

Tests run on the same embedded PostgreSQL code path as the product, in a data directory of
their own (``.safelect-home/test``); pytest-django creates and drops ``test_safelect`` in it.
"""

import os
from pathlib import Path

os.environ.setdefault("SAFELECT_HOME", str(Path(__file__).parent / ".safelect-home" / "test"))
os.environ.setdefault("SAFELECT_EMAIL_BACKEND", "smtp")
# pytest-django creates and migrates the test database: act as the owner role. Tests that check
# what the application role may not do connect as it themselves (journal tests). pytest-django
# has read the settings before this file runs, so the connection settings are changed too.
os.environ.setdefault("SAFELECT_DATABASE_ROLE", "owner")

import pytest


def pytest_configure(config):
    from django.conf import settings

    from safelect.config.database import owner_settings

    settings.DATABASES["default"].update(owner_settings())
    # Each test run keeps its journal checkpoints apart from the developer's (tests override them).
    import tempfile

    checkpoints = Path(tempfile.mkdtemp(prefix="safelect-test-checkpoints-"))
    settings.JOURNAL_CHECKPOINTS = str(checkpoints / "journal-checkpoints.jsonl")
    settings.JOURNAL_KEY_FILE = str(checkpoints / "journal-checkpoint.key")


# Shared fixtures: per-role members and allow/deny assertions; a loopback SMTP server.
pytest_plugins = ["safelect.core.accounts.testing", "safelect.core.outbox.testing"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from a loaded directory (56 States, 6,461 jurisdictions)."""
    with django_db_blocker.unblock():
        from safelect.core.directory.loading import load_reference_data

        load_reference_data()
