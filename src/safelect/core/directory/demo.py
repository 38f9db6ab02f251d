"""Demo organizations of the kinds the directory holds but no reference file lists.

The vendors and the research group are fictional; the federal partners, the States and the
jurisdictions come from the reference data.
"""

from django.db import transaction

from .models import Organization

DEMO_ORGANIZATIONS = [
    ("demo:vendor:ballotworks", "BallotWorks Voting Systems (demo vendor)", Organization.Kind.ELECTION_SERVICE_PROVIDER, "America/Chicago"),
    ("demo:vendor:pollbook", "Precinct Pollbook Co. (demo vendor)", Organization.Kind.ELECTION_SERVICE_PROVIDER, "America/Denver"),
    (
        "demo:research:civic-lab",
        "Civic Election Security Lab (demo research organization)",
        Organization.Kind.RESEARCH_ORG,
        "America/Los_Angeles",
    ),
]


def create_demo_data():
    with transaction.atomic():
        for key, name, kind, zone in DEMO_ORGANIZATIONS:
            Organization.objects.update_or_create(key=key, defaults={"name": name, "kind": kind, "time_zone": zone, "is_demo": True})
    return []
