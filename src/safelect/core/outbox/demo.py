"""Demo data: one announcement from the national office to the election agencies' demo officials,
so that every demo State and local official has a notice in the inbox (and an email on the console).

Idempotent: sent with a ``dedupe_key``, so a second ``safelect demo`` adds nothing.
"""

from __future__ import annotations

from django.db import transaction

from safelect.core.directory.models import Organization

from . import services

DEMO_ANNOUNCEMENT_TITLE = "Report incidents within the statutory deadline (demo)"
DEMO_ANNOUNCEMENT_MESSAGE = (
    "Ahead of the primaries, the national office reminds every election agency to report a suspected "
    "cybersecurity incident against an election system through safelect as soon as it is found: the "
    "statutory clock starts at discovery, not at confirmation. Your obligations page shows the deadline "
    "of each open report."
)


def create_demo_data() -> list:
    office = Organization.objects.filter(key="national-office").first()
    with transaction.atomic():
        services.send(
            "outbox.announcement",
            context={
                "title": DEMO_ANNOUNCEMENT_TITLE,
                "message": DEMO_ANNOUNCEMENT_MESSAGE,
                "organization_kinds": ["state_election_office", "local_election_agency"],
            },
            organization=office,
            dedupe_key="demo:outbox:incident-reporting-reminder",
        )
    return []
