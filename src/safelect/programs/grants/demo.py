"""Demo grants for ``safelect demo``, recorded through the real services (allocation frozen at
publication, clocks, journal): the S.2261 §7 formula program for FY2027 with Wisconsin's application
awaiting review and Minnesota's awarded (four payments, the first paid); an H.R. 5011 §297 program;
a §7(h) audit-reimbursement cycle with Colorado's claim; a Homeland Security Act §321 research call
with a proposal from the demo research lab; and one qualified vendor on each list. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.demo import ensure_demo_organization
from safelect.core.directory.models import Organization

from . import services
from .models import Program

FORMULA = "Election system cybersecurity and modernization grants, FY2027"


def _program(system: Actor, title: str, statute: str, amount: int) -> Program:
    today = timezone.localdate()
    draft = services.create_program(
        system,
        {
            "title": title,
            "statute": statute,
            "fiscal_year": 2027,
            "appropriation": amount,
            "opens_on": today - dt.timedelta(days=10),
            "closes_on": today + dt.timedelta(days=50),
        },
    )
    return services.publish(system, draft)


@transaction.atomic
def create_demo_data():
    if Program.objects.filter(title=FORMULA).exists():
        return []
    office = services.national_administrator("s2261-7")
    system = Actor.system(office)
    formula = _program(system, FORMULA, "s2261-7", 386_000_000)
    states = {key: Organization.objects.get(key=key) for key in ("state:WI", "state:MN", "state:CO")}
    answers = {
        "implementation": "Each county clerk adopts the guidelines' controls for the voter registration system and "
        "election night reporting before the 2028 presidential primary; the State runs the shared monitoring.",
        "audit_pilot_year": "2022",
        "buys_non_paper": "no",
    }
    wisconsin = Actor.system(states["state:WI"])
    needed = -(-formula.allocated_to("WI") // 10)
    services.save_application(wisconsin, formula, {**answers, "match_amount": str(needed)}, submit=True)
    minnesota = Actor.system(states["state:MN"])
    needed = -(-formula.allocated_to("MN") // 10)
    application = services.save_application(minnesota, formula, {**answers, "match_amount": str(needed)}, submit=True)
    services.record_judgement(
        system, application, "7b2Ai", "met", "Each county's controls and budget are named; the State's monitoring covers every county."
    )
    grant = services.award(system, application, payments=4, first_due=timezone.localdate() - dt.timedelta(days=1))
    services.record_payment(system, grant.payments.first(), timezone.localdate())

    _program(
        Actor.system(services.national_administrator("hr5011-297")),
        "Paper ballot voting systems and security improvements, FY2027",
        "hr5011-297",
        175_000_000,
    )

    audits = _program(system, "Reimbursing hand inspection of paper ballots, 2027 cycle", "s2261-7h", 5_000_000)
    services.save_application(
        Actor.system(states["state:CO"]),
        audits,
        {
            "election": "November 2026 general election",
            "office_scope": "statewide",
            "ballots_inspected": "260000",
            "claimed_expenses": "185000",
        },
        submit=True,
    )

    research = _program(system, "Election infrastructure innovation research, FY2027", "hsa-321", 2_000_000)
    lab = ensure_demo_organization("demo:research:civic-lab")
    if lab is not None:
        services.save_application(
            Actor.system(lab),
            research,
            {
                "entity_kind": "nonprofit",
                "project_title": "Tamper-evident electronic pollbook logs",
                "proposal": "Append-only, publicly verifiable logs for e-pollbook check-ins, piloted with two counties.",
                "amount_requested": "450000",
            },
            submit=True,
        )

    vendor = services.save_provider(
        system,
        {
            "listing": "hr5011-297b",
            "name": "BallotWorks",
            "services": "Ballot printing, election management system support",
            **{f"met_{c}": "on" for c in "ABCDE"},
            **{f"evidence_{c}": "Signed attestation and contract clause on file" for c in "ABCDE"},
        },
    )
    services.publish_provider(system, vendor)
    gsa = services.save_provider(
        system,
        {
            "listing": "s2261-7d",
            "name": "Keystone Cyber Response",
            "services": "Incident response retainer, penetration testing of election systems",
            "contract_vehicle": "GSA Highly Adaptive Cybersecurity Services (HACS) SIN",
            "met_qualified": "on",
            "evidence_qualified": "GSA qualification letter",
            "met_vehicle": "on",
            "evidence_vehicle": "Listed on the HACS SIN",
        },
    )
    services.publish_provider(system, gsa)
    return []
