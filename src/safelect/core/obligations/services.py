"""Writes on obligations: open, fulfil, waive, reopen — each atomic and journalled.

Any app opens the obligations its events create::

    from safelect.core.obligations import services as obligations

    obligations.open("S2261-4i", incident, incident.discovered_at, incident.organization, actor=request.user)
    ...
    obligations.fulfil(obligation, at=notice.sent_at, event=f"sharing.notification:{notice.pk}", actor=request.user)

``subject`` is a model instance, a :class:`SubjectRef` or ``None``. Opening is idempotent: the
same duty, subject, holder and trigger (or cycle) give back the existing obligation. The due
moment is computed here, once, by the pure engine in the holder's time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from safelect.core.journal.services import record

from .calendar_rules import start_of_day
from .clocks import default_lead_times
from .models import CLOSED_STATUSES, Obligation, Status
from .registry import get as get_duty
from .registry.duty import Duty
from .thresholds import due_soon_from

__all__ = ["ObligationError", "SubjectRef", "fulfil", "open", "policy_overrides", "reopen", "waive"]

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


def open(  # noqa: A001 - the issue names the service obligations.services.open
    duty: str | Duty,
    subject,
    trigger_at: dt.datetime | dt.date | None,
    holder,
    *,
    actor=None,
    cycle: str | None = None,
    due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Obligation:
    """Open (or find) the obligation of ``duty`` for ``subject`` held by ``holder``.

    ``trigger_at`` is the aware moment that started the clock (a date is taken as the start
    of that day in the holder's zone; ``None`` only for enactment-counted duties). ``cycle``
    defaults to the rule's cycle label ("FY2026", "2026 general election") for recurring
    rules. ``due_at`` is for the periodic opener, which already computed it with
    :func:`~safelect.core.obligations.clocks.occurrences`.
    """
    d = _duty(duty)
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
            **key, subject_label=ref.label if ref else "", is_policy=d.is_policy,
            state_id=_state_of(holder, instance), time_zone=tz, trigger_at=trigger_at, due_at=due_at,
            due_soon_at=due_soon_from(due_at, tz, lead_times), rule_description=d.describe_rule(overrides),
            cycle=cycle, opened_at=now or timezone.now(),
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
        record(actor=actor, organization=holder, action="obligations:obligation:open", obj=obligation,
               summary={"duty": d.code, "citation": d.citation, "trigger_at": trigger_at.isoformat(),
                        "due_at": due_at.isoformat(), "cycle": cycle, "rule": obligation.rule_description,
                        "kind": obligation.kind_label})
    return obligation


def _locked(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_for_update().select_related("holder").get(pk=obligation.pk)


@transaction.atomic
def fulfil(obligation: Obligation, at: dt.datetime, event: str, actor=None, *, organization=None) -> Obligation:
    """Record what fulfilled the obligation and when; on time when ``at`` is not after the due moment."""
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        raise ObligationError("the fulfilment moment must be timezone-aware")
    if at > timezone.now() + FUTURE_TOLERANCE:
        raise ObligationError("an obligation cannot be fulfilled in the future")
    event = (event or "").strip()
    if not event:
        raise ObligationError("say what fulfilled the obligation (the event)")
    current = _locked(obligation)
    if current.status in CLOSED_STATUSES:
        raise ObligationError(f"obligation {current.pk} is already {current.get_status_display().lower()}")
    if at < current.trigger_at <= current.due_at:  # "days before" clocks are triggered by a later event
        raise ObligationError("an obligation cannot be fulfilled before its clock started")
    current.status = Status.FULFILLED_ON_TIME if at <= current.due_at else Status.FULFILLED_LATE
    current.fulfilled_at = at
    current.fulfilled_by_event = event[:300]
    current.save(update_fields=["status", "fulfilled_at", "fulfilled_by_event"])
    record(actor=actor, organization=organization or current.holder, action="obligations:obligation:fulfil",
           obj=current, summary={"status": ["open", current.status], "fulfilled_at": at.isoformat(), "event": event})
    _copy(current, obligation)
    return current


@transaction.atomic
def waive(obligation: Obligation, reason: str, actor=None, *, organization=None, at: dt.datetime | None = None) -> Obligation:
    """Close the obligation without fulfilment; a written reason is required and journalled."""
    reason = (reason or "").strip()
    if not reason:
        raise ObligationError("a waiver needs a written reason")
    current = _locked(obligation)
    if current.status in CLOSED_STATUSES:
        raise ObligationError(f"obligation {current.pk} is already {current.get_status_display().lower()}")
    current.status = Status.WAIVED
    current.waived_at = at or timezone.now()
    current.waived_reason = reason
    current.save(update_fields=["status", "waived_at", "waived_reason"])
    record(actor=actor, organization=organization or current.holder, action="obligations:obligation:waive",
           obj=current, summary={"status": ["open", "waived"], "reason": reason})
    _copy(current, obligation)
    return current


@transaction.atomic
def reopen(obligation: Obligation, reason: str, actor=None, *, organization=None) -> Obligation:
    """Undo a fulfilment or waiver recorded in error (the journal keeps both entries).

    The due moment does not change; reminders already sent are not sent again.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ObligationError("say why the obligation is reopened")
    current = _locked(obligation)
    if current.status not in CLOSED_STATUSES:
        raise ObligationError(f"obligation {current.pk} is open")
    before = current.status
    current.status = Status.OPEN
    current.fulfilled_at = current.waived_at = None
    current.fulfilled_by_event = current.waived_reason = ""
    current.save(update_fields=["status", "fulfilled_at", "waived_at", "fulfilled_by_event", "waived_reason"])
    record(actor=actor, organization=organization or current.holder, action="obligations:obligation:reopen",
           obj=current, summary={"status": [before, "open"], "reason": reason})
    _copy(current, obligation)
    return current


def _copy(source: Obligation, target: Obligation) -> None:
    """Let the caller's instance reflect the write."""
    if target is not source:
        for name in ("status", "fulfilled_at", "fulfilled_by_event", "waived_at", "waived_reason"):
            setattr(target, name, getattr(source, name))
