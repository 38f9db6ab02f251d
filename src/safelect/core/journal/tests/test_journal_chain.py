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
    assert second.previous_hash == first.entry_hash
    assert second.sequence == first.sequence + 1
    assert chain.hash_of(first) == first.entry_hash
    assert second.summary == {"description": "renamed back"}
    assert Entry.objects.order_by("sequence").first().previous_hash == GENESIS_HASH


def test_the_database_refuses_update_and_delete():
    with transaction.atomic():
        entry = record(action="directory:organization:update", object_type="x.y", object_id="1", summary={})
    for sql in ("update journal_entry set action = 'x:y:z' where id = %s", "delete from journal_entry where id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])


def test_badly_named_action_is_refused():
    with pytest.raises(ValueError, match="app:resource:verb"), transaction.atomic():
        record(action="update", summary={})
