"""Demo data for ``safelect demo``: the released 2017 weekly summary, imported through the real
import service, plus a Wisconsin meeting recorded by hand (with withheld passages) and two
follow-ups, so the coverage map, the review queue and the FOIA export show something.
Idempotent: the import recognises its own rows and the hand-made records are looked up first."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from safelect.core.directory.models import State

from . import services
from .access import Actor
from .models import Engagement

DEMO_FILE = "weekly_summary_2017.txt"
DEMO_LOCATION = "Wisconsin Elections Commission, Madison (demo record)"


def create_demo_data():
    data = resources.files("safelect.programs.engagements.data").joinpath(DEMO_FILE).read_bytes()
    system = Actor.system()
    services.commit_import(data, DEMO_FILE, system)
    if Engagement.objects.filter(location__contains=[{"text": DEMO_LOCATION, "exemption": None}]).exists():
        return []
    users = get_user_model().objects
    staff = users.filter(email__startswith="program-staff@").first()
    field = users.filter(email__startswith="region5@").first()
    with transaction.atomic():
        wisconsin = State.objects.get(usps="WI")
        meeting = services.create_engagement(
            system,
            {
                "state": wisconsin,
                "region": wisconsin.region,
                "status": "dated",
                "meeting_date": timezone.localdate() - dt.timedelta(days=12),
                "location": DEMO_LOCATION,
                "attendees": "[[(b)(6)|Alex Administrator]], Wisconsin Elections Commission; county clerks of Dane and Milwaukee",
                "discussion": "Reviewed poll-book security and the canvass schedule. [[(b)(5)|Commission considering a statewide risk-limiting audit pilot.]]",
                "issues": "Staffing for the November canvass.",
                "follow_up": "Send the cyber hygiene scanning enrolment forms.",
                "leadership_awareness": "[[(b)(5)|Budget request for poll-book replacement may reach Congress.]]",
            },
            [u for u in (staff, field) if u],
        )
        services.open_follow_up(
            system,
            meeting,
            "Send cyber hygiene enrolment forms to the Commission",
            timezone.localdate() + dt.timedelta(days=5),
            owner=field,
            owner_text="" if field else "Region 5 field staff",
        )
        ohio = Engagement.objects.filter(state__usps="OH").first()
        if ohio is not None:
            services.open_follow_up(
                system,
                ohio,
                "Confirm the date of the follow-up meeting with the Secretary's office",
                timezone.localdate() - dt.timedelta(days=3),
                owner=staff,
                owner_text="" if staff else "National program staff",
            )
    return []
