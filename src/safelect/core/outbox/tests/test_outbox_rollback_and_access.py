"""A rolled-back write sends nothing; who may open each outbox and journal route (every role,
no superuser shortcut)."""

import pytest
from django.db import transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import assert_access, make_member
from safelect.core.journal.models import Entry
from safelect.core.outbox import services
from safelect.core.outbox.models import Delivery, Notice

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def test_a_rolled_back_service_leaves_no_notice_delivery_job_or_journal_entry():
    make_member("local_election_official")  # someone to deliver to
    counts = (Notice.objects.count(), Delivery.objects.count(), ProcrastinateJob.objects.count(), Entry.objects.count())
    with pytest.raises(_Rollback), transaction.atomic():
        notice = services.send(
            "outbox.announcement", context={"title": "t", "message": "m", "organization_kinds": ["local_election_agency"]}
        )
        assert notice.delivery_counts  # written inside the transaction...
        raise _Rollback
    assert (Notice.objects.count(), Delivery.objects.count(), ProcrastinateJob.objects.count(), Entry.objects.count()) == counts


def test_who_may_open_the_inbox_preferences_and_delivery_log():
    everyone = set(ROLES)
    assert_access("outbox:inbox", everyone)
    assert_access("outbox:preferences", everyone)
    results = assert_access("outbox:notices", _holders("outbox:delivery:view"))
    assert results["anonymous"] in (302, 401)


def test_who_may_read_a_notices_history():
    with transaction.atomic():
        notice = services.send("outbox.announcement", context={"title": "t", "message": "m", "organization_kinds": ["congress"]})
    assert_access(f"/journal/outbox.notice/{notice.pk}/", _holders("outbox:delivery:view"))
    assert_access("/journal/outbox.notice/999999/", set())  # a notice that does not exist: 404 for everyone


def _holders(permission: str) -> set[str]:
    from safelect.core.accounts.roles import grants

    return {role for role, perms in grants().items() if permission in perms}
