"""Demo data for Hack the Election, recorded through the services (idempotent):

* safe harbour version 1 (its text is a demo placeholder for what the §8(f) consultations produce);
* inventories: BallotWorks makes the "BallotWorks Tally 5" precinct tabulator, which Autauga County
  (AL) and the Wisconsin Elections Commission record in theirs; Autauga County runs its results site;
* designations: BallotWorks volunteers the tabulator in a test laboratory, Autauga County its results
  site (production, read-only);
* the round "2027 spring round", open now, with a monetary schedule and recognition;
* the demo researcher (Riley Researcher, Civic Election Security Lab) qualified; one application
  awaiting its decision;
* three reports: one valid and previously unidentified (notified through the sharing program to
  BallotWorks, Autauga County and Wisconsin, with an award proposed), one later report of the same
  weakness awaiting triage (the duplicate finder proposes the first), and one valid report on the
  results site disclosed publicly (its coordinated date moved to today for the demo), its award
  approved, so the hall of fame lists Riley.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safelect.core import confirmations
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.demo import demo_email
from safelect.core.accounts.models import Membership
from safelect.core.directory import services as directory
from safelect.core.directory.models import ElectionSystem, Organization
from safelect.core.web.demo import DEMO_PASSWORD

from . import awards, findings, participation, researchers, rounds
from .models import Award, Designation, Finding, Researcher, Round

HARBOR = (
    "DEMO TEXT. If you make a good-faith effort to follow the rules of engagement of a scope offered in a Hack the Election round, "
    "the national office considers your testing authorized, will not recommend legal action against you for it, and asks the "
    "participating agency or vendor to do the same. Stop testing and report at once if you reach voters' personal information, "
    "and do not keep or share it. This statement does not bind third parties."
)
VECTOR_CRITICAL = "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
VECTOR_MEDIUM = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N"


def _member(local: str, key: str) -> Actor:
    return Actor.member(Membership.objects.get(user__email=demo_email(local), organization__key=key))


def _system(actor, organization, **values) -> ElectionSystem:
    found = ElectionSystem.objects.filter(organization=organization, product=values["product"]).first()
    return found or directory.add_system(actor, organization=organization, values=values)


def _designation(actor, system, **values) -> Designation:
    found = Designation.objects.filter(system=system).first()
    harbor = participation.current_safe_harbor()
    return found or participation.designate(actor, {"system": system, "safe_harbor_version": harbor.version, "agree": True, **values})


@transaction.atomic
def create_demo_data():
    office = Organization.objects.filter(key="national-office").first()
    if office is None or not Membership.objects.filter(user__email=demo_email("program-staff")).exists():
        return []
    staff = _member("program-staff", "national-office")
    if participation.current_safe_harbor() is None:
        participation.publish_safe_harbor(
            staff, text=HARBOR, consultation="Demo: the Attorney General (18 U.S.C. 1030, 17 U.S.C. 1201); DoD's Defense Digital Service."
        )
    vendor_org = Organization.objects.get(key="demo:vendor:ballotworks")
    autauga_org = Organization.objects.get(key="jurisdiction:0100100000")
    wisconsin_org = Organization.objects.get(key="state:WI")
    vendor, autauga, wisconsin = (
        _member("vendor", vendor_org.key),
        _member("autauga", autauga_org.key),
        _member("wi-chief", wisconsin_org.key),
    )
    tally = dict(category="tabulator", manufacturer="BallotWorks", product="Tally 5")
    made = _system(vendor, vendor_org, **tally, version="5.4.1", note="Our precinct scanner and tabulator")
    _system(autauga, autauga_org, **tally, version="5.3.0", note="All 27 polling places")
    _system(wisconsin, wisconsin_org, **tally, version="5.4.1", note="Certified for use by 41 counties")
    site = _system(
        autauga, autauga_org, category="election_night_reporting", manufacturer="Autauga County", product="Results site", version="2026"
    )
    today = timezone.localdate()
    lab = _designation(
        vendor,
        made,
        circumstances="test_lab",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=90),
        rules_of_engagement="Test the two units shipped to the lab, their firmware and the removable media. Physical access to the units is allowed; "
        "tamper seals may be broken and must be photographed.",
        out_of_scope="Our corporate network, build servers and staff; any unit in a county's custody.",
    )
    results = _designation(
        autauga,
        site,
        circumstances="production_read_only",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=60),
        rules_of_engagement="Read-only testing of the public results site. At most 10 requests a second; no denial of service.",
        out_of_scope="Voter registration and the county's internal network; social engineering of county staff.",
    )
    now = timezone.now()
    spring = Round.objects.filter(title="2027 spring round").first()
    if spring is None:
        spring = rounds.create_round(
            staff,
            {
                "title": "2027 spring round",
                "opens_at": now - dt.timedelta(days=10),
                "closes_at": now + dt.timedelta(days=50),
                "rules": "Report through safelect only. The first report of a vulnerability counts; later ones are duplicates. "
                "Keep findings confidential until the advisory is published.",
                "scopes": [lab, results],
                "award_critical": 15000,
                "award_high": 7500,
                "award_medium": 2500,
                "award_low": 500,
                "non_monetary": "A letter of recognition from the national office",
            },
        )
    riley_membership = Membership.objects.get(user__email=demo_email("researcher"), organization__key="demo:research:civic-lab")
    riley = Researcher.objects.filter(user=riley_membership.user).first()
    if riley is None:
        harbor = participation.current_safe_harbor()
        riley = Researcher.objects.create(
            reference=f"HTQ-{now.year}-DEMO1",
            user=riley_membership.user,
            organization=riley_membership.organization,
            legal_name="Riley Researcher",
            country="United States",
            affiliations="Civic Election Security Lab (a university lab)",
            attested_identity=True,
            attested_adult=True,
            attested_not_barred=True,
            agreed_safe_harbor=harbor,
            public_name="Riley R.",
            hall_of_fame=True,
            applied_at=now - dt.timedelta(days=12),
            email_confirmed_at=now - dt.timedelta(days=12),
        )
        researchers.decide(staff, riley, qualified=True, reason="Identity checked; no conflicting affiliation.")
    if not Researcher.objects.filter(user__email=demo_email("applicant")).exists():
        harbor = participation.current_safe_harbor()
        jordan = researchers.apply(
            {
                "email": demo_email("applicant"),
                "legal_name": "Jordan Applicant",
                "country": "United States",
                "password": DEMO_PASSWORD,
                "attested_identity": True,
                "attested_adult": True,
                "attested_not_barred": True,
                "agree": True,
                "safe_harbor_version": harbor.version,
            }
        )
        # Jordan followed the link in the confirmation email, so the office may decide either way
        researchers.confirm_email(confirmations.token(researchers.CONFIRM_PURPOSE, jordan.pk, jordan.user.email))
    riley_actor = Actor.member(riley_membership)
    if not Finding.objects.filter(researcher=riley).exists():
        first = findings.submit(
            riley_actor,
            {
                "designation": lab,
                "title": "Unsigned firmware update accepted from the USB port",
                "affected_version": "5.4.1",
                "description": "The tabulator installs a firmware image from a USB stick at boot without checking its signature. "
                "Anyone with a minute of access to a unit before the polls open can replace the tabulation code.",
                "steps": "1. Build a firmware image with a changed version string.\n2. Copy it to a FAT32 stick as UPDATE.BIN.\n"
                "3. Insert the stick and power-cycle the unit.\n4. The diagnostics screen shows the changed version.",
                "cwe": "CWE-494",
                "cvss_vector": VECTOR_CRITICAL,
            },
        )
        findings.triage(
            staff,
            first,
            {
                "status": "valid",
                "triage_note": "Reproduced in the lab on version 5.4.1. BallotWorks confirmed it.",
                "novel": "yes",
                "novelty_reason": "No earlier report, advisory or vendor bulletin describes it; BallotWorks did not know of it.",
                "tlp": "amber",
            },
        )
        findings.submit(
            riley_actor,
            {
                "designation": lab,
                "title": "Firmware image from USB installed without a signature check",
                "affected_version": "5.4.1",
                "description": "A firmware image placed on a USB stick is installed at boot without any signature check, so the "
                "tabulation code can be replaced by anyone with brief access.",
                "steps": "Copy a modified UPDATE.BIN to a stick, insert it, and restart the tabulator.",
                "cwe": "CWE-494",
                "cvss_vector": VECTOR_CRITICAL,
            },
        )
        third = findings.submit(
            riley_actor,
            {
                "designation": results,
                "title": "Reflected script injection in the results search",
                "affected_version": "2026",
                "description": "The precinct search box of the results site echoes its query into the page without encoding, so a crafted "
                "link runs script in a visitor's browser and can show false results.",
                "steps": "Open /results?precinct=<script>alert(1)</script> and see the alert.",
                "cwe": "CWE-79",
                "cvss_vector": VECTOR_MEDIUM,
            },
        )
        findings.triage(
            staff,
            third,
            {
                "status": "valid",
                "triage_note": "Reproduced; fixed by the county the next day.",
                "novel": "yes",
                "novelty_reason": "Not in any earlier report or advisory.",
                "tlp": "amber",
            },
        )
        Finding.objects.filter(pk=third.pk).update(disclosure_on=today)  # the coordinated date moved to today for the demo
        third.refresh_from_db()
        findings.disclose(
            staff,
            third,
            "Autauga County's election-night results site (2026) echoed the precinct search query into the page without encoding "
            "(CWE-79). A crafted link could run script in a visitor's browser and show false results. The county fixed it; no "
            "action is needed by visitors.",
        )
        awards.approve(_member("director", "national-office"), Award.objects.get(finding=third))
    return []
