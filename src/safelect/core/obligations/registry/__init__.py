"""Registry of statutory duties as data (issue 4, part 1).

Every duty with a period or a date in S.2261 and H.R. 5011, plus the "promptly"
duties (as policy targets). Pure Python: the Django layer builds models on top.

API::

    get(code) -> Duty                       # KeyError if unknown
    all_duties() -> tuple[Duty, ...]        # S.2261 first, then H.R. 5011, in section order
    duties_for_trigger(kind) -> tuple[Duty, ...]
    duties_for_holder(who) -> tuple[Duty, ...]   # holder or co-holder
    registry_as_dicts(enactment=None) -> list[dict]   # JSON-able; shows the assumed enactment date
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .duties_hr5011 import DUTIES as _HR5011
from .duties_s2261 import DUTIES as _S2261
from .duty import ORG_KINDS, POLICY_SETTING, ROLES, TRIGGER_KINDS, Duty, Trigger

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
    "get",
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
        raise KeyError(f"unknown duty code {code!r}") from None


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
    """JSON-able list of all duties (for ``safelect obligations duties --json``)."""
    return [d.as_dict(enactment) for d in _ALL]
