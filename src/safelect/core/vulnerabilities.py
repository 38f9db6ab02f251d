"""How a program hands a vulnerability to the sharing program without importing it.

Programs never import each other. A program that learns of a vulnerability which election
agencies and providers must hear about (the Hack the Election competition, S.2261 §8(d)(5)) builds
a :class:`VulnerabilityNotice` and calls :func:`hand_to_sharing`; the sharing program registers the
publisher at start-up (:func:`register_publisher`) and shares it under S.2261 §4(c)(4) with those
who may be affected, with its TLP marking, recording every recipient. The publisher runs in the
caller's transaction with the caller's :class:`Actor`, so permissions are checked as for any
sharing write and a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class VulnerabilityNotice:
    title: str
    summary: str  # what the recipients need to know and do
    tlp: str  # clear | green | amber | amber+strict | red
    organization_ids: tuple[int, ...]  # who is notified (§4(c)(4): those who may be affected)
    provider_id: int | None = None  # the provider whose product it is, if any
    systems: tuple[str, ...] = ()  # election system categories it concerns
    stix_objects: tuple[dict, ...] = ()
    source_reference: str = ""  # the handing program's own reference
    services: str = ""  # help on offer (technical assistance), one per line


@dataclass(frozen=True)
class Handed:
    reference: str  # the sharing program's reference of what it shared
    path: str  # its page
    published: bool  # False while personal information in it awaits review (S.2261 §4(g))
    recipients: int = 0
    detail: dict = field(default_factory=dict)


_publisher: Callable | None = None


def register_publisher(func: Callable) -> None:
    """``func(actor, notice) -> Handed``; the sharing program registers it."""
    global _publisher
    _publisher = func


def can_hand_over() -> bool:
    return _publisher is not None


def hand_to_sharing(actor, notice: VulnerabilityNotice) -> Handed:
    if _publisher is None:
        raise LookupError("the sharing program is not installed: vulnerabilities cannot be shared from this deployment")
    return _publisher(actor, notice)
