"""Large imports commit as a background job with progress; the web request stays short.

A commit of an 8k-row file took 66 s inside one web request. Above a threshold of meetings the
page and the API queue the commit (API: 202 with the progress) and a procrastinate job commits it
all or nothing, writing its progress through its own connection; a refused commit leaves the batch
"failed" with the reason and nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from safelect.core.accounts.models import Membership
from safelect.programs.engagements.models import Engagement, ImportBatch, ImportProgress
from safelect.programs.engagements.tasks import commit_import_job

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
pytestmark = pytest.mark.django_db


def _upload(client) -> int:
    with FIXTURE.open("rb") as handle:
        response = client.post("/api/engagements/imports", {"file": handle})
    assert response.status_code == 201, response.content
    return response.json()["preview_id"]


def test_a_large_commit_is_queued_then_committed_by_the_job_with_progress(make_member, settings):
    settings.ENGAGEMENTS_BACKGROUND_ROWS = 10  # the released record writes 42 meetings
    user, staff = make_member("national_program_staff")
    before = Engagement.objects.count()
    batch_id = _upload(staff)
    queued = staff.post(f"/api/engagements/imports/{batch_id}/commit")
    assert queued.status_code == 202, queued.content
    body = queued.json()
    assert body["state"] == "queued" and body["progress"] == {"done": 0, "total": 42, "error": ""}
    assert Engagement.objects.count() == before  # nothing written by the request
    job = ProcrastinateJob.objects.get(task_name="engagements.commit_import")
    assert job.args == {"batch_id": batch_id, "membership_id": Membership.objects.get(user=user).pk}
    assert staff.post(f"/api/engagements/imports/{batch_id}/commit").status_code == 422  # not twice
    page = staff.get(f"/engagements/import/{batch_id}/").content.decode()
    assert "Committing in the background: 0 of 42" in page and 'hx-trigger="every 2s"' in page
    commit_import_job(**job.args)  # what the worker runs
    done = staff.get(f"/api/engagements/imports/{batch_id}").json()
    assert done["state"] == "committed" and done["progress"]["done"] == done["progress"]["total"] == 42
    assert Engagement.objects.count() == before + 42
    assert "Committed: 42 meetings written." in staff.get(f"/engagements/import/{batch_id}/progress/").content.decode()


def test_a_queued_commit_whose_requester_lost_the_permission_fails_and_writes_nothing(make_member, settings):
    settings.ENGAGEMENTS_BACKGROUND_ROWS = 10
    user, staff = make_member("national_program_staff")
    batch_id = _upload(staff)
    assert staff.post(f"/engagements/import/{batch_id}/", follow=True).status_code == 200
    assert ImportBatch.objects.get(pk=batch_id).state == "queued"
    Membership.objects.filter(user=user).update(roles=["researcher"])
    before = Engagement.objects.count()
    job = ProcrastinateJob.objects.get(task_name="engagements.commit_import")
    commit_import_job(**job.args)
    assert ImportBatch.objects.get(pk=batch_id).state == "failed" and Engagement.objects.count() == before
    assert "permission" in ImportProgress.objects.get(batch_id=batch_id).error


def test_a_small_commit_still_happens_in_the_request(make_member):
    _, staff = make_member("national_program_staff")
    batch_id = _upload(staff)
    response = staff.post(f"/api/engagements/imports/{batch_id}/commit")
    assert response.status_code == 200 and response.json()["committed"] is True
    assert json.loads(json.dumps(response.json()))["engagements_created"] == 42
