"""The demo data: realistic obligations in every state, created once."""

import datetime as dt

import pytest
import time_machine

from safelect.core.obligations.demo import create_demo_data
from safelect.core.obligations.models import Obligation, Status


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 6, 1, 15, tzinfo=dt.UTC), tick=False)
def test_demo_shows_due_soon_overdue_fulfilled_and_is_idempotent():
    create_demo_data()
    count = Obligation.objects.count()
    create_demo_data()
    assert Obligation.objects.count() == count
    statuses = {o.subject_id: o.status_at() for o in Obligation.objects.filter(subject_type="demo.scenario")}
    assert statuses["wi-incident"] == Status.DUE_SOON
    assert statuses["mi-rva-request"] == Status.OVERDUE
    assert statuses["autauga-incident"] == Status.FULFILLED_LATE
    threat = Obligation.objects.filter(duty_code="HR5011-204a", cycle="2026 general election")
    assert threat.count() == 55  # HAVA §901's States: not the Northern Mariana Islands
    assert not threat.filter(state__usps="MP").exists()
    assert set(threat.overdue().values_list("state__usps", flat=True)) == {"WI", "PA", "AZ"}
