"""The sweep: opening the coming cycles, reminders once per threshold, escalation when overdue."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.core.obligations import services
from safelect.core.obligations.models import Obligation, Reminder
from safelect.core.obligations.services import SubjectRef
from safelect.core.obligations.sweep import claim, open_coming_cycles, send_reminders, sweep
from safelect.core.outbox.models import Delivery, InboxItem, Notice

SYSTEM = Actor.system()

NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")
pytestmark = pytest.mark.django_db


def org(key: str) -> Organization:
    return Organization.objects.get(key=key)


def open_incident(holder_key: str = "jurisdiction:5502500000", n: int = 1, trigger=None) -> Obligation:
    holder = (
        Organization.objects.filter(key=holder_key).first()
        or Organization.objects.filter(kind="local_election_agency", state__usps="WI").order_by("pk").first()
    )
    return services.open(
        "S2261-4i",
        SubjectRef("sharing.incidentreport", str(n), f"Incident {n}"),
        trigger or dt.datetime(2026, 3, 6, 10, tzinfo=CHI),
        holder,
    )


def reminders(o: Obligation) -> list[tuple[str, bool]]:
    return list(Reminder.objects.filter(obligation=o).order_by("threshold").values_list("threshold", "skipped"))


def test_nothing_before_the_first_threshold():
    o = open_incident(n=1)
    report = send_reminders(dt.datetime(2026, 3, 7, 23, 59, tzinfo=CHI))
    assert report.reminders == 0 and reminders(o) == []


def test_sweep_twice_at_the_same_moment_sends_each_reminder_once():
    o = open_incident(n=2)
    user, _ = make_member("local_election_official", o.holder)
    moment = dt.datetime(2026, 3, 8, 9, tzinfo=CHI)  # past the 24 h threshold (start of 8 March)
    first = send_reminders(moment)
    second = send_reminders(moment)
    assert (first.reminders, second.reminders) == (1, 0)
    assert reminders(o) == [("lead-86400", False)]
    notices = Notice.objects.filter(dedupe_key=f"obligation:{o.pk}:lead-86400")
    assert notices.count() == 1
    notice = notices.get()
    assert notice.kind == "obligations.reminder" and "due tomorrow" in notice.email_subject.lower()
    assert Delivery.objects.filter(notice=notice, user=user).exists()
    # the "due today" threshold comes on the last day, once
    assert send_reminders(dt.datetime(2026, 3, 9, 0, 5, tzinfo=CHI)).reminders == 1
    assert send_reminders(dt.datetime(2026, 3, 9, 0, 5, tzinfo=CHI)).reminders == 0
    assert reminders(o) == [("lead-0", False), ("lead-86400", False)]


def test_a_late_opened_obligation_gets_only_the_latest_reminder():
    o = open_incident(n=3)
    report = send_reminders(dt.datetime(2026, 3, 9, 8, tzinfo=CHI))
    assert (report.reminders, report.skipped) == (1, 1)
    assert reminders(o) == [("lead-0", False), ("lead-86400", True)]


def test_a_threshold_can_be_claimed_only_once():
    o = open_incident(n=4)
    now = dt.datetime(2026, 3, 8, 9, tzinfo=CHI)
    assert claim(o.pk, "lead-86400", now) is not None
    assert claim(o.pk, "lead-86400", now) is None  # a second worker's INSERT … ON CONFLICT does nothing
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(obligation=o, threshold="lead-86400", sent_at=now)


def test_overdue_escalates_to_holder_supervisor_and_national_office_once():
    o = open_incident(n=5)
    holder_user, _ = make_member("local_election_official", o.holder)
    state_user, _ = make_member("chief_state_election_official", o.holder.parent)
    national_user, _ = make_member("national_leadership", "national-office")
    other_county = Organization.objects.filter(kind="local_election_agency", state__usps="WI").exclude(pk=o.holder.pk).first()
    bystander, _ = make_member("local_election_official", other_county)
    moment = dt.datetime(2026, 3, 10, 0, 1, tzinfo=CHI)
    assert sweep(moment).escalations >= 1
    assert sweep(moment).escalations == 0
    notice = Notice.objects.get(dedupe_key=f"obligation:{o.pk}:overdue")
    assert notice.kind == "obligations.overdue" and notice.email_subject.startswith("OVERDUE")
    told = set(Delivery.objects.filter(notice=notice, channel="inbox").values_list("user_id", flat=True))
    assert {holder_user.pk, state_user.pk, national_user.pk} <= told
    assert bystander.pk not in told
    assert reminders(o) == [("overdue", False)]

    from safelect.core.outbox.delivery import deliver_notice

    deliver_notice(notice.pk, "inbox")
    assert InboxItem.objects.filter(user=holder_user, notice=notice).exists()


def test_closed_obligations_get_no_reminders():
    o = open_incident(n=6)
    with time_machine.travel(dt.datetime(2026, 3, 8, tzinfo=CHI), tick=False):
        services.fulfil(SYSTEM, o, dt.datetime(2026, 3, 7, 12, tzinfo=CHI), "notified")
    assert send_reminders(dt.datetime(2026, 3, 10, 1, tzinfo=CHI)).escalations == 0
    assert reminders(o) == []


def test_reminder_email_can_be_turned_off_but_escalation_cannot():
    from safelect.core.outbox import registry

    assert registry.get("obligations.reminder").email_opt_out_allowed is True
    assert registry.get("obligations.overdue").email_opt_out_allowed is False


def test_opener_opens_the_threat_assessment_for_each_state_once():
    now = dt.datetime(2026, 1, 15, 12, tzinfo=NY)
    first = open_coming_cycles(now)
    again = open_coming_cycles(now)
    assert first > 0 and again == 0
    threat = Obligation.objects.filter(duty_code="HR5011-204a", cycle="2026 general election")
    assert threat.count() == 55  # the States of HAVA §901: not the Northern Mariana Islands
    assert not threat.filter(state__usps="MP").exists()
    assert {o.local_due.date() for o in threat} == {dt.date(2026, 5, 7)}
    assert {o.holder.key for o in threat} == {"national-office"}
    wi = threat.get(state__usps="WI")
    assert wi.subject_label.startswith("Wisconsin") and wi.subject_type == "directory.organization"
    # the joint report for FY2026 (30 October 2026) and the next §5(l) review (31 January 2027)
    assert Obligation.objects.get(duty_code="S2261-6a1", cycle="FY2026").local_due.date() == dt.date(2026, 10, 30)
    assert Obligation.objects.get(duty_code="S2261-5l", cycle="2027").local_due.date() == dt.date(2027, 1, 31)
    # the EAC's report 90 days after each fiscal year
    eac = Obligation.objects.get(duty_code="HR5011-101-297D", cycle="FY2026")
    assert eac.holder.kind == "eac" and eac.local_due.date() == dt.date(2026, 12, 29)
    assert not Obligation.objects.filter(due_at__lt=now).exists()  # past cycles are not opened as overdue
    # conditional duties (§321(b): only years with grants) and event duties are not opened by the job
    assert not Obligation.objects.filter(duty_code__in=["HR5011-121-321b", "S2261-4i"], cycle__startswith="FY").exists()


def test_sweep_task_runs_the_sweep_for_its_timestamp():
    from safelect.core.obligations.tasks import sweep_task

    stamp = int(dt.datetime(2026, 1, 15, 17, tzinfo=dt.UTC).timestamp())
    result = sweep_task(stamp)
    assert result["opened"] > 0
    assert sweep_task(stamp)["opened"] == 0


def test_past_cycles_open_only_on_request_and_are_marked_historical(client):
    from django.core.management import call_command

    from safelect.core.accounts.testing import make_member
    from safelect.core.obligations.sweep import open_past_cycles

    now = dt.datetime(2026, 12, 1, 12, tzinfo=NY)
    open_coming_cycles(now)
    assert not Obligation.objects.filter(duty_code="HR5011-204a", cycle="2026 general election").exists()  # never by itself
    assert open_past_cycles("HR5011-204a", dt.date(2026, 1, 1), now) == 55
    past = Obligation.objects.filter(duty_code="HR5011-204a", cycle="2026 general election")
    assert past.count() == 55 and all(o.is_historical for o in past)
    assert open_past_cycles("HR5011-204a", dt.date(2026, 1, 1), now) == 0  # idempotent
    assert not Obligation.objects.filter(duty_code="HR5011-204a", cycle="2028 general election", is_historical=True).exists()
    with pytest.raises(ValueError, match="no schedule of its own"):
        open_past_cycles("S2261-4i", dt.date(2026, 1, 1), now)
    with time_machine.travel(now, tick=False):
        _, staff = make_member("national_program_staff", "national-office")
        default = staff.get("/obligations/", {"duty": "HR5011-204a"}).content.decode()
        assert "historical</span>" not in default
        asked = staff.get("/obligations/", {"historical": "1", "status": "overdue"}).content.decode()
        assert "historical</span>" in asked
    out = __import__("io").StringIO()
    call_command("obligations", "open-past", "HR5011-204a", "--since", "2026-01-01", stdout=out)
    assert "0 past obligation(s)" in out.getvalue()
