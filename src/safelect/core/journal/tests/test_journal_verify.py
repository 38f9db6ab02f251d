"""``safelect journal verify`` and the history page/API."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from safelect.core.accounts.models import User
from safelect.core.directory.models import Organization
from safelect.core.journal.history import _RULES, register_history
from safelect.core.journal.integrity import verify
from safelect.core.journal.services import record

pytestmark = pytest.mark.django_db


def _entries(n=3):
    org = Organization.objects.get(key="state:WI")
    with transaction.atomic():
        return [
            record(organization=org, action="directory:organization:update", obj=org, summary={"name": [f"v{i}", f"v{i + 1}"]})
            for i in range(n)
        ]


def _tamper(sql, params):
    """Alter a row behind the application's back: the trigger must be bypassed to do it."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred foreign-key checks would block ALTER TABLE
        cursor.execute("ALTER TABLE journal_entry DISABLE TRIGGER journal_entry_no_update")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE journal_entry ENABLE TRIGGER journal_entry_no_update")


def run_verify(*args):
    out = StringIO()
    try:
        call_command("journal", "verify", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().strip()


def test_intact_journal_passes():
    _entries()
    code, text = run_verify()
    assert code == 0 and text.startswith("journal intact: ") and int(text.split(": ")[1].split()[0]) >= 3


def test_altered_summary_is_named():
    entries = _entries()
    _tamper("update journal_entry set summary = %s where id = %s", [json.dumps({"name": ["v1", "forged"]}), entries[1].pk])
    code, text = run_verify()
    assert code == 1
    assert (
        text.splitlines()[0]
        == f"journal broken at entry #{entries[1].position} (id {entries[1].pk}): content does not match its stored hash (the entry was altered)"
    )
    code, text = run_verify("--json")
    assert code == 1 and json.loads(text)["broken_sequence"] == entries[1].sequence


def test_recomputed_hash_breaks_the_next_link():
    entries = _entries()
    _tamper("update journal_entry set action = 'directory:organization:delete', entry_hash = %s where id = %s", ["f" * 64, entries[0].pk])
    verdict = verify()
    assert not verdict.intact and verdict.broken_sequence == entries[0].sequence  # its own hash no longer matches


def test_deleted_entry_leaves_a_gap():
    entries = _entries()
    _tamper("delete from journal_entry where id = %s", [entries[1].pk])
    verdict = verify()
    assert (verdict.broken_sequence, verdict.broken_id) == (entries[2].sequence, entries[2].pk)
    assert "missing" in verdict.reason


@pytest.fixture
def org_history():
    saved = dict(_RULES)
    register_history(
        Organization, permission="journal:history:view", visible=lambda request: Organization.objects.filter(kind="state_election_office")
    )
    yield
    _RULES.clear()
    _RULES.update(saved)


def test_history_page_shows_a_visible_object_and_hides_others(client, org_history):
    entries = _entries(2)
    admin = User.objects.create_superuser(username="root", email="root@example.org", password="x" * 16)
    client.force_login(admin)
    org = Organization.objects.get(key="state:WI")
    page = client.get(f"/journal/directory.organization/{org.pk}/")
    assert page.status_code == 200
    assert "v1 → v2" in page.content.decode() and f">{entries[1].position}<" in page.content.decode()
    api = client.get(f"/api/journal/history/directory.organization/{org.pk}")
    assert api.status_code == 200 and api.json()[0]["sequence"] == entries[1].sequence
    county = Organization.objects.get(key="jurisdiction:0100100000")
    assert client.get(f"/journal/directory.organization/{county.pk}/").status_code == 404  # outside the scope
    assert client.get("/journal/directory.organization/not-a-number/").status_code == 404
    assert client.get("/journal/accounts.user/1/").status_code == 404  # nobody registered users


def test_history_page_needs_a_sign_in(client, org_history):
    org = Organization.objects.get(key="state:WI")
    assert client.get(f"/journal/directory.organization/{org.pk}/").status_code == 302
