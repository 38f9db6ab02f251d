"""Writes on obligations: open, fulfil, waive, reopen — each atomic and journalled.

Any app opens the obligations its events create::

    from safelect.core.obligations import services as obligations

    obligations.open("S2261-4i", incident, incident.discovered_at, incident.organization, actor=actor)
    ...
    obligations.fulfil(actor, obligation, at=notice.sent_at, event=f"sharing.notification:{notice.pk}")

``subject`` is a model instance, a :class:`SubjectRef` or ``None``. Opening is idempotent: the
same duty, subject, holder and trigger (or cycle) give back the existing obligation. The due
moment is computed here, once, by the pure engine in the holder's time zone.

Who may write (checked here, whatever the caller — page, API, command or job):

* **fulfil** — a person acting for the *holder* with ``obligations:obligation:fulfil``. The State an
  obligation concerns gives no right to record its fulfilment: a State's staff see the national
  office's H.R. 5011 §204(a) assessment owed to their State but cannot close it.
* **waive / reopen a statutory duty** — never the holder's own act. Only the national office may
  record that a duty in the statute does not apply, with a written reason
  (``obligations:statutory:record_inapplicable``); for a duty the national office itself holds,
  only its leadership may. The journal keeps the reason.
* **waive / reopen an internal-policy duty** — ``obligations:obligation:waive`` and the holder inside
  the actor's scope (a chief State election official for the State's own agencies).

``Actor.system()`` (an operator's command, the sweep, the demo) passes every check; a service that
closes an obligation as the consequence of its own authorised write passes ``actor.vouched()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record

from .calendar_rules import start_of_day
from .clocks import default_lead_times
from .models import CLOSED_STATUSES, Obligation, Status
from .permissions import FULFIL, RECORD_INAPPLICABLE, WAIVE
from .registry import get as get_duty
from .registry.duty import Duty
from .thresholds import due_soon_from

__all__ = [
    "ObligationError",
    "SubjectRef",
    "fulfil",
    "fulfil_open",
    "may_close",
    "may_fulfil",
    "open",
    "policy_overrides",
    "reopen",
    "waive",
]

#: How far in the future a fulfilment moment may lie (clock skew between machines).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class ObligationError(ValueError):
    """A write that would break an obligation's rules; nothing was changed."""


@dataclass(frozen=True)
class SubjectRef:
    """What an obligation is about, when it is not (or not yet) a model instance."""

    type: str  # app_label.model
    id: str
    label: str

    @classmethod
    def of(cls, subject) -> SubjectRef | None:
        if subject is None or isinstance(subject, SubjectRef):
            return subject
        meta = getattr(subject, "_meta", None)
        if meta is None or subject.pk is None:
            raise TypeError("subject must be a saved model instance, a SubjectRef or None")
        return cls(meta.label_lower, str(subject.pk), str(subject)[:300])


def enactment() -> dt.date:
    return settings.ENACTMENT_DATE


def policy_overrides() -> dict[str, int]:
    """``SAFELECT_OBLIGATION_POLICY_TARGETS`` (duty code → days), when the settings provide it."""
    return dict(getattr(settings, "OBLIGATION_POLICY_TARGETS", None) or {})


def _duty(duty: str | Duty) -> Duty:
    if isinstance(duty, Duty):
        return duty
    try:
        return get_duty(duty)
    except KeyError as exc:
        raise ObligationError(str(exc.args[0])) from None


def _state_of(holder, subject) -> int | None:
    """The State an obligation concerns: the holder's, else the subject's (a State or an organization)."""
    if holder.state_id:
        return holder.state_id
    if subject is not None:
        if subject._meta.label_lower == "directory.state":
            return subject.pk
        return getattr(subject, "state_id", None)
    return None


def open(
    duty: str | Duty,
    subject,
    trigger_at: dt.datetime | dt.date | None,
    holder,
    *,
    actor: Actor | None = None,
    cycle: str | None = None,
    due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    historical: bool = False,
) -> Obligation:
    """Open (or find) the obligation of ``duty`` for ``subject`` held by ``holder``.

    ``trigger_at`` is the aware moment that started the clock (a date is taken as the start
    of that day in the holder's zone; ``None`` only for enactment-counted duties). ``cycle``
    defaults to the rule's cycle label ("FY2026", "2026 general election") for recurring
    rules. ``due_at`` is for the periodic opener, which already computed it with
    :func:`~safelect.core.obligations.clocks.occurrences`.

    Opening checks no permission: an obligation opens as the consequence of another service's
    authorised write (a report filed, a cycle begun). ``actor`` (default: the system) is journalled.
    """
    actor = actor or Actor.system()
    d = _duty(duty)
    if d.sense == "permission_from":
        raise ObligationError(f"{d.citation} grants a permission from a date; it is not an obligation to open")
    tz = holder.time_zone
    if trigger_at is None:
        trigger_at = start_of_day(enactment(), tz)
    elif not isinstance(trigger_at, dt.datetime):
        trigger_at = start_of_day(trigger_at, tz)
    elif timezone.is_naive(trigger_at):
        raise ObligationError("trigger_at must be timezone-aware")
    overrides = policy_overrides()
    rule = d.effective_rule(overrides)
    if due_at is None:
        due_at = d.due(trigger_at, tz, enactment=enactment(), overrides=overrides)
    if cycle is None:
        cycle = rule.cycle_label(trigger_at.astimezone(ZoneInfo(tz)).date()) if rule.recurring else ""
    instance = subject if subject is not None and not isinstance(subject, SubjectRef) else None
    ref = SubjectRef.of(subject)
    key = {"duty_code": d.code, "holder": holder, "subject_type": ref.type if ref else "", "subject_id": ref.id if ref else ""}
    same = Obligation.objects.filter(**key, **({"cycle": cycle} if cycle else {"trigger_at": trigger_at}))

    with transaction.atomic():
        existing = same.first()
        if existing is not None:
            return existing
        lead_times = d.reminder_lead_times or default_lead_times(rule)
        obligation = Obligation(
            **key,
            subject_label=ref.label if ref else "",
            is_policy=d.is_policy,
            state_id=_state_of(holder, instance),
            time_zone=tz,
            trigger_at=trigger_at,
            due_at=due_at,
            due_soon_at=due_soon_from(due_at, tz, lead_times),
            rule_description=d.describe_rule(overrides),
            cycle=cycle,
            opened_at=now or timezone.now(),
            is_historical=historical,
        )
        obligation.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():  # a concurrent opener may win the unique constraint
                obligation.save()
        except IntegrityError:
            existing = same.first()
            if existing is None:
                raise
            return existing
        record(
            actor=actor.user,
            organization=actor.organization or holder,
            action="obligations:obligation:open",
            obj=obligation,
            summary={
                "duty": d.code,
                "citation": d.citation,
                "trigger_at": trigger_at.isoformat(),
                "due_at": due_at.isoformat(),
                "cycle": cycle,
                "historical": historical,
                "rule": obligation.rule_description,
                "kind": obligation.kind_label,
            },
        )
    return obligation


def _locked(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_for_update(of=("self",)).select_related("holder").get(pk=obligation.pk)


def _in_scope(actor: Actor, organization) -> bool:
    return actor.restrict(Organization.objects.filter(pk=organization.pk)).exists()


def may_fulfil(actor: Actor, obligation: Obligation) -> bool:
    """A person acting for the holder, with the permission (see the module docstring)."""
    return actor.may(FULFIL) and actor.acts_for(obligation.holder)


def may_close(actor: Actor, obligation: Obligation) -> bool:
    """May ``actor`` waive (or reopen) ``obligation``? (see the module docstring)"""
    if actor.is_system:
        return True
    if obligation.is_policy:
        return actor.may(WAIVE) and _in_scope(actor, obligation.holder)
    if not actor.may(RECORD_INAPPLICABLE) or actor.organization is None or actor.organization.kind != "national_office":
        return False
    if actor.acts_for(obligation.holder):
        return "national_leadership" in actor.role_codes
    return True


def _require(allowed: bool, actor: Actor, obligation: Obligation, what: str) -> None:
    if not allowed:
        raise PermissionDenied(f"{actor.organization or 'you'} may not {what} this obligation of {obligation.holder}")


@transaction.atomic
def fulfil(actor: Actor, obligation: Obligation, at: dt.datetime, event: str) -> Obligation:
    """Record what fulfilled the obligation and when; on time when ``at`` is not after the due moment."""
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        raise ObligationError("the fulfilment moment must be timezone-aware")
    if at > timezone.now() + FUTURE_TOLERANCE:
        raise ObligationError("an obligation cannot be fulfilled in the future")
    event = (event or "").strip()
    if not event:
        raise ObligationError("say what fulfilled the obligation (the event)")
    current = _locked(obligation)
    _require(may_fulfil(actor, current), actor, current, "record the fulfilment of")
    if current.status in CLOSED_STATUSES:
        raise ObligationError(f"obligation {current.pk} is already {current.get_status_display().lower()}")
    if at < current.trigger_at <= current.due_at:  # "days before" clocks are triggered by a later event
        raise ObligationError("an obligation cannot be fulfilled before its clock started")
    current.status = Status.FULFILLED_ON_TIME if at <= current.due_at else Status.FULFILLED_LATE
    current.fulfilled_at = at
    current.fulfilled_by_event = event[:300]
    current.save(update_fields=["status", "fulfilled_at", "fulfilled_by_event"])
    record(
        actor=actor.user,
        organization=actor.organization or current.holder,
        action="obligations:obligation:fulfil",
        obj=current,
        summary={"status": ["open", current.status], "fulfilled_at": at.isoformat(), "event": event},
    )
    _copy(current, obligation)
    return current


def _still_open(duty: str, subject, holder=None):
    ref = SubjectRef.of(subject)
    found = Obligation.objects.filter(duty_code=_duty(duty).code, subject_type=ref.type if ref else "", subject_id=ref.id if ref else "")
    found = found.exclude(status__in=CLOSED_STATUSES)
    return found.filter(holder=holder) if holder is not None else found


def fulfil_open(actor: Actor, duty: str, subject, at: dt.datetime, event: str, *, holder=None) -> list[Obligation]:
    """Fulfil every still-open obligation of ``duty`` about ``subject`` (of ``holder`` when given):
    the one idiom for "the write that satisfies a clock", so a second satisfying write changes
    nothing. Returns the obligations fulfilled."""
    return [fulfil(actor, clock, at, event) for clock in _still_open(duty, subject, holder)]


def waive_open(actor: Actor, duty: str, subject, reason: str, *, holder=None) -> list[Obligation]:
    """Waive every still-open obligation of ``duty`` about ``subject`` with ``reason`` (a clock
    replaced by an agreed date, a duty that no longer applies). Returns the obligations waived."""
    return [waive(actor, clock, reason) for clock in _still_open(duty, subject, holder)]


@transaction.atomic
def waive(actor: Actor, obligation: Obligation, reason: str, *, at: dt.datetime | None = None) -> Obligation:
    """Close the obligation without fulfilment; a written reason is required and journalled.

    For a statutory duty this records that the duty does not apply (national office only)."""
    reason = (reason or "").strip()
    if not reason:
        raise ObligationError("a waiver needs a written reason")
    current = _locked(obligation)
    _require(may_close(actor, current), actor, current, "waive" if current.is_policy else "record as not applicable")
    if current.status in CLOSED_STATUSES:
        raise ObligationError(f"obligation {current.pk} is already {current.get_status_display().lower()}")
    current.status = Status.WAIVED
    current.waived_at = at or timezone.now()
    current.waived_reason = reason
    current.save(update_fields=["status", "waived_at", "waived_reason"])
    record(
        actor=actor.user,
        organization=actor.organization or current.holder,
        action="obligations:obligation:waive",
        obj=current,
        summary={
            "status": ["open", "waived"],
            "reason": reason,
            "kind": "internal policy" if current.is_policy else "statutory duty recorded as not applicable",
        },
    )
    _copy(current, obligation)
    return current


@transaction.atomic
def reopen(actor: Actor, obligation: Obligation, reason: str) -> Obligation:
    """Undo a fulfilment or waiver recorded in error (the journal keeps both entries).

    The due moment does not change; reminders already sent are not sent again. Who may reopen is
    who may waive.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ObligationError("say why the obligation is reopened")
    current = _locked(obligation)
    _require(may_close(actor, current), actor, current, "reopen")
    if current.status not in CLOSED_STATUSES:
        raise ObligationError(f"obligation {current.pk} is open")
    before = current.status
    current.status = Status.OPEN
    current.fulfilled_at = current.waived_at = None
    current.fulfilled_by_event = current.waived_reason = ""
    current.save(update_fields=["status", "fulfilled_at", "waived_at", "fulfilled_by_event", "waived_reason"])
    record(
        actor=actor.user,
        organization=actor.organization or current.holder,
        action="obligations:obligation:reopen",
        obj=current,
        summary={"status": [before, "open"], "reason": reason},
    )
    _copy(current, obligation)
    return current


def _copy(source: Obligation, target: Obligation) -> None:
    """Let the caller's instance reflect the write."""
    if target is not source:
        for name in ("status", "fulfilled_at", "fulfilled_by_event", "waived_at", "waived_reason"):
            setattr(target, name, getattr(source, name))
