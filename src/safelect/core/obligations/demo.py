"""Demo obligations, so "my deadlines", the board and the calendar show something.

Relative to the day ``safelect demo`` runs: a §4(i) incident notification due tomorrow for the
Wisconsin State office (due soon), an overdue §205(b)(1) assessment request from Michigan, a
§4(i) notification fulfilled late by Autauga County, a "promptly" §4(h)(1) policy target for
Baldwin County, a §5(f) comment period, and the §204 threat assessment of the 2026 general
election for every State (fulfilled for all but three when its due date has passed). The
periodic opener also runs, so the coming cycles of the recurring duties appear. Idempotent:
each scenario is opened once (found again by its demo subject).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization

from . import services
from .clocks import occurrences
from .models import Obligation
from .registry import get
from .services import SubjectRef
from .sweep import open_coming_cycles

OUTSTANDING_2026_THREAT_ASSESSMENT = {"WI", "PA", "AZ"}


def _org(key: str) -> Organization | None:
    return Organization.objects.filter(key=key).first()


def _scenario(code: str, ident: str, label: str, holder: Organization | None, trigger: dt.datetime):
    if holder is None:
        return None
    found = Obligation.objects.filter(duty_code=code, subject_type="demo.scenario", subject_id=ident).first()
    return found or services.open(code, SubjectRef("demo.scenario", ident, label), trigger, holder)


def _threat_assessment_2026(now: dt.datetime) -> None:
    office = _org("national-office")
    if office is None:
        return
    duty = get("HR5011-204a")
    cycle = next(
        iter(occurrences(duty, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, tzinfo=dt.UTC), office.time_zone)), None
    )
    if cycle is None:
        return
    for state_office in Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE).select_related("state"):
        if state_office.state is not None and not state_office.state.is_hava_state:
            continue  # H.R. 5011 §204 is owed to HAVA's 55 States
        o = services.open(
            duty, state_office, cycle.trigger_at, office, cycle=cycle.label, due_at=cycle.due_at, historical=cycle.due_at < now
        )
        if o.due_at < now and not o.is_closed and state_office.state and state_office.state.usps not in OUTSTANDING_2026_THREAT_ASSESSMENT:
            services.fulfil(Actor.system(), o, o.due_at - dt.timedelta(days=3), "DNI assessment transmitted (demo)")


def create_demo_data() -> list:
    now = timezone.now()
    day = dt.timedelta(days=1)
    with transaction.atomic():
        _scenario(
            "S2261-4i", "wi-incident", "Phishing of the statewide voter registration help desk (demo)", _org("state:WI"), now - 2 * day
        )
        _scenario(
            "HR5011-205b1",
            "mi-rva-request",
            "Michigan's written request for a risk and vulnerability assessment (demo)",
            _org("national-office"),
            now - 100 * day,
        )
        late = _scenario(
            "S2261-4i", "autauga-incident", "Ransomware on a poll-book laptop (demo)", _org("jurisdiction:0100100000"), now - 20 * day
        )
        if late is not None and not late.is_closed:
            services.fulfil(Actor.system(), late, now - 15 * day, "Notification to the national office by phone, then in writing (demo)")
        _scenario(
            "S2261-4h1",
            "baldwin-possible",
            "Unusual logins on the county's election-night reporting site (demo)",
            _org("jurisdiction:0100300000"),
            now - dt.timedelta(hours=6),
        )
        _scenario(
            "S2261-5f",
            "guidelines-draft",
            "Draft election cybersecurity guidelines, 2027 review (demo)",
            _org("national-office"),
            now - 10 * day,
        )
        _threat_assessment_2026(now)
        open_coming_cycles(now)
    return []
