"""Every role × every incident write × an incident of another organization (a Vermont town's:
outside every role's usual scope). Only the listed roles may succeed; everyone else gets
401/403/404/422 and the database is unchanged. JSON API writes and page forms (multipart for
evidence) alike, the §4(g) review and closing, and the §4(p) determination and definition."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.core.personal.models import Finding
from safelect.programs.incidents import services, significance
from safelect.programs.incidents.models import Incident, SignificanceDefinition, SignificantDetermination

pytestmark = pytest.mark.django_db
EASTERN = ZoneInfo("America/New_York")
NATIONAL = frozenset({"national_program_staff", "national_leadership"})


def _vermont_incident(*, notified: bool = True) -> Incident:
    town = Organization.objects.filter(kind=Organization.Kind.LOCAL_ELECTION_AGENCY, state__usps="VT").order_by("key").first()
    user, _ = make_member("local_election_official", town)
    clerk = Actor.member(Membership.objects.get(user=user))
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 0, tzinfo=EASTERN), tick=False):
        incident = services.report_possible(
            clerk,
            title="Phishing",
            aware_at=dt.datetime(2026, 11, 3, 8, 0, tzinfo=EASTERN),
            how_learned="Voter Ann Lee, DOB 01/02/1980 called",
            systems=["email"],
        )
        if notified:
            services.assess(clerk, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 3, 8, 30, tzinfo=EASTERN))
            services.notify(
                clerk,
                incident,
                {
                    "started_at": dt.datetime(2026, 11, 3, 7, 0, tzinfo=EASTERN),
                    "ended_at": None,
                    "circumstances": "A phishing email reached the clerk.",
                    "systems": ["email"],
                    "information_acquired": "None known.",
                    "measures_planned": "Training.",
                    "measures_implemented": "Password reset.",
                },
            )
    return Incident.objects.get(pk=incident.pk)


def _fresh(incident: Incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


def _definition():
    if not SignificanceDefinition.objects.exists():
        significance.adopt_definition(
            Actor.system(),
            text="A significant incident…",
            criteria=[("vrdb", "Registration database accessed")],
            adopted_on=dt.date(2026, 1, 5),
        )
    return SignificanceDefinition.objects.get()


def _unsubmitted_definition():
    definition = _definition()
    SignificanceDefinition.objects.filter(pk=definition.pk).update(submitted_on=None)
    return definition


def _keep_first(incident: Incident) -> dict:
    finding = Finding.objects.filter(subject_id=str(incident.pk)).first()
    return {f"decision-{finding.pk}": "keep", f"reason-{finding.pk}": "mine"}


@dataclass
class Write:
    name: str
    make: Callable[[], object]
    send: Callable[[object, object], object]  # (client, target) -> response
    changed: Callable[[object], bool]
    allowed: frozenset[str] = frozenset()


def _json(path: str, body: dict):
    return lambda client, i: client.post(path.format(pk=i.pk), json.dumps(body), content_type="application/json")


NOTICE = {
    "started_at": "2026-11-03T07:00:00-05:00",
    "systems": ["email"],
    "circumstances": "x",
    "information_acquired": "x",
    "measures_planned": "x",
    "measures_implemented": "x",
}

WRITES = [
    Write(
        "assess (API)",
        lambda: _vermont_incident(notified=False),
        _json("/api/incidents/reports/{pk}/assessment", {"outcome": "no_incident", "reason": "mine"}),
        lambda i: _fresh(i).assessment != "assessing",
    ),
    Write(
        "update the notice (API)",
        _vermont_incident,
        _json("/api/incidents/reports/{pk}/updates", {**NOTICE, "note": "rewritten"}),
        lambda i: i.notices.count() > 1,
    ),
    Write(
        "attach evidence (page, multipart)",
        _vermont_incident,
        lambda client, i: client.post(f"/incidents/{i.pk}/evidence/", {"file": SimpleUploadedFile("x.log", b"planted\n")}),
        lambda i: i.evidence.exists(),
        NATIONAL,
    ),
    Write(
        "attach evidence (API, multipart)",
        _vermont_incident,
        lambda client, i: client.post(f"/api/incidents/reports/{i.pk}/evidence", {"file": SimpleUploadedFile("x.log", b"planted\n")}),
        lambda i: i.evidence.exists(),
        NATIONAL,
    ),
    Write(
        "keep personal information (§4(g) review)",
        _vermont_incident,
        lambda client, i: client.post(f"/incidents/{i.pk}/personal/", _keep_first(i)),
        lambda i: Finding.objects.filter(subject_id=str(i.pk), decision="keep").exists(),
        NATIONAL,
    ),
    Write(
        "close the incident",
        _vermont_incident,
        lambda client, i: client.post(f"/incidents/{i.pk}/close/", {"note": "closed by someone"}),
        lambda i: _fresh(i).closed_at is not None,
        NATIONAL,
    ),
    Write(
        "record it as significant (§4(p))",
        lambda: (_definition(), _vermont_incident())[1],
        lambda client, i: client.post(
            f"/incidents/{i.pk}/significant/", {"criteria": ["vrdb"], "basis_at": "2026-11-03T10:00", "reason": "because", "counties": ""}
        ),
        lambda i: SignificantDetermination.objects.filter(incident=i).exists(),
        NATIONAL,
    ),
    Write(
        "adopt a definition of significance (§4(p)(2))",
        lambda: SignificanceDefinition.objects.count(),
        lambda client, before: client.post(
            "/incidents/significance/",
            {"action": "adopt", "adopt-text": "Mine", "adopt-criteria": "x | X", "adopt-adopted_on": "2026-11-01"},
        ),
        lambda before: SignificanceDefinition.objects.count() > before,
        frozenset({"national_leadership"}),
    ),
    Write(
        "record the definition's submission to Congress",
        lambda: _unsubmitted_definition(),
        lambda client, d: client.post("/incidents/significance/", {"action": "submit", "submit-submitted_on": "2026-11-01"}),
        lambda d: SignificanceDefinition.objects.get(pk=d.pk).submitted_on is not None,
        frozenset({"national_leadership"}),
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_only_the_listed_roles_write_to_another_organizations_incident(write):
    wrong = []
    for role in ROLES:
        target = write.make()
        _, client = make_member(role)
        with time_machine.travel(dt.datetime(2026, 11, 4, 12, 0, tzinfo=EASTERN), tick=False):
            response = write.send(client, target)
        took_effect = write.changed(target)
        if role in write.allowed:
            if not (200 <= response.status_code < 400 and took_effect):
                wrong.append(f"{role}: expected the write to succeed, got {response.status_code} {response.content[:300]!r}")
        elif response.status_code not in (401, 403, 404, 422) or took_effect:
            wrong.append(f"{role}: expected refusal with nothing changed, got {response.status_code}, changed={took_effect}")
    assert not wrong, f"{write.name}:\n" + "\n".join(wrong)
