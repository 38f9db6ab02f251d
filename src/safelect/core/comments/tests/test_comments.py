"""The one comment mechanism: the audience, one comment per organization revised until the close,
reminders to those who have not commented (once a day), dispositions after the close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.comments import services
from safelect.core.comments.models import Solicitation
from safelect.core.outbox.models import Notice

pytestmark = pytest.mark.django_db


def _actor(role, key=None):
    user, client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user)), client


def _open(staff, days=10):
    return services.open_solicitation(
        staff,
        title="How do you share threat information with other States?",
        body="Tell us which channels you use and what is missing.",
        audience_kinds=["state_election_office"],
        closes_at=timezone.now() + dt.timedelta(days=days),
        origin="test",
    )


def test_states_comment_once_and_revise_until_the_close():
    staff, _ = _actor("national_program_staff")
    county, _ = _actor("local_election_official")
    with pytest.raises(PermissionDenied):
        _open(county)
    solicitation = _open(staff)
    assert Notice.objects.filter(kind="comments.solicitation").count() == 1
    wisconsin, wisconsin_client = _actor("chief_state_election_official", "state:WI")
    with pytest.raises(PermissionDenied):
        services.submit_comment(county, solicitation, "A county is not asked here.")
    with pytest.raises(ValidationError):
        services.submit_comment(wisconsin, solicitation, "short")
    first = services.submit_comment(wisconsin, solicitation, "We use the EI-ISAC and a regional call.")
    again = services.submit_comment(wisconsin, solicitation, "We use the EI-ISAC, a regional call and email.")
    assert first.pk == again.pk and again.text.endswith("email.") and solicitation.comments.count() == 1
    rows = services.responses(solicitation)
    assert len(rows) == 56 and sum(1 for r in rows if r["comment"]) == 1
    answer = wisconsin_client.get(f"/comments/{solicitation.pk}/")
    page = answer.content.decode()
    assert answer.status_code == 200, page[page.find("<main") :][:600]
    assert "Revise the comment" in page and "Responses:" not in page  # a State sees only its own
    assert services.remind(staff, solicitation) == 55
    with pytest.raises(ValidationError, match="already sent today"):
        services.remind(staff, solicitation)
    with pytest.raises(ValidationError, match="follow the close"):
        services.dispose(staff, first, "adopted", "Good point.")
    Solicitation.objects.filter(pk=solicitation.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    solicitation.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.submit_comment(wisconsin, solicitation, "Too late to say this.")
    with pytest.raises(PermissionDenied):
        services.dispose(wisconsin, first, "adopted", "Self-approval.")
    with pytest.raises(ValidationError):
        services.dispose(staff, first, "adopted", "")
    services.dispose(staff, first, "partly", "Email channel added to the recommendations.")
    assert services.undisposed(solicitation) == 0
    _, county_client = _actor("local_election_official")
    assert county_client.get(f"/comments/{solicitation.pk}/").status_code == 404  # not asked: not visible
