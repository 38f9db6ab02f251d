"""The journal is append-only in the database and hash-chained."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from safelect.core.directory.models import Organization
from safelect.core.journal import chain
from safelect.core.journal.models import GENESIS_HASH, Entry
from safelect.core.journal.services import record

pytestmark = pytest.mark.django_db


def test_entries_chain_each_to_the_previous():
    org = Organization.objects.get(key="state:WI")
    with transaction.atomic():
        first = record(actor=None, organization=org, action="directory:organization:update", obj=org, summary={"name": ["a", "b"]})
        second = record(actor=None, organization=org, action="directory:organization:update", obj=org, summary="renamed back")
    assert second.partition == first.partition  # a transaction keeps the chain it claimed
    assert second.previous_hash == first.entry_hash
    assert second.sequence == first.sequence + 1
    assert chain.hash_of(first) == first.entry_hash
    assert second.summary == {"description": "renamed back"}
    assert Entry.objects.filter(partition=first.partition).order_by("sequence").first().previous_hash == GENESIS_HASH


def test_chain_zero_hashes_exactly_as_the_single_chain_did():
    """Entries written before the journal had chains are chain 0 and keep their hashes: this
    value was computed by the single-chain code for the same fields."""
    import datetime as dt

    fields = dict(
        sequence=7,
        recorded_at=dt.datetime(2026, 11, 3, 14, 5, 6, 123456, tzinfo=dt.UTC),
        actor_id=12,
        actor_label="Ana Ruiz",
        organization_id=3,
        action="engagements:engagement:create",
        object_type="engagements.engagement",
        object_id="41",
        object_label="Meeting with WI",
        summary={"title": [None, "Meeting"]},
        previous_hash="a" * 64,
    )
    assert chain.entry_hash(partition=0, **fields) == "0839d6fbc44b5c7531f0975738a7d0c68a68dc82ae5ce83d7517419667c3b010"
    assert chain.entry_hash(partition=3, **fields) != chain.entry_hash(partition=0, **fields)


def test_the_database_refuses_update_and_delete():
    with transaction.atomic():
        entry = record(action="directory:organization:update", object_type="x.y", object_id="1", summary={})
    for sql in ("update journal_entry set action = 'x:y:z' where id = %s", "delete from journal_entry where id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])


def test_badly_named_action_is_refused():
    with pytest.raises(ValueError, match="app:resource:verb"), transaction.atomic():
        record(action="update", summary={})
