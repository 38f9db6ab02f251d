"""Demo data (idempotent) and follow-ups as internal-policy obligations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safelect.core.obligations.models import Obligation
from safelect.programs.engagements import demo, queries, services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.followups import GETBACK_DUTY
from safelect.programs.engagements.models import Engagement, FollowUp


@pytest.mark.django_db
def test_demo_is_idempotent_and_fills_the_coverage_map():
    demo.create_demo_data()
    counts = (Engagement.objects.count(), FollowUp.objects.count(), Obligation.objects.count())
    assert counts[0] == 43 and counts[1] == 2
    demo.create_demo_data()
    assert (Engagement.objects.count(), FollowUp.objects.count(), Obligation.objects.count()) == counts
    grouped = dict((region.number, items) for region, items in queries.coverage(Actor.system()))
    assert sum(len(items) for items in grouped.values()) == 56
    wisconsin = next(i for i in grouped[5] if i.state.usps == "WI")
    assert wisconsin.category == "recent" and wisconsin.days_since == 12 and wisconsin.open_follow_ups == 1
    assert wisconsin.label.startswith("Wisconsin: last engaged ") and "12 days ago, 1 open follow-up" in wisconsin.label
    ohio = next(i for i in grouped[5] if i.state.usps == "OH")
    assert ohio.overdue_follow_ups == 1 and "(1 overdue)" in ohio.label
    texas = next(i for i in grouped[6] if i.state.usps == "TX")
    assert texas.category == "none" and texas.label == "Texas: no engagement recorded"


@pytest.mark.django_db
def test_a_follow_up_opens_and_closes_its_policy_obligation():
    demo.create_demo_data()
    follow_up = FollowUp.objects.get(engagement__state__usps="WI")
    obligation = services.obligation_of(follow_up)
    assert obligation.duty_code == GETBACK_DUTY and obligation.is_policy
    assert obligation.holder.key == "national-office"
    assert obligation.due_at.astimezone(dt.UTC) > obligation.trigger_at
    system = Actor.system()
    with pytest.raises(ValidationError):
        services.close_follow_up(system, follow_up, "cancelled", "")  # a cancellation needs a reason
    services.close_follow_up(system, follow_up, "done")
    obligation.refresh_from_db()
    assert obligation.status == "fulfilled_on_time"
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.closed_at


@pytest.mark.django_db
def test_full_text_search_hides_withheld_words_from_state_officials():
    demo.create_demo_data()
    system = Actor.system()
    assert [e.state.usps for e in queries.search(system, "risk-limiting audit pilot")] == ["WI"]
    assert queries.search(system, '"Illinois Senate"').exists()

    class Released(Actor):
        def may(self, permission):
            return permission != "engagements:engagement:view_internal"

    released = Released()
    assert not queries.search(released, "risk-limiting audit pilot").exists()
    assert not queries.search(released, "poll-book replacement").exists()  # an internal column
    assert [e.state.usps for e in queries.search(released, "canvass schedule")] == ["WI"]
