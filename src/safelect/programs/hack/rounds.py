"""Rounds of the recurring competition (S.2261 §8(d)(1)) with their award schedules (§8(d)(3)).

The statute names no interval. Creating a round opens the registry's ``S2261-8d1`` clock for the
next one, counted from this round's close (a policy target: 365 days); scheduling the next round
fulfils it. A round's scopes are designations (§8(d)(4)) whose period overlaps the round and that
are not withdrawn.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.references import create_numbered

from .clocks import NEXT_ROUND
from .models import Designation, Round
from .permissions import MANAGE

AWARD_FIELDS = ("award_critical", "award_high", "award_medium", "award_low")
MAX_AWARD = 1_000_000


def offerable(opens_at: dt.datetime, closes_at: dt.datetime):
    """Designations that may be offered in a round from ``opens_at`` to ``closes_at``."""
    return Designation.objects.filter(
        withdrawn_at__isnull=True, starts_on__lte=closes_at.date(), ends_on__gte=opens_at.date()
    ).select_related("organization", "system")


def open_rounds(now: dt.datetime | None = None):
    now = now or timezone.now()
    return Round.objects.filter(opens_at__lte=now, closes_at__gte=now)


def current_or_next() -> Round | None:
    now = timezone.now()
    return open_rounds(now).first() or Round.objects.filter(opens_at__gt=now).order_by("opens_at").first()


@transaction.atomic
def record_openings(now: dt.datetime) -> int:
    """Fulfil the next-round clock of every closed round once a later round has opened (at its
    opening moment). Run when a round is scheduled and hourly (``hack.record_round_openings``);
    safe to run twice."""
    done = 0
    for opened in Round.objects.filter(opens_at__lte=now).order_by("opens_at"):
        for earlier in Round.objects.filter(~Q(pk=opened.pk), closes_at__lte=opened.opens_at):
            done += len(obligations.fulfil_open(Actor.system(), NEXT_ROUND, earlier, opened.opens_at, f"round {opened.reference} opened"))
    return done


@transaction.atomic
def create_round(actor: Actor, values: dict) -> Round:
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = "Name the round (at most 200 characters)."
    opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
    if not isinstance(opens_at, dt.datetime) or timezone.is_naive(opens_at):
        errors["opens_at"] = "Give the moment the round opens."
    if not isinstance(closes_at, dt.datetime) or timezone.is_naive(closes_at):
        errors["closes_at"] = "Give the moment the round closes."
    elif "opens_at" not in errors and closes_at <= opens_at:
        errors["closes_at"] = "The round closes after it opens."
    elif closes_at <= timezone.now():
        errors["closes_at"] = "The closing moment is in the past."
    rules = (values.get("rules") or "").strip()
    if len(rules) < 20:
        errors["rules"] = "Write the round's rules (how to report, what counts, how duplicates are decided)."
    amounts = {}
    for name in AWARD_FIELDS:
        raw = values.get(name)
        try:
            amounts[name] = int(raw or 0)
        except (TypeError, ValueError):
            errors[name] = "Give a whole number of dollars."
            continue
        if not 0 <= amounts[name] <= MAX_AWARD:
            errors[name] = f"Between $0 and ${MAX_AWARD:,}."
    if not errors and list(amounts.values()) != sorted(amounts.values(), reverse=True):
        errors["award_low"] = "A more severe finding may not earn less than a less severe one."
    non_monetary = (values.get("non_monetary") or "").strip()[:300]
    if not errors and not any(amounts.values()) and not non_monetary:
        errors["non_monetary"] = "Give a monetary schedule or say what non-monetary award is given (§8(d)(3))."
    scope_ids = [int(s.pk if hasattr(s, "pk") else s) for s in values.get("scopes") or []]
    if "opens_at" not in errors and "closes_at" not in errors:
        allowed = set(offerable(opens_at, closes_at).values_list("pk", flat=True))
        if not scope_ids:
            errors["scopes"] = "Offer at least one designated system."
        elif not set(scope_ids) <= allowed:
            errors["scopes"] = "Only designations that are not withdrawn and whose period overlaps the round can be offered."
    if errors:
        raise ValidationError(errors)
    found = create_numbered(
        Round,
        "HTR",
        opens_at.year,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        rules=rules,
        non_monetary=non_monetary,
        created_by=actor.user,
        **amounts,
    )
    found.scopes.set(scope_ids)
    office = national_office()
    obligations.open(NEXT_ROUND, found, closes_at, office, actor=actor.vouched())
    record_openings(timezone.now())
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:round:create",
        obj=found,
        summary={"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(), "scopes": len(scope_ids), **amounts},
    )
    return found
