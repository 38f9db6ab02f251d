"""Demo data for the preparedness services, recorded through the services (idempotent):

* the catalog: eight services of Federal agencies (and the Federally funded EI-ISAC), described in
  our own words from what those programs publish; the points of contact are demo addresses;
* two assessment teams; Wisconsin's requested assessment (scheduled within the 90 days), Alabama's
  assessment of Autauga County's systems (late: the §205(b)(2) notice, then started, report delivered
  with three remediation items, one closed) and Baldwin County's draft awaiting its State;
* clearance requests: Wisconsin's chief election official (final, so the catalog shows them the
  annex notes), Wisconsin's staff member (forms submitted, temporary clearance) and Autauga County's
  official (requested);
* the 2026 and 2028 threat assessments tracked for every State; 2026 mirrors the obligations demo
  (delivered where its clock is fulfilled; Wisconsin, Pennsylvania and Arizona outstanding);
* the §4(o) assessment of inter-State sharing: the 2025 edition with its comment period over (moved
  into the past for the demo), Wisconsin's comment considered and Minnesota's waiting for its
  disposition before the assessment can be issued; the 2026 edition open for comments, with
  Wisconsin's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.demo import DEMO_DOMAIN, demo_email
from safelect.core.accounts.models import Membership
from safelect.core.directory.models import Organization
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation

from . import assessments, catalog, clearances, threats
from .models import AssessmentRequest, AssessmentTeam, CatalogService, ClearanceRequest, ThreatAssessment

SERVICES = [
    (
        "Cyber hygiene vulnerability scanning",
        "Cybersecurity and Infrastructure Security Agency",
        "assessment",
        "Continuous scanning of an election office's internet-facing systems for known vulnerabilities and weak configurations, "
        "with a weekly report and alerts for critical findings.",
        "State and local election offices and their election service providers.",
        "Sign the service agreement and send the list of public addresses to scan.",
        "",
    ),
    (
        "Risk and vulnerability assessment",
        "Cybersecurity and Infrastructure Security Agency",
        "assessment",
        "A team tests named election systems on site or remotely — network, web applications, databases, phishing — and delivers "
        "findings with remediation steps. On a chief State election official's written request it begins within 90 days or the "
        "office is told when it will (H.R. 5011 §205).",
        "Chief State election officials, for their office or a local election agency of the State.",
        "Request it in safelect; local agencies draft the request for their State.",
        "assessment",
    ),
    (
        "Remote penetration testing",
        "Cybersecurity and Infrastructure Security Agency",
        "assessment",
        "Testing from the internet of the systems voters and the public reach: voter registration look-up, results reporting, "
        "election websites.",
        "State and local election offices.",
        "Write to the point of contact with the systems and a testing window.",
        "",
    ),
    (
        "Phishing campaign assessment",
        "Cybersecurity and Infrastructure Security Agency",
        "training",
        "A simulated phishing campaign against an election office's staff, measuring clicks and reports, with training material.",
        "State and local election offices.",
        "Write to the point of contact; the campaign runs over six weeks.",
        "",
    ),
    (
        "Election infrastructure intrusion detection sensors",
        "Center for Internet Security (EI-ISAC), funded by the Department of Homeland Security",
        "monitoring",
        "Network sensors that watch an election office's internet traffic for known malicious activity, monitored around the clock.",
        "EI-ISAC members: State and local election offices.",
        "Join the EI-ISAC and ask for a sensor; the office pays only where noted.",
        "",
    ),
    (
        "Incident response assistance",
        "Cybersecurity and Infrastructure Security Agency",
        "response",
        "On-site or remote help to contain, investigate and recover from a cybersecurity incident, without charge.",
        "Any election agency that has, or believes it has, an incident.",
        "Report the incident in safelect (S.2261 §4(i)) and ask for assistance; call the point of contact when urgent.",
        "incident",
    ),
    (
        "Tabletop exercises for election officials",
        "Cybersecurity and Infrastructure Security Agency",
        "training",
        "A facilitated exercise of an election-day incident — ransomware, disinformation, a power outage — for an office and its partners.",
        "State and local election offices and their partners.",
        "Write to the point of contact two months ahead.",
        "",
    ),
    (
        "Security clearance sponsorship",
        "Department of Homeland Security",
        "clearance",
        "Sponsorship of security clearances (expedited for State election officials, their designated technical staff and the "
        "Commission) and temporary clearances so classified threat information reaches election officials in time.",
        "State election officials and designated technical staff; Commission members and staff; personnel of other election agencies.",
        "Request it in safelect.",
        "clearance",
    ),
]
ANNEX = "Read the annex entry at your State's fusion center or the national office; ask the clearance officer for an appointment."


def _catalog(staff: Actor) -> None:
    for title, agency, category, summary, eligibility, how, request in SERVICES:
        if CatalogService.objects.filter(title=title).exists():
            continue
        catalog.save_service(
            staff,
            {
                "title": title,
                "agency": agency,
                "category": category,
                "summary": summary,
                "eligibility": eligibility,
                "how_to_request": how,
                "request_in_safelect": request,
                "contact_name": "Election services desk (demo)",
                "contact_email": f"election-services@{DEMO_DOMAIN}",
                "annex_note": ANNEX if category in ("assessment", "response") else "",
                "published": True,
            },
        )


def _member(local: str, key: str) -> Actor | None:
    membership = Membership.objects.filter(user__email=demo_email(local), organization__key=key).select_related("organization").first()
    return Actor.member(membership) if membership else None


def _assessments(staff: Actor) -> None:
    east, _ = AssessmentTeam.objects.get_or_create(name="Assessment team East", defaults={"capacity": 2})
    AssessmentTeam.objects.get_or_create(name="Assessment team West", defaults={"capacity": 1})
    if AssessmentRequest.objects.exists():
        return
    today = timezone.localdate()
    wisconsin, alabama = _member("wi-chief", "state:WI"), Actor.system(Organization.objects.get(key="state:AL"))
    if wisconsin is not None:
        made = assessments.request_assessment(
            wisconsin,
            {"systems": "WisVote statewide voter registration system\nElection night results website", "window": "Not in October"},
        )
        assessments.schedule(staff, made, east, today + dt.timedelta(days=21), today + dt.timedelta(days=25))
    autauga = assessments.request_assessment(
        alabama,
        {"systems": "Voter registration workstations (Windows 10)\nElection management system server", "agency": "jurisdiction:0100100000"},
    )
    # 120 days ago: a start after the 90 days carries the §205(b)(2) notice
    back = timezone.now() - dt.timedelta(days=120)
    AssessmentRequest.objects.filter(pk=autauga.pk).update(received_at=back, drafted_at=back)
    Obligation.objects.filter(
        duty_code=assessments.COMMENCE_DUTY, subject_type="preparedness.assessmentrequest", subject_id=str(autauga.pk)
    ).update(trigger_at=back, due_at=back + dt.timedelta(days=90), due_soon_at=back + dt.timedelta(days=83))
    autauga.refresh_from_db()
    assessments.schedule(staff, autauga, east, today, today + dt.timedelta(days=3))
    assessments.commence(staff, autauga)
    assessments.deliver_report(
        staff,
        autauga,
        "The election management system server accepts remote desktop connections from the county network with a shared local "
        "administrator password. Two registration workstations lack the last three months of security updates. Backups are kept "
        "on the same network segment as the server.",
        "amber+strict",
        [
            {
                "title": "Remove the shared administrator password; use named accounts",
                "owner": "County IT",
                "due_on": today + dt.timedelta(days=30),
            },
            {"title": "Apply outstanding security updates", "owner": "County IT", "due_on": today + dt.timedelta(days=14)},
            {"title": "Keep an offline copy of the backups", "owner": "Probate Judge's office", "due_on": today + dt.timedelta(days=45)},
        ],
    )
    item = autauga.remediations.order_by("due_on").first()
    assessments.close_remediation(staff, item, "Updates applied on every workstation; verified by a new scan.")
    baldwin = _member("baldwin", "jurisdiction:0100300000")
    if baldwin is not None:
        assessments.request_assessment(baldwin, {"systems": "Electronic poll books (12 units)"})


def _clearances(staff: Actor, officer: Actor) -> None:
    if ClearanceRequest.objects.exists():
        return
    today = timezone.localdate()
    wisconsin = _member("wi-chief", "state:WI")
    if wisconsin is not None:
        chief = clearances.request_clearance(
            wisconsin,
            {
                "person": demo_email("wi-chief"),
                "category": "state_official",
                "level": "secret",
                "justification": "Classified briefings before the 2026 election.",
            },
        )
        ClearanceRequest.objects.filter(pk=chief.pk).update(requested_at=timezone.now() - dt.timedelta(days=200))
        chief.refresh_from_db()
        clearances.set_status(officer, chief, "forms_submitted", today - dt.timedelta(days=190))
        clearances.set_status(officer, chief, "final", today - dt.timedelta(days=60))
        staff_request = clearances.request_clearance(
            wisconsin, {"person": demo_email("wi-staff"), "category": "state_technical", "level": "secret", "temporary": True}
        )
        clearances.set_status(officer, staff_request, "forms_submitted", today)
        clearances.issue_temporary(officer, staff_request, today, today + dt.timedelta(days=180))
    autauga = _member("autauga", "jurisdiction:0100100000")
    if autauga is not None:
        clearances.request_clearance(autauga, {"person": demo_email("autauga"), "category": "other_agency", "level": "secret"})


def _threats(staff: Actor) -> None:
    for year in (2026, 2028):
        threats.plan_year(staff, year)
    for record in ThreatAssessment.objects.filter(election_year=2026, status=ThreatAssessment.Status.PLANNED).select_related("state"):
        clock = threats.clocks(2026, record.state_office_id).first()
        if clock is not None and clock.status in CLOSED_STATUSES and clock.fulfilled_at:
            # mirrors the obligations demo, which fulfilled these clocks when the assessments went out
            ThreatAssessment.objects.filter(pk=record.pk).update(
                status=ThreatAssessment.Status.DELIVERED,
                developed_at=clock.fulfilled_at,
                delivered_at=clock.fulfilled_at,
                note="Transmitted by the DNI (demo).",
            )


def _interstate(staff: Actor) -> None:
    from safelect.core.comments import services as comments
    from safelect.core.comments.models import Solicitation

    from . import interstate
    from .models import SharingAssessment

    if SharingAssessment.objects.exists():
        return
    wisconsin = _member("wi-chief", "state:WI")
    scope = (
        "How the Multi-State ISAC serves election offices (alerts, sensors, the election-night operations centre) and what other "
        "channels States use to share election cybersecurity information with each other: regional calls, associations, "
        "direct contacts. Tell us what works, what is missing and what you would change."
    )
    earlier = interstate.solicit(staff, interstate.create(staff, "Inter-State sharing of election cybersecurity information, 2025", scope))
    minnesota = _member("wi-chief", "state:MN")  # the demo's Wisconsin chief also acts for Minnesota's office
    for who, text in (
        (wisconsin, "The EI-ISAC alerts arrive quickly; a regional call with our neighbours fills the gaps."),
        (minnesota, "We rely on the EI-ISAC and would welcome a shared directory of State contacts."),
    ):
        if who is not None:
            comments.submit_comment(who, earlier.solicitation, text)
    # the 2025 comment period is over in the demo: Wisconsin's comment is considered, Minnesota's is not yet
    Solicitation.objects.filter(pk=earlier.solicitation_id).update(closes_at=timezone.now() - dt.timedelta(days=1))
    first = earlier.solicitation.comments.filter(organization__key="state:WI").first()
    if first is not None:
        comments.dispose(staff, first, "adopted", "Regional calls are recommended to every State.")
    current = interstate.solicit(staff, interstate.create(staff, "Inter-State sharing of election cybersecurity information, 2026", scope))
    if wisconsin is not None:
        comments.submit_comment(wisconsin, current.solicitation, "We would like the regional calls to include the counties' IT staff.")


def create_demo_data() -> list:
    office = Organization.objects.filter(key="national-office").first()
    staff_membership = Membership.objects.filter(user__email=demo_email("program-staff"), organization=office).first()
    officer_membership = Membership.objects.filter(user__email=demo_email("clearance"), organization=office).first()
    if office is None or staff_membership is None or officer_membership is None:
        return []
    staff, officer = Actor.member(staff_membership), Actor.member(officer_membership)
    with transaction.atomic():
        _catalog(staff)
        _assessments(staff)
        _clearances(staff, officer)
        _threats(staff)
        _interstate(staff)
    return []
