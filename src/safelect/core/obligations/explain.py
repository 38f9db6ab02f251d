"""Human explanation of a due-moment computation (``safelect obligations explain``).

``explain("S2261-4i", trigger="2026-03-06T23:30:00-05:00", tz="America/New_York")``
returns an :class:`Explanation` whose ``text`` reads, in part::

    due:       end of 2026-03-09 (America/New_York) = 2026-03-09T23:59:59.999999-04:00

It names the rule used, the citation, whether the period is statutory or an
internal policy target, the assumed enactment date when it matters, and quotes the
statute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .calendar_rules import (
    DEFAULT_ENACTMENT_DATE,
    ENACTMENT_SETTING,
    TzLike,
    enactment_date,
    end_of_day,
    local_date,
    start_of_day,
    to_zone,
)
from .clocks import DaysAfterFiscalYearEnd
from .registry import get
from .registry.duty import Duty

__all__ = ["DEFAULT_TZ", "Explanation", "explain", "format_due", "parse_trigger"]

#: Zone used when the caller names none: the national office's zone.
DEFAULT_TZ = "America/New_York"


def format_due(due_at: datetime, tz: TzLike) -> str:
    """``"end of 2026-03-09 (America/New_York)"`` for an end-of-day deadline."""
    zone = to_zone(tz)
    return f"end of {due_at.astimezone(zone).date().isoformat()} ({zone.key})"


def parse_trigger(value: datetime | date | str | None) -> datetime | date | None:
    """Accept a datetime, a date, an ISO string (``2026-03-02T14:00-05:00`` or
    ``2026-03-02``) or ``None``. Naive date-times are rejected."""
    if value is None or isinstance(value, (datetime, date)):
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise ValueError("trigger must carry a UTC offset, e.g. 2026-03-02T14:00-05:00")
        return value
    text = value.strip()
    if "T" not in text and " " not in text:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError("trigger must carry a UTC offset, e.g. 2026-03-02T14:00-05:00")
    return moment


@dataclass(frozen=True)
class Explanation:
    """Structured result of :func:`explain`; ``text`` is the printable form."""

    duty: Duty
    tz: str
    trigger_at: datetime | None
    trigger_local_date: date | None
    due_at: datetime
    rule_description: str
    cycle_label: str
    enactment: date
    enactment_applies: bool

    @property
    def due_text(self) -> str:
        return format_due(self.due_at, self.tz)

    @property
    def due_local_date(self) -> date:
        return self.due_at.astimezone(to_zone(self.tz)).date()

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form (for ``--json``)."""
        d = self.duty
        return {
            "code": d.code,
            "citation": d.citation,
            "title": d.title,
            "holder": d.holder,
            "co_holders": list(d.co_holders),
            "owed_to": list(d.owed_to),
            "period_kind": d.period_kind,
            "sense": d.sense,
            "rule_kind": d.rule.kind,
            "rule": self.rule_description,
            "policy_setting": d.policy_setting,
            "tz": self.tz,
            "trigger_at": self.trigger_at.isoformat() if self.trigger_at else None,
            "trigger_local_date": self.trigger_local_date.isoformat() if self.trigger_local_date else None,
            "due_at": self.due_at.isoformat(),
            "due_local_date": self.due_local_date.isoformat(),
            "due_text": self.due_text,
            "cycle": self.cycle_label,
            "enactment": {
                "assumed_date": self.enactment.isoformat(),
                "applies": self.enactment_applies,
                "is_default": self.enactment == DEFAULT_ENACTMENT_DATE,
                "setting": ENACTMENT_SETTING,
            },
            "condition": d.condition,
            "note": d.note,
            "text": d.text,
        }

    @property
    def text(self) -> str:
        """Multi-line human explanation."""
        d = self.duty
        holders = d.holder + (f" (also {', '.join(d.co_holders)})" if d.co_holders else "")
        if d.is_policy:
            period = f"POLICY, not law — {self.rule_description}"
        else:
            period = f"statutory — {self.rule_description}"
        lines = [
            f"{d.code}  {d.citation} — {d.title}",
            f"  holder:    {holders}; owed to {', '.join(d.owed_to)}",
            f"  period:    {period}",
        ]
        if self.trigger_at is not None:
            lines.append(f"  trigger:   {self.trigger_at.isoformat()} = {self.trigger_local_date} in {self.tz}")
        elif self.trigger_local_date is not None:
            lines.append(f"  trigger:   {self.trigger_local_date} in {self.tz}")
        lines.append(f"  due:       {self.due_text} = {self.due_at.isoformat()}")
        if self.cycle_label:
            lines.append(f"  cycle:     {self.cycle_label}")
        meaning = {
            "deadline": "act not later than the due moment",
            "on_date": "act on the due date",
            "minimum_period": "the period must run until the due moment before the next step",
            "expiry": "ends at the due moment",
            "permission_from": "from the due moment the holder MAY act; nothing is owed",
        }[d.sense]
        lines.append(
            f"  meaning:   {meaning}; days are calendar days in the holder's time zone, and the deadline is the end of the last day"
        )
        if self.enactment_applies:
            origin = "default" if self.enactment == DEFAULT_ENACTMENT_DATE else "configured"
            lines.append(f"  enactment: {self.enactment.isoformat()} assumed ({origin}; setting {ENACTMENT_SETTING})")
        if d.condition:
            lines.append(f"  applies:   {d.condition}")
        if d.note:
            lines.append(f"  note:      {d.note}")
        lines.append(f'  statute:   "{d.text}"')
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text


def explain(
    code: str,
    trigger: datetime | date | str | None = None,
    tz: TzLike = DEFAULT_TZ,
    *,
    enactment: date | str | None = None,
    overrides: Mapping[str, int] | None = None,
) -> Explanation:
    """Compute and explain the due moment of duty ``code`` for ``trigger`` in zone ``tz``.

    ``trigger`` may be omitted for enactment-counted, fixed-date and periodic duties
    (the assumed enactment date is used) and for S.2261 §6(a)(1) (its first report,
    30 days after enactment). Event, fiscal-year and election duties need one: it
    is the event moment, a date in the fiscal year, or a date in the election cycle.
    ``overrides`` maps policy duty codes to target days
    (``SAFELECT_OBLIGATION_POLICY_TARGETS``).
    """
    duty = get(code)
    zone = to_zone(tz)
    assumed = enactment_date(enactment)
    rule = duty.effective_rule(overrides)
    moment = parse_trigger(trigger)
    description = duty.describe_rule(overrides)
    applies = duty.trigger.kind == "enactment"

    if moment is None:
        if isinstance(rule, DaysAfterFiscalYearEnd) and rule.initial_days is not None:
            due_at = end_of_day(assumed + timedelta(days=rule.initial_days), zone)
            return Explanation(duty, zone.key, None, assumed, due_at, description, "initial (after enactment)", assumed, True)
        if duty.trigger.kind not in ("enactment", "fixed_date", "periodic"):
            raise ValueError(f"{code}: a {duty.trigger.kind} duty needs --trigger")
        applies = True
        moment = start_of_day(assumed, zone)
        if duty.trigger.kind == "fixed_date":
            due_at = rule.due(moment, zone)
            return Explanation(duty, zone.key, None, None, due_at, description, "", assumed, False)

    trigger_day = local_date(moment, zone)
    trigger_at = moment if isinstance(moment, datetime) else None
    due_at = rule.due(moment, zone)
    return Explanation(duty, zone.key, trigger_at, trigger_day, due_at, description, rule.cycle_label(trigger_day), assumed, applies)
