"""Demo incidents for ``safelect demo``, recorded through the real services (so their clocks,
notices and journal entries are the real thing), at different stages:

* Autauga County, AL: a possible incident an hour old, not yet assessed (the §4(h) clock runs);
* Autauga County, AL: an incident discovered yesterday, notice to the national office due (§4(i));
* Wisconsin's State election office: an incident discovered five days ago, notified late with the
  reason, and one update (§4(k)(2)) naming a voter, with a sample of the records viewed attached
  (both found by the §4(g) personal-information scan, awaiting review);
  recorded as significant (under the demo definition of §4(p)(2)) with Congress notified;
* Baldwin County, AL: a possible incident assessed as no incident;
* BallotWorks (the demo vendor), which hosts Autauga County's results site: a possible incident on
  its platform, notified to Autauga County (§4(j)).

Idempotent: each demo report carries an idempotency key, and later steps run only once.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization, ServiceRelationship
from safelect.core.directory.services import link_provider

from . import services, significance
from .models import Incident, SignificantDetermination

DEMO_CRITERIA = [
    ("registration_access", "Confirmed unauthorised access to a voter registration database"),
    ("votes_affected", "Votes or vote counts could have been altered"),
    ("multi_jurisdiction", "More than one jurisdiction affected"),
    ("service_disrupted", "Voters were prevented from registering or voting"),
]


DEMO_EXTRACT = (
    b"voter_id,first_name,last_name,dob,res_address,municipality\n"
    b"0041234567,Maria,Garcia,1958-04-17,210 W Main Street,Madison\n"
    b"0041234568,David,Olson,1971-09-02,18 Lake View Drive,Madison\n"
    b"0041234569,Keisha,Brown,1990-12-30,4410 University Avenue,Madison\n"
)


def _content(started: dt.datetime, **changes) -> dict:
    return {
        "started_at": started,
        "ended_at": None,
        "systems": ["voter_registration_database"],
        "circumstances": "A service account of the statewide registration system logged in from an unexpected address at night.",
        "information_acquired": "Under investigation; no change to voter records found so far.",
        "measures_planned": "Independent forensic review; rotate every service account credential.",
        "measures_implemented": "Disabled the service account; added address restrictions on the administrative interface.",
        **changes,
    }


@transaction.atomic
def create_demo_data():
    now = timezone.now()
    autauga = Organization.objects.get(key="jurisdiction:0100100000")
    baldwin = Organization.objects.get(key="jurisdiction:0100300000")
    wisconsin = Organization.objects.get(key="state:WI")
    as_autauga, as_baldwin, as_wisconsin = Actor.system(autauga), Actor.system(baldwin), Actor.system(wisconsin)

    services.report_possible(
        as_autauga,
        title="Unusual log-in attempts on the results website",
        aware_at=now - dt.timedelta(hours=1),
        how_learned="Alert from the county's web hosting provider",
        systems=["election_night_reporting", "website"],
        idempotency_key="demo-1",
    )

    pollbooks = services.report_possible(
        as_autauga,
        title="Phishing email to poll workers",
        aware_at=now - dt.timedelta(days=1, hours=3),
        how_learned="A poll worker forwarded a suspicious email asking for e-pollbook passwords",
        systems=["email", "e_pollbook"],
        idempotency_key="demo-2",
    )
    if pollbooks.assessment == Incident.Assessment.ASSESSING:
        services.assess(as_autauga, pollbooks, outcome="occurred", discovered_at=now - dt.timedelta(days=1))

    registration = services.report_possible(
        as_wisconsin,
        title="Registration system service account used at night",
        aware_at=now - dt.timedelta(days=5, hours=2),
        how_learned="Nightly log review by the State's security team",
        systems=["voter_registration_database"],
        idempotency_key="demo-3",
    )
    if registration.assessment == Incident.Assessment.ASSESSING:
        services.assess(as_wisconsin, registration, outcome="occurred", discovered_at=now - dt.timedelta(days=5))
    if registration.notified_at is None:
        services.notify(
            as_wisconsin,
            registration,
            _content(now - dt.timedelta(days=5, hours=6)),
            late_reason="The forensic firm's first findings came on day 4; the State notified as soon as it could describe the incident.",
        )
        services.update(
            as_wisconsin,
            registration,
            _content(
                now - dt.timedelta(days=5, hours=6),
                ended_at=now - dt.timedelta(days=5, hours=4),
                information_acquired=(
                    "Names and addresses of 212 registered voters were viewed; no record was changed. Among them: "
                    "Maria Garcia, DOB 04/17/1958, voter ID 0041234567, 210 W Main Street, Madison, WI 53703. "
                    "The session came from 198.51.100.23; questions to the State's help desk at (608) 266-8005."
                ),
            ),
            note="Forensics established what was viewed and that the access ended after two hours.",
        )
    if not registration.evidence.exists():  # a sample of the records viewed: a voter-file extract (§4(g) review by column)
        services.attach_evidence(
            as_wisconsin,
            registration,
            SimpleUploadedFile("records-viewed-sample.csv", DEMO_EXTRACT),
            description="Sample of the records viewed",
        )

    vendor = Organization.objects.filter(key="demo:vendor:ballotworks").first()
    if vendor is not None:
        as_vendor = Actor.system(vendor)
        if not ServiceRelationship.objects.filter(provider=vendor, agency=autauga, ended_at__isnull=True).exists():
            link_provider(as_vendor, provider=vendor, agency=autauga, services="Hosts the election night results site")
        platform = services.report_possible(
            as_vendor,
            title="Intrusion attempt on the hosted results platform",
            aware_at=now - dt.timedelta(days=2),
            how_learned="Intrusion detection alert on the publishing server",
            systems=["election_night_reporting"],
            idempotency_key="demo-5",
        )
        if platform.notified_at is None:
            services.notify_agencies(
                as_vendor,
                platform,
                _content(
                    now - dt.timedelta(days=2, hours=1),
                    systems=["election_night_reporting"],
                    circumstances="Repeated attempts to log in to the publishing server of the results platform.",
                ),
                agencies=[autauga],
            )

    national = Organization.objects.get(key="national-office")
    as_office = Actor.system(national)
    definition = significance.current_definition() or significance.adopt_definition(
        as_office,
        text="An election cybersecurity incident is significant when it meets at least one of the criteria below (demo definition).",
        criteria=DEMO_CRITERIA,
        adopted_on=now.date() - dt.timedelta(days=60),
    )
    if definition.submitted_on is None:
        significance.record_submission(as_office, definition, now.date() - dt.timedelta(days=55))
    if not SignificantDetermination.objects.filter(incident=registration).exists():
        significance.determine_significant(
            as_office,
            registration,
            criteria=["registration_access"],
            basis_at=now - dt.timedelta(days=3),
            reason="Records of registered voters were viewed through a statewide system.",
        )
        significance.notify_congress(as_office, registration)

    false_alarm = services.report_possible(
        as_baldwin,
        title="Tabulator showed an error at logic and accuracy testing",
        aware_at=now - dt.timedelta(days=3),
        how_learned="Error code during pre-election testing",
        systems=["tabulator"],
        idempotency_key="demo-4",
    )
    if false_alarm.assessment == Incident.Assessment.ASSESSING:
        services.assess(
            as_baldwin, false_alarm, outcome="no_incident", reason="A worn memory card; the vendor confirmed no sign of tampering."
        )
    return []
