"""Demo data for governance, recorded through the services (idempotent). Names are invented.

* The Advisory Panel with its nine members (composition complete) and a public meeting; the
  Commission with nine of its ten members (the page shows the missing seat and the §302(c)(4) clock).
* Guidelines version 1 taken through its whole lifecycle — for the demo its 45-day comment period is
  moved into the past (the only change made outside the services), with two published comments, one of
  which had a voter's Social Security number removed; version 2 (the two-yearly review) open for
  comment now, with one comment awaiting moderation and one held for personal information.
* The national strategy submitted and public; its implementation plan being drafted with objectives,
  tasks and progress; the foreign-threats report started (State comments solicited).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.demo import demo_email
from safelect.core.accounts.models import Membership
from safelect.core.comments import public as public_comments
from safelect.core.comments import services as comment_services
from safelect.core.directory.models import Organization
from safelect.core.obligations.models import Obligation

from . import bodies, guidelines, plan, reports
from .forms import parse_sections
from .models import Body, GuidelineVersion, Report

PANEL = [
    ("Morgan Ellis", "secretary", "cybersecurity, risk management", "chair"),
    ("Priya Natarajan", "secretary", "cybersecurity, cryptography", "member"),
    ("Samuel Okafor", "secretary", "cybersecurity, incident response", "member"),
    ("Lena Hoffmann", "secretary", "cybersecurity, statistics", "member"),
    ("Diego Ramírez", "secretary", "cybersecurity, voting systems", "member"),
    ("Harriet Cole", "nass", "election law", "member"),
    ("Victor Lindqvist", "nased", "election administration", "member"),
    ("Rosa Delgado", "naco", "election administration", "member"),
    ("Theo Baptiste", "nlc", "election administration, cybersecurity", "member"),
]
COMMISSION = [
    ("Avery Stone", "secretary", "national security", "chair"),
    ("Jordan Blake", "chairman", "election administration", "vice_chair"),
    ("Kim Tanaka", "senate_majority", "cybersecurity", "member"),
    ("Luis Moreno", "senate_majority", "constitutional law", "member"),
    ("Nora Quinn", "senate_minority", "national security", "member"),
    ("Omar Haddad", "senate_minority", "cybersecurity", "member"),
    ("Paula Reyes", "speaker", "constitutional law", "member"),
    ("Quentin Ross", "speaker", "election law", "member"),
    ("Rita Singh", "house_minority", "cybersecurity", "member"),
]
SECTIONS_V1 = """## Scope and purpose
These guidelines apply to every election system used in a Federal election: voter registration, pollbooks, ballot marking, tabulation, results reporting.

## Top risks to election systems
Covers: S.2261 §5(b)(2)(A)
Compromise of voter registration databases; malware on tabulation equipment; tampering with results reporting; ransomware in county networks.

## How technology choices change the risks
Covers: S.2261 §5(b)(2)(B)
Paper records that voters verify make tabulation attacks detectable; networked equipment increases exposure.

## Procuring, maintaining, testing, auditing, operating and updating systems
Covers: S.2261 §5(b)(1), S.2261 §5(b)(2)(C)
Buy systems tested to the Voluntary Voting System Guidelines; patch within the vendor's window; test logic and accuracy before each election; keep chain of custody logs.

## Paper ballots voters verify
Covers: S.2261 §5(d)(1)
Each vote is cast on a paper ballot, marked by hand or by device, that the voter can inspect and confirm before casting it, with accessible marking devices.

## Audits before certification
Covers: S.2261 §5(d)(2)
Results are determined by tabulating the paper ballots; before certification, officials inspect by hand a random sample of ballots large enough to give high statistical confidence in the outcome (a risk-limiting audit)."""
SECTIONS_V2 = (
    SECTIONS_V1.replace("ransomware in county networks.", "ransomware in county networks; compromise of election-night reporting sites.")
    + "\n\n## Election-night reporting\nPublish unofficial results from a system separate from tabulation; sign result files."
)


def _member(local: str) -> Actor:
    return Actor.member(Membership.objects.get(user__email=demo_email(local), organization__key="national-office"))


def _bodies(staff: Actor, today: dt.date) -> None:
    panel, _ = Body.objects.get_or_create(
        kind=Body.Kind.PANEL,
        defaults={"name": "Advisory Panel on Election Cybersecurity", "established_on": today - dt.timedelta(days=400), "term_months": 24},
    )
    commission, _ = Body.objects.get_or_create(
        kind=Body.Kind.COMMISSION,
        defaults={
            "name": "National Commission to Protect United States Democratic Institutions",
            "established_on": today - dt.timedelta(days=50),
        },
    )
    for body, people, since in ((panel, PANEL, 380), (commission, COMMISSION, 40)):
        for name, appointer, expertise, office in people:
            if not body.members.filter(name=name).exists():
                bodies.appoint(
                    staff,
                    body,
                    name=name,
                    appointed_by=appointer,
                    expertise=expertise,
                    appointed_on=today - dt.timedelta(days=since),
                    office=office,
                )
    if not panel.meetings.exists():
        meeting = bodies.record_meeting(
            staff,
            panel,
            held_at=timezone.now() - dt.timedelta(days=30),
            title="Review of the guidelines: opening meeting",
            agenda="1. Comments received on version 1.\n2. Risks of election-night reporting sites.\n3. Schedule of the review.",
            is_public=True,
        )
        bodies.record_minutes(
            staff, meeting, "The panel agreed to add a section on election-night reporting and to open version 2 for comment."
        )


def _comment(solicitation, text: str, name: str = "", email: str = "", address: str = "192.0.2.10"):
    return public_comments.submit(solicitation, text=text, name=name, email=email, address=address)


def _guidelines(staff: Actor, director: Actor) -> None:
    if not GuidelineVersion.objects.exists():
        v1 = guidelines.draft(
            staff,
            title="Election Cybersecurity Guidelines",
            summary="The first guidelines of the Advisory Panel for election systems (S.2261 §5(h)).",
            sections=parse_sections(SECTIONS_V1),
            factors={cite: "Considered by the panel at its meetings; see the minutes." for cite in guidelines.FACTORS},
            cycle="initial",
        )
        v1 = guidelines.open_comment(staff, v1, federal_register="83 FR 10001")
        s = v1.solicitation
        first = _comment(
            s, "Please require that audits be public and observable by both parties.", name="Jamie Voter", email="jamie@example.org"
        )
        second = _comment(
            s,
            "My ballot was rejected last year. My SSN is 219-09-9999 and my voter ID number is 4417729. Audits should be required in every county.",
            name="Chris Citizen",
            address="192.0.2.11",
        )
        for c in (first, second):
            public_comments.moderate(staff, c, "publish")
        # Demo only: the comment period is moved into the past so the lifecycle can be shown complete.
        past = timezone.now() - dt.timedelta(days=200)
        type(s).objects.filter(pk=s.pk).update(opens_at=past - dt.timedelta(days=45), closes_at=past)
        Obligation.objects.filter(duty_code="S2261-5f", subject_id=str(v1.pk), subject_type="governance.guidelineversion").update(
            trigger_at=past - dt.timedelta(days=45), due_at=past, due_soon_at=past - dt.timedelta(days=3)
        )
        s.refresh_from_db()
        v1 = guidelines.close_comment(staff, v1)
        for c in (first, second):
            comment_services.dispose(staff, c, "adopted", "The audits section requires public, observable audits.")
        guidelines.consult(
            staff, v1, entity="5g12", held_on=timezone.localdate() - dt.timedelta(days=210), summary="MS-ISAC reviewed the risks section."
        )
        v1 = guidelines.submit_to_secretary(staff, v1)
        v1 = guidelines.send_to_congress(director, v1, modified=False)
        guidelines.distribute_and_publish(director, v1)
    if not GuidelineVersion.objects.filter(number=2).exists():
        v2 = guidelines.draft(
            staff,
            title="Election Cybersecurity Guidelines",
            summary="The two-yearly review (S.2261 §5(l)): adds election-night reporting.",
            sections=parse_sections(SECTIONS_V2),
            factors={cite: "Reconsidered for the review." for cite in guidelines.FACTORS},
            cycle="review",
        )
        v2 = guidelines.open_comment(staff, v2)
        _comment(
            v2.solicitation, "Election-night sites should be load tested before each election.", name="Sam Clerk", address="192.0.2.12"
        )
        _comment(
            v2.solicitation,
            "Our county's results site went down. Call me at (608) 555-0142; my date of birth is 04/12/1961.",
            address="192.0.2.13",
        )


def _reports(staff: Actor, director: Actor) -> None:
    if not Report.objects.filter(kind="strategy").exists():
        strategy = reports.start(staff, "strategy")
        texts = {s["key"]: f"Demo text of {s['heading'].lower()} ({s['cites']})." for s in strategy.sections if not s["generated"]}
        reports.write(staff, strategy, texts=texts, authors="Office of Election Security (demo)")
        reports.send_for_review(staff, strategy)
        reports.review(director, strategy, approve=True)
        reports.submit(director, strategy, public=True)
    if not Report.objects.filter(kind="implementation-plan").exists():
        p = reports.start(staff, "implementation-plan")
        today = timezone.localdate()
        goals = [
            (
                "Every State has a tested incident response plan",
                "H.R. 5011 §301(b)(2)",
                [("Tabletop exercises with each State", 55, 31, "States", 2_400_000)],
            ),
            (
                "Foreign influence operations detected and shared within a day",
                "H.R. 5011 §301(b)(1)",
                [("Daily threat products to every State", 365, 210, "days", 1_100_000)],
            ),
        ]
        for title, topic, tasks in goals:
            objective = plan.add_objective(staff, p, title=title, strategy_topic=topic)
            for name, target, actual, unit, cost in tasks:
                t = plan.add_task(
                    staff,
                    objective,
                    title=name,
                    starts_on=today - dt.timedelta(days=60),
                    due_on=today + dt.timedelta(days=300),
                    cost=cost,
                    metric=f"{unit} covered",
                    target=target,
                    unit=unit,
                )
                plan.update_progress(staff, t, actual)
        reports.write(staff, p, texts={}, authors="Office of Election Security (demo)")
    if not Report.objects.filter(kind="foreign-threats").exists():
        try:
            reports.start(staff, "foreign-threats")
        except ValidationError:  # no open clock (every cycle met): nothing to start
            pass


@transaction.atomic
def create_demo_data():
    if (
        not Organization.objects.filter(key="national-office").exists()
        or not Membership.objects.filter(user__email=demo_email("director")).exists()
    ):
        return []
    staff, director = _member("program-staff"), _member("director")
    today = timezone.localdate()
    _bodies(staff, today)
    _guidelines(staff, director)
    _reports(staff, director)
    return []
