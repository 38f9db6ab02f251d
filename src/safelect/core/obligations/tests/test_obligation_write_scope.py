"""Who may fulfil, waive and reopen which obligations: every role, every write, other organizations' ids.

The attack that found the hole: a chief State election official waived, and State staff fulfilled,
the national office's H.R. 5011 §204(a) assessment owed to their State, because writes checked the
State the obligation concerns instead of its holder. Each role here writes to a fresh obligation,
through the API and the page, and the database is checked afterwards, not only the status code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import DEFAULT_ORGANIZATION, make_member
from safelect.core.directory.models import Organization
from safelect.core.journal.models import Entry
from safelect.core.obligations import services
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.services import SubjectRef

pytestmark = pytest.mark.django_db
CHI = ZoneInfo("America/Chicago")
_n = itertools.count(1000)


def _open(duty: str, holder_key: str, concerning: str = "state:WI") -> Obligation:
    """A fresh open obligation (unique subject) held by ``holder_key`` concerning a State."""
    n = next(_n)
    holder = Organization.objects.get(key=holder_key)
    subject = SubjectRef("sharing.incidentreport", str(n), f"Incident {n}") if duty != "HR5011-204a" else None
    if subject is None:
        return services.open(
            duty, Organization.objects.get(key=concerning), dt.datetime.now(CHI) - dt.timedelta(days=1), holder, cycle=f"test-{n}"
        )
    return services.open(duty, subject, dt.datetime.now(CHI) - dt.timedelta(hours=1), holder)


def _api(client, obligation: Obligation, action: str):
    body = {"event": "attack"} if action == "fulfil" else {"reason": "attack"}
    return client.post(f"/api/obligations/obligations/{obligation.pk}/{action}", json.dumps(body), content_type="application/json")


def _status(obligation: Obligation) -> str:
    return Obligation.objects.get(pk=obligation.pk).status


# Obligations of other organizations than the actor's: (duty, holder) for every attack.
NATIONAL_204 = ("HR5011-204a", "national-office")  # statutory, national office, concerns WI
COUNTY_4I = ("S2261-4i", "jurisdiction:0100100000")  # statutory, an Alabama county
WI_4I = ("S2261-4i", "state:WI")  # statutory, held by the Wisconsin State office


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_role_writes_to_another_organizations_statutory_obligation_except_national_waivers(role):
    """Fulfilling is for the holder only; recording "does not apply" is for national program staff
    and leadership only. Everybody else changes nothing, whatever their State or region."""
    _, client = make_member(role)
    acting_for = DEFAULT_ORGANIZATION[role]
    for duty, holder in (NATIONAL_204, COUNTY_4I, WI_4I):
        if holder == acting_for:
            continue
        target = _open(duty, holder)
        response = _api(client, target, "fulfil")
        assert response.status_code in (403, 404), (role, duty, holder, response.status_code)
        assert _status(target) == "open"
        target = _open(duty, holder)
        response = _api(client, target, "waive")
        national_waiver = role in ("national_program_staff", "national_leadership")
        if national_waiver:
            assert response.status_code == 200, (role, duty, holder, response.content)
            assert _status(target) == "waived"
        else:
            assert response.status_code in (403, 404), (role, duty, holder, response.status_code)
            assert _status(target) == "open"


def test_chief_state_official_cannot_waive_the_national_204_assessment_of_their_state():
    target = _open(*NATIONAL_204)
    _, chief = make_member("chief_state_election_official", "state:WI")
    _, staff = make_member("state_election_staff", "state:WI")
    assert chief.get(f"/api/obligations/obligations/{target.pk}").status_code == 200  # they may see it
    assert _api(chief, target, "waive").status_code == 403
    assert _api(staff, target, "fulfil").status_code == 403
    assert _status(target) == "open"


def test_a_holder_cannot_waive_its_own_statutory_duty_but_may_fulfil_it():
    own = _open(*WI_4I)
    _, chief = make_member("chief_state_election_official", "state:WI")
    refused = chief.post(reverse("obligations:waive", args=[own.pk]), {"reason": "we decided it does not apply"}, follow=True)
    assert "Not waived" in refused.content.decode() and _status(own) == "open"
    page = chief.get(reverse("obligations:detail", args=[own.pk])).content.decode()
    assert reverse("obligations:waive", args=[own.pk]) not in page  # no form offered either
    assert _api(chief, own, "fulfil").status_code == 200 and _status(own).startswith("fulfilled")


def test_national_staff_record_not_applicable_with_a_reason_in_the_journal_but_not_for_their_own_duty():
    county = _open(*COUNTY_4I)
    _, staff = make_member("national_program_staff")
    ok = staff.post(
        f"/api/obligations/obligations/{county.pk}/waive",
        json.dumps({"reason": "The event was not an election cybersecurity incident."}),
        content_type="application/json",
    )
    assert ok.status_code == 200
    entry = Entry.objects.filter(
        object_type="obligations.obligation", object_id=str(county.pk), action="obligations:obligation:waive"
    ).get()
    assert entry.summary["kind"] == "statutory duty recorded as not applicable"
    assert entry.summary["reason"].startswith("The event was not")
    own = _open(*NATIONAL_204)
    assert _api(staff, own, "waive").status_code == 403 and _status(own) == "open"
    _, leader = make_member("national_leadership")
    assert _api(leader, own, "waive").status_code == 200 and _status(own) == "waived"


def test_chief_state_official_waives_an_internal_policy_duty_of_a_county_in_their_state_only():
    wi_county = Organization.objects.filter(kind="local_election_agency", state__usps="WI").order_by("pk").first()
    mn_county = Organization.objects.filter(kind="local_election_agency", state__usps="MN").order_by("pk").first()
    _, chief = make_member("chief_state_election_official", "state:WI")
    mine = _open("S2261-4h1", wi_county.key)
    other = _open("S2261-4h1", mn_county.key)
    assert mine.is_policy
    assert _api(chief, mine, "waive").status_code == 200 and _status(mine) == "waived"
    assert _api(chief, other, "waive").status_code in (403, 404) and _status(other) == "open"
