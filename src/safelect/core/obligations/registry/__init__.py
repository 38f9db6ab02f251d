"""Registry of statutory duties as data.

Every duty with a period or a date in S.2261 and H.R. 5011, plus the "promptly"
duties (as policy targets). Pure Python: the Django layer builds models on top.

API::

    get(code) -> Duty                       # KeyError if unknown
    all_duties() -> tuple[Duty, ...]        # S.2261 first, then H.R. 5011, in section order
    duties_for_trigger(kind) -> tuple[Duty, ...]
    duties_for_holder(who) -> tuple[Duty, ...]   # holder or co-holder
    registry_as_dicts(enactment=None) -> list[dict]   # JSON-able; shows the assumed enactment date
    register_policy_duty(code, title, rule, holder_kind, lead_times, ...) -> Duty
    policy_duties() -> tuple[Duty, ...]     # internal policy duties registered by apps
    every_duty() -> tuple[Duty, ...]        # statutory registry + registered policy duties

Internal policy duties
----------------------
An app whose work has an internal (non-statutory) target — e.g. the engagements app's
follow-up "GETBACK" items — registers it once at start-up, from its ``AppConfig.ready()``::

    from safelect.core.obligations.registry import register_policy_duty

    register_policy_duty("ENG-GETBACK", "Get back to the requester", 10, "national_office",
                         lead_times=(timedelta(days=2), timedelta(0)), origin="engagements",
                         text="Program policy: answer a follow-up request within 10 calendar days.")

The duty then works everywhere a statutory one does (``obligations.services.open``,
reminders, views, calendar) but always shows as an internal policy target, never as law.
Its code must not look like a bill's (``S2261-``/``HR5011-``); registering the same code
twice with the same definition is a no-op (``ready()`` may run more than once in tests),
with a different one an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ..clocks import PolicyTarget
from .duties_hr5011 import DUTIES as _HR5011
from .duties_s2261 import DUTIES as _S2261
from .duty import EVENT_WORDS, ORG_KINDS, POLICY_SETTING, ROLES, TRIGGER_KINDS, Duty, Trigger, policy

__all__ = [
    "ORG_KINDS",
    "POLICY_SETTING",
    "ROLES",
    "TRIGGER_KINDS",
    "Duty",
    "Trigger",
    "all_duties",
    "duties_for_holder",
    "duties_for_trigger",
    "every_duty",
    "get",
    "policy_duties",
    "register_policy_duty",
    "registry_as_dicts",
]

_ALL: tuple[Duty, ...] = _S2261 + _HR5011
_BY_CODE: dict[str, Duty] = {}
for _duty in _ALL:
    if _duty.code in _BY_CODE:
        raise RuntimeError(f"duplicate duty code {_duty.code}")
    _BY_CODE[_duty.code] = _duty


def get(code: str) -> Duty:
    """The duty with ``code`` (e.g. ``"S2261-4i"``); raises ``KeyError`` if unknown."""
    try:
        return _BY_CODE[code]
    except KeyError:
        pass
    try:
        return _REGISTERED[code]
    except KeyError:
        raise KeyError(f"unknown duty code {code!r}") from None


_REGISTERED: dict[str, Duty] = {}


def register_policy_duty(
    code: str,
    title: str,
    rule: int | PolicyTarget,
    holder_kind: str,
    lead_times: Iterable[timedelta] = (),
    *,
    origin: str,
    text: str,
    citation: str = "",
    event: str = "policy_item_opened",
    event_words: str = "",
    owed_to: Iterable[str] = (),
    note: str = "",
) -> Duty:
    """Add an internal policy duty (never law) to the registry; returns it.

    ``rule`` is a number of calendar days or a :class:`PolicyTarget`; days are
    overridable with ``SAFELECT_OBLIGATION_POLICY_TARGETS[code]`` like any policy
    target. ``holder_kind`` is an organisation kind or role (``ROLES | ORG_KINDS``).
    ``origin`` names the registering app; ``text`` states the policy in words;
    ``event_words`` says what the event is ("the opening of the follow-up") for rule descriptions.
    """
    if code.startswith(("S2261", "HR5011")):
        raise ValueError(f"{code!r}: internal policy duties may not use a bill's code prefix")
    if code in _BY_CODE:
        raise ValueError(f"{code!r} is a statutory duty")
    if not origin:
        raise ValueError("name the app that owns the policy duty (origin=...)")
    target = rule if isinstance(rule, PolicyTarget) else policy(int(rule), "no statutory period (internal policy)", code)
    duty = Duty(
        code,
        citation or f"safelect internal policy ({origin})",
        title,
        holder_kind,
        Trigger("event", event),
        target,
        "per_event",
        tuple(owed_to) or (holder_kind,),
        "policy",
        text,
        note=note,
        reminder_lead_times=tuple(lead_times),
        origin=origin,
    )
    existing = _REGISTERED.get(code)
    if existing is not None:
        if existing != duty:
            raise ValueError(f"policy duty {code!r} is already registered with another definition")
        return existing
    _REGISTERED[code] = duty
    EVENT_WORDS.setdefault(event, event_words or "the opening of the item")
    return duty


def policy_duties() -> tuple[Duty, ...]:
    """Internal policy duties registered by apps, in registration order."""
    return tuple(_REGISTERED.values())


def every_duty() -> tuple[Duty, ...]:
    """The statutory registry followed by the registered internal policy duties."""
    return _ALL + policy_duties()


def all_duties() -> tuple[Duty, ...]:
    """Every registered duty, S.2261 then H.R. 5011, in section order."""
    return _ALL


def duties_for_trigger(kind: str) -> tuple[Duty, ...]:
    """Duties whose trigger kind is ``kind`` (one of ``TRIGGER_KINDS``)."""
    if kind not in TRIGGER_KINDS:
        raise ValueError(f"unknown trigger kind {kind!r}; expected one of {sorted(TRIGGER_KINDS)}")
    return tuple(d for d in _ALL if d.trigger.kind == kind)


def duties_for_holder(who: str) -> tuple[Duty, ...]:
    """Duties held (or co-held) by role or organisation kind ``who``."""
    return tuple(d for d in _ALL if who == d.holder or who in d.co_holders)


def registry_as_dicts(enactment: date | str | None = None) -> list[dict[str, Any]]:
    """JSON-able list of all duties, statutory then registered internal policy duties
    (for ``safelect obligations duties --json``)."""
    return [d.as_dict(enactment) for d in every_duty()]
