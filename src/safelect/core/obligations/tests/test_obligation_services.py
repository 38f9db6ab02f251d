"""Opening, fulfilling, waiving and reopening obligations; derived status; journal entries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.journal.models import Entry
from safelect.core.obligations import services
from safelect.core.obligations.models import Obligation, Status
from safelect.core.obligations.services import ObligationError, SubjectRef

SYSTEM = Actor.system()

NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")
pytestmark = pytest.mark.django_db


def org(key: str) -> Organization:
    return Organization.objects.get(key=key)


def incident(n: int = 1) -> SubjectRef:
    return SubjectRef("sharing.incidentreport", str(n), f"Incident {n}")


def test_open_computes_the_due_moment_in_the_holders_zone_across_a_dst_change():
    wi = org("state:WI")  # America/Chicago
    trigger = dt.datetime(2026, 3, 6, 23, 30, tzinfo=CHI)
    o = services.open("S2261-4i", incident(), trigger, wi)
    assert o.time_zone == "America/Chicago"
    assert o.local_due.date() == dt.date(2026, 3, 9)
    assert o.local_due.utcoffset() == dt.timedelta(hours=-5)  # CDT after the 8 March change
    assert (o.local_due.hour, o.local_due.minute) == (23, 59)
    assert o.state.usps == "WI" and not o.is_policy
    assert o.rule_description == "not later than 3 calendar days after the discovery of the incident"
    # due soon from the start of 2026-03-08 (24 h lead time counts back from the start of the last day)
    assert o.due_soon_at == dt.datetime(2026, 3, 8, tzinfo=CHI)


def test_the_holders_zone_decides_the_local_day():
    # 23:30 in New York is 22:30 in Chicago: the same instant, the same local date there...
    trigger = dt.datetime(2026, 3, 2, 0, 30, tzinfo=NY)  # but 23:30 on 1 March in Chicago
    chicago = services.open("S2261-4i", incident(2), trigger, org("state:WI"))
    new_york = services.open("S2261-4i", incident(2), trigger, org("state:NY"))
    assert chicago.local_due.date() == dt.date(2026, 3, 4)
    assert new_york.local_due.date() == dt.date(2026, 3, 5)


def test_open_is_idempotent_and_journalled_once():
    wi = org("state:WI")
    trigger = dt.datetime(2026, 3, 2, 14, tzinfo=NY)
    before = Entry.objects.filter(action="obligations:obligation:open").count()
    first = services.open("S2261-4i", incident(3), trigger, wi)
    again = services.open("S2261-4i", incident(3), trigger, wi)
    assert first.pk == again.pk
    assert Obligation.objects.filter(duty_code="S2261-4i", subject_id="3").count() == 1
    assert Entry.objects.filter(action="obligations:obligation:open").count() == before + 1
    entry = Entry.objects.filter(action="obligations:obligation:open").last()
    assert entry.object_id == str(first.pk) and entry.summary["citation"] == "S.2261 §4(i)"


def test_the_database_refuses_a_second_obligation_for_the_same_trigger():
    wi = org("state:WI")
    trigger = dt.datetime(2026, 3, 2, 14, tzinfo=NY)
    o = services.open("S2261-4i", incident(4), trigger, wi)
    copy = Obligation(
        duty_code=o.duty_code,
        holder=wi,
        subject_type=o.subject_type,
        subject_id=o.subject_id,
        time_zone=o.time_zone,
        trigger_at=o.trigger_at,
        due_at=o.due_at,
        due_soon_at=o.due_soon_at,
        rule_description="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_unknown_duty_and_naive_trigger_are_refused():
    with pytest.raises(ObligationError):
        services.open("S2261-99z", None, dt.datetime(2026, 3, 2, tzinfo=NY), org("state:WI"))
    with pytest.raises(ObligationError):
        services.open("S2261-4i", incident(5), dt.datetime(2026, 3, 2, 14), org("state:WI"))


def test_a_model_instance_is_a_subject():
    subject = org("jurisdiction:0100100000")
    o = services.open("HR5011-205b1", subject, dt.datetime(2026, 1, 5, 9, tzinfo=NY), org("national-office"))
    assert (o.subject_type, o.subject_id) == ("directory.organization", str(subject.pk))
    assert o.state == subject.state  # a national duty owed to a State's agency counts for that State
    assert o.local_due.date() == dt.date(2026, 4, 5)


def test_recurring_duties_get_a_cycle_label():
    o = services.open("S2261-6a1", None, dt.date(2026, 3, 1), org("national-office"))
    assert o.cycle == "FY2026"
    assert o.local_due.date() == dt.date(2026, 10, 30)


@time_machine.travel(dt.datetime(2026, 3, 9, 12, tzinfo=NY), tick=False)
def test_status_is_derived_while_open():
    wi = org("state:WI")
    o = services.open("S2261-4i", incident(6), dt.datetime(2026, 3, 6, 10, tzinfo=CHI), wi)
    assert o.status_at(dt.datetime(2026, 3, 7, 12, tzinfo=CHI)) == Status.OPEN
    assert o.status_at(dt.datetime(2026, 3, 8, 0, 0, 1, tzinfo=CHI)) == Status.DUE_SOON
    assert o.status_at(dt.datetime(2026, 3, 9, 23, 59, 59, tzinfo=CHI)) == Status.DUE_SOON
    assert o.status_at(dt.datetime(2026, 3, 10, 0, 0, 0, tzinfo=CHI)) == Status.OVERDUE
    now = dt.datetime(2026, 3, 10, 1, tzinfo=CHI)
    assert list(Obligation.objects.overdue(now)) == [o]
    assert list(Obligation.objects.with_status("due_soon", now)) == []
    assert list(Obligation.objects.due_soon(dt.datetime(2026, 3, 9, tzinfo=CHI))) == [o]


@time_machine.travel(dt.datetime(2026, 3, 12, 12, tzinfo=NY), tick=False)
def test_fulfil_on_time_late_and_not_twice():
    wi = org("state:WI")
    on_time = services.open("S2261-4i", incident(7), dt.datetime(2026, 3, 6, 10, tzinfo=CHI), wi)
    late = services.open("S2261-4i", incident(8), dt.datetime(2026, 3, 6, 10, tzinfo=CHI), wi)
    services.fulfil(SYSTEM, on_time, dt.datetime(2026, 3, 9, 23, 59, tzinfo=CHI), "sharing.notification:1")
    services.fulfil(SYSTEM, late, dt.datetime(2026, 3, 10, 0, 1, tzinfo=CHI), "sharing.notification:2")
    assert on_time.status == Status.FULFILLED_ON_TIME and on_time.fulfilled_by_event == "sharing.notification:1"
    assert Obligation.objects.get(pk=late.pk).status == Status.FULFILLED_LATE
    with pytest.raises(ObligationError, match="already"):
        services.fulfil(SYSTEM, on_time, dt.datetime(2026, 3, 10, tzinfo=CHI), "again")
    assert Entry.objects.filter(action="obligations:obligation:fulfil", object_id=str(late.pk)).count() == 1


@time_machine.travel(dt.datetime(2026, 3, 12, 12, tzinfo=NY), tick=False)
def test_fulfil_refuses_bad_moments_and_missing_event():
    o = services.open("S2261-4i", incident(9), dt.datetime(2026, 3, 6, 10, tzinfo=CHI), org("state:WI"))
    with pytest.raises(ObligationError, match="future"):
        services.fulfil(SYSTEM, o, dt.datetime(2026, 4, 1, tzinfo=CHI), "x")
    with pytest.raises(ObligationError, match="before its clock"):
        services.fulfil(SYSTEM, o, dt.datetime(2026, 3, 1, tzinfo=CHI), "x")
    with pytest.raises(ObligationError, match="event"):
        services.fulfil(SYSTEM, o, dt.datetime(2026, 3, 8, tzinfo=CHI), "  ")
    assert Obligation.objects.get(pk=o.pk).status == Status.OPEN


def test_waive_needs_a_written_reason_and_reopen_restores():
    o = services.open("S2261-4i", incident(10), dt.datetime(2026, 3, 6, 10, tzinfo=CHI), org("state:WI"))
    with pytest.raises(ObligationError, match="reason"):
        services.waive(SYSTEM, o, "   ")
    services.waive(SYSTEM, o, "Assessment found no incident occurred.")
    assert Obligation.objects.get(pk=o.pk).status == Status.WAIVED
    # the database also refuses a waiver without a reason
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.filter(pk=o.pk).update(waived_reason="")
    services.reopen(SYSTEM, o, "waived in error")
    o.refresh_from_db()
    assert o.status == Status.OPEN and o.waived_reason == ""
    actions = list(Entry.objects.filter(object_type="obligations.obligation", object_id=str(o.pk)).values_list("action", flat=True))
    assert actions == ["obligations:obligation:open", "obligations:obligation:waive", "obligations:obligation:reopen"]


def test_policy_duties_are_marked_and_overridable(settings):
    settings.OBLIGATION_POLICY_TARGETS = {"S2261-4h1": 2}
    o = services.open("S2261-4h1", incident(11), dt.datetime(2026, 3, 2, 9, tzinfo=CHI), org("state:WI"))
    assert o.is_policy and o.kind_label == "internal policy target"
    assert o.local_due.date() == dt.date(2026, 3, 4)
    assert "not a statutory deadline" in o.rule_description


def test_internal_policy_duty_registered_by_an_app():
    from safelect.core.obligations.registry import get, register_policy_duty

    duty = register_policy_duty(
        "TEST-FOLLOWUP",
        "Answer a follow-up",
        10,
        "national_office",
        lead_times=(dt.timedelta(days=2), dt.timedelta(0)),
        origin="tests",
        text="Program policy: answer within 10 days.",
    )
    assert (
        register_policy_duty(
            "TEST-FOLLOWUP",
            "Answer a follow-up",
            10,
            "national_office",
            lead_times=(dt.timedelta(days=2), dt.timedelta(0)),
            origin="tests",
            text="Program policy: answer within 10 days.",
        )
        is duty
    )
    with pytest.raises(ValueError):
        register_policy_duty("S2261-x", "no", 1, "national_office", origin="tests", text="x")
    assert get("TEST-FOLLOWUP").bill == "internal policy"
    o = services.open("TEST-FOLLOWUP", incident(12), dt.datetime(2026, 5, 1, 9, tzinfo=NY), org("national-office"))
    assert o.is_policy and o.local_due.date() == dt.date(2026, 5, 11)
    assert o.due_soon_at == dt.datetime(2026, 5, 9, tzinfo=NY)
