"""The journal cannot be rewritten unnoticed.

With the application's own credentials (the ``safelect_app`` role), deleting entries, truncating
the table, rewriting an entry or disabling the triggers is refused by PostgreSQL. A role that can
do those things anyway (the owner, a superuser) is caught by the signed checkpoints kept outside
the database: ``safelect journal verify`` reports a deleted tail entry, a truncated table and a
re-hashed rewrite.
"""

from __future__ import annotations

import json
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from safelect.config.database import APP_ROLE
from safelect.core.directory.models import Organization
from safelect.core.journal import chain, checkpoints
from safelect.core.journal.models import Entry
from safelect.core.journal.services import record


@pytest.fixture
def checkpoint_files(tmp_path, settings):
    settings.JOURNAL_CHECKPOINTS = str(tmp_path / "checkpoints.jsonl")
    settings.JOURNAL_KEY_FILE = str(tmp_path / "checkpoint.key")
    return tmp_path


def _entries(n=4):
    org = Organization.objects.get(key="state:WI")
    with transaction.atomic():
        return [record(organization=org, action="directory:organization:update", obj=org, summary={"n": i}) for i in range(n)]


def _verify():
    out = StringIO()
    try:
        call_command("journal", "verify", "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def _as_superuser_would(sql, params=()):
    """What the owner or a superuser can do: disable the triggers and change the table."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE journal_entry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE journal_entry ENABLE TRIGGER USER")


@pytest.mark.django_db
def test_the_application_role_cannot_delete_truncate_rewrite_or_disable_triggers():
    """Runs on the embedded server, where the test database has both roles."""
    settings_dict = connection.settings_dict
    params = {"dbname": settings_dict["NAME"], "user": APP_ROLE, "host": settings_dict["HOST"], "port": settings_dict["PORT"]}
    with psycopg.connect(**params, autocommit=True) as app:
        assert app.execute("select current_user").fetchone()[0] == APP_ROLE
        app.execute("select count(*) from journal_entry")  # reading is allowed
        for attack in (
            "delete from journal_entry",
            "truncate journal_entry",
            "update journal_entry set action = 'x:y:z'",
            "alter table journal_entry disable trigger user",
            "drop table journal_entry",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(attack)


@pytest.mark.django_db
def test_even_the_owner_cannot_truncate_without_disabling_the_trigger():
    _entries(1)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks: the trigger decides
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("truncate journal_entry cascade")


@pytest.mark.django_db
def test_checkpoints_are_signed_and_match_an_untouched_journal(checkpoint_files):
    _entries(3)
    made = checkpoints.write()
    assert made.entries == Entry.objects.count() and len(made.mac) == 64
    code, result = _verify()
    assert code == 0 and result["checkpoints_ok"] and result["checkpoints"] == 1
    line = (checkpoint_files / "checkpoints.jsonl").read_text()
    forged = json.loads(line)
    forged["entries"] += 5
    (checkpoint_files / "checkpoints.jsonl").write_text(json.dumps(forged) + "\n")
    code, result = _verify()
    assert code == 1 and "signature does not match" in result["checkpoint_finding"]


@pytest.mark.django_db
def test_verify_reports_a_deleted_tail_entry(checkpoint_files):
    made = _entries(3)
    checkpoints.write()
    last = Entry.objects.filter(partition=made[0].partition).order_by("-sequence").first()
    _as_superuser_would("delete from journal_entry where id = %s", [last.pk])
    code, result = _verify()
    assert result["intact"] is True  # the chain alone cannot see a removed tail
    assert code == 1 and f"1 entry missing at the tail of chain {last.partition}" in result["checkpoint_finding"]


@pytest.mark.django_db
def test_verify_reports_a_truncated_table(checkpoint_files):
    _entries(2)
    checkpoints.write()
    _as_superuser_would("delete from journal_entry")
    code, result = _verify()
    assert code == 1 and "the table was truncated" in result["checkpoint_finding"]


@pytest.mark.django_db
def test_verify_reports_a_rewrite_with_every_later_hash_recomputed(checkpoint_files):
    made = _entries(4)
    checkpoints.write()
    entries = list(Entry.objects.filter(partition=made[0].partition).order_by("sequence"))
    target = entries[-3]
    previous = entries[entries.index(target) - 1].entry_hash if entries.index(target) else "0" * 64
    for entry in entries[entries.index(target) :]:
        if entry.pk == target.pk:
            entry.summary = {"n": "rewritten"}
        entry.previous_hash = previous
        entry.entry_hash = chain.hash_of(entry)
        _as_superuser_would(
            "update journal_entry set summary = %s, previous_hash = %s, entry_hash = %s where id = %s",
            [json.dumps(entry.summary), entry.previous_hash, entry.entry_hash, entry.pk],
        )
        previous = entry.entry_hash
    code, result = _verify()
    assert result["intact"] is True  # a careful rewrite passes the chain check...
    assert code == 1 and "was rewritten (and re-hashed)" in result["checkpoint_finding"]  # ...not the checkpoint


@pytest.mark.django_db
def test_a_checkpoint_written_before_chains_existed_is_still_checked(checkpoint_files, settings):
    """Lines of the older layout (one head: entries, sequence, head) are read as chain 0."""
    settings.JOURNAL_PARTITIONS = 1  # every entry of this test goes to chain 0, as before chains existed
    made = _entries(3)
    assert {e.partition for e in made} == {0}
    last = made[-1]
    old = checkpoints.sign(
        checkpoints.Checkpoint("2026-11-30T00:00:00+00:00", Entry.objects.count(), ((0, last.sequence, last.entry_hash),), legacy=True)
    )
    line = old.line().decode()
    assert set(json.loads(line)) == {"at", "entries", "sequence", "head", "mac"}  # the older layout, byte for byte
    (checkpoint_files / "checkpoints.jsonl").write_text(line + "\n")
    code, result = _verify()
    assert code == 0 and result["checkpoints"] == 1, result
    _as_superuser_would("delete from journal_entry where id = %s", [last.pk])
    code, result = _verify()
    assert code == 1 and "1 entry missing at the tail of chain 0" in result["checkpoint_finding"]


@pytest.mark.django_db
def test_a_busy_home_chain_sends_the_writer_to_a_free_one_and_checkpoints_cover_it(checkpoint_files, settings):
    """Another session holds this session's home chain: the entry goes to the next free chain,
    without waiting, and a deleted tail in that chain is found by the signed checkpoint."""
    from django.db import connections

    chains = settings.JOURNAL_PARTITIONS
    connection._safelect_journal_chain = None  # as a fresh session: no chain used yet, home first
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        home = cursor.fetchone()[0] % chains
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        other.connection.autocommit = False
        other.connection.execute("select pg_advisory_xact_lock(%s, %s)", [0x5AFE1EC7, home])  # a long service transaction
        made = _entries(2)
    finally:
        other.connection.rollback()
        other.close()
    assert {e.partition for e in made} == {(home + 1) % chains}  # one chain per transaction, the next free one
    checkpoints.write()
    assert _verify()[0] == 0
    _as_superuser_would("delete from journal_entry where id = %s", [made[-1].pk])
    code, result = _verify()
    assert code == 1 and f"1 entry missing at the tail of chain {made[-1].partition}" in result["checkpoint_finding"]
